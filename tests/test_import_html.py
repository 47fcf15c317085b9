"""Saved pages of three layouts → ImportedArticle, extracted by trafilatura; boilerplate stays out."""
from __future__ import annotations

import json

from import_inputs import PAGE_JSONLD, PAGE_OG, PAGE_TIME
from newsarchive.errors import Problem
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import Caption, ImportSettings, ReadAlso, Skipped

SETTINGS = ImportSettings(default_lang="en")
BOILERPLATE_WORDS = ("cookies", "Home", "Most read", "Celebrity chef", "Share on Facebook", "Copyright", "Privacy")


def assert_no_boilerplate(body: str) -> None:
    for words in BOILERPLATE_WORDS:
        assert words not in body, words


def test_open_graph_layout():
    article = parse_page(PAGE_OG.encode(), "pages/og.html", SETTINGS)
    assert article.title == "Grève au port du Havre : troisième jour"  # og:title, not the <title> with the site name
    assert article.date == "2021-05-15T10:30:00+02:00"  # offset kept
    assert (article.section, article.source, article.lang) == ("Économie", "Le Quotidien du Port", "fr")
    assert article.tags == ("Grève", "Le Havre") and article.authors == ("Marie Dupont",)
    assert article.source_url == "https://quotidien.example/eco/greve-havre"
    assert article.read_also == (ReadAlso("La grève s'étend au port de Marseille", "https://quotidien.example/eco/greve-marseille"),)
    assert article.lead_image.url == "https://quotidien.example/img/havre.jpg"
    assert article.lead_image.caption == Caption("Des conteneurs bloqués à quai, samedi.", "AFP")
    assert article.body.startswith("Les dockers du port du Havre ont entamé samedi")
    assert "La direction du port a proposé une réunion" in article.body
    assert "Lire aussi" not in article.body and "Grève au port" not in article.body
    assert_no_boilerplate(article.body)


def test_json_ld_layout_without_article_element():
    article = parse_page(PAGE_JSONLD.encode(), "pages/ledger.html", SETTINGS)
    assert article.title == "Rail fares rise by 5.9% in March"
    assert article.date == "2023-02-28T07:00:00-05:00"
    assert (article.section, article.source, article.lang) == ("Business", "The Daily Ledger", "en-GB")
    assert article.authors == ("Sam Okafor", "Lena Berg") and article.tags == ("rail", "fares", "transport")
    assert article.read_also == (ReadAlso("Bus fares frozen until the end of the year", "https://ledger.example/business/bus-fares-frozen"),)
    assert article.body.count("\n\n") == 2 and "season tickets would be capped" in article.body
    assert_no_boilerplate(article.body)


def test_arabic_layout_dated_only_in_the_text():
    article = parse_page(PAGE_TIME.encode(), "pages/amman.html", SETTINGS)
    assert article.title == "الأمطار الغزيرة تغلق طرقا في عمّان"
    assert article.date == "2022-01-20"  # a day, no invented time
    assert article.lang == "ar"
    assert article.read_also == (ReadAlso("تحذير من تساقط الثلوج على المرتفعات"),)  # a relative link has nowhere to point
    assert "أغلقت السلطات في العاصمة الأردنية" in article.body
    assert_no_boilerplate(article.body)


def test_page_without_date_needs_the_date_option_and_in_a_crawl_is_an_index_page():
    page = '<html lang="en"><head><meta property="og:title" content="Latest news"></head><body><article><p>' + "Words of a long enough paragraph for extraction to keep it. " * 5 + "</p></article></body></html>"
    problem = parse_page(page.encode(), "pages/index.html", SETTINGS)
    assert isinstance(problem, Problem) and problem.path == "pages/index.html" and "--date" in problem.hint
    assert parse_page(page.encode(), "pages/index.html", ImportSettings("en", date="2020-01-02")).date == "2020-01-02"
    skipped = parse_page(page.encode(), "crawl: https://x.example/", SETTINGS, in_crawl=True)
    assert skipped == Skipped("crawl: https://x.example/", "no date (index page)")


