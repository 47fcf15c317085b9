"""The red team's findings on provenance, versions and translations (issue 26), each as the
concrete outcome the fix gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import article, clean_build, edit_article as edit, rebuild, tree
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build

SITE_CONFIG = "title: t\nbase_url: http://localhost:8000/\nlanguage: en\nsearch: false\n"


def failing_build(site: Path):
    report = build(load_config(site / "config.yaml"), BuildOptions(jobs=1))
    assert not report.ok
    return report


# a failed build never poisons the cache ------------------------------------------------

def provenance_article(file_value: str) -> str:
    return article("B", "2021-05-15T11:00:00Z", "Text.", slug="b",
                   provenance=f"\n  url: https://wire.example/b\n  captured: 2021-05-15T12:00:00Z\n  file: {file_value}")


@pytest.mark.parametrize("fixed", ["'other.warc.gz'", '"crawl.warc.gz"'])
def test_fixing_a_provenance_line_after_a_failed_build_builds(make_site, tmp_path, fixed):
    site = make_site({"articles/b.md": provenance_article('"crawl.warc.gz"')}, config=SITE_CONFIG).parent
    rebuild(site)
    (site / "articles/b.md").write_text(provenance_article('"C:\\Users\\x.warc"'), encoding="utf-8")  # \U: bad YAML escape
    report = failing_build(site)
    assert any("b.md" in str(p) for p in report.problems)
    (site / "articles/b.md").write_text(provenance_article(fixed), encoding="utf-8")
    rebuild(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    rebuild(site)  # and the one after
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_an_edit_parsed_by_a_failed_build_is_not_lost(make_site, tmp_path):
    files = {"articles/b.md": provenance_article('"crawl.warc.gz"'),
             "articles/c.md": article("C", "2021-05-16T11:00:00Z", "Old body.", slug="c")}
    site = make_site(files, config=SITE_CONFIG).parent
    rebuild(site)
    (site / "articles/b.md").write_text(provenance_article('"C:\\Users\\x.warc"'), encoding="utf-8")
    edit(site, "c.md", "Old body.", "New body.")  # parsed and cached by the build that fails
    failing_build(site)
    (site / "articles/b.md").write_text(provenance_article("'other.warc.gz'"), encoding="utf-8")
    rebuild(site)
    page = (site / "_site/2021/05/c/index.html").read_text(encoding="utf-8")
    assert "New body." in page and "Old body." not in page
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_text_edit_after_a_success_still_renders_from_the_records(make_site):
    site = make_site({"articles/b.md": provenance_article('"crawl.warc.gz"')}, config=SITE_CONFIG).parent
    rebuild(site)
    (site / "articles/b.md").write_text(provenance_article('"C:\\Users\\x.warc"'), encoding="utf-8")
    failing_build(site)
    (site / "articles/b.md").write_text(provenance_article('"crawl.warc.gz"'), encoding="utf-8")
    assert not rebuild(site).from_records  # after a failure: the normal rebuild
    edit(site, "b.md", "Text.", "More text.")
    assert rebuild(site).from_records  # the success recorded: edits take the quick way again


# version URLs, provenance file URIs, control characters in versions -----------------------

def build_report(site: Path):
    report = rebuild(site)
    return report, [str(p) for p in report.problems]


def test_a_year_1_version_gets_a_14_digit_url(make_site):
    text = article("T", "2021-01-01T00:00:00Z", "Current body.", slug="t",
                   versions='\n  - {captured: 0001-01-01T00:00:00Z, body: "ancient"}')
    site = make_site({"articles/t.md": text}, config=SITE_CONFIG).parent
    rebuild(site)
    assert (site / "_site/2021/01/t/v/00010101000000/index.html").is_file()
    assert not (site / "_site/2021/01/t/v/10101000000").exists()


def test_the_importer_writes_year_1_with_four_digits():
    from newsarchive.importers.captures import capture_time, utc_text
    assert utc_text(capture_time("00010101000000")) == "0001-01-01T00:00:00Z"


def test_a_file_uri_in_provenance_is_cut_to_its_name_with_a_warning(make_site):
    site = make_site({"articles/b.md": provenance_article("'file:///home/alice/x.warc.gz'")}, config=SITE_CONFIG).parent
    _, problems = build_report(site)
    assert [p for p in problems if "b.md:8" in p and "'provenance.file' is an absolute path" in p and "'x.warc.gz'" in p], problems
    published = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (site / "_site").rglob("*") if p.is_file())
    assert "/home/alice" not in published and "file:///" not in published
    assert "x.warc.gz" in (site / "_site/2021/05/b/index.html").read_text(encoding="utf-8")


def test_control_characters_in_a_version_warn_naming_file_and_line(make_site):
    text = article("T", "2021-01-01T00:00:00Z", "Current body.", slug="t", updated="2021-02-01T00:00:00Z",
                   versions='\n  - {captured: 2021-01-05T00:00:00Z, title: "old\\u0001title", body: "x\\u0001y"}')
    site = make_site({"articles/t.md": text}, config=SITE_CONFIG).parent
    _, problems = build_report(site)
    line = text.split("\n").index('  - {captured: 2021-01-05T00:00:00Z, title: "old\\u0001title", body: "x\\u0001y"}') + 1
    assert [p for p in problems if f"t.md:{line}" in p and "'versions' body" in p and "U+0001" in p], problems
    assert [p for p in problems if f"t.md:{line}" in p and "'versions' title" in p and "U+0001" in p], problems
    version = (site / "_site/2021/01/t/v/20210105000000/index.html").read_text(encoding="utf-8")
    assert "\x01" not in version and "xy" in version


# captures: markup-only changes, same-second captures; translation keys on import --------------

def capture(identity: str, title: str, body: str, captured: str):
    from newsarchive.importers.model import ImportedArticle
    return ImportedArticle(f"crawl.warc.gz: {identity}", identity, title, "2021-05-15", body, "en", captured=captured)


def test_captures_differing_only_in_emphasis_are_one_version():
    from newsarchive.importers.captures import with_versions
    plain = "The strike began on Monday morning.\n\nUnion leaders spoke."
    first = capture("a", "Port strike", plain, "2021-05-15T12:00:00Z")
    bold = capture("b", "Port strike", plain.replace("Monday", "**Monday**").replace("Union", "_Union_"), "2021-05-16T12:00:00Z")
    last = capture("c", "Port strike", "The strike began on Monday morning.\n\nTalks opened on Wednesday.", "2021-05-17T12:00:00Z")
    article, duplicates = with_versions([first, bold, last])
    assert article.identity == "c"
    assert [(v.captured, v.body) for v in article.versions] == [("2021-05-15T12:00:00Z", plain)]
    assert [d.origin for d in duplicates] == ["crawl.warc.gz: b"]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_of_two_captures_in_one_second_the_later_by_its_fraction_wins(order):
    from newsarchive.importers.captures import with_versions
    captures = [capture("zz-a", "Dup A", "Text A.", "2021-07-02T12:00:00.2Z"), capture("aa-b", "Dup B", "Text B.", "2021-07-02T12:00:00.7Z")]
    article, duplicates = with_versions([captures[i] for i in order])
    assert (article.title, article.versions) == ("Dup B", ())
    assert [d.origin for d in duplicates] == ["crawl.warc.gz: zz-a"]


def test_a_same_second_capture_repeating_the_text_before_is_no_new_version():
    from newsarchive.importers.captures import with_versions
    article, _ = with_versions([capture("1", "T", "One.", "2021-07-01T10:00:00Z"), capture("2", "T", "Two.", "2021-07-02T12:00:00.2Z"),
                                capture("3", "T", "One.", "2021-07-02T12:00:00.7Z"), capture("4", "T", "Three.", "2021-07-03T10:00:00Z")])
    assert [(v.captured, v.body) for v in article.versions] == [("2021-07-01T10:00:00Z", "One.")]


def write_warc(path: Path, url: str, html: str, date: str) -> Path:
    import io
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=http,
                                                      warc_headers_dict={"WARC-Date": date}))
    return path


def test_import_never_gives_a_key_whose_group_has_the_language_already(make_site, tmp_path):
    from conftest import run_cli
    files = {"articles/a.md": "---\ntitle: En\ndate: 2021-07-01\nlang: en\nslug: en1\nsource_url: https://wire.example/en/tram\ntranslation_key: X\n---\nA.\n",
             "articles/c.md": "---\ntitle: De other\ndate: 2021-07-01\nlang: de\nslug: de0\ntranslation_key: X\n---\nB.\n"}
    config = make_site(files, config=SITE_CONFIG)
    de = "https://wire.example/de/tram"
    html = (f'<!doctype html><html lang="de"><head><meta charset="utf-8"><meta property="og:title" content="Strassenbahn Budget">'
            f'<meta property="article:published_time" content="2021-07-01T08:00:00Z"><link rel="alternate" hreflang="de" href="{de}">'
            '<link rel="alternate" hreflang="en" href="https://wire.example/en/tram"></head><body><article><h1>Strassenbahn Budget</h1>'
            "<p>Der Stadtrat hat am Montag das Budget für die neue Strassenbahnlinie nach einer langen Debatte über Kosten und Zeitplan genehmigt.</p>"
            "<p>Die Arbeiten sollen im nächsten Frühjahr beginnen und etwa drei Jahre dauern, sagten die Verantwortlichen der Stadt.</p>"
            "</article></body></html>")
    result = run_cli("import", write_warc(tmp_path / "in.warc", de, html, "2021-07-01T12:02:00Z"), "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    imported = [p for p in (config.parent / "articles").rglob("*.md") if p.name not in ("a.md", "c.md")]
    assert len(imported) == 1 and "translation_key" not in imported[0].read_text(encoding="utf-8")
    rebuild(config.parent)  # the archive still builds


# a caption's credit is stored without its "Photo:" marker -----------------------------------

@pytest.mark.parametrize("line, text, credit", [
    ("The new quay on opening day (Photo: AFP)", "The new quay on opening day", "AFP"),
    ("The harbour (Photo : Tasnim)", "The harbour", "Tasnim"),
    ("Dockers at work (AFP photo)", "Dockers at work", "AFP"),
    ("The square (أ ف ب)", "The square", "أ ف ب"),
    ("The port ©Tasnim/Archives", "The port", "Tasnim/Archives"),
])
def test_a_caption_credit_is_kept_without_its_marker(line, text, credit):
    from newsarchive.importers.markers import caption
    found = caption(line)
    assert (found.text, found.credit) == (text, credit)


def test_a_scraped_credit_is_shown_once_as_photo_name(make_site, tmp_path):
    from conftest import run_cli
    config = make_site({}, config=SITE_CONFIG)
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    (scrape / "strike.txt").write_text("TV\n\nPort strike enters its third day\n\nThe harbour (Photo : Tasnim)\n\n"
                                       "The strike continued on Monday.\n\nSOURCE: Harbour Wire\n", encoding="utf-8")
    result = run_cli("import", scrape, "--date", "2021-05-15", "--config", config)
    assert result.code == 0, result.err
    (written,) = (config.parent / "articles").rglob("*.md")
    assert '    credit: "Tasnim"' in written.read_text(encoding="utf-8")
    rebuild(config.parent)
    pages = "".join(p.read_text(encoding="utf-8") for p in (config.parent / "_site/2021").rglob("index.html"))
    assert '<span class="na-credit">Photo: <bdi>Tasnim</bdi></span>' in pages and "Photo: <bdi>Photo" not in pages


def test_a_crawled_page_keeps_its_other_pictures_captions(make_site, tmp_path):
    from conftest import run_cli
    config = make_site({}, config=SITE_CONFIG)
    html = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Quay opens">'
            '<meta property="article:published_time" content="2024-03-05T10:00:00Z"><meta property="og:image" content="https://wire.example/img/q.png">'
            '</head><body><article><h1>Quay opens</h1>'
            '<figure><img src="https://wire.example/img/q.png"><figcaption>The new quay on opening day (Photo: AFP)</figcaption></figure>'
            "<p>The new quay opened on Tuesday after three years of works, the harbour authority said, welcoming the first container ship.</p>"
            "<p>Officials said the quay would double the port capacity and create hundreds of jobs in the region over the next decade.</p>"
            '<figure><img src="https://wire.example/img/other.jpg"><figcaption>Dockers at work (AFP photo)</figcaption></figure>'
            "</article></body></html>")
    result = run_cli("import", write_warc(tmp_path / "in.warc", "https://wire.example/quay", html, "2024-03-06T10:15:30Z"), "--config", config)
    assert result.code == 0, result.err
    (written,) = (config.parent / "articles").rglob("*.md")
    text = written.read_text(encoding="utf-8")
    # the lead image is not in this crawl: both captions are listed, each credit without its marker
    assert 'captions:\n  - text: "The new quay on opening day"\n    credit: "AFP"\n  - text: "Dockers at work"\n    credit: "AFP"\n' in text
    rebuild(config.parent)
    page = (config.parent / "_site/2024/03/quay-opens/index.html").read_text(encoding="utf-8")
    assert "Dockers at work" in page and "Photo: <bdi>Photo" not in page


# captures of one URL written differently are one article --------------------------------------

@pytest.mark.parametrize("spelling", ["https://wire.example/a", "https://WIRE.example/a", "HTTPS://wire.example:443/a",
                                      "https://wire.example/a#frag", "http://wire.example/a", "https://wire.example/a/",
                                      "https://wire.example/a?utm_source=feed&utm_medium=rss", "https://wire.example/a?fbclid=IwAR0x"])
def test_url_spellings_of_one_page_have_one_key(spelling):
    from newsarchive.importers.captures import url_key
    assert url_key(spelling) == "//wire.example/a"


def test_url_key_keeps_what_tells_pages_apart():
    from newsarchive.importers.captures import url_key
    assert url_key("http://x.example:8080/A?q=1#f") == "//x.example:8080/A?q=1"
    assert url_key("http://x.example") == "//x.example/"
    assert url_key("https://wire.example/a") != url_key("https://wire.example/A")
    assert url_key("https://wire.example/a?id=1") != url_key("https://wire.example/a?id=2")
    assert url_key("https://wire.example/a?b=2&a=1") == url_key("https://wire.example/a?a=1&b=2")


def test_captures_of_one_url_spelled_differently_are_one_article_with_versions(make_site, tmp_path):
    import io
    from conftest import run_cli
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    config = make_site({}, config=SITE_CONFIG)
    spellings = ["https://wire.example/a", "https://WIRE.example/a", "https://wire.example:443/a", "https://wire.example/a#frag"]
    crawl = tmp_path / "in.warc"
    with open(crawl, "wb") as output:
        writer = WARCWriter(output, gzip=False)
        for day, url in enumerate(spellings, start=2):
            html = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Tram budget">'
                    '<meta property="article:published_time" content="2021-07-01T08:00:00Z"></head><body><article><h1>Tram budget</h1>'
                    f"<p>The city council approved the budget for the new tram line, in its reading number {day}, after a long debate on costs.</p>"
                    "<p>Works should start next spring and last about three years, officials said, with the first trams before the decade ends.</p>"
                    "</article></body></html>")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": f"2021-07-0{day}T12:00:00Z"}))
    result = run_cli("import", crawl, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    (written,) = (config.parent / "articles").rglob("*.md")
    text = written.read_text(encoding="utf-8")
    assert "reading number 5" in text.split("\n---\n", 1)[1] and text.count("  - captured: ") == 3
