"""Provenance (issue 26, point 1): import writes `provenance:` (url, captured, file, record, digest,
extractor) and never the input's absolute path; the build checks it, shows a small "Source of
this copy" block with the captions of pictures not kept, and states isBasedOn / archivedAt /
sdDatePublished in JSON-LD; unlinked "read also" entries read as text; incremental == clean."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import article, clean_build, edit_article, rebuild, run_cli, tree

LONG = ("The harbour board said on Tuesday that the new quay would open in the spring, after two years of work "
        "and a budget that grew by a third. Fishermen who moved their boats to the old basin will be able to return. ") * 3
URL = "https://wire.example/news/2024/03/quay-opens"
CANONICAL = "https://wire.example/news/quay-opens"
WARC_DATE = "2024-03-06T10:15:30Z"
CONFIG = "title: Archive\nbase_url: https://news.example.org/\nlanguage: en\n"


def page_html(title: str, date: str, *, image: str | None = None, caption: str | None = None, extra: str = "") -> str:
    figure = f'<figure><img src="{image}" alt=""><figcaption>{caption}</figcaption></figure>' if image and caption else ""
    head = (f'<meta property="og:title" content="{title}"><meta property="article:published_time" content="{date}">'
            f'<meta property="og:type" content="article"><link rel="canonical" href="{CANONICAL}">'
            + (f'<meta property="og:image" content="{image}">' if image else ""))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body><main><article>'
            f"<h1>{title}</h1>{figure}<p>{LONG}</p>{extra}<p>{LONG}</p></article></main></body></html>")


def write_crawl(path: Path, records: list[tuple[str, bytes, str]]) -> tuple[Path, list[str]]:
    """A .warc.gz of 200 text/html responses (url, body, WARC-Date); returns it and each record's WARC-Record-ID."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ids = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for url, body, date in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": date})
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(record)
    return path, ids


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def provenance_block(html: str) -> str:
    found = re.search(r'<section class="na-provenance".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def archive(make_site):
    return make_site({}, config=CONFIG)


def test_warc_and_saved_page_imports_record_provenance_and_the_site_shows_it(archive, tmp_path):
    crawl_page = page_html("Quay opens after two years", "2024-03-05T09:00:00+01:00", image="https://wire.example/img/quay.jpg",
                           caption="The new quay at dawn. (AFP photo)",
                           extra="<p>Read also: A story this archive never held</p>")
    crawl, ids = write_crawl(tmp_path / "in" / "wire-2024.warc.gz", [(URL, crawl_page.encode(), WARC_DATE)])
    saved = tmp_path / "saved" / "2021" / "ferry.html"
    saved.parent.mkdir(parents=True)
    saved.write_text(page_html("Ferry link restored", "2021-06-01T08:00:00Z").replace(CANONICAL, "https://ferry.example/restored"),
                     encoding="utf-8")
    result = run_cli("import", crawl, tmp_path / "saved", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    articles = archive.parent / "articles"

    quay = front_matter(articles / "2024/03/quay-opens-after-two-years.md")
    assert list(quay["provenance"]) == ["url", "captured", "file", "record", "digest", "extractor"]
    assert quay["provenance"]["url"] == URL and quay["provenance"]["captured"] == WARC_DATE
    assert quay["provenance"]["file"] == "wire-2024.warc.gz" and quay["provenance"]["record"] == ids[0]
    assert re.fullmatch(r"sha1:[A-Z2-7]{32}", quay["provenance"]["digest"])  # the WARC's own WARC-Payload-Digest
    assert re.fullmatch(r"trafilatura \S+; newsarchive \S+", quay["provenance"]["extractor"])
    assert quay["captions"] == [{"text": "The new quay at dawn.", "credit": "AFP"}]  # its image is not in the crawl
    assert quay["related"] == [{"title": "A story this archive never held"}]
    assert "imported_from" not in quay

    ferry = front_matter(articles / "2021/06/ferry-link-restored.md")
    assert ferry["provenance"]["file"] == "2021/ferry.html"  # relative to the folder imported
    assert ferry["provenance"]["url"] == "https://ferry.example/restored"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ferry["provenance"]["captured"])  # the saved file's time
    assert ferry["provenance"]["digest"] == f"sha256:{ferry['import_sha256']}" and "record" not in ferry["provenance"]

    built = run_cli("build", "--config", archive)
    assert built.code == 0, built.err
    assert "0 warnings" in built.out, built.err
    site = archive.parent / "_site"
    for root in (articles, site):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".xml", ".json", ".txt"):
                assert str(tmp_path) not in path.read_text(encoding="utf-8", errors="replace"), path

    html = (site / "2024/03/quay-opens-after-two-years/index.html").read_text(encoding="utf-8")
    block = provenance_block(html)
    assert f'Captured from <bdi dir="ltr"><a class="na-external" href="{URL}" rel="external noopener nofollow">{URL}</a></bdi> on ' in block
    assert '<time datetime="2024-03-06T10:15:30+00:00">' in block
    assert "<code>wire-2024.warc.gz</code>" in block and f"<code>{ids[0].replace('<', '&lt;').replace('>', '&gt;')}</code>" in block
    assert '<bdi class="na-caption">The new quay at dawn.</bdi> <span class="na-credit">Photo: <bdi>AFP</bdi></span>' in block
    data = json_ld(html)
    assert data["isBasedOn"] == URL and data["sdDatePublished"] == "2024-03-06"
    assert data["archivedAt"] == "https://news.example.org/2024/03/quay-opens-after-two-years/"
    related = re.search(r'<aside class="na-related".*?</aside>', html, re.S).group(0)
    assert '<bdi class="na-unlinked">A story this archive never held</bdi>' in related and "<a " not in related