def test_empty_page_and_page_without_text_are_errors():
    assert parse_page(b"  ", "e.html", SETTINGS).message == "the file is empty"
    page = '<html><head><meta property="og:title" content="Only a title"><meta property="article:published_time" content="2021-01-01"></head><body></body></html>'
    problem = parse_page(page.encode(), "t.html", SETTINGS)
    assert (problem.path, problem.message) == ("t.html", "a title ('Only a title') and no text")


# --- the defects of issue 27: structure, widgets, titles, "read also" -----------------------------

FILLER = ("The harbour authority said the new quay would take two years to build and would let the largest "
          "container ships berth without waiting for the tide, a change the port has sought for a decade. ")


def news_page(body: str, title: str = "New quay for the harbour", head: str = "", lang: str = "en") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2024-05-04">{head}'
            f'<link rel="canonical" href="https://wire.example/news/quay"></head><body><nav><a href="/">Home</a></nav>'
            f"<article><h1>New quay for the harbour</h1>{body}</article><footer>Copyright 2024 Wire</footer></body></html>").encode()


def test_text_around_an_inline_comment_is_kept():
    page = news_page(f"<p>{FILLER}Before the comment <!-- editor: check the figure --> and after the comment, 40 berths.</p><p>{FILLER}</p>")
    body = parse_page(page, "c.html", SETTINGS).body
    assert "Before the comment and after the comment, 40 berths." in body and "editor" not in body


def test_table_rows_stay_one_markdown_table():
    table = ("<table><tr><th>Year</th><th>Ships</th></tr><tr><td>2022</td><td>1,204</td></tr>"
             "<tr><td>2023</td><td>1,391</td></tr></table>")
    body = parse_page(news_page(f"<p>{FILLER}</p>{table}<p>{FILLER}</p>"), "t.html", SETTINGS).body
    assert "| Year | Ships |\n|---|---|\n| 2022 | 1,204 |\n| 2023 | 1,391 |" in body


def test_link_with_parentheses_in_its_address_is_intact():
    link = '<a href="https://en.wikipedia.org/wiki/Mercury_(planet)">Mercury</a>'
    body = parse_page(news_page(f"<p>{FILLER}The quay is named after {link}, the fastest planet.</p><p>{FILLER}</p>"), "l.html", SETTINGS).body
    assert "named after [Mercury](<https://en.wikipedia.org/wiki/Mercury_(planet)>), the fastest planet." in body
    import markdown

    from newsarchive.markup import markdown_extensions
    html = markdown.Markdown(extensions=markdown_extensions()).convert(body)  # as the site renders it
    assert '<a href="https://en.wikipedia.org/wiki/Mercury_(planet)">Mercury</a>, the fastest planet' in html


def test_site_name_is_stripped_from_the_title():
    for title, head in (("New quay for the harbour – TechCrunch", '<meta property="og:site_name" content="TechCrunch">'),
                        ("Le Monde | New quay for the harbour", '<meta property="og:site_name" content="Le Monde.fr">'),
                        ("New quay for the harbour | Harbour Wire", ""),  # no site name given: the <h1> tells the headline
                        ("New quay for the harbour - Wire", "")):  # the domain's own name
        assert parse_page(news_page(f"<p>{FILLER}</p><p>{FILLER}</p>", title=title, head=head), "s.html", SETTINGS).title == \
            "New quay for the harbour", title
    kept = parse_page(news_page(f"<p>{FILLER}</p>", head='<meta property="og:title" content="Quay: yes - or no?">'), "k.html", SETTINGS).title
    assert kept == "Quay: yes - or no?"


