"""Red team 27c's cases on saved pages: titles, terms, text and links (each failed before its fix)."""
from __future__ import annotations

import pytest

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportedArticle, ImportSettings
from newsarchive.importers.terms import tidy

from conftest import run_cli

SETTINGS = ImportSettings(default_lang="en")
FILLER = ("The harbour authority said on Monday that the strike would continue until the wage talks resumed "
          "with the union, and the trucks queued along the coast road.")


def _page(body: str = "", head: str = "", title: str = "Harbour strike enters third day", h1: str | None = None) -> bytes:
    h1 = title if h1 is None else h1
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00+02:00">{head}</head><body><article>'
            f"<h1>{h1}</h1><p>{FILLER}</p>{body}<p>{FILLER} Again.</p></article></body></html>").encode()


def _imported_scrape(make_site, tmp_path, text: str):
    """A site, and the article its import of `text` (dated 2021-05-15, titled "Port strike enters its third day") wrote."""
    site = make_site({}, config="title: T\nbase_url: https://example.org/\nlanguage: en\n")
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    result = run_cli("import", tmp_path / "s.txt", "--config", site, "--date", "2021-05-15", "--jobs", "1")
    assert result.code == 0, result.err
    return site, (site.parent / "articles/2021/05/port-strike-enters-its-third-day.md").read_text(encoding="utf-8")


def _parsed(data: bytes) -> ImportedArticle:
    result = parse_page(data, "p.html", SETTINGS)
    assert isinstance(result, ImportedArticle), result
    return tidy(result)


# --- titles ----------------------------------------------------------------------------

def test_a_title_of_invisible_characters_is_no_title_and_the_site_builds(make_site, tmp_path):
    """og:title and <h1> of zero-width spaces: the import wrote `title: "​​​"`, which the build
    refuses ("'title' is empty"): the next build failed."""
    site = make_site({}, config="title: T\nbase_url: https://example.org/\nlanguage: en\n")
    (tmp_path / "p.html").write_bytes(_page(title="\u200b\u200b\u200b"))
    result = run_cli("import", tmp_path / "p.html", "--config", site, "--jobs", "1")
    assert result.code == 0, result.err
    written = list((site.parent / "articles").rglob("*.md"))
    assert [p.name for p in written] == ["the-harbour-authority-said-on-monday-that-the-strike-would-continue-until.md"]
    assert "no title in the page" in result.err
    assert run_cli("build", "--config", site).code == 0


def test_an_old_table_layout_page_is_titled_by_its_headline_not_the_site_name():
    """"Velmar Daily - Port reopens after strike" with no og:title nor <h1>: trafilatura keeps
    "Velmar Daily", the site's name; the page shows the other half in bold above the text."""
    page = ('<html><head><title>Velmar Daily - Port reopens after strike</title></head><body><table><tr>'
            '<td><a href="/">Home</a><br><a href="/news">News</a></td><td><font size="4"><b>Port reopens after strike</b></font>'
            f'<br>May 15, 2001<br><br>{FILLER}<br><br>{FILLER} Again.</td></tr></table></body></html>').encode()
    assert _parsed(page).title == "Port reopens after strike"


# --- terms -----------------------------------------------------------------------------

def test_keyword_lists_joined_with_cjk_or_arabic_commas_are_split():
    chinese = _parsed(_page(head='<meta name="keywords" content="港口、罢工，工会">'))
    arabic = _parsed(_page(head='<meta name="keywords" content="غزة، حماس؛ إيران">'))
    assert chinese.tags == ("港口", "罢工", "工会")
    assert arabic.tags == ("غزة", "حماس", "إيران")


def test_a_site_name_over_80_characters_is_dropped_with_a_warning():
    """og:site_name of 315 characters became `source:`, and its page /sources/…/ a name cut to a hash."""
    long_name = "Velmar Coast Daily Harbour Gazette " * 9
    article = _parsed(_page(head=f'<meta property="og:site_name" content="{long_name}">'))
    assert article.source is None
    assert any(w.startswith("source dropped: 314 characters") for w in article.warnings), article.warnings


# --- text ------------------------------------------------------------------------------

def test_an_inline_quotation_keeps_its_marks_and_its_paragraph():
    """<q> is shown by browsers with quotation marks; the import cut the paragraph in two and lost them."""
    body = _parsed(_page("<p>He said <q>we will not give up</q> and left.</p>")).body
    assert "He said “we will not give up” and left." in body


def test_text_before_a_nested_block_is_not_glued_to_it():
    """<div>…weeks to clear.<div>The mayor…</div></div> came out as "clear.The mayor"."""
    body = _parsed(_page('<div class="story">Shipping companies warned that the backlog would take weeks to clear.'
                         "<div>The mayor thanked both sides and promised a new road by spring.</div></div>")).body
    assert "clear.The" not in body
    assert "weeks to clear." in body and "The mayor thanked both sides" in body


