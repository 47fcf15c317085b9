"""Classes of loss found on CleanPortalEval, CleanEval and L3S-GN1 in the seventh session: each page here is
hand-written and small, reproducing the structure, not the site."""
from __future__ import annotations

from conftest import run_cli
from lxml import html as lxml_html

from newsarchive.errors import Problem
from newsarchive.importers import body_captions, page_repairs
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportedArticle, ImportSettings

SETTINGS = ImportSettings(default_lang="en", date="2024-05-02")
PROSE = ("The harbour opens its new quay in June, after three years of building and a long quarrel over the cost.",
         "Dockers say the new cranes will double what the port can load in a day, and the city hopes for new jobs.",
         "The first ship is expected on the tenth, a container carrier from Rotterdam with a cargo of machine parts.",
         "Fishermen, who lost their old moorings to the works, will get a basin of their own on the north side.",
         "The council will vote on the harbour dues in July, and the shipping lines have asked for a lower rate.",
         "Residents of the old town fear the traffic of lorries, and a new road around the centre is planned.")


def page(body: str, title: str = "New quay") -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2024-05-02T10:00:00Z"></head>'
            f'<body><div class="nav"><a href="/">Home</a> <a href="/news">News</a></div>'
            f"<article><h1>{title}</h1>{body}</article><footer>Harbour Wire, 1 Quay Street</footer></body></html>").encode()


def imported(data: bytes) -> ImportedArticle:
    result = parse_page(data, "page.html", SETTINGS)
    assert isinstance(result, ImportedArticle), result
    return result


def test_a_crosshead_after_a_paragraph_with_a_link_is_kept():
    """BBC: `<p>… <a>lists</a> of goals.</p><span class="cross-head">'Don't burn out'</span><p>…`: with links
    kept, trafilatura dropped the text after a paragraph holding a link (plain trafilatura, links off, kept it)."""
    body = (f"<p>{PROSE[0]}</p><p>{PROSE[1]} See the <a href=\"https://wire.example/plan\">harbour plan</a> of goals.</p>"
            f"<span class=\"cross-head\">'Do not wait for the tide'</span><p>{PROSE[2]}</p><p>{PROSE[3]}</p>")
    article = imported(page(body))
    assert "\n\n'Do not wait for the tide'\n\n" in article.body
    assert article.body.index("harbour plan") < article.body.index("Do not wait") < article.body.index(PROSE[2])


def test_a_jump_link_between_blocks_is_left_out():
    """BBC: `<a class="hidden" href="#story_continues_2">Continue reading the main story</a>` before a box:
    a way around the page, not its text; a link to a note inside a sentence and a heading's own link stay."""
    body = (f"<p>{PROSE[0]}</p><div class=\"feature\"><a class=\"hidden\" href=\"#story_continues_1\">Continue reading the "
            f"main story</a><h2><a href=\"#tips\">Tips for dockers</a></h2><p>{PROSE[1]}</p></div>"
            f"<p id=\"story_continues_1\">{PROSE[2]} As the <a href=\"#note-1\">survey</a> found, {PROSE[3].lower()}</p>"
            f"<p>{PROSE[4]}</p><p><a href=\"#top\">Back to top</a></p>")
    article = imported(page(body))
    assert "Continue reading" not in article.body and "Back to top" not in article.body
    assert "Tips for dockers" in article.body
    assert "As the survey found" in article.body


def test_a_video_caption_is_the_lead_of_a_video_story():
    """MSNBC: the description under an embedded video (`<p class="embedded-caption">` inside its `<object>`)
    is the story's lead, which reference texts keep; a photo's caption is still one."""
    tree = lxml_html.fromstring(
        '<html><body><div class="player"><object data="/v.swf"><div class="caption-box"><p class="embedded-caption">'
        'The harbour master explains the new quay in a short video.</p></div></object></div>'
        '<figure><img src="/a.jpg"><figcaption>Cranes being unloaded last week</figcaption></figure>'
        f'<p>{PROSE[0]}</p></body></html>')
    captions = body_captions.caption_texts(tree)
    assert body_captions.without_captions(
        ["The harbour master explains the new quay in a short video.", "Cranes being unloaded last week", PROSE[0], PROSE[1]],
        captions) == ["The harbour master explains the new quay in a short video.", PROSE[0], PROSE[1]]


def test_a_caption_the_story_repeats_as_a_paragraph_stays():
    """MSNBC: a video's description is also the story's second paragraph; dropping the caption's words from
    the body lost the paragraph."""
    tree = lxml_html.fromstring(
        '<html><body><div class="media"><img src="/a.jpg"><p class="caption">The harbour master explains the new '
        f'quay to the visitors.</p></div><p>{PROSE[0]}</p><p>The harbour master explains the new quay to the visitors.'
        '</p></body></html>')
    assert body_captions.caption_texts(tree) == frozenset()


def test_a_page_whose_title_is_never_closed_is_read_with_a_warning():
    """L3S-GN1: `<title>BBC SPORTi library-->` and no `</title>` anywhere: the parser (and a browser) took the
    whole page for the title, and the import refused it as "a title and no text"."""
    data = ('<html><head><title>New quay opens at the harbour garbled(); rest of a script\n'
            '<meta property="article:published_time" content="2024-05-02T10:00:00Z"></head><body>'
            '<h1>New quay opens at the harbour</h1>' + "".join(f"<p>{p}</p>" for p in PROSE) + "</body></html>").encode()
    article = imported(data)
    assert article.title == "New quay opens at the harbour"
    assert PROSE[0] in article.body and PROSE[5] in article.body
    assert page_repairs.UNCLOSED_TITLE in article.warnings
    assert article.date == "2024-05-02T10:00:00Z"


