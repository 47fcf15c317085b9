"""Red team 27d's cases (session 9): hostile saved pages and crawls (each failed before its fix)."""
from __future__ import annotations

from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportedArticle, ImportSettings
from newsarchive.importers.terms import tidy

from conftest import run_cli

SETTINGS = ImportSettings(default_lang="en")
CONFIG = "title: Red team\nbase_url: https://news.example.org/\nlanguage: en\n"
FILLER = ("The harbour authority said on Monday that the strike would continue until the wage talks resumed "
          "with the union, and the trucks queued along the coast road.")


def _page(head: str = "", title: str = "Harbour strike enters third day", date: str | None = "2021-05-15T10:00:00+02:00") -> bytes:
    dated = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'{dated}{head}</head><body><article><h1>{title}</h1><p>{FILLER}</p><p>{FILLER} Again.</p>'
            "</article></body></html>").encode()


def test_a_json_ld_block_nested_too_deep_is_ignored_not_the_whole_page():
    """A JSON-LD script of 5,000 nested arrays: json.loads raised RecursionError, and the page, whose
    text and meta date a browser shows, was refused ("the page could not be extracted (RecursionError…")."""
    for nested in ("[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000):
        result = parse_page(_page(f'<script type="application/ld+json">{nested}</script>'), "p.html", SETTINGS)
        assert isinstance(result, ImportedArticle), result
        assert result.title == "Harbour strike enters third day"
        assert (result.date, result.date_source) == ("2021-05-15T10:00:00+02:00", "meta")
        assert FILLER in result.body


def _warc(path, records) -> None:
    """A .warc.gz of (url, WARC-Date, HTML bytes) responses, written by warcio."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, when, html in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=__import__("io").BytesIO(html), http_headers=http,
                                               warc_headers_dict={"WARC-Date": when})
            writer.write_record(record)


def test_a_date_after_today_is_refused_when_the_capture_claims_a_later_year(make_site, tmp_path):
    """A WARC-Date of 2099 (a crawler's clock gone wrong) and a page dated 2098: the import wrote
    articles/2098/06/…, a date that has not come yet, because the capture was its only bound."""
    site = make_site({}, config=CONFIG)
    _warc(tmp_path / "crawl.warc.gz", [("https://wire.example/future", "2099-01-01T00:00:00Z", _page(date="2098-06-01T10:00:00Z")),
                                       ("https://wire.example/today", "2099-01-01T00:00:00Z", _page(title="Port reopens", date="2021-05-16T10:00:00Z"))])
    result = run_cli("import", tmp_path / "crawl.warc.gz", "--config", site, "--jobs", "1")
    assert result.code == 0, result.err
    assert sorted(p.relative_to(site.parent / "articles").as_posix() for p in (site.parent / "articles").rglob("*.md")) == [
        "2021/05/port-reopens.md"]
    saved = tmp_path / "saved.html"
    saved.write_bytes(_page(date="2098-06-01T10:00:00Z"))
    __import__("os").utime(saved, (4070908800, 4070908800))  # the file's time: 2099-01-01
    result = run_cli("import", saved, "--config", site, "--jobs", "1")
    assert result.code == 1
    assert f"{saved}: error: no publication date in the page ('2098-06-01T10:00:00Z' (meta) is after today (" in result.err


def test_a_page_the_crawler_cut_short_is_a_warning_naming_the_warc_and_byte(make_site, tmp_path):
    """`WARC-Truncated: length` (the crawler stopped reading the page at its size limit): the page
    imported as if whole, its text ending mid-word, without a word."""
    site = make_site({}, config=CONFIG)
    whole, cut = _page(title="Port reopens"), _page()[:-120]
    with open(tmp_path / "crawl.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html, extra in (("https://wire.example/whole", whole, {}), ("https://wire.example/cut", cut, {"WARC-Truncated": "length"})):
            second = out.tell()  # where the cut record starts
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=__import__("io").BytesIO(html), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2022-01-01T00:00:00Z", **extra}))
    result = run_cli("import", tmp_path / "crawl.warc.gz", "--config", site, "--jobs", "1")
    assert result.code == 0, result.err
    assert (f"{tmp_path / 'crawl.warc.gz'}: https://wire.example/cut: warning: WARC record at byte {second} was cut short "
            "by the crawler (WARC-Truncated: length): its text may end early") in result.err
    assert result.err.count("warning:") == 1


def test_lists_and_quotations_nested_300_deep_import_into_an_archive_that_builds(make_site, tmp_path):
    """A list 300 levels deep: the import wrote 300 levels of indentation, and the next build failed
    ("quotes and lists nest 65 levels deep, past max_nesting (64)"). Deeper levels now sit at the 16th."""
    site = make_site({}, config=CONFIG)
    lists = "<ul><li>level" * 300 + "</li></ul>" * 300
    quotes = "".join(f"<blockquote><p>witness {n} said" for n in range(300)) + "</p></blockquote>" * 300
    (tmp_path / "p.html").write_bytes(_page().replace(b"</article>", f"{lists}{quotes}<p>{FILLER} Last.</p></article>".encode()))
    result = run_cli("import", tmp_path / "p.html", "--config", site, "--jobs", "1")
    assert result.code == 0, result.err
    body = (site.parent / "articles/2021/05/harbour-strike-enters-third-day.md").read_text(encoding="utf-8")
    assert body.count("- level") == 300 and all(f"witness {n} said\n" in body for n in range(300))
    assert "\n" + "    " * 16 + "- level\n" in body and "    " * 17 + "- level" not in body
    assert "\n" + "> " * 16 + "witness 299 said\n" in body and "> " * 17 not in body
    assert f"{FILLER} Last." in body
    assert run_cli("build", "--config", site).code == 0


def test_a_data_tables_caption_and_a_list_in_a_cell_are_kept_as_a_reader_sees_them():
    """A table with a `<caption>` and a list in a cell: the caption became a first row over the real
    header, with two `|---|` rules (the second renders as a row of dashes), and the list's items were lost."""
    table = ("<table><caption>Results in the port ward</caption><thead><tr><th>Party</th><th>Votes</th></tr></thead>"
             "<tbody><tr><td>Left bloc</td><td>1,234</td></tr><tr><td>Right</td><td><ul><li>North quay</li>"
             "<li>South quay</li></ul></td></tr></tbody></table>")
    result = parse_page(_page().replace(b"</article>", f"{table}<p>{FILLER} Last.</p></article>".encode()), "p.html", SETTINGS)
    assert isinstance(result, ImportedArticle), result
    assert ("Results in the port ward\n\n| Party | Votes |\n|---|---|\n| Left bloc | 1,234 |\n"
            "| Right | North quay; South quay |\n") in result.body


def test_a_page_with_5000_keywords_keeps_50_tags_with_a_warning():
    """`<meta name="keywords">` of 5,000 terms: the article got 5,000 tags, and its build wrote 10,015 pages
    (50 s) for one article. Tags and authors past the 50th are dropped, with a warning."""
    keywords = ", ".join(f"topic number {n}" for n in range(5000))
    authors = ", ".join(f'{{"@type": "Person", "name": "Anna {_letters(n)}"}}' for n in range(60))
    ld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "author": [{authors}]}}</script>'
    result = tidy(parse_page(_page(f'<meta name="keywords" content="{keywords}">{ld}'), "p.html", SETTINGS))
    assert result.tags == tuple(f"topic number {n}" for n in range(50))
    assert "tags dropped: 4950 past the first 50 ('topic number 50', …)" in result.warnings
    assert result.authors == tuple(f"Anna {_letters(n)}" for n in range(50))
    assert f"authors dropped: 10 past the first 50 ('Anna {_letters(50)}', …)" in result.warnings


