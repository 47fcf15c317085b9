"""A WARC built with warcio: articles, their lead image, a 404, a redirect, an index page,
a stylesheet and a duplicate capture."""
from __future__ import annotations

import pytest

from conftest import run_cli, tree_digest
from import_inputs import PNG, write_warc

STORM = "2024/03/storm-closes-the-harbour-for-two-days"
FERRY = "2024/03/ferry-crossings-cancelled-until-wednesday"


@pytest.fixture
def archive(make_site):
    return make_site({}, config="title: Crawl\nbase_url: https://news.example.org/\n")


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_import_keeps_articles_saves_lead_image_and_counts_the_rest(archive, tmp_path, gzip):
    crawl = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(crawl, gzip=gzip)
    before = crawl.read_bytes()
    result = run_cli("import", crawl, "--config", archive, "--jobs", "2")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == (
        "imported: read 1 file (1 WARC), imported 2 (with 1 earlier version), skipped 4 (1 no date (index page), "
        "1 not found (404), 1 redirect, 1 stylesheet); 0 warnings")
    articles = archive.parent / "articles"
    assert (articles / f"{STORM}.png").read_bytes() == PNG
    storm = (articles / f"{STORM}.md").read_text(encoding="utf-8")
    assert 'image: "storm-closes-the-harbour-for-two-days.png"\n' in storm
    assert "date: 2024-03-04T08:15:00+01:00\n" in storm and 'source: "Harbour Wire"\n' in storm
    assert 'source_url: "https://wire.example/news/storm"\n' in storm
    assert 'related:\n  - "ferry-crossings-cancelled-until-wednesday"\n' in storm
    ferry = (articles / f"{FERRY}.md").read_text(encoding="utf-8")
    assert "the operator now expects to resume on Wednesday" in ferry  # the newest capture
    assert "versions:\n  - captured: 2024-03-05T10:00:03Z\n" in ferry  # the older text, a version (test_versions.py)
    assert 'related:\n  - "storm-closes-the-harbour-for-two-days"\n' in ferry
    assert sorted(p.relative_to(articles).as_posix() for p in articles.rglob("*") if p.is_file()) == [f"{FERRY}.md", f"{STORM}.md", f"{STORM}.png"]
    assert crawl.read_bytes() == before

    built = run_cli("build", "--config", archive)
    assert built.code == 0 and "0 warnings" in built.out, built.out + built.err
    page = (archive.parent / "_site" / STORM / "index.html").read_text(encoding="utf-8")
    assert "storm-closes-the-harbour-for-two-days.png" in page
    assert f'href="../../../{FERRY}/"' in page
    assert run_cli("check", "--config", archive).code == 0

    first = tree_digest(articles)
    again = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert "imported 0, 2 already imported" in again.out and tree_digest(articles) == first


def test_a_record_whose_length_lies_is_a_warning_naming_file_and_offset_and_the_rest_is_imported(archive, tmp_path):
    crawl = tmp_path / "broken.warc"
    write_warc(crawl, gzip=False)
    data = crawl.read_bytes()
    crawl.write_bytes(data.replace(b"<h1>Latest news</h1>", b"<h1>Latest news</h1> bytes the record's length does not count"))
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert f"{crawl}: warning: WARC record at byte 0: its Content-Length does not match its data" in result.err
    assert "imported 2 (with 1 earlier version)," in result.out.splitlines()[-1]
    assert (archive.parent / "articles" / f"{STORM}.md").is_file() and (archive.parent / "articles" / f"{FERRY}.md").is_file()


def test_source_url_has_no_fragment_nor_tracking_parameters_and_one_page_is_one_article(archive, tmp_path):
    import io

    from import_inputs import CRAWL_PAGES
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    crawls = []
    for name, url, page, when in (
            ("a", "https://wire.example/news/ferry-cancelled?id=7&utm_source=tw&fbclid=Ab1#comments", "ferry_old", "2024-03-05T10:00:03Z"),
            ("b", "https://wire.example/news/ferry-cancelled?gclid=Zz&id=7", "ferry_new", "2024-03-06T10:00:00Z")):
        crawls.append(tmp_path / f"{name}.warc")
        with open(crawls[-1], "wb") as output:
            writer = WARCWriter(output, gzip=False)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(CRAWL_PAGES[page].encode()),
                                                          http_headers=http, warc_headers_dict={"WARC-Date": when}))
    result = run_cli("import", *crawls, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    articles = archive.parent / "articles"
    assert sorted(p.relative_to(articles).as_posix() for p in articles.rglob("*.md")) == [f"{FERRY}.md"]
    ferry = (articles / f"{FERRY}.md").read_text(encoding="utf-8")
    assert 'source_url: "https://wire.example/news/ferry-cancelled?id=7"\n' in ferry
    assert "the operator now expects to resume on Wednesday" in ferry  # the newest capture's text