def test_share_widgets_and_personal_use_boxes_never_reach_the_body():
    widgets = ('<div class="share"><a href="https://facebook.com/sharer">Partager sur Facebook</a> '
               '<a href="https://twitter.com/intent">Share on Twitter</a> <a href="mailto:?">Email</a></div>'
               '<p>This copy is for your personal, non-commercial use only. To order presentation-ready copies, visit reprints.</p>'
               '<p>Like this story? Share it with a friend!</p>')
    paragraphs = "".join(f"<p>{FILLER} Paragraph {n}.</p>" for n in range(9))
    body = parse_page(news_page(widgets + paragraphs + widgets, lang="fr"), "w.html", SETTINGS).body
    assert body.count("Paragraph") == 9
    for words in ("Facebook", "Twitter", "personal", "friend"):
        assert words not in body, words


def test_read_also_links_become_related_entries():
    boxes = ('<p><strong>Read also:</strong> <a href="/news/ferries">Ferries resume on Monday</a></p>'
             '<aside class="related"><span>Lire aussi :</span> <a href="https://wire.example/news/docks">Les docks rouvrent</a></aside>')
    elsewhere = '<aside><p>Read also: <a href="/news/other">A story of another page</a></p></aside>'
    page = news_page(f"<p>{FILLER}</p>{boxes}<p>{FILLER}</p><p>{FILLER}</p>").replace(b"</article>", b"</article>" + elsewhere.encode())
    article = parse_page(page, "r.html", SETTINGS)
    assert article.read_also == (ReadAlso("Ferries resume on Monday", "https://wire.example/news/ferries"),
                                 ReadAlso("Les docks rouvrent", "https://wire.example/news/docks"))
    assert "Read also" not in article.body and "Lire aussi" not in article.body and "Ferries" not in article.body


def test_article_split_by_advertisements_is_read_whole():
    part = '<div class="article-body">{}</div><div class="ad"><span>Advertisement</span></div>'
    sentences = [
        "Engineers began driving the first steel piles into the seabed on Monday morning, watched by a small crowd.",
        "The contractor expects to finish the foundations before the autumn storms make work at sea too dangerous.",
        "Fishermen worry that the noise of the works will drive the cod away from their usual grounds this winter.",
        "A study paid for by the port found no lasting harm to fish, but the fishermen's union has asked for its own.",
        "The mayor promised that the old fish market by the quay would stay open throughout the building work.",
        "Local shops hope the larger ships will bring more visitors, although most crews rarely leave the terminal.",
    ]
    first = "".join(f"<p>First part {n}. {sentences[n]} {FILLER}</p>" for n in range(3))
    second = "".join(f"<p>Second part {n}. {sentences[n + 3]}</p>" for n in range(3))
    page = news_page(part.format(first) + '<div class="row">' + part.format(second) + "</div>")
    body = parse_page(page, "split.html", SETTINGS).body
    assert [f"part {n}" in body for n in range(3)] == [True] * 3 and body.count("Second part") == 3


def test_hidden_copy_of_the_text_is_not_imported():
    hidden = f'<div style="display: none"><p>{FILLER}Hidden copy.</p><p>2024-05-04T10:00:00+02:00</p></div>'
    body = parse_page(news_page(f"<p>{FILLER}Visible.</p><p>{FILLER}</p>{hidden}"), "h.html", SETTINGS).body
    assert "Visible." in body and "Hidden copy" not in body and "2024-05-04" not in body


def test_json_ld_article_body_is_used_when_the_page_shows_it_and_extraction_misses_it():
    sentences = ["The committee approved the plan after a debate that lasted well into the night on Thursday.",
                 "Opponents said the cost of the new quay had doubled since the first estimate two years ago.",
                 "The port's director promised monthly reports on the budget and the calendar of the works.",
                 "Work is due to start in the spring, once the last permits have been signed by the prefecture."]
    body = "\n\n".join(sentences)
    ld = '<script type="application/ld+json">' + json.dumps({"@type": "NewsArticle", "headline": "Plan approved", "articleBody": body}) + "</script>"
    shown = "".join(f"<p>{s}</p>" for s in sentences)  # shown in a box that extraction leaves out
    page = news_page(f"<p>{FILLER}</p><aside>{shown}</aside>", head=ld)
    article = parse_page(page, "ld.html", SETTINGS)
    assert article.body == body + "\n"
    elsewhere = parse_page(news_page(f"<p>{FILLER}</p>", head=ld), "other.html", SETTINGS)  # a text the page does not show
    assert elsewhere.body.endswith(FILLER.strip() + "\n") and "committee" not in elsewhere.body


