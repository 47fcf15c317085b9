"""Classes of failure found on labelled sets the importer had never seen (L3S-GN1's Google News articles,
Dragnet's news and blog pages) and the leftovers of Fundus's pages: each page here is hand-written and
small, reproducing the structure, not the site."""
from __future__ import annotations

import unicodedata

import pytest
from conftest import run_cli
from lxml import html as lxml_html

from newsarchive.importers import article_parts, body_captions, extract, related_boxes
from newsarchive.importers import dates
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

SETTINGS = ImportSettings(default_lang="en")
PROSE = ("The harbour opens its new quay in June, after three years of building and a long quarrel over the cost.",
         "Dockers say the new cranes will double what the port can load in a day, and the city hopes for new jobs.",
         "The first ship is expected on the tenth, a container carrier from Rotterdam with a cargo of machine parts.",
         "Fishermen, who lost their old moorings to the works, will get a basin of their own on the north side.")


def page(body: str, head: str = "", title: str = "New quay") -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2024-05-02T10:00:00Z">{head}</head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def test_a_page_in_decomposed_letters_is_not_extracted_twice():
    """Vogue: the text written with combining marks ("a" + U+0308) came out of trafilatura's precision
    and balanced settings spelt two ways, so the balanced setting's paragraphs were put back beside
    precision's: the article twice."""
    german = ["Über die Brücke gingen die Bürger früh am Morgen, während die Sonne aufging.",
              "Später öffneten die Geschäfte, und Händler drängten sich auf dem Marktplatz."]
    decomposed = extract.markdown_blocks("\n\n".join(unicodedata.normalize("NFD", p) for p in german))
    composed = extract.markdown_blocks("\n\n".join(german))
    assert decomposed == german
    assert extract._filled(decomposed, composed + ["Ende."]) == german


def test_a_caption_under_each_photo_stays_out_of_the_body():
    """Tokyo Shimbun: precision kept the `<p class="caption">` under each photo, repeating its alt text,
    between the paragraphs; so would it a `wp-caption-text` whose picture has no alt."""
    tree = lxml_html.fromstring(
        f'<html><body><div class="block">{PROSE[0]}</div><div class="block"><div class="image"><img src="/a.jpg" '
        'alt="The mayor at the quay on Monday (Photo: J. Doe)"></div><p class="caption">The mayor at the quay on Monday'
        ' (Photo: J. Doe)</p></div><div class="wp-caption"><img src="/b.jpg"><p class="wp-caption-text">Cranes being'
        f' unloaded last week</p></div><div class="block">{PROSE[1]}</div></body></html>')
    blocks = [PROSE[0], "The mayor at the quay on Monday (Photo: J. Doe)", PROSE[1], "*Cranes being unloaded last week*",
              PROSE[2], "Short"]
    assert body_captions.without_captions(blocks, body_captions.caption_texts(tree)) == [PROSE[0], PROSE[1], PROSE[2], "Short"]


def test_a_story_told_in_captions_keeps_them():
    """A photo story whose text is its captions: leaving them out would leave nothing."""
    assert body_captions.without_captions(["A long caption that is all of the story here."],
                                    frozenset({extract._key("A long caption that is all of the story here.")})) \
        == ["A long caption that is all of the story here."]


def test_a_list_of_other_stories_above_the_first_paragraph_becomes_related():
    """El Mundo: a list of links to other stories, each after a kicker ("Crónica"), opened the body."""
    teasers = ('<ul><li>Chronicle <a href="https://news.example.org/2024/05/ferry-strike">Ferry strike ends</a></li>'
               '<li>World Cup 2026 <a href="/2024/05/stadium">The new stadium</a></li></ul>')
    article = parse_page(page(teasers + "".join(f"<p>{p}</p>" for p in PROSE)), "p.html",
                         SETTINGS, url="https://news.example.org/2024/05/quay")
    assert article.body == "\n\n".join(PROSE) + "\n"
    assert [(r.title, r.url) for r in article.read_also] == [
        ("Ferry strike ends", "https://news.example.org/2024/05/ferry-strike"),
        ("The new stadium", "https://news.example.org/2024/05/stadium")]