def test_a_javascript_link_hidden_by_a_tab_or_newline_is_not_kept():
    """Browsers drop tabs and newlines from a URL, so "java&#9;script:" is javascript:; the import
    kept it as a link (the build then warned about a broken link)."""
    body = _parsed(_page('<p>See <a href="java&#x09;script:alert(2)">that</a> and <a href="jav&#x0A;ascript:alert(3)">this</a>, the union '
                         'said in a statement on Monday evening after the vote.</p>')).body
    assert "See that and this, the union said" in body
    assert "script:" not in body


# --- decoding --------------------------------------------------------------------------

RUSSIAN = "Докеры собрались у ворот порта ещё до рассвета, и грузовики выстроились вдоль прибрежной дороги. " * 3


def _russian(declared: str, written: str) -> bytes:
    return (f'<html><head><meta charset="{declared}"><title>Забастовка в порту</title></head>'
            f"<body><p>{RUSSIAN}</p></body></html>").encode(written)


def test_a_cyrillic_page_declared_in_the_other_cyrillic_encoding_reads_as_russian():
    """KOI8-R bytes declared windows-1251 (and the reverse), the classic mislabel of the Russian web,
    came out "ъБВБУФПЧЛБ Ч РПТФХ" (a reading with every letter's case swapped)."""
    from newsarchive.importers.decode import decode_page

    assert RUSSIAN in decode_page(_russian("windows-1251", "koi8-r")).text
    assert RUSSIAN in decode_page(_russian("koi8-r", "cp1251")).text
    assert RUSSIAN in decode_page(_russian("windows-1251", "cp1251")).text


def test_a_utf8_page_with_a_latin1_snippet_keeps_its_accents():
    """A UTF-8 template around a Latin-1 word ("la c\\xf4te") showed "la c�te"."""
    from newsarchive.importers.decode import decode_page

    data = ('<html><head><meta charset="utf-8"><title>Crème brûlée</title></head><body><p>'
            + "Les pâtissiers ont dénoncé la hausse du prix du sucre. " * 4 + "</p><p>Sur la côte.</p></body></html>").encode()
    data = data.replace("côte".encode(), "côte".encode("cp1252"))
    text = decode_page(data).text
    assert "Sur la côte." in text and "\ufffd" not in text


def test_an_old_page_laid_out_in_a_table_gives_its_paragraphs_not_a_table_row():
    """A 2001 page, menu in one cell and article in the next: the body was one Markdown table row,
    `| Home News Sport | **Port reopens…** May 15, 2001 The port… |`; then its bold headline led the body."""
    sentences = ("The port of Velmar reopened on Tuesday after a nine-day strike that had stranded forty ships in the bay.",
                 "Union leaders said the agreement raised wages by six percent and limited night shifts to four a week.",
                 "Shipping companies welcomed the deal but warned that the backlog would take weeks to clear.",
                 "The mayor thanked both sides and promised a new road to the container terminal by next spring.")
    page = ('<html><head><title>Velmar Daily - Port reopens after strike</title><meta http-equiv="Content-Type" '
            'content="text/html; charset=iso-8859-1"></head>\n<body bgcolor="#ffffff"><table width="100%"><tr><td width="150" '
            'valign="top"><a href="/">Home</a><br><a href="/news">News</a><br><a href="/sport">Sport</a></td>\n<td valign="top">'
            '<font face="Arial" size="4"><b>Port reopens after strike</b></font><br><font size="2">May 15, 2001</font><br><br>\n'
            '<font face="Arial" size="2">' + "<br><br>".join(sentences) + "</font></td></tr></table></body></html>").encode()
    body = _parsed(page).body
    assert body == "May 15, 2001\n\n" + "\n\n".join(sentences) + "\n"


def test_a_table_of_figures_stays_a_table():
    body = _parsed(_page("<table><tr><th>Port</th><th>Ships waiting</th></tr><tr><td>Velmar</td><td>40</td></tr>"
                         "<tr><td>Ostra</td><td>12</td></tr></table>")).body
    assert "| Port | Ships waiting |\n|---|---|\n| Velmar | 40 |\n| Ostra | 12 |" in body


def test_markup_in_terms_is_left_out():
    """A section "<svg onload=alert(5)>" and a site "Wire <b onmouseover=…>" became a section page and a
    source page named by markup (escaped, so harmless, but no reader's term)."""
    article = _parsed(_page(head='<meta property="article:section" content="&lt;b&gt;Politics&lt;/b&gt;">'
                                 '<meta property="og:site_name" content="Wire &lt;b onmouseover=alert(4)&gt;">'
                                 '<meta property="article:tag" content="&lt;img src=x onerror=alert(1)&gt;">'
                                 '<meta property="article:tag" content="Port&lt;script&gt;alert(2)&lt;/script&gt;">'))
    assert (article.section, article.source, article.tags) == ("Politics", "Wire", ("Port",))