def test_a_page_wrapped_in_an_unknown_element_is_read():
    """CleanEval: each page starts `<text id="http://…" title="…" encoding="…">` and has no `<html>` or
    `<head>`; trafilatura's loader refused it as "not valid HTML" although a browser shows it."""
    data = ('<text id="http://wire.example/quay" title="New quay" encoding="utf8">\n\n<div id="container">'
            '<h1>New quay</h1>' + "".join(f"<p>{p}</p>" for p in PROSE) + "</div></text>").encode()
    article = imported(data)
    assert article.title == "New quay"
    assert PROSE[0] in article.body and PROSE[5] in article.body


def test_a_preformatted_page_without_a_title_is_titled_by_its_words():
    """CleanEval: a story saved as one `<pre>` block and no title: titled by its first words, not by the fence."""
    data = ("<text id=\"http://wire.example/story\">\n<pre>\nAugust meets the harbour master\n\n"
            + "\n".join(PROSE) + "\n</pre>").encode()
    article = imported(data)
    assert article.title.startswith("August meets the harbour master")
    assert "`" not in article.title


def test_a_file_without_any_html_element_is_refused_saying_so(make_site, tmp_path):
    """A text file saved with an .html name holds no element: refused with the reason and what to do."""
    note = ("Just some words of a note, no markup at all.\n" * 5).encode()
    result = parse_page(note, "note.html", SETTINGS)
    assert isinstance(result, Problem)
    assert result.message == page_repairs.NO_ELEMENT
    archive = make_site({}, config="title: T\nbase_url: https://news.example.org/\nlanguage: en\n")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "note.html").write_bytes(note)
    result = run_cli("import", pages, "--config", archive, "--jobs", "1", "--date", "2024-05-02")
    assert result.code == 1
    assert "note.html: error: not an HTML page: it holds no HTML element (a text file is imported under a .txt name)" in result.err
    assert not (archive.parent / "articles" / "2024").exists()


def test_a_control_character_in_the_text_is_no_traceback():
    """CleanEval: a DOS end-of-file mark (`&#26;`) after the text: libxml2 kept it, and lxml refused to set a
    text holding it when the import made the tree read as a browser shows it (ValueError, a traceback)."""
    body = "".join(f"<p>{p}</p>" for p in PROSE) + "<div>\n\x1a Harbour Wire &#26; archive &#x0B;</div>\r\n&#26;<br>"
    article = imported(page(body))
    assert PROSE[0] in article.body and "\x1a" not in article.body and "\x0b" not in article.body


def test_a_control_character_reference_without_its_semicolon_in_a_link_is_no_error():
    """A 2025 blog's comment links: `href="https://twitter.com/intent/tweet?text=nothing but 18&#8... &url=…"`, a
    comment cut after "&#8" (a backspace, read so without its ";" as a browser reads it): lxml refused to set the
    address holding it, and the whole page was an error ("could not be extracted (ValueError: …)")."""
    body = ("".join(f"<p>{p}</p>" for p in PROSE)
            + '<p><a href="https://social.example/share?text=Nothing but 18&#8... &amp;url=x">Reply</a> '
              '<a href="https://social.example/share?text=A &#x8 and a &#27 more&amp;url=y">Reply</a></p>')
    article = imported(page(body))
    assert PROSE[0] in article.body and "\x08" not in article.body and "\x1b" not in article.body


def test_the_caption_after_a_paragraph_that_only_shows_a_picture_stays_out():
    """Express: `<p class="withoutCaption"><picture>…</picture></p><span class="newsCaption">Yersinia causes the
    plague</span>`: the words after a paragraph holding only a picture are its caption, not a crosshead, and are
    not given a paragraph of their own (trafilatura leaves them out)."""
    body = (f"<p>{PROSE[0]}</p><p>{PROSE[1]}</p><div class=\"photo\"><p class=\"withoutCaption\"><img src=\"/q.jpg\" "
            f"alt=\"quay\"></p><span class=\"newsCaption\">The quay under construction last winter</span></div>"
            f"<p>{PROSE[2]}</p><p>{PROSE[3]}</p>")
    article = imported(page(body))
    assert PROSE[2] in article.body and "under construction" not in article.body


def test_an_inline_element_holding_paragraphs_after_a_paragraph_is_not_wrapped():
    """ABC: `<p>lead</p><span class="paywall"><p>…</p><p>…</p></span>`: the span holds the rest of the article;
    given a `<p>` of its own it nested paragraphs in a paragraph, and trafilatura ran them together."""
    body = (f"<p>{PROSE[0]}</p><span class=\"paywall\"><p>{PROSE[1]} See <a href=\"https://wire.example/d\">the dues"
            f"</a>.</p><p>{PROSE[2]} <strong>{PROSE[3]}</strong></p><h3>Council vote</h3><p>{PROSE[4]}</p>"
            f"<p>{PROSE[5]}</p></span>")
    article = imported(page(body))
    for paragraph in PROSE[2:3] + PROSE[4:]:
        assert f"\n\n{paragraph}" in article.body