def test_a_table_of_contents_or_a_list_in_the_text_is_no_related_box():
    """Links within the page, a list after the first paragraph, or items with a sentence around the link stay."""
    for blocks in (["- [Costs](#costs)\n- [Jobs](#jobs)", PROSE[0]],
                   [PROSE[0], "- [Ferry strike ends](https://x.org/a)\n- [The new stadium](https://x.org/b)"],
                   ["- Read how [the ferry strike](https://x.org/a) ended, as our reporter saw it on the quay\n- [Jobs](https://x.org/b)",
                    PROSE[0]]):
        assert related_boxes.take_related(blocks) == (blocks, [])


def test_the_date_ending_the_title_wins_over_a_teasers_date():
    """DW: no date in the metadata but "… | DW | 28.04.2023" in `<title>` and `og:title`; htmldate took the
    24 April of a teaser further down."""
    teaser = '<div class="teaser"><h2>Older story <span class="date">24.04.2023</span></h2></div>'
    data = (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Gegenoffensive | Europa | DW | 28.04.2023</title>'
            f'<meta property="og:title" content="Gegenoffensive | DW | 28.04.2023"></head><body><article><h1>Gegenoffensive</h1>'
            + "".join(f"<p>{p}</p>" for p in PROSE) + f"</article>{teaser}</body></html>").encode()
    article = parse_page(data, "p.html", SETTINGS)
    assert (article.date, article.date_source, article.title) == ("2023-04-28", "title", "Gegenoffensive")
    assert dates.title_date("Ergebnisse 2024 | Wahl - 2024-06-09") == "2024-06-09"
    assert dates.title_date("Vote count 28.04.2023 begins") is None


