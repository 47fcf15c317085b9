"""Versions (issue 26): several captures of one URL become one article with its earlier texts,
each published at a frozen URL with a diff, a Memento TimeMap and `_headers`; hand-written
versions; errors named by file and line; rebuilds equal to clean builds."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import clean_build, edit_article as edit, rebuild, run_cli, tree
from newsarchive.importers.captures import with_versions
from newsarchive.importers.model import ImportedArticle

URL = "https://wire.example/news/budget"
SLUG = "2024/03/council-passes-the-budget"
HTML = "text/html; charset=utf-8"
LONG = ("The mayor said the vote closed a long debate, and that the first works paid by the new budget would start "
        "in the spring, beginning with the schools and the harbour roads.")


def page(first: str, *more: str, title: str = "Council passes the budget") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in (first, LONG, *more))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            '<meta property="article:published_time" content="2024-03-04T09:00:00+01:00"></head>'
            f"<body><main><article><h1>{title}</h1>{body}</article></main></body></html>").encode()


def write_crawl(path: Path, records: list[tuple[str, bytes, str]]) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for url, body, date in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", HTML)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": date}))
    return path


FIRST = "The council voted the budget on Monday by a narrow margin."
SECOND = "The council voted the budget on Tuesday by a wide margin."


def parse_link_format(text: str) -> list[tuple[str, dict[str, str]]]:
    """RFC 6690 link-format: '<uri>; key="value"; …' entries separated by commas (outside <> and quotes)."""
    links = []
    for match in re.finditer(r'\s*<([^>]*)>((?:\s*;\s*[\w-]+="[^"]*")*)\s*(,|\Z)', text):
        params = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(2)))
        links.append((match.group(1), params))
    assert ",".join(f"<{u}>" for u, _ in links) == ",".join(re.findall(r"<[^>]*>", text)), "every entry parsed"
    return links


def output_file(site: Path, absolute: str) -> Path:
    rel = absolute.removeprefix("https://news.example.org/")
    return site / "_site" / (rel + "index.html" if rel.endswith("/") or not rel else rel)


@pytest.fixture
def archive(make_site):
    return make_site({}, config="title: Versions\nbase_url: https://news.example.org/\nlanguage: en\nsearch: false\n")


def test_three_captures_with_two_texts_are_one_article_with_one_earlier_version(archive, tmp_path):
    crawl = write_crawl(tmp_path / "crawl.warc.gz", [
        (URL, page(FIRST), "2024-03-05T10:00:00Z"),
        (URL, page(FIRST), "2024-03-05T18:30:00Z"),  # the same text again: the same version
        (URL, page(SECOND, "A paragraph added later."), "2024-03-06T08:15:00Z"),
    ])
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == ("imported: read 1 file (1 WARC), imported 1 (with 1 earlier version), "
                                           "skipped 1 (1 duplicate capture); 0 warnings")
    articles = archive.parent / "articles"
    assert sorted(p.relative_to(articles).as_posix() for p in articles.rglob("*.md")) == [f"{SLUG}.md"]
    text = (articles / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "versions:\n  - captured: 2024-03-05T10:00:00Z\n" in text and text.count("- captured:") == 1
    assert f"      {FIRST}\n" in text and text.split("\n---\n", 1)[1].startswith(SECOND)
    assert re.search(r'\nprovenance:\n(  .*\n)*  captured: "?2024-03-06T08:15:00Z"?\n', text)  # the current text's capture

    built = run_cli("build", "--config", archive)
    assert built.code == 0 and "0 warnings" in built.out, built.out + built.err
    site = archive.parent
    version = site / "_site" / SLUG / "v/20240305100000/index.html"
    html = version.read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html
    assert ('The council voted the budget on <del><span class="na-visually-hidden">removed: </span>Monday</del> '
            '<ins><span class="na-visually-hidden">added: </span>Tuesday</ins> by a '
            '<del><span class="na-visually-hidden">removed: </span>narrow</del> '
            '<ins><span class="na-visually-hidden">added: </span>wide</ins> margin.') in html
    assert '<p class="na-diff-added"><ins><span class="na-visually-hidden">added: </span>A paragraph added later.</ins></p>' in html
    assert f"<p>{FIRST}</p>" in html  # the version's own text
    current = (site / "_site" / SLUG / "index.html").read_text(encoding="utf-8")
    assert '<link rel="timemap" type="application/link-format" href="../../../2024/03/council-passes-the-budget/timemap.txt">' in current
    assert '<a href="../../../2024/03/council-passes-the-budget/v/20240305100000/"><time datetime="2024-03-05T10:00:00+00:00">' in current

    links = parse_link_format((site / "_site" / SLUG / "timemap.txt").read_text(encoding="utf-8"))
    rels = {params["rel"]: uri for uri, params in links}
    assert rels["original"] == URL and rels["self"] == f"https://news.example.org/{SLUG}/timemap.txt"
    assert "timegate" not in rels  # a static site answers no Accept-Datetime
    mementos = [(uri, parsedate_to_datetime(params["datetime"])) for uri, params in links if "memento" in params["rel"].split()]
    assert mementos == [(f"https://news.example.org/{SLUG}/v/20240305100000/", datetime(2024, 3, 5, 10, 0, tzinfo=timezone.utc)),
                        (f"https://news.example.org/{SLUG}/", datetime(2024, 3, 6, 8, 15, tzinfo=timezone.utc))]
    assert [p["rel"] for _, p in links if "memento" in p["rel"]] == ["first memento", "last memento"]
    assert all(output_file(site, uri).is_file() for uri, _ in mementos)

    headers = (site / "_site/_headers").read_text(encoding="utf-8").splitlines()
    at = headers.index(f"/{SLUG}/v/20240305100000/")
    assert headers[at + 1] == (f'  Link: <{URL}>; rel="original", <https://news.example.org/{SLUG}/timemap.txt>; rel="timemap"; '
                               f'type="application/link-format", <https://news.example.org/{SLUG}/>; rel="last next memento"; '
                               'datetime="Wed, 06 Mar 2024 08:15:00 GMT"')
    assert headers[at + 2] == "  Memento-Datetime: Tue, 05 Mar 2024 10:00:00 GMT"
    assert headers[headers.index(f"/{SLUG}/") + 1].endswith(
        f'<https://news.example.org/{SLUG}/v/20240305100000/>; rel="first prev memento"; datetime="Tue, 05 Mar 2024 10:00:00 GMT"')
    assert headers[headers.index(f"/{SLUG}/timemap.txt") + 1] == "  Content-Type: application/link-format; charset=utf-8"
    sitemap = (site / "_site/sitemap.xml").read_text(encoding="utf-8")
    assert f"{SLUG}/</loc>" in sitemap and "/v/" not in sitemap
    assert "/v/" not in (site / "_site/index.html").read_text(encoding="utf-8")
    assert run_cli("check", "--config", archive).code == 0


HAND = """---
title: Harbour reopens
date: 2021-05-15T09:00:00+02:00
updated: 2021-05-16T12:00:00+02:00
source_url: https://port.example/reopens
versions:
  - captured: 2021-05-15T08:00:00Z
    title: Harbour to reopen
    body: |
      The harbour will reopen <b>soon</b>.
  - captured: 2021-05-15T20:00:00+02:00
    body: |
      The harbour reopened on Saturday.
