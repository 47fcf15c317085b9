"""Red team 27c's cases on crawls and folders of saved pages (each failed before its fix)."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import run_cli
from import_inputs import write_warc

CONFIG = "title: Red team\nbase_url: https://news.example.org/\nlanguage: en\n"
FILLER = ("The harbour authority said on Monday that the strike would continue until the wage talks resumed "
          "with the union, and the trucks queued along the coast road.")


@pytest.fixture
def archive(make_site):
    return make_site({}, config=CONFIG)


def page(title: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            '<meta property="article:published_time" content="2021-05-15T10:00:00+02:00"></head><body><article>'
            f"<h1>{title}</h1><p>{FILLER}</p><p>{FILLER} Again.</p></article></body></html>").encode()


def articles(config: Path) -> dict[str, str]:
    """Every file under articles/, Markdown files with their provenance's `file:` line left out."""
    root = config.parent / "articles"
    return {p.relative_to(root).as_posix(): (p.read_text(encoding="utf-8") if p.suffix == ".md" else "")
            .replace('  file: "crawl.warc.gz"\n', "").replace('  file: "crawl.warc"\n', "")
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_crawl_gzipped_whole_imports_as_the_same_crawl_uncompressed(make_site, tmp_path):
    """`gzip crawl.warc`: one gzip member for every record, which warcio refuses; the import stopped
    after the first record with "damaged WARC after byte 857: [Errno 22] Invalid argument"."""
    plain, whole = tmp_path / "plain" / "crawl.warc", tmp_path / "whole" / "crawl.warc.gz"
    plain.parent.mkdir()
    whole.parent.mkdir()
    write_warc(plain, gzip=False)
    whole.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
    expected, got = make_site({}, config=CONFIG), make_site({}, config=CONFIG)
    assert run_cli("import", plain, "--config", expected, "--jobs", "1").code == 0
    result = run_cli("import", whole, "--config", got, "--jobs", "1")
    assert result.code == 0, result.err
    assert "warning" not in result.err
    assert articles(got) == articles(expected)
    assert "storm-closes-the-harbour-for-two-days.png" in "".join(articles(got))  # the lead image, read again by its offset


def test_a_crawl_gzipped_whole_and_cut_short_keeps_its_first_records(archive, tmp_path):
    plain, whole = tmp_path / "crawl.warc", tmp_path / "cut" / "crawl.warc.gz"
    whole.parent.mkdir()
    write_warc(plain, gzip=False)
    data = plain.read_bytes()
    whole.write_bytes(gzip.compress(data, mtime=0)[:-200])
    result = run_cli("import", whole, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert f"{whole}: warning: damaged WARC record at byte " in result.err and " of its decompressed bytes (cut short" in result.err
    assert "2024/03/storm-closes-the-harbour-for-two-days.md" in articles(archive)


def test_an_empty_warc_is_an_error_naming_it(archive, tmp_path):
    """A zero-byte crawl.warc.gz (a crawler that never wrote) gave "imported 0, skipped 0; 0 warnings"."""
    empty = tmp_path / "crawl.warc.gz"
    empty.write_bytes(b"")
    result = run_cli("import", empty, "--config", archive, "--jobs", "1")
    assert result.code == 1
    assert f"{empty}: error: holds no WARC record: the file is empty" in result.err


def test_the_parts_folder_of_a_page_saved_complete_is_not_imported(archive, tmp_path):
    """A browser's "Web page, complete" writes `Page.html` and `Page_files/` with the page's frames as
    `saved_resource.html`: the import failed on the advertisement frame ("no publication date") and
    would have imported the "Most read" frame as an article."""
    saved = tmp_path / "saved"
    (saved / "Harbour strike_files").mkdir(parents=True)
    (saved / "Harbour strike.html").write_bytes(page("Harbour strike enters third day"))
    (saved / "Harbour strike_files" / "saved_resource.html").write_bytes(
        b"<html><body><div class=ad><p>Buy the new harbour cruise package now and save forty percent.</p></div></body></html>")
    (saved / "Harbour strike_files" / "widget.html").write_bytes(page("Most read"))
    (saved / "notes_files").mkdir()  # no notes.html beside it: a folder of the user's, read
    (saved / "notes_files" / "kept.html").write_bytes(page("A page of the user's own"))
    result = run_cli("import", saved, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert list(articles(archive)) == ["2021/05/a-page-of-the-user-s-own.md", "2021/05/harbour-strike-enters-third-day.md"]


def test_pages_saved_as_xhtml_or_shtml_are_imported(archive, tmp_path):
    """A mirror of an old site keeps its .shtml and .xhtml names: they were passed over without a word."""
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / "story.shtml").write_bytes(page("Story kept as shtml"))
    (tmp_path / "mirror" / "story.xhtml").write_bytes(page("Story kept as xhtml"))
    result = run_cli("import", tmp_path / "mirror", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert list(articles(archive)) == ["2021/05/story-kept-as-shtml.md", "2021/05/story-kept-as-xhtml.md"]


def test_a_crawled_page_sent_without_a_content_type_is_read_as_a_browser_sniffs_it(archive, tmp_path):
    """A server that sends no Content-Type (old ones did): a browser sniffs "<!doctype html" and shows
    the page; the import skipped it as "not a page"."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    crawl = tmp_path / "crawl.warc.gz"
    with open(crawl, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for url, body in (("https://old.example/story", page("Story sent bare")), ("https://old.example/data", b'{"a": 1}')):
            http = StatusAndHeaders("200 OK", [("Server", "Apache/1.3")], protocol="HTTP/1.0")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2021-05-16T08:00:00Z"}))
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert list(articles(archive)) == ["2021/05/story-sent-bare.md"]
    assert "skipped 1 (1 not a page)" in result.out


def test_a_page_captured_with_and_without_www_in_two_crawls_is_one_article(archive, tmp_path):
    """http://wire.example/… in 2021, https://www.wire.example/… in 2022 (the site moved): two articles, `-2`."""
    import io

    from import_inputs import put_response
    from warcio.warcwriter import WARCWriter

    for name, url, date, words in (("a", "http://wire.example/news/strike", "2021-05-16T08:00:00Z", "trucks"),
                                   ("b", "https://www.wire.example/news/strike", "2022-05-16T08:00:00Z", "lorries")):
        with open(tmp_path / f"{name}.warc.gz", "wb") as output:
            put_response(WARCWriter(output, gzip=True), url, page("Harbour strike").replace(b"trucks", words.encode()),
                         "text/html; charset=utf-8", date)
    result = run_cli("import", tmp_path / "a.warc.gz", tmp_path / "b.warc.gz", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    written = articles(archive)
    assert list(written) == ["2021/05/harbour-strike.md"]
    assert 'url: "https://www.wire.example/news/strike"' in written["2021/05/harbour-strike.md"]
    assert "imported 1 (with 1 earlier version)" in result.out


def test_a_lead_image_of_too_many_pixels_is_refused_saying_so(archive, tmp_path):
    """A whole 20,000 × 20,000 PNG (76 KB) was refused as "not a JPEG, PNG… or not a whole one"."""
    import io

    from import_inputs import put_response
    from PIL import Image
    from warcio.warcwriter import WARCWriter

    picture = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(picture, "PNG")
    image = "https://wire.example/img/lead.png"
    with open(tmp_path / "c.warc.gz", "wb") as output:
        writer = WARCWriter(output, gzip=True)
        put_response(writer, "https://wire.example/n/1", page("Harbour strike").replace(
            b"</head>", f'<meta property="og:image" content="{image}"></head>'.encode()), "text/html", "2021-05-16T08:00:00Z")
        put_response(writer, image, picture.getvalue(), "image/png", "2021-05-16T08:00:00Z")
    result = run_cli("import", tmp_path / "c.warc.gz", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert "or over 50 million pixels" in result.err and image in result.err
    assert list(articles(archive)) == ["2021/05/harbour-strike.md"]


def test_a_record_whose_warc_date_is_no_date_is_imported_with_a_warning(archive, tmp_path):
    """WARC-Date "yesterday": the page was imported with no word, no capture time in its provenance and
    no upper bound for its date."""
    import io

    from import_inputs import put_response
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    put_response(WARCWriter(buffer, gzip=False), "https://wire.example/n/1", page("Harbour strike"), "text/html", "2021-05-16T08:00:00Z")
    crawl = tmp_path / "c.warc"
    crawl.write_bytes(buffer.getvalue().replace(b"WARC-Date: 2021-05-16T08:00:00Z", b"WARC-Date: yesterday!"))
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert (f"{crawl}: https://wire.example/n/1: warning: its WARC-Date 'yesterday!' is no date: the capture time is unknown"
            in result.err)
    assert list(articles(archive)) == ["2021/05/harbour-strike.md"]


def test_addresses_holding_characters_no_url_holds_are_written_percent_encoded(archive, tmp_path):
    """A canonical link `…/x?"><script>…` became `source_url` as written: escaped in the page (no script
    ran), but an href the HTML validator refuses ("Illegal character in query")."""
    import io

    from import_inputs import put_response
    from warcio.warcwriter import WARCWriter

    canonical = '<link rel="canonical" href="https://wire.example/news/x?&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;">'
    with open(tmp_path / "c.warc.gz", "wb") as output:
        put_response(WARCWriter(output, gzip=True), "https://wire.example/news/x?a=b c", page("Harbour strike").replace(
            b"</head>", canonical.encode() + b"</head>"), "text/html", "2021-05-16T08:00:00Z")
    result = run_cli("import", tmp_path / "c.warc.gz", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    text = articles(archive)["2021/05/harbour-strike.md"]
    assert 'source_url: "https://wire.example/news/x?%22%3E%3Cscript%3Ealert(6)%3C/script%3E"' in text
    assert 'url: "https://wire.example/news/x?a=b%20c"' in text


def test_a_page_saved_as_one_mhtml_file_is_imported_from_its_html_part(archive, tmp_path):
    """Chrome's "Webpage, Single File" (.mhtml): passed over without a word ("read 0 files")."""
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    saved = MIMEMultipart("related")
    html = MIMEText(page("Crème brûlée à Noël").decode(), "html", "utf-8")
    html["Content-Location"] = "https://wire.example/news/creme"
    saved.attach(html)
    saved.attach(MIMEImage(b"\x89PNG\r\n\x1a\n", "png"))
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "Crème.mhtml").write_bytes(saved.as_bytes())
    (tmp_path / "saved" / "empty.mht").write_bytes(b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnothing\r\n")
    result = run_cli("import", tmp_path / "saved", "--config", archive, "--jobs", "1", "--keep-going")
    assert result.code == 0, result.err
    text = articles(archive)["2021/05/creme-brulee-a-noel.md"]
    assert 'title: "Crème brûlée à Noël"' in text and 'source_url: "https://wire.example/news/creme"' in text
    assert f"{tmp_path / 'saved' / 'empty.mht'}: error: not a saved page: this MHTML file holds no HTML part" in result.err