@pytest.mark.slow
def test_thai_and_devanagari_titles_keep_their_vowel_signs_in_the_slug(make_site, tmp_path):
    """python-slugify's default pipeline took Thai vowel signs and Devanagari matras for separators
    ("ผู้ว่า" → "ผ-ว-า"); the imported file is named with them."""
    archive = make_site({}, config="title: T\nbase_url: https://news.example.org/\nlanguage: th\n")
    pages = tmp_path / "pages"
    pages.mkdir()
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    (pages / "th.html").write_bytes(page(body, title="ผู้ว่าฯ เปิดท่าเรือใหม่"))
    (pages / "hi.html").write_bytes(page(body, title="हिन्दी समाचार"))
    result = run_cli("import", pages, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    written = sorted(p.name for p in (archive.parent / "articles" / "2024" / "05").iterdir())
    assert written == sorted(["ผู้ว่าฯ-เปิดท่าเรือใหม่.md", "हिन्दी-समाचार.md"])
    assert run_cli("--config", archive).code == 0


def _story(paragraphs) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


COMMENTS = [f"Reader {n} writes that the quay was a waste of money and that the old harbour was good enough for everyone."
            for n in range(8)]


def test_comments_in_containers_of_the_storys_class_stay_out():
    """SFGate: the story and each reader comment were a `div.item`; read as an article split by
    advertisements, the comments joined the body."""
    thread = "".join(f'<div class="item"><p>{c}</p><p>Posted By: reader{n} | January 16 2008</p></div>'
                     for n, c in enumerate(COMMENTS))
    body = f'<div class="item">{_story(PROSE)}</div><h3>Comments</h3><div id="comments">{thread}</div>'
    article = parse_page(page(body), "p.html", SETTINGS)
    assert article.body == "\n\n".join(PROSE) + "\n"


def test_a_class_that_wraps_the_page_and_the_story_is_no_split_article():
    """ABC News: `div.section` was the page's wrapper, its main column, the story and the footer's boxes;
    joining them gave the article three times and the site map. Boxes of the story's class further down,
    after the comments or a sidebar's text, are no part of it either; parts split by advertisements are."""
    nested = lxml_html.fromstring('<div class="s"><div class="s"><div class="s"><p>Story</p></div></div></div>')
    divs = list(nested.iter("div"))
    assert article_parts.run_of_parts(divs[2], divs) == [divs[2]]
    filler = "A sidebar's own long text about other things. " * 12
    page_tree = lxml_html.fromstring(
        '<div><div class="b"><p>One</p></div><div class="ad">Advertisement</div><div class="b"><p>Two</p></div>'
        f'<aside>{filler}</aside><div class="b"><p>Box</p></div><div id="comments"><div class="b">Me too</div></div></div>')
    parts = [d for d in page_tree.iter("div") if d.get("class") == "b"]
    assert [p.text_content() for p in article_parts.run_of_parts(parts[0], parts)] == ["One", "Two"]


def test_a_paragraph_precision_kept_with_words_missing_is_taken_whole():
    """A blog's `<span>Although <b>Monster Beverage's</b> net sales…`: precision dropped "Although" and the
    space after the bold words, and, the paragraph no longer matching the balanced setting's, the next
    paragraph it had dropped was not put back either."""
    precise = ["**Monster Beverage's (MNST)**net sales in the second quarter grew by 28 percent to 592 million dollars.",
               "*Editor David Phillips holds no stock in any company named in this article.*"]
    balanced = ["Although **Monster Beverage's (MNST)** net sales in the second quarter grew by 28 percent to 592 million dollars.",
                "Although management will deny it, recent adverse publicity means the company needs a better image.",
                "*Editor David Phillips holds no stock in any company named in this article.*"]
    assert extract._filled(precise, balanced) == balanced
    merged = ["Monster's net sales in the second quarter grew by 28 percent to 592 million dollars. " * 2 + "Other news."]
    assert extract._repaired(["Monster's net sales in the second quarter grew by 28 percent to 592 million dollars."], merged) \
        == ["Monster's net sales in the second quarter grew by 28 percent to 592 million dollars."]


def test_a_title_the_parser_puts_in_the_body_still_titles_the_page():
    """EuroNews: markup before `<head>` put its `<title>` in the body, where trafilatura looks for none; with
    no og:title and no `<h1>`, the page was titled by its first words ("By the end of today, …")."""
    data = ('<html><div class="top">Skip to content</div><head><meta charset="utf-8"><title>Obama waits to see if he can win'
            ' again</title><meta property="article:published_time" content="2008-01-08"></head><body><div class="story">'
            + "".join(f"<p>{p}</p>" for p in PROSE) + "</div></body></html>").encode()
    article = parse_page(data, "p.html", SETTINGS)
    assert (article.title, article.warnings) == ("Obama waits to see if he can win again", ())


def _blog(head: str, headline: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}'
            '<meta property="article:published_time" content="2012-11-05"></head><body>'
            '<div id="banner"><h1><a href="http://blogs.example.org/harbour/">Harbour Notes</a></h1>'
            '<h2>Life and work by the sea</h2></div><div class="sidebar"><h2 class="title">About</h2><p>Two dockers write.</p></div>'
            f'<div class="post">{headline}' + "".join(f"<p>{p}</p>" for p in PROSE) + "</div></body></html>").encode()


def test_a_blogs_name_in_its_banner_heading_is_not_the_headline():
    """Blogs (Dragnet's pages): the banner `<h1><a href="/">Econbrowser</a></h1>` was taken for the headline,
    and "Econbrowser: Romney/Ryan on FEMA" kept the blog's name; Blogger's post title is an `<h3 class="post-title
    entry-title">`, and a sidebar's "About" was the title; "Asia Unbound » China's Olympic Debate" (og:title) kept
    the blog's name because the banner's `<h1>` said it."""
    post = '<h3 class="post-title entry-title"><a href="/2012/11/new-quay.html">New quay opens</a></h3>'
    assert parse_page(_blog("<title>Harbour Notes: New quay opens</title>", post), "p.html", SETTINGS).title == "New quay opens"
    assert parse_page(_blog("<title>Harbour Notes: New quay opens</title>", "<h3>New quay opens</h3>"), "p.html",
                      SETTINGS).title == "New quay opens"
    og = '<meta property="og:title" content="Harbour Notes » New quay opens"><title>Harbour Notes » New quay opens</title>'
    assert parse_page(_blog(og, "<h1>New quay opens</h1>"), "p.html", SETTINGS).title == "New quay opens"
    permalink = '<h1 class="title"><a href="http://blogs.example.org/new-quay-opens-at-last/">New quay opens at last</a></h1>'
    assert parse_page(_blog("<title>New quay opens at last | Harbour Notes</title>", permalink), "p.html",
                      SETTINGS).title == "New quay opens at last"  # a post's permalink heading is no banner
