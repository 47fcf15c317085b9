"""Red team 27b's cases on crawls, files, memory, atomicity and security (branch redteam27b's cases/ holds the
standalone scripts): each test here failed before its fix."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from import_inputs import LONG

TEXT = "World\n\nA story told after a crash\n\n2021-05-15\n\nThe text of the story.\n"


@pytest.fixture
def archive(make_site):
    return make_site({}, config="title: Red team\nbase_url: https://news.example.org/\nlanguage: en\n")


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def page(title: str, when: str, extra: str = "") -> bytes:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{when}"></head><body><article><h1>{title}</h1>'
            f"<p>The council met on Monday to vote on the budget.</p><p>{LONG}</p>{extra}</article></body></html>").encode()


# --- 23: only the import's own leftovers are removed ------------------------------------

def test_a_users_folder_and_note_named_like_leftovers_are_kept(archive, tmp_path):
    articles = archive.parent / "articles"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    user_files = {".import-20211231/scrape-001.txt": "the only copy", "2021/05/.todo.import-20211231": "to do",
                  f".import-{dead}/scrape-002.txt": "a folder the import did not make", f"2021/05/.todo.import-{dead}": "note"}
    for name, text in user_files.items():
        (articles / name).parent.mkdir(parents=True, exist_ok=True)
        (articles / name).write_text(text)
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    result = run_cli("import", tmp_path / "story.txt", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert "removed" not in result.err
    assert files_under(articles) == sorted([*user_files, "2021/05/a-story-told-after-a-crash.md"])
    assert (articles / ".import-20211231/scrape-001.txt").read_text() == "the only copy"


# --- 24: credentials in a crawl's URL are never written -------------------------------

def warc(path: Path, records: list[tuple[str, str, bytes]], gzip: bool = True, headers=(("Content-Type", "text/html; charset=utf-8"),)) -> Path:
    """records: (URL, WARC-Date, body) responses."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for url, captured, body in records:
            http = StatusAndHeaders("200 OK", list(headers), protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": captured}))
    return path


def test_a_user_and_password_in_the_crawled_url_reach_no_file(archive, tmp_path):
    links = ('<p>Read also: <a href="https://editor:hunter2@news.example/b">The budget vote</a></p>'
             '<p>See <a href="/c">the minutes</a> of the meeting.</p>')
    body = page("Port strike", "2021-05-15T10:00:00Z", links).replace(
        b"</head>", b'<link rel="canonical" href="https://editor:hunter2@news.example/a"></head>')
    crawl = warc(tmp_path / "staging.warc.gz", [("https://editor:hunter2@news.example/a", "2021-05-16T10:00:00Z", body)])
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    articles = archive.parent / "articles"
    assert files_under(articles) == ["2021/05/port-strike.md"]
    text = (articles / "2021/05/port-strike.md").read_text(encoding="utf-8")
    assert 'source_url: "https://news.example/a"' in text
    assert "url: \"https://news.example/a\"" in text  # provenance
    assert "hunter2" not in text and "editor" not in text
    assert "hunter2" not in result.out + result.err


# --- 12: an import that fails writes nothing, updates included ---------------------------

CORRECTION = "<p>Correction: an earlier version of this story misstated how many dockers joined the walkout.</p>"


def _captured_then_recaptured(archive, tmp_path) -> Path:
    first = warc(tmp_path / "first.warc.gz", [("https://ex.com/a", "2021-05-10T10:00:00Z", page("Alpha story", "2021-04-20T10:00:00Z"))])
    assert run_cli("import", first, "--config", archive, "--jobs", "1").code == 0
    return warc(tmp_path / "second.warc.gz", [("https://ex.com/a", "2021-05-20T10:00:00Z", page("Alpha story", "2021-04-20T10:00:00Z", CORRECTION)),
                                              ("https://ex.com/b", "2021-05-20T10:00:00Z", page("Bravo story", "2021-05-15T10:00:00Z"))])


def test_an_update_that_cannot_be_written_means_no_new_article_is_written(archive, tmp_path):
    import os
    second = _captured_then_recaptured(archive, tmp_path)
    articles = archive.parent / "articles"
    before = (articles / "2021/04/alpha-story.md").read_bytes()
    (articles / f"2021/04/.alpha-story.md.import-{os.getpid()}").mkdir()  # where the update is written first: refused
    result = run_cli("import", second, "--config", archive, "--jobs", "1")
    assert result.code == 1
    assert "articles/2021/04/alpha-story.md: error: could not be updated" in result.err.replace(str(archive.parent) + "/", "")
    assert "nothing was written" in result.err
    assert not (articles / "2021/05").exists()
    assert (articles / "2021/04/alpha-story.md").read_bytes() == before
    (articles / f"2021/04/.alpha-story.md.import-{os.getpid()}").rmdir()
    assert files_under(articles) == ["2021/04/alpha-story.md"]
    again = run_cli("import", second, "--config", archive, "--jobs", "1")
    assert again.code == 0, again.err
    assert files_under(articles) == ["2021/04/alpha-story.md", "2021/05/bravo-story.md"]
    assert "Correction: an earlier version" in (articles / "2021/04/alpha-story.md").read_text(encoding="utf-8")


def test_an_update_refused_at_its_rename_takes_back_the_new_articles(archive, tmp_path, monkeypatch):
    import os
    from newsarchive.importers import update
    second = _captured_then_recaptured(archive, tmp_path)
    articles = archive.parent / "articles"
    before = (articles / "2021/04/alpha-story.md").read_bytes()
    real_replace = os.replace

    def refuse(source, target):
        if str(target).endswith("alpha-story.md") and ".import-" in str(source):
            raise PermissionError(1, "Operation not permitted")
        return real_replace(source, target)
    monkeypatch.setattr(update.os, "replace", refuse)
    result = run_cli("import", second, "--config", archive, "--jobs", "1")
    assert result.code == 1 and "nothing was written" in result.err
    assert files_under(articles) == ["2021/04/alpha-story.md"]
    assert (articles / "2021/04/alpha-story.md").read_bytes() == before


# --- 20: a Content-Length too long loses no record after it -------------------------------

def test_a_content_length_reaching_into_the_next_record_loses_neither(archive, tmp_path):
    import re
    names = ("alpha", "bravo", "charlie")
    plain = warc(tmp_path / "whole.warc", [(f"https://ex.com/{n}", "2021-05-16T10:00:00Z", page(f"{n} story", "2021-05-15T10:00:00Z"))
                                           for n in names], gzip=False).read_bytes()
    starts = [m.start() for m in re.finditer(rb"WARC/1\.", plain)]
    length = re.search(rb"Content-Length: (\d+)\r\n", plain)
    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(plain[:length.start(1)] + str(int(length.group(1)) + 300).encode() + plain[length.end(1):])
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert (f"{crawl}: warning: WARC record at byte 0: its Content-Length runs past its end into the record at byte {starts[1]}"
            in result.err)
    articles = archive.parent / "articles"
    assert files_under(articles) == [f"2021/05/{n}-story.md" for n in names]
    assert "WARC" not in (articles / "2021/05/alpha-story.md").read_text(encoding="utf-8")


# --- 31: the user's comment lines between front-matter keys survive an update ------------

def test_an_update_keeps_the_users_comment_after_provenance(archive, tmp_path):
    import yaml
    first = warc(tmp_path / "first.warc.gz", [("https://ex.com/a", "2021-05-16T10:00:00Z", page("Alpha story", "2021-05-15T10:00:00Z"))])
    assert run_cli("import", first, "--config", archive, "--jobs", "1").code == 0
    article = archive.parent / "articles/2021/05/alpha-story.md"
    note = "# note: checked against the print edition, p. 4"
    article.write_text(article.read_text(encoding="utf-8").replace("import_sha256:", f'{note}\nsummary: "Mine"\nimport_sha256:', 1), encoding="utf-8")
    second = warc(tmp_path / "second.warc.gz", [("https://ex.com/a", "2021-05-20T10:00:00Z",
                                                 page("Alpha story", "2021-05-15T10:00:00Z", "<p>Update: the strike ended on Friday.</p>"))])
    result = run_cli("import", second, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    text = article.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert f"\n{note}\n" in text and front["summary"] == "Mine"
    assert "2021-05-20T10:00:00Z" in front["provenance"]["captured"] and len(front["versions"]) == 1
    assert "Update: the strike ended on Friday." in text.split("\n---\n", 1)[1]


# --- 09: a file name that is not UTF-8 ---------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_imported_and_recorded_with_escapes(archive, tmp_path):
    import os
    folder = os.path.join(os.fsencode(str(tmp_path)), b"in")
    os.mkdir(folder)
    for name, title in ((b"caf\xe9 story.html", "Cafe owners join the strike"), (b"good.html", "Dockers walk out")):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(page(title, "2021-05-15T10:00:00Z"))
    result = run_cli("import", os.fsdecode(folder), "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    articles = archive.parent / "articles"
    assert files_under(articles) == ["2021/05/cafe-owners-join-the-strike.md", "2021/05/dockers-walk-out.md"]
    assert 'file: "caf\\\\xe9 story.html"' in (articles / "2021/05/cafe-owners-join-the-strike.md").read_text(encoding="utf-8")


# --- 03, 25: one record's cost is bounded whatever its encoding or header length ----------

BOMB = 64 * 1024 * 1024


def _warc_headers(length: int, url: str) -> bytes:
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            f"WARC-Date: 2021-05-16T10:00:00Z\r\nWARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def _gz_member(path: Path, parts) -> None:
    import gzip
    with open(path, "ab") as handle, gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=1) as member:
        for part in parts:
            member.write(part)


def _spaces(size: int):
    block = b" " * (1 << 20)
    for _ in range(size >> 20):
        yield block


def _peak_of_scan(path: Path) -> tuple[int, list]:
    """Peak bytes Python allocated while the crawl's records were read (cap: 1 MB per record)."""
    import tracemalloc
    from newsarchive.importers.warc import scan_records
    tracemalloc.start()
    try:
        with open(path, "rb") as handle:
            items = list(scan_records(handle, path.name, cap=1 << 20))
        return tracemalloc.get_traced_memory()[1], items
    finally:
        tracemalloc.stop()


def _chunked_bomb(path: Path, url: str) -> None:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
    head, tail = b"%x\r\n" % BOMB, b"\r\n0\r\n\r\n"
    _gz_member(path, [_warc_headers(len(http) + len(head) + BOMB + len(tail), url), http, head, *_spaces(BOMB), tail, b"\r\n\r\n"])


def test_one_big_chunk_or_a_gzip_chunk_costs_a_bounded_amount_of_memory(tmp_path):
    import zlib
    _chunked_bomb(tmp_path / "a.warc.gz", "https://ex.com/big")
    deflater = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = b"".join([deflater.compress(block) for block in _spaces(BOMB)] + [deflater.flush()])
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    payload = http + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    (tmp_path / "b.warc").write_bytes(_warc_headers(len(payload), "https://ex.com/big2") + payload + b"\r\n\r\n")
    for name in ("a.warc.gz", "b.warc"):
        peak, items = _peak_of_scan(tmp_path / name)
        assert peak < 24 * 1024 * 1024, f"{name}: {peak / 2**20:.0f} MB"
        assert [str(item.message) for item in items] == ["not imported: the page is larger than 1 MB"]


def test_a_huge_header_line_costs_a_bounded_amount_and_the_record_is_named(archive, tmp_path):
    crawl = tmp_path / "header.warc.gz"
    warc(tmp_path / "good.warc.gz", [("https://ex.com/good", "2021-05-16T10:00:00Z", page("Good story", "2021-05-15T10:00:00Z"))])
    good = (tmp_path / "good.warc.gz").read_bytes()
    crawl.write_bytes(good)
    _gz_member(crawl, [b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://ex.com/a\r\nX-Junk: ", *(b"A" * len(s) for s in _spaces(BOMB)),
                       b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n"])
    peak, items = _peak_of_scan(crawl)
    assert peak < 24 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1", "--keep-going")
    assert f"{crawl}: warning: damaged WARC record at byte {len(good)} (HeadersTooLong: its headers are larger than 1024 KB)" in result.err
    assert files_under(archive.parent / "articles") == ["2021/05/good-story.md"]


# --- 19: every Content-Encoding is decoded, or the page is named ---------------------------

def test_pages_in_x_gzip_stacked_gzip_or_deflate_are_imported_and_an_unknown_encoding_is_named(archive, tmp_path):
    import gzip
    import zlib
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def body(title: str) -> bytes:
        return page(title, "2021-05-15T10:00:00Z")
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    records = [("x-gzip", "X gzip story", gzip.compress(body("X gzip story"))),
               ("gzip, gzip", "Twice story", gzip.compress(gzip.compress(body("Twice story")))),
               ("deflate", "Raw deflate story", raw_deflate.compress(body("Raw deflate story")) + raw_deflate.flush()),
               ("compress", "Old story", b"\x1f\x9d not decodable here"),
               ("gzip", "Liar story", body("Liar story"))]
    crawl = tmp_path / "crawl.warc.gz"
    with open(crawl, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for encoding, title, data in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", encoding),
                                               ("Content-Length", str(len(data)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://ex.com/{title.split()[0].lower()}", "response", payload=io.BytesIO(data),
                                                          http_headers=http, warc_headers_dict={"WARC-Date": "2021-05-16T10:00:00Z"}))
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert files_under(archive.parent / "articles") == ["2021/05/raw-deflate-story.md", "2021/05/twice-story.md", "2021/05/x-gzip-story.md"]
    assert f"{crawl}: https://ex.com/old: warning: not imported: its Content-Encoding is compress, which cannot be decoded" in result.err
    assert f"{crawl}: https://ex.com/liar: warning: not imported: its payload is not gzip as its Content-Encoding says" in result.err


# --- 06: a lead image never lands on a file of the archive ---------------------------------

def test_a_lead_image_whose_name_is_taken_gives_the_article_another_slug(archive, tmp_path):
    from import_inputs import PNG
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    articles = archive.parent / "articles"
    (articles / "2021/05").mkdir(parents=True)
    (articles / "2021/05/port-strike.png").write_bytes(b"the user's own photo")
    body = page("Port strike", "2021-05-15T10:00:00Z").replace(b"</head>", b'<meta property="og:image" content="https://ex.com/red.png"></head>')
    crawl = tmp_path / "crawl.warc.gz"
    with open(crawl, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, kind, data in (("https://ex.com/a", "text/html; charset=utf-8", body), ("https://ex.com/red.png", "image/png", PNG)):
            http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(data), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2021-05-16T10:00:00Z"}))
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert files_under(articles) == ["2021/05/port-strike-2.md", "2021/05/port-strike-2.png", "2021/05/port-strike.png"]
    assert (articles / "2021/05/port-strike.png").read_bytes() == b"the user's own photo"
    assert (articles / "2021/05/port-strike-2.png").read_bytes() == PNG
    assert 'image: "port-strike-2.png"' in (articles / "2021/05/port-strike-2.md").read_text(encoding="utf-8")


# --- 10: a placeholder file time is no capture time ----------------------------------------

@pytest.mark.parametrize("placeholder", ["1970-01-01T00:00:00", "1980-01-01T00:00:00", "1979-12-31T23:00:00"])
def test_a_placeholder_file_time_does_not_refuse_the_pages_date(archive, tmp_path, placeholder):
    import datetime
    import os
    saved = tmp_path / "from-archive.html"
    saved.write_bytes(page("Port strike", "2021-05-15T10:00:00Z"))
    moment = datetime.datetime.fromisoformat(placeholder).replace(tzinfo=datetime.timezone.utc).timestamp()
    os.utime(saved, (moment, moment))
    result = run_cli("import", saved, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    text = (archive.parent / "articles/2021/05/port-strike.md").read_text(encoding="utf-8")
    assert "date: 2021-05-15" in text and "1970" not in text and "1980" not in text and "1979" not in text


# --- 04: gzipped saved pages --------------------------------------------------------------

def test_gzipped_saved_pages_are_imported_and_a_false_one_is_named(archive, tmp_path):
    import gzip
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "story.html.gz").write_bytes(gzip.compress(page("Gzipped in a folder", "2021-05-15T10:00:00Z")))
    (pages / "wget.html").write_bytes(gzip.compress(page("Saved with its encoding", "2021-05-15T10:00:00Z")))
    (pages / "broken.htm.gz").write_bytes(b"\x1f\x8b\x08 this is no gzip stream")
    alone = tmp_path / "other.HTM.gz"
    alone.write_bytes(gzip.compress(page("Given by name", "2021-05-15T10:00:00Z")))
    result = run_cli("import", pages, alone, "--config", archive, "--jobs", "1", "--keep-going")
    assert result.code == 0, result.err
    assert f"{pages}/broken.htm.gz: error: not an HTML page: it starts like gzip but cannot be decompressed" in result.err
    assert files_under(archive.parent / "articles") == ["2021/05/given-by-name.md", "2021/05/gzipped-in-a-folder.md",
                                                        "2021/05/saved-with-its-encoding.md"]


# --- 17: /news/x and /news/x/ are one page -------------------------------------------------

def test_a_page_captured_with_and_without_its_final_slash_is_one_article_and_the_site_builds(archive, tmp_path):
    crawl = warc(tmp_path / "old-site.warc.gz", [
        ("https://news.example.org/news/port-strike", "2021-05-16T10:00:00Z", page("Port strike", "2021-05-15T10:00:00Z")),
        ("https://news.example.org/news/port-strike/", "2021-05-16T11:00:00Z", page("Port strike", "2021-05-15T10:00:00Z", "<!-- cache: hit -->"))])
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1", "--keep-paths")
    assert result.code == 0, result.err
    articles = archive.parent / "articles"
    assert files_under(articles) == ["2021/05/port-strike.md"]
    assert 'aliases: ["/news/port-strike/"]' in (articles / "2021/05/port-strike.md").read_text(encoding="utf-8")
    again = warc(tmp_path / "later.warc.gz", [("https://news.example.org/news/port-strike", "2021-05-20T10:00:00Z",
                                               page("Port strike", "2021-05-15T10:00:00Z", "<p>Update: the strike ended on Friday.</p>"))])
    later = run_cli("import", again, "--config", archive, "--jobs", "1", "--keep-paths")
    assert later.code == 0, later.err
    assert files_under(articles) == ["2021/05/port-strike.md"] and "updated" in later.out
    built = run_cli("build", "--config", archive)
    assert built.code == 0, built.err


def test_brotli_and_zstd_pages_are_imported_and_their_bombs_cost_a_bounded_amount(archive, tmp_path):
    brotli = pytest.importorskip("brotli")
    zstandard = pytest.importorskip("zstandard")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def write(path: Path, records) -> Path:
        with open(path, "wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            for url, encoding, data in records:
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", encoding)], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(data), http_headers=http,
                                                              warc_headers_dict={"WARC-Date": "2021-05-16T10:00:00Z"}))
        return path
    crawl = write(tmp_path / "crawl.warc.gz", [("https://ex.com/b", "br", brotli.compress(page("Brotli story", "2021-05-15T10:00:00Z"))),
                                               ("https://ex.com/z", "zstd", zstandard.ZstdCompressor().compress(page("Zstd story", "2021-05-15T10:00:00Z")))])
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert files_under(archive.parent / "articles") == ["2021/05/brotli-story.md", "2021/05/zstd-story.md"]
    spaces = b" " * BOMB
    bombs = write(tmp_path / "bombs.warc.gz", [("https://ex.com/bb", "br", brotli.compress(spaces, quality=1)),
                                               ("https://ex.com/zb", "zstd", zstandard.ZstdCompressor(level=1).compress(spaces))])
    del spaces
    peak, items = _peak_of_scan(bombs)
    assert peak < 24 * 1024 * 1024, f"{peak / 2**20:.0f} MB"
    assert [str(item.message) for item in items] == ["not imported: the page is larger than 1 MB"] * 2