---
The harbour reopened on Saturday morning.

Ships are back.
"""


def test_hand_written_versions_are_published_oldest_first_with_the_title_of_the_article_by_default(make_site):
    site = make_site({"articles/2021/harbour.md": HAND}).parent
    rebuild(site)
    base = site / "_site/2021/05/harbour-reopens"
    first, second = base / "v/20210515080000/index.html", base / "v/20210515180000/index.html"  # +02:00 → UTC
    assert first.is_file() and second.is_file()
    assert "<h1 dir=\"auto\">Harbour to reopen</h1>" in first.read_text(encoding="utf-8")
    assert "<h1 dir=\"auto\">Harbour reopens</h1>" in second.read_text(encoding="utf-8")
    assert ('<p class="na-diff-title">Harbour <del><span class="na-visually-hidden">removed: </span>to reopen</del> '
            '<ins><span class="na-visually-hidden">added: </span>reopens</ins></p>') in first.read_text(encoding="utf-8")
    assert "<ins><span class=\"na-visually-hidden\">added: </span>morning</ins>." in second.read_text(encoding="utf-8")
    links = parse_link_format((base / "timemap.txt").read_text(encoding="utf-8"))
    assert [parsedate_to_datetime(p["datetime"]).isoformat() for _, p in links if "datetime" in p] == [
        "2021-05-15T08:00:00+00:00", "2021-05-15T18:00:00+00:00", "2021-05-16T10:00:00+00:00"]  # the current: 'updated'
    page = (base / "index.html").read_text(encoding="utf-8")
    assert page.index("v/20210515080000/") < page.index("v/20210515180000/")
    assert "<b>soon</b>" in first.read_text(encoding="utf-8")  # the version's body, rendered
    assert "&lt;b&gt;" not in first.read_text(encoding="utf-8")


@pytest.mark.parametrize("versions, line, message", [
    ("versions: a text", 4, "'versions' must be a list"),
    ("versions:\n  - just text", 5, "each entry of 'versions' must be a mapping"),
    ("versions:\n  - body: x", 5, "a 'versions' entry has no 'captured' date-time"),
    ("versions:\n  - captured: yesterday\n    body: x", 5, "'versions' captured is not a date-time: 'yesterday'"),
    ("versions:\n  - captured: 2021-05-14T10:00:00Z", 5, "a 'versions' entry has no body"),
    ("versions:\n  - captured: 2021-05-14T10:00:00Z\n    body: x\n    author: Ana", 7, "unknown key 'author' in a 'versions' entry"),
    ("versions:\n  - captured: 2021-05-14T10:00:00Z\n    body: [x]", 6, "'versions' body must be text"),
    ("versions:\n  - captured: 2021-05-14T10:00:00Z\n    body: a\n  - captured: 2021-05-14T12:00:00+02:00\n    body: b", 7,
     "two versions are captured at 2021-05-14T10:00:00Z (lines 5 and 7)"),
    ("versions:\n  - captured: 2021-05-16T10:00:00Z\n    body: later", 5,
     "version captured 2021-05-16T10:00:00Z is not before the current text (2021-05-15T08:00:00Z)"),
])
def test_bad_versions_are_errors_naming_file_and_line(make_site, versions, line, message):
    text = f"---\ntitle: Harbour\ndate: 2021-05-15T10:00:00+02:00\n{versions}\n---\nBody.\n"
    config = make_site({"articles/harbour.md": text})
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert f"harbour.md:{line}: error: {message}" in result.err, result.err
    assert "Traceback" not in result.err


def test_a_version_with_markup_and_control_characters_stays_escaped_text_in_the_diff(make_site):
    hostile = ("---\ntitle: \"Harbour <script>x</script>\"\ndate: 2021-05-15T10:00:00Z\nlang: ar\nversions:\n"
               "  - captured: 2021-05-14T10:00:00Z\n    title: \"\\u202eOld <i>title</i>\"\n"
               "    body: \"مرفأ <script>alert(1)</script> & \\x01 text\"\n---\nمرفأ &amp; new text\n")
    site = make_site({"articles/h.md": hostile}).parent
    rebuild(site)
    page = next((site / "_site").rglob("v/20210514100000/index.html")).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "alert(1)" not in page.split('class="na-body"')[1].split("</div>")[0].replace("&lt;", "")
    diff = page.split('class="na-diff-text"')[1].split("</div>")[0]
    assert "<i>" not in diff and "&lt;" in diff and "\x01" not in page
    assert page.count("\u202e") == page.count("\u202c")  # the version's title: bidi controls balanced
    assert '<html lang="ar" dir="rtl">' in page


def test_captures_are_versions_by_text_and_second():
    def capture(text: str, at: str, identity: str) -> ImportedArticle:
        return ImportedArticle(f"c.warc.gz: {URL}", identity, "Budget", "2024-03-04", text, "en", captured=at, captured_url=URL)
    a1, b, a2 = capture("A  text", "2024-03-05T10:00:00Z", "1"), capture("B text", "2024-03-05T11:00:00.5Z", "2"), capture("A text", "20240305120000", "3")
    newest, duplicates = with_versions([a2, a1, b])
    assert newest.identity == "3" and [(v.captured, v.body) for v in newest.versions] == [
        ("2024-03-05T10:00:00Z", "A  text"), ("2024-03-05T11:00:00Z", "B text")] and duplicates == []
    same_second = capture("C text", "2024-03-05T11:00:00.9Z", "4")
    newest, duplicates = with_versions([a1, b, same_second, a2])
    assert [v.body for v in newest.versions] == ["A  text", "C text"] and [d.origin for d in duplicates] == [b.origin]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_new_capture_adds_a_version_and_rebuilds_equal_clean_builds(make_site, tmp_path, jobs):
    text = "---\ntitle: Harbour reopens\ndate: 2021-05-15T09:00:00Z\nupdated: 2021-05-16T09:00:00Z\n---\nThe harbour reopened.\n"
    other = "---\ntitle: Ferry\ndate: 2021-05-10\n---\nThe ferry.\n"
    site = make_site({"articles/2021/h.md": text, "articles/2021/f.md": other},
                     config="title: T\nbase_url: https://example.org/\nsearch: false\n").parent
    rebuild(site, jobs=jobs)
    assert not (site / "_site/_headers").exists()
    edit(site, "2021/h.md", "updated: 2021-05-16T09:00:00Z\n",
         "updated: 2021-05-16T09:00:00Z\nversions:\n  - captured: 2021-05-15T10:00:00Z\n    body: The harbour is closed.\n")
    rebuild(site, jobs=jobs)
    assert (site / "_site/2021/05/harbour-reopens/v/20210515100000/index.html").is_file()
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)
    edit(site, "2021/h.md", "The harbour reopened.", "The harbour reopened at dawn.")  # the current text: the diff follows
    rebuild(site, jobs=jobs)
    assert "at dawn</ins>." in (site / "_site/2021/05/harbour-reopens/v/20210515100000/index.html").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)
    edit(site, "2021/h.md", "title: Harbour reopens\n", "title: Harbour reopens\nsource_url: https://port.example/a\n")
    rebuild(site, jobs=jobs)
    assert "<https://port.example/a>; rel=\"original\"" in (site / "_site/_headers").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)
    edit(site, "2021/h.md", "versions:\n  - captured: 2021-05-15T10:00:00Z\n    body: The harbour is closed.\n", "")
    rebuild(site, jobs=jobs)
    gone = (site / "_site/2021/05/harbour-reopens/v/20210515100000/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/2021/05/harbour-reopens/">' in gone  # a recorded URL: now a redirect
    assert not (site / "_site/_headers").exists()
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)


def test_the_sites_own_headers_file_comes_first(make_site):
    site = make_site({"articles/h.md": HAND, "static/_headers": "/*\n  X-Frame-Options: DENY\n"}).parent
    rebuild(site)
    text = (site / "_site/_headers").read_text(encoding="utf-8")
    assert text.startswith("/*\n  X-Frame-Options: DENY\n# newsarchive: Memento headers of articles with versions\n/2021/05/harbour-reopens/\n")


def test_version_pages_are_valid_xml_free_of_sitemap(make_site):
    site = make_site({"articles/h.md": HAND}).parent
    rebuild(site)
    locs = [e.text for e in ElementTree.parse(site / "_site/sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/2021/05/harbour-reopens/" in locs and not any("/v/" in loc for loc in locs)


def _import(archive: Path, crawl: Path):
    result = run_cli("import", crawl, "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    return result


def test_a_later_crawl_adds_a_version_to_the_imported_article_and_keeps_the_users_edits(archive, tmp_path):
    first = write_crawl(tmp_path / "a.warc.gz", [(URL, page(FIRST), "2024-03-05T10:00:00Z"),
                                                 (URL, page(FIRST + " Late edit."), "2024-03-05T12:00:00Z")])
    later = write_crawl(tmp_path / "b.warc.gz", [(URL, page(SECOND, "Third."), "2024-03-07T10:00:00Z")])
    _import(archive, first)
    path = archive.parent / "articles" / f"{SLUG}.md"
    edited = path.read_text(encoding="utf-8").replace("lang: en\n", "lang: en\ntags: [Mine]\n").replace("Late edit.", "Late edit, by hand.")
    path.write_text(edited, encoding="utf-8")

    dry = run_cli("import", later, "--config", archive, "--dry-run")
    assert f"would update {path.relative_to(archive.parent).as_posix()}" in dry.out.replace(str(archive.parent) + "/", "")
    assert path.read_text(encoding="utf-8") == edited
    result = _import(archive, later)
    assert result.out.splitlines()[-1].endswith("; updated 1 with later captures")
    assert "is kept as a version" in result.out
    text = path.read_text(encoding="utf-8")
    assert "tags: [Mine]\n" in text  # a key the user added stays
    assert [line for line in text.splitlines() if line.startswith("  - captured:")] == [
        "  - captured: 2024-03-05T10:00:00Z", "  - captured: 2024-03-05T12:00:00Z"]
    assert "Late edit, by hand." in text  # the text it had, edited, is kept whole as a version
    assert text.split("\n---\n", 1)[1] == f"{SECOND}\n\n{LONG}\n\nThird.\n"
    assert re.search(r'\nprovenance:\n(  .*\n)*  captured: "?2024-03-07T10:00:00Z"?\n', text) and text.count("import_sha256:") == 1
    assert text.count("provenance:") == 1
    again = _import(archive, later)
    assert "1 already imported" in again.out and path.read_text(encoding="utf-8") == text
    assert "1 already imported" in _import(archive, first).out and path.read_text(encoding="utf-8") == text
    built = run_cli("build", "--config", archive)
    assert built.code == 0 and "0 warnings" in built.out, built.err
    assert (archive.parent / "_site" / SLUG / "v/20240305120000/index.html").is_file()


def test_a_later_capture_of_an_article_without_a_capture_time_leaves_the_file_alone(archive, tmp_path):
    _import(archive, write_crawl(tmp_path / "a.warc.gz", [(URL, page(FIRST), "2024-03-05T10:00:00Z")]))
    path = archive.parent / "articles" / f"{SLUG}.md"
    before = path.read_text(encoding="utf-8")
    if "provenance:" in before:  # imports that record provenance for every article: take it out, as in older archives
        before = re.sub(r"provenance:\n(  .*\n)+", "", before)
        path.write_text(before, encoding="utf-8")
    result = _import(archive, write_crawl(tmp_path / "b.warc.gz", [(URL, page(SECOND), "2024-03-07T10:00:00Z")]))
    assert f"{SLUG}.md: warning: a later capture of its page" in result.err and "records no capture time" in result.err
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (archive.parent / "articles").rglob("*.md")) == ["council-passes-the-budget.md"]


def test_an_empty_versions_key_is_no_versions(make_site):
    site = make_site({"articles/a.md": "---\ntitle: A\ndate: 2021-05-15\nversions:\n---\nText.\n",
                      "articles/b.md": "---\ntitle: B\ndate: 2021-05-15\nversions: []\n---\nText.\n"}).parent
    rebuild(site)
    assert not list((site / "_site").rglob("v")) and not (site / "_site/_headers").exists()


def test_hostile_versions_are_bounded_and_named(make_site):
    deep = "\n".join(">" * 80 + " deep" for _ in range(2))
    files = {
        "articles/deep.md": f"---\ntitle: Deep\ndate: 2021-05-15T10:00:00Z\nversions:\n  - captured: 2021-05-14T10:00:00Z\n    body: |\n"
                            + "".join(f"      {line}\n" for line in deep.split("\n")) + "---\nNow.\n",
        "articles/js.md": "---\ntitle: Js\ndate: 2021-05-15T10:00:00Z\nversions:\n  - captured: 2021-05-14T10:00:00Z\n"
                          "    body: '[x](javascript:alert(1))'\n---\nNow.\n",
        "articles/gone.md": "---\ntitle: Gone\ndate: 2021-05-15T10:00:00Z\nstatus: withdrawn\nversions:\n  - captured: 2021-05-14T10:00:00Z\n"
                            "    body: The secret text.\n---\nWithdrawn.\n",
    }
    config = make_site(files)
    result = run_cli("build", "--config", config, "--keep-going")
    assert result.code == 0, result.err
    assert "deep.md:" in result.err and "nest" in result.err
    assert "js.md:6: warning: a version's body links to 'javascript:alert(1)'" in result.err
    site = config.parent / "_site"
    assert not list(site.rglob("gone/v")) and "The secret text" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".txt", ""))
    assert "javascript" not in next(site.rglob("js/v/*/index.html")).read_text(encoding="utf-8")


def test_a_version_url_keeps_answering_when_its_article_moves_or_the_version_goes(make_site, tmp_path):
    site = make_site({"articles/2021/harbour.md": HAND}).parent
    rebuild(site)
    record = (site / "published-urls.txt").read_text(encoding="utf-8")
    assert "/2021/05/harbour-reopens/v/20210515080000/\tversion\t2021/harbour.md\n" in record
    edit(site, "2021/harbour.md", "title: Harbour reopens\n", "title: Harbour reopens to ships\n")
    rebuild(site)
    old = (site / "_site/2021/05/harbour-reopens/v/20210515080000/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/2021/05/harbour-reopens-to-ships/v/20210515080000/">' in old
    assert (site / "_site/2021/05/harbour-reopens-to-ships/v/20210515080000/index.html").is_file()
    assert "/2021/05/harbour-reopens/v/20210515080000/ /2021/05/harbour-reopens-to-ships/v/20210515080000/ 301" in \
        (site / "_site/_redirects").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path)
    edit(site, "2021/harbour.md", "  - captured: 2021-05-15T08:00:00Z\n    title: Harbour to reopen\n    body: |\n"
                                  "      The harbour will reopen <b>soon</b>.\n", "")
    rebuild(site)
    gone = (site / "_site/2021/05/harbour-reopens-to-ships/v/20210515080000/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/2021/05/harbour-reopens-to-ships/">' in gone  # the version is gone: its article
    assert tree(site / "_site") == clean_build(site, tmp_path)