def test_an_article_without_provenance_has_no_block_and_keeps_its_json_ld(make_site):
    config = make_site({"articles/a.md": article("Plain", source_url="https://example.com/original")}, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    html = (config.parent / "_site/2021/05/plain/index.html").read_text(encoding="utf-8")
    assert "na-provenance" not in html
    data = json_ld(html)
    assert data["isBasedOn"] == "https://example.com/original" and "archivedAt" not in data and "sdDatePublished" not in data


def test_imported_from_of_older_imports_names_the_file_and_url_but_never_the_path(make_site):
    old = article("Old import", imported_from='"/home/reporter/private/crawls/wire.warc.gz: https://wire.example/a"',
                  import_sha256="ab" * 32)
    older = article("Older file import", date="2021-05-14", imported_from='"C:\\\\Users\\\\me\\\\scrapes\\\\story.txt"')
    config = make_site({"articles/old.md": old, "articles/older.md": older}, config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 0 and "0 warnings" in result.out, result.err
    site = config.parent / "_site"
    for path in site.rglob("*.*"):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "/home/reporter" not in text and "Users" not in text, path
    block = provenance_block((site / "2021/05/old-import/index.html").read_text(encoding="utf-8"))
    assert 'href="https://wire.example/a"' in block and "<code>wire.warc.gz</code>" in block and f"<code>sha256:{'ab' * 32}</code>" in block
    assert "<code>story.txt</code>" in provenance_block((site / "2021/05/older-file-import/index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lines, line, message", [
    ("provenance:\n  url: \"javascript:alert(1)\"", 5, "error: 'provenance.url'"),
    ("provenance:\n  url: ftp://files.example/a", 5, "error: 'provenance.url'"),
    ("provenance:\n  captured: yesterday", 5, "error: 'provenance.captured' is not a date and time: 'yesterday'"),
    ("provenance:\n  captured: 9999-12-31T23:00:00-05:00", 5, "error: 'provenance.captured' is not a date and time"),
    ("provenance:\n  record: [1, 2]", 5, "error: 'provenance.record' must be text, not a list or mapping"),
    ("provenance: https://example.com/a", 4, "error: 'provenance' must be a mapping"),
    ("provenance:\n  url: https://a.example/\n  url: https://b.example/", 6, "error: invalid 'provenance': key 'url' appears twice"),
])
def test_bad_hand_written_provenance_is_an_error_naming_file_and_line(make_site, lines, line, message):
    text = f"---\ntitle: Hand written\ndate: 2021-05-15\n{lines}\n---\nText.\n"
    config = make_site({"articles/2021/hand.md": text, "articles/other.md": article("Other")}, config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert f"2021/hand.md:{line}: {message}" in result.err, result.err
    kept = run_cli("build", "--config", config, "--keep-going")
    assert kept.code == 0 and (config.parent / "_site/2021/05/other/index.html").exists()


def test_odd_but_readable_provenance_warns_and_publishes_only_what_is_safe(make_site):
    text = ("---\ntitle: Hand written\ndate: 2021-05-15\nprovenance:\n"
            "  url: https://example.com/a?x=1&y=<2>\n"
            "  captured: 2021-05-15 10:30 +02:00\n"
            "  file: /home/me/secret/crawl.warc.gz\n"
            "  record: \"<script>alert(1)</script>\"\n"
            "  extractor: \"by \\u202Ehand\"\n"
            f"  digest: \"{'x' * 1001}\"\n"
            "  weather: sunny\n"
            "captions:\n  - text: \"<b>Quay</b> at night\"\n    credit: \"AFP\\u0007\"\n  - 42\n  - {text: Boat, note: odd}\n  - [nested]\n"
            "---\nText.\n")
    config = make_site({"articles/2021/hand.md": text}, config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 0, result.err
    for expected in ("2021/hand.md:7: warning: 'provenance.file' is an absolute path or leaves its folder; only its name 'crawl.warc.gz'",
                     "2021/hand.md:10: warning: 'provenance.digest' is longer than 1000 characters",
                     "2021/hand.md:11: warning: 'provenance.weather' is not a provenance key",
                     "2021/hand.md:16: warning: each 'captions' entry must be a text, or {text, credit} holding texts",
                     "2021/hand.md:17: warning: each 'captions' entry must be a text, or {text, credit}"):
        assert expected in result.err, result.err
    site = config.parent / "_site"
    html = (site / "2021/05/hand-written/index.html").read_text(encoding="utf-8")
    block = provenance_block(html)
    assert "/home/me" not in html and "<code>crawl.warc.gz</code>" in block
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert '<time datetime="2021-05-15T08:30:00+00:00">' in block  # given in UTC
    assert "\u202ehand\u202c" in block  # the open override is closed inside its own text
    assert "x" * 1001 not in html and "weather" not in html
    assert "&lt;b&gt;Quay&lt;/b&gt; at night" in block and "<bdi>AFP</bdi>" in block and "<bdi class=\"na-caption\">42</bdi>" in block
    assert json_ld(html)["sdDatePublished"] == "2021-05-15"


def test_empty_provenance_and_captions_are_nothing_to_show(make_site):
    text = "---\ntitle: Empty\ndate: 2021-05-15\nprovenance:\ncaptions: []\n---\nText.\n"
    config = make_site({"articles/e.md": text, "articles/f.md": article("Braces", provenance="{}", captions='""')}, config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 0 and "0 warnings" in result.out, result.err
    for slug in ("empty", "braces"):
        assert "na-provenance" not in (config.parent / f"_site/2021/05/{slug}/index.html").read_text(encoding="utf-8")


def test_cached_article_keeps_provenance_and_captions():
    from datetime import timezone

    from newsarchive.article_codec import article_from_json, article_to_json
    from newsarchive.content import LoadContext, parse_article
    from newsarchive.markup import MarkdownRenderer

    text = ("---\ntitle: T\ndate: 2021-05-15\nprovenance:\n  url: https://example.com/a\n  captured: 2021-05-16T01:02:03Z\n"
            "captions:\n  - {text: A, credit: B}\n  - Only text\n---\nBody.\n").encode()
    ctx = LoadContext("/{year}/{month}/{slug}/", "en", timezone.utc, "auto")
    loaded = parse_article(text, "a.md", ctx, MarkdownRenderer()).article
    assert loaded.provenance == {"url": "https://example.com/a", "captured": "2021-05-16T01:02:03Z"}
    assert loaded.captions == ({"text": "A", "credit": "B"}, {"text": "Only text", "credit": None})
    assert article_from_json(article_to_json(loaded)) == loaded


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_incremental_builds_equal_clean_builds_when_provenance_changes(make_site, tmp_path, jobs):
    with_provenance = ("---\ntitle: Imported\ndate: 2021-05-15\nprovenance:\n  url: https://example.com/a\n"
                       "  captured: 2021-05-16T01:02:03Z\n  file: a.warc.gz\ncaptions:\n  - {text: Boat, credit: AFP}\n"
                       "related:\n  - {title: Nowhere}\n---\nText of the imported article.\n")
    config = make_site({"articles/2021/imported.md": with_provenance, "articles/2021/other.md": article("Other", date="2021-05-14"),
                        "articles/2021/third.md": article("Third", date="2021-05-13", imported_from='"/tmp/x/a.txt"')}, config=CONFIG)
    site = config.parent
    rebuild(site, jobs=jobs)
    steps = [
        lambda: edit_article(site, "2021/imported.md", "2021-05-16T01:02:03Z", "2021-05-17T04:05:06Z"),  # an edit rebuild
        lambda: edit_article(site, "2021/imported.md", "  file: a.warc.gz\n", "  file: b.warc.gz\n  record: \"<urn:uuid:1>\"\n"),
        lambda: edit_article(site, "2021/imported.md", "captions:\n  - {text: Boat, credit: AFP}\n", ""),
        lambda: edit_article(site, "2021/third.md", "imported_from: \"/tmp/x/a.txt\"", "provenance:\n  url: https://example.com/t"),
        lambda: edit_article(site, "2021/imported.md", "provenance:\n", "provenance_old:\n"),  # no longer provenance at all
    ]
    for step in steps:
        step()
        rebuild(site, jobs=jobs)
        assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)
    assert "na-provenance" not in (site / "_site/2021/05/imported/index.html").read_text(encoding="utf-8")


@pytest.mark.browser
@pytest.mark.slow
def test_unlinked_read_also_entry_is_styled_as_plain_text_in_chromium(make_site):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    related = "related:\n  - other\n  - {title: Leads nowhere}"
    config = make_site({"articles/a.md": f"---\ntitle: Main\ndate: 2021-05-15\n{related}\n---\nText.\n",
                        "articles/other.md": article("Other", date="2021-05-14", slug="other")}, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto((config.parent / "_site/2021/05/main/index.html").as_uri())
        style = lambda selector: tab.eval_on_selector(selector, "e => { const s = getComputedStyle(e); return [s.fontWeight, s.cursor, s.textDecorationLine]; }")  # noqa: E731
        linked, unlinked = style(".na-related li a"), style(".na-related .na-unlinked")
        browser.close()
    assert linked[0] == "700"
    assert unlinked == ["400", "auto", "none"]