def _letters(n: int) -> str:
    """A name with no digits (a byline's digits are a date, left out): 0 → "Aason", 27 → "Bbson"."""
    return chr(65 + n // 26) + chr(97 + n % 26) + "son"


def test_zero_width_joiners_of_persian_words_and_emoji_are_kept():
    """trafilatura drops U+200C and U+200D as unprintable: "می‌خواهم" (Persian, with its non-joiner)
    imported as "میخواهم", misspelt, and the family emoji 👩‍👩‍👧 as three people."""
    text = "<p>Persian: می\u200cخواهم و نمی\u200cتوانم, نمیخواهم. Family 👩\u200d👩\u200d👧, flag 🏳️\u200d🌈; Hindi क्\u200dष.</p>"
    result = parse_page(_page().replace(b"</article>", text.encode() + b"</article>"), "p.html", SETTINGS)
    assert isinstance(result, ImportedArticle), result
    assert "Persian: می\u200cخواهم و نمی\u200cتوانم, نمیخواهم. Family 👩\u200d👩\u200d👧, flag 🏳️\u200d🌈; Hindi क्\u200dष.\n" in result.body


def test_zero_width_joiners_of_a_title_read_from_the_page_are_kept():
    """A page with no og:title: its title, read by trafilatura from <title>/<h1>, lost its joiners."""
    title = "می\u200cخواهم بروم 👩\u200d👩\u200d👧"
    page = _page(title=title).replace(b'<meta property="og:title"', b'<meta property="og:description"')
    result = parse_page(page.replace(b"<head>", f"<head><title>{title}</title>".encode()), "p.html", SETTINGS)
    assert isinstance(result, ImportedArticle), result
    assert result.title == title