def test_scraped_text_with_a_blank_looking_title_or_control_characters_builds_clean(make_site, tmp_path):
    """A title line of zero-width spaces became `title: "​​"` (the build refused it as empty); a NUL in
    the text was written as is, and every build then warned about U+0000."""
    site, text = _imported_scrape(make_site, tmp_path, "TV\n\n\u200b\u200b\n\nPort strike enters its third day\n\n"
                                                       "The strike went on\x00 on Monday.\x1a\n")
    assert 'title: "Port strike enters its third day"' in text and "The strike went on  on Monday." in text
    assert "\x00" not in text and "\x1a" not in text
    built = run_cli("build", "--config", site)
    assert built.code == 0 and "warning" not in built.err, built.err


def test_a_read_more_line_naming_the_article_itself_is_no_related_entry(make_site, tmp_path):
    """"Read more: Port strike enters its third day" in that very article gave it `related: [{title: <itself>}]`."""
    _, text = _imported_scrape(make_site, tmp_path, "TV\n\nPort strike enters its third day\n\nThe strike went on on Monday.\n\n"
                                                    "Read more: Port strike enters its third day\n\nRead more: Ferries cancelled\n")
    assert 'related:\n  - {title: "Ferries cancelled"}\n' in text


def test_an_ambiguous_date_is_not_taken_from_htmldate_reading_it_one_way():
    """`article:published_time` "05/06/2021" was refused as ambiguous, then htmldate's reading of the same
    string, 2021-06-05, was taken as the date (date_source: htmldate). A date written out in the text settles it."""
    head = '<meta property="article:published_time" content="05/06/2021">'
    page = _page(head=head).replace(b'<meta property="article:published_time" content="2021-05-15T10:00:00+02:00">', b"")
    refused = parse_page(page, "p.html", SETTINGS)
    assert not isinstance(refused, ImportedArticle)
    assert "'2021-06-05T00:00:00' (htmldate) is one reading of a date refused as ambiguous" in refused.message
    written = _parsed(page.replace(b"<h1>", b"<p>Published on 6 May 2021.</p><h1>"))
    assert (written.date, written.date_source) == ("2021-05-06", "text")


def test_a_page_without_a_headline_of_its_own_loses_the_site_name_in_any_form():
    """No og:title, JSON-LD headline nor <h1>: trafilatura's pick kept "Velmar Daily: …", "… (Velmar Daily)",
    "[Velmar Daily] …", "… | World" (of "… | World | Velmar Daily"), "Velmar Daily › News" and "VELMAR DAILY"."""
    headline = "Port reopens after nine-day strike"
    forms = (f"Velmar Daily: {headline}", f"{headline} (Velmar Daily)", f"[Velmar Daily] {headline}",
             f"{headline} | World | Velmar Daily", f"Velmar Daily › News › {headline}", f"VELMAR DAILY - {headline}")
    for form in forms:
        page = (f'<html lang="en"><head><title>{form}</title><meta property="og:site_name" content="Velmar Daily">'
                f'<meta property="article:published_time" content="2021-05-15"></head><body><article><p>{FILLER}</p>'
                f"<p>{FILLER} Again.</p></article></body></html>").encode()
        assert (form, _parsed(page).title) == (form, headline)


def test_the_words_of_a_time_element_and_a_heading_with_a_line_break_are_kept_whole():
    """trafilatura deletes <time> with its words: "The ILO met on <time>Friday</time> in Geneva" came out
    "met on in Geneva"; "<h2>What the deal<br>says</h2>" came out a heading "What the deal" and a paragraph "says"."""
    body = _parsed(_page('<h2>What the deal<br>says</h2><p>The <abbr title="International Labour Organization">ILO</abbr> '
                         'met on <time datetime="2021-05-14">Friday</time> in Geneva to discuss the agreement.</p>')).body
    assert "\n\n## What the deal says\n\nThe ILO met on Friday in Geneva to discuss the agreement.\n\n" in body


@pytest.mark.parametrize("html, markdown", [
    # <blockquote>s came out as plain paragraphs: the quoted words read as the article's own
    ("<blockquote><p>Outer quote text stays here.</p><blockquote><p>Inner quote text stays too.</p></blockquote>"
     "<p>Outer after inner.</p></blockquote>",
     "\n\n> Outer quote text stays here.\n\n> > Inner quote text stays too.\n\n> Outer after inner.\n\n"),
    # a list inside a list item came out as one flat list: the sub-points read as points
    ("<ul><li>First demand: wages<ul><li>six percent this year</li><li>four next year</li></ul></li><li>Second demand: shifts</li></ul>",
     "\n\n- First demand: wages\n    - six percent this year\n    - four next year\n- Second demand: shifts\n\n"),
])
def test_quotations_and_lists_in_lists_keep_their_nesting(html, markdown):
    body = _parsed(_page(html)).body
    assert markdown in body and "\u27e6" not in body