def test_json_ld_teaser_never_replaces_the_extracted_text():
    teaser = ("A short summary of the harbour works that the page shows as its lead, above the article itself: "
              "the new quay, its cost, the calendar of the works and what the fishermen of the port think of it all.")
    ld = '<script type="application/ld+json">' + json.dumps({"@type": "NewsArticle", "articleBody": teaser}) + "</script>"
    paragraphs = "".join(f"<p>Paragraph {n}. {FILLER}</p>" for n in range(4))
    body = parse_page(news_page(f'<div class="lead">{teaser}</div>{paragraphs}', head=ld), "teaser.html", SETTINGS).body
    assert body.count("Paragraph") == 4


def test_subheadings_follow_the_title_without_skipping_a_level():
    """A page that jumps from its h1 to h3 (the Nu validator's 'skipping a heading level')."""
    from newsarchive.importers.markdown_text import even_headings
    blocks = ["### First part\nText.", "Text.", "#### A detail", "### Second part", "# Shouted heading"]
    assert even_headings(blocks) == ["### First part\nText.".replace("###", "##", 1), "Text.", "### A detail", "### Second part", "## Shouted heading"]
    assert even_headings(["No heading here.", "Nor here."]) == ["No heading here.", "Nor here."]
    assert even_headings(["#hashtag, not a heading"]) == ["#hashtag, not a heading"]


def test_a_paragraph_of_dashes_is_the_text_the_reader_saw():
    import markdown

    from newsarchive.markup import markdown_extensions
    for shown in ("---", "* * *", "===", "~~~", "+++"):
        body = parse_page(news_page(f"<p>{FILLER}</p><p>{shown}</p><p>Second part: the berths.</p>"), "d.html", SETTINGS).body
        html = markdown.Markdown(extensions=markdown_extensions()).convert(body)  # as the site renders it
        assert html.replace("&#61;", "=").replace("&#126;", "~").endswith(f"<p>{shown}</p>\n<p>Second part: the berths.</p>"), (shown, body)
        assert "\n---\n" not in f"\n{body}"  # no rule, no front-matter marker
    article_body = f"{FILLER}\n---\nSecond part: the berths."  # the publisher's JSON-LD articleBody, taken when the page shows it
    head = f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "articleBody": article_body})}</script>'
    body = parse_page(news_page(f"<div>{FILLER}<br>---<br>Second part: the berths.</div>", head=head), "j.html", SETTINGS).body
    assert "\n---\n" not in f"\n{body}\n" and "Second part: the berths." in body


def test_source_url_is_the_canonical_address_without_fragment_or_tracking():
    head = '<meta property="og:url" content="https://wire.example/news/quay?p=2&utm_campaign=x&mc_eid=9#comments">'
    page = news_page(f"<p>{FILLER}</p>", head=head).replace(b'<link rel="canonical" href="https://wire.example/news/quay">', b"")
    assert parse_page(page, "u.html", SETTINGS).source_url == "https://wire.example/news/quay?p=2"


def test_a_link_whose_address_is_a_space_keeps_its_text():  # found in the pool: <a href=" "> was a traceback
    body = parse_page(news_page(f'<p>{FILLER}</p><p>See <a href=" ">the plan</a> now: the berths open on Monday.</p>'), "h.html", SETTINGS).body
    assert "See the plan now: the berths open on Monday." in body or "See [the plan](https://wire.example) now" in body
    alone = news_page(f'<p>{FILLER}</p><p>See <a href=" ">the plan</a> now: the berths open on Monday.</p>')
    alone = alone.replace(b'<link rel="canonical" href="https://wire.example/news/quay">', b"")  # no address to resolve it against
    assert "See the plan now: the berths open on Monday." in parse_page(alone, "h.html", SETTINGS).body
