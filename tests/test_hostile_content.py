"""Hostile content, by class: URLs with schemes a browser would run, files that would run on the
archive's domain, text XML cannot carry, bidirectional controls left open. Each case asserts
what is published (or not) and what the build says, with file and line.

The classes and where they are closed: urlpolicy.py (one rule for every URL), filepolicy.py
(what from articles/ may be published), usertext.py (XML-safe, bidi-balanced text)."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import article, assert_xml_parses, run_cli, tiny_jpeg
from newsarchive.filepolicy import file_problem, raster_kind, svg_problem
from newsarchive.urlpolicy import url_problem
from newsarchive.usertext import balance_bidi, clean_text

CONFIG = "title: Hostile\nbase_url: https://example.org/\nsearch: false\n"
_URL_ATTR = re.compile(r"""\s(?:href|src|srcset|action|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def build(make_site, files: dict, *flags: str, config: str = CONFIG):
    site = make_site({"articles/2021/ok.md": article("Calm news", "2021-01-02", "Nothing happened."), **files}, config=config)
    return run_cli("build", "--config", site, "--jobs", "1", *flags), site.parent / "_site"


def published_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in (".html", ".xml", ".json"))


def script_urls(out: Path) -> list[str]:
    """Every href/src/srcset value of every HTML and XML file that a browser would read as a script or data URL."""
    import html as html_module
    found = []
    for page in sorted(out.rglob("*")):
        if page.suffix not in (".html", ".xml") or not page.is_file():
            continue
        for match in _URL_ATTR.finditer(page.read_text(encoding="utf-8")):
            value = html_module.unescape(next(g for g in match.groups() if g is not None))
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if re.match(r"(javascript|data|vbscript|file):", squeezed) or re.search(r"(^|,)\s*(javascript|data|vbscript):", squeezed):
                found.append(f"{page.name}: {value}")
    return found


# -- one archive holding every hostile article and file of the classes below, built once ---------

SCRIPT_URLS = [
    "javascript:alert(document.domain)", " JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)", "javascript&colon;alert(1)", "\x01javascript:alert(1)", "file:///etc/passwd",
    "DATA:image/svg+xml;base64,PHN2Zz4=", "jav&#x09;ascript:alert(1)", "livescript:x", "x-javascript:alert(1)",
]
URL_FIELDS = [
    ("source_url", "javascript://example.org/%0Aalert(1)"),
    ("source_url", "https://example.org/\\evil"),
    ("image", "javascript:alert(1)"),
    ("image", "data:image/png;base64,iVBORw0KGgo="),
    ("image", "//evil.example/x.jpg"),
    ("image", "vbscript:x.jpg"),
    ("image", "page.html"),
    ("website", "javascript:alert(1)"),
    ("logo_url", "data:text/html,x"),
]
BODY_LINKS = [
    ("[x](javascript:alert(1))", None),
    ("[x]( JaVaScRiPt:alert(1))", None),
    ("[x](&#106;avascript:alert(1))", None),
    ('<a href="java&#x09;script:alert(1)">x</a>', None),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", None),
    ('<img src="x.jpg" srcset="javascript:alert(1) 1x, data:image/svg+xml,x 2x">', None),
    ("[x](vbscript:msgbox)", None),
    ("[x](tel:+331234)", None),
    ("[x](//cdn.example.org/page)", "https://cdn.example.org/page"),
    ("[x](mailto:desk@example.org)", "mailto:desk@example.org"),
]
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="4" height="3">'
ACTIVE_SVGS = {
    "script": SVG_OPEN + "<script>alert(1)</script></svg>",
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "ONLOAD upper case": '<svg xmlns="http://www.w3.org/2000/svg" ONLOAD="alert(1)"/>',
    "handler on a shape": SVG_OPEN + '<rect width="1" height="1" onmouseover="alert(1)"/></svg>',
    "foreignObject": SVG_OPEN + '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></body></foreignObject></svg>',
    "link": SVG_OPEN + '<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>',
    "use of another file": SVG_OPEN + '<use href="https://evil.example/x.svg#a"/></svg>',
    "animation setting a link": SVG_OPEN + '<set attributeName="href" to="javascript:alert(1)"/></svg>',
    "entity": '<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;">]>' + SVG_OPEN + "<text>&x;</text></svg>",
    "stylesheet instruction": '<?xml-stylesheet type="text/xsl" href="evil.xsl"?>' + SVG_OPEN + "</svg>",
    "style element": SVG_OPEN + "<style>@import url(https://evil.example/x.css);</style></svg>",
    "external fill": SVG_OPEN + '<rect width="1" height="1" fill="url(https://evil.example/p.svg#g)"/></svg>',
    "html root": '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "not xml": "<svg><script>alert(1)</svg",
}


RUNNABLE_FILES = [
    ("photo.jpg", b"<html><script>alert(1)</script></html>"),
    ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("photo.webp", b"%PDF-1.4 not an image"),
    ("page.html", b"<p>hello</p>"),
    ("app.js", b"alert(1)"),
    ("feed.xml", b"<?xml version='1.0'?><x/>"),
    ("shell.php", b"<?php system($_GET['c']); ?>"),
    ("notes", b"<!doctype html><script>alert(1)</script>"),
    ("readme.dat", b"  <script>alert(1)</script>"),
    ("shell.php.jpg", None),  # a real JPEG, but Apache may run any name holding .php
    ("page.HTML", b"<p>x</p>"),
    ("utf8-bom", b"\xef\xbb\xbf<html><script>alert(1)</script>"),
]
INERT_SVG = SVG_OPEN + ('<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
                        '<rect width="4" height="3" fill="url(#g)"/><use xlink:href="#g"/></svg>')
XML_FIELDS = [  # field, YAML value, line of the warning
    ("title", '"Vertical\\vtab"', 2),
    ("title", '"Escape \\e[31m red"', 2),
    ("tags", '["ok", "bad\\x01tag"]', 4),
    ("summary", '"Summary \\x08 backspace"', 6),
    ("source", '"Agency \\uFFFE"', 6),
    ("author", '"Jane \\x1f Doe"', 6),
    ("image_caption", '"Caption \\x0c"', 6),
    ("section", '"World\\x7f\\x02"', 6),
]
XML_BODIES = ["Form\x0cfeed in the text.", "Entity &#1; and &#x0B; in text.", "Bell\x07 and &#xFFFF;."]
BIDI_FIELDS = ["title", "source", "tags", "author", "section", "summary", "image_caption", "image_credit"]


def _yaml_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n").replace("\x01", "\\x01") + '"'


def _hostile_files() -> dict:
    files: dict = {"articles/2021/ok.md": article("Calm news", "2021-01-02", "Nothing happened.")}
    for n, url in enumerate(SCRIPT_URLS):
        files[f"articles/related/r{n}.md"] = article(f"Related {n}", "2021-05-15", "Text.", related=f"\n  - {{title: Read this, url: {_yaml_quoted(url)}}}")
    for n, (key, value) in enumerate(URL_FIELDS):
        files[f"articles/fields/f{n}.md"] = article(f"Field {n}", "2021-05-15", "Text.", **{key: _yaml_quoted(value)})
    files["articles/fields/page.html"] = "<p>x</p>"
    for n, (body, _) in enumerate(BODY_LINKS):
        files[f"articles/body/b{n}.md"] = article(f"Body {n}", "2021-05-15", "Intro.\n\n" + body)
    for n, name in enumerate(sorted(ACTIVE_SVGS)):
        files[f"articles/svg/s{n}.md"] = article(f"Map {n}", "2021-05-15", f"Text.\n\n![map](map{n}.svg)", image=f"map{n}.svg")
        files[f"articles/svg/map{n}.svg"] = ACTIVE_SVGS[name]
    files["articles/svg/inert.md"] = article("Inert map", "2021-05-15", "Text.", image="inert.svg")
    files["articles/svg/inert.svg"] = INERT_SVG
    for name, data in RUNNABLE_FILES:
        files[f"articles/files/{name}"] = tiny_jpeg() if data is None else data
    for n, (field, value, _) in enumerate(XML_FIELDS):
        fields = {"tags": "[port]", "image": "../2021/a.jpg", field: value}
        files[f"articles/xml/x{n}.md"] = article(fields.pop("title", f"Xml {n}"), "2021-05-15", "Text.", **fields)
    for n, body in enumerate(XML_BODIES):
        files[f"articles/xmlbody/y{n}.md"] = article(f"Xml body {n}", "2021-05-15", "Intro.\n\n" + body)
    for n, field in enumerate(BIDI_FIELDS):
        fields = {"image": "../2021/a.jpg", "tags": "[port]", "slug": f"bidi-{n}", field: '"Evil \\u202e gnirts"'}
        files[f"articles/bidi/d{n}.md"] = article(fields.pop("title", f"Bidi {n}"), "2021-05-15", "Text.", **fields)
    from PIL import Image
    gif = io.BytesIO()
    Image.new("RGB", (4, 3), (9, 9, 9)).save(gif, format="GIF")
    files |= {"articles/2021/a.jpg": tiny_jpeg(), "articles/2021/b.gif": gif.getvalue(),
              "articles/2021/report.pdf": b"%PDF-1.4\n%\xe2\xe3\n", "articles/2021/data.csv": "a,b\n1,2\n"}
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(result without --keep-going, result with it, the built site) of one archive holding every case."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "config.yaml").write_text(CONFIG + "news_sitemap: true\n", encoding="utf-8")
    for rel, data in _hostile_files().items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    strict = run_cli("build", "--config", root / "config.yaml", "--jobs", "1", "--verbose")
    assert strict.code == 1 and not (root / "_site").exists()
    kept = run_cli("build", "--config", root / "config.yaml", "--jobs", "1", "--keep-going", "--verbose")
    assert kept.code == 0, kept.err
    return strict, kept, root / "_site"


def test_the_hostile_archive_publishes_no_script_url_and_only_well_formed_xml(hostile):
    _, kept, out = hostile
    assert script_urls(out) == []
    assert assert_xml_parses(out) >= 8  # feeds of the site, tags, sections; sitemap; news sitemap
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", published_text(out))
    assert "Traceback" not in kept.err


# -- class 1: URL schemes in front matter -----------------------------------------------------

@pytest.mark.parametrize("n", range(len(SCRIPT_URLS)), ids=[repr(u)[1:25] for u in SCRIPT_URLS])
def test_read_also_url_with_a_script_scheme_is_an_error_naming_file_and_line(hostile, n):
    strict, kept, out = hostile
    pattern = rf"related/r{n}\.md:5: error: 'related\.url' .*(scheme|':' in its first part|control character)"
    assert re.search(pattern, strict.err), strict.err
    assert re.search(pattern, kept.err)
    assert not (out / f"2021/05/related-{n}/index.html").exists()  # skipped by --keep-going


@pytest.mark.parametrize("n", range(len(URL_FIELDS)), ids=[f"{k}={v[:20]}" for k, v in URL_FIELDS])
def test_every_url_field_of_the_front_matter_follows_the_policy(hostile, n):
    strict, kept, out = hostile
    assert f"fields/f{n}.md:4: error: '{URL_FIELDS[n][0]}'" in strict.err, strict.err
    assert not (out / f"2021/05/field-{n}/index.html").exists()


def test_a_nested_url_key_is_checked_with_its_own_line(make_site):
    text = "---\ntitle: Imported\ndate: 2021-05-15\nprovenance:\n  file: crawl.warc.gz\n  url: \"javascript:alert(1)\"\n---\nText.\n"
    result, _ = build(make_site, {"articles/2021/imp.md": text})
    assert result.code == 1
    assert "2021/imp.md:6: error: 'provenance.url'" in result.err, result.err


def test_a_read_also_site_path_is_written_relative_and_a_web_address_as_it_is(make_site):
    text = article("Port strike", "2021-05-15", "Text.",
                   related='\n  - {title: Archive, url: /archive/}\n  - {title: Elsewhere, url: "https://news.example/x"}\n  - {title: Mail, url: "mailto:desk@example.org"}')
    result, out = build(make_site, {"articles/2021/strike.md": text})
    assert result.code == 0, result.err
    page = (out / "2021/05/port-strike/index.html").read_text(encoding="utf-8")
    assert '<a href="../../../archive/">Archive</a>' in page
    assert 'href="https://news.example/x"' in page and 'href="mailto:desk@example.org"' in page


@pytest.mark.parametrize("url,allowed", [
    ("https://example.org/a?b=1#c", True), ("HTTP://EXAMPLE.ORG/", True), ("mailto:a@example.org", True),
    ("/2021/05/x/", True), ("../images/a.jpg", True), ("images/a b.jpg", True), ("#top", True),
    ("https://", False), ("https:///path", False), ("//evil.example", False), ("/\\evil.example", False),
    ("\\\\evil.example\\x", False), ("tel:+331234", False), ("ftp://example.org/x", False), ("a:b", False),
    ("https://user@:80/", False), ("  javascript:x  ", False), ("jav\u0000ascript:x", False),
])
def test_url_policy_reads_urls_as_a_browser_does(url, allowed):
    assert (url_problem(url) is None) is allowed, url_problem(url)


# -- class 1b: links and images in bodies ------------------------------------------------------

@pytest.mark.parametrize("n", range(len(BODY_LINKS)), ids=[b[:25] for b, _ in BODY_LINKS])
def test_body_links_outside_the_policy_are_dropped(hostile, n):
    _, kept, out = hostile
    page = (out / f"2021/05/body-{n}/index.html").read_text(encoding="utf-8")
    body = page.split('<div class="na-body"')[1].split("</div>")[0]
    assert "tel:" not in body and "javascript" not in body.lower() and "data:" not in body
    if BODY_LINKS[n][1]:
        assert f'href="{BODY_LINKS[n][1]}"' in body
    elif "srcset" in BODY_LINKS[n][0]:
        assert "srcset" not in body.split("<picture>")[0]  # the sanitizer keeps no srcset of a body (it checks no URL in one)
    else:  # at the line the link is written on when it is written as the browser reads it, else where the text starts
        line = 7 if BODY_LINKS[n][0].startswith("[x](") and "&" not in BODY_LINKS[n][0] and " " not in BODY_LINKS[n][0] else 5
        assert re.search(rf"body/b{n}\.md:({line}|7): warning: the body links to .*the link is left out", kept.err), kept.err


# -- class 2: active content in published files ------------------------------------------------

@pytest.mark.parametrize("n", range(len(ACTIVE_SVGS)), ids=sorted(ACTIVE_SVGS))
def test_an_svg_that_can_run_or_load_anything_is_not_published(hostile, n):
    _, kept, out = hostile
    assert f"svg/map{n}.svg: warning: 'svg/map{n}.svg' is not published" in kept.err, kept.err
    assert not (out / f"svg/map{n}.svg").exists()
    assert f"svg/s{n}.md:4: warning: image 'map{n}.svg' not found" in kept.err


def test_an_inert_svg_drawing_is_published_as_it_is(hostile):
    _, kept, out = hostile
    assert "'svg/inert.svg' is not published" not in kept.err
    assert (out / "svg/inert.svg").read_text(encoding="utf-8") == INERT_SVG


@pytest.mark.parametrize("name", [name for name, _ in RUNNABLE_FILES])
def test_files_a_browser_or_server_would_run_are_not_published(hostile, name):
    _, kept, out = hostile
    assert f"files/{name}: warning: 'files/{name}' is not published" in kept.err, kept.err
    assert not (out / "files" / name).exists()


@pytest.mark.parametrize("name", ["a.jpg", "b.gif", "report.pdf", "data.csv"])
def test_real_rasters_and_plain_files_are_published(hostile, name):
    _, kept, out = hostile
    assert (out / "2021" / name).is_file() and f"'2021/{name}' is not published" not in kept.err


def test_sniffing_reads_bytes_not_names():
    assert raster_kind(tiny_jpeg()) == "JPEG"
    assert raster_kind(b"RIFF\0\0\0\0WEBPVP8 ") == "WebP" and raster_kind(b"\0\0\0\x1cftypavif") == "AVIF"
    assert file_problem("x.JPG", b"<html>", lambda: b"<html>") is not None
    assert file_problem("x.svg", b"", lambda: SVG_OPEN.encode() + b"</svg>") is None
    assert "script" in svg_problem(ACTIVE_SVGS["script"].encode())


# -- class 3: text XML cannot carry ------------------------------------------------------------

@pytest.mark.parametrize("n", range(len(XML_FIELDS)), ids=[f"{f}={v[:16]}" for f, v, _ in XML_FIELDS])
def test_a_field_with_characters_xml_forbids_is_cleaned_with_a_warning(hostile, n):
    _, kept, out = hostile
    field, _, line = XML_FIELDS[n]
    assert re.search(rf"xml/x{n}\.md:{line}: warning: '{field}' holds characters XML cannot carry", kept.err), kept.err


@pytest.mark.parametrize("n", range(len(XML_BODIES)))
def test_a_body_with_characters_xml_forbids_is_cleaned_with_a_warning(hostile, n):
    _, kept, out = hostile
    assert re.search(rf"xmlbody/y{n}\.md:\d+: warning: the text holds characters XML cannot carry", kept.err), kept.err
    feed = ElementTree.parse(out / "feed.xml").getroot()
    assert f"Xml body {n}" in ElementTree.tostring(feed, encoding="unicode")


def test_raw_control_characters_in_front_matter_are_a_warning_not_a_yaml_error(make_site):
    result, out = build(make_site, {"articles/2021/h.md": "---\ntitle: Raw \x0b tab\ndate: 2021-05-15\n---\nText.\n"})
    assert result.code == 0, result.err
    assert "2021/h.md:2: warning: the front matter holds characters XML cannot carry (U+000B)" in result.err
    assert "<title>Raw  tab</title>" in (out / "feed.xml").read_text(encoding="utf-8")


def test_cleaned_text_builds_the_same_bytes_twice(make_site, tmp_path):
    files = {"articles/2021/h.md": article('"Tab\\vtitle \\u202e open"', "2021-05-15", "Form\x0cfeed.", tags='["a\\x01b"]')}
    site = make_site({**files}, config=CONFIG)
    first = run_cli("build", "--config", site, "--output", tmp_path / "one")
    second = run_cli("build", "--config", site, "--output", tmp_path / "two", "--full")
    assert first.code == second.code == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two
    again = run_cli("build", "--config", site, "--output", tmp_path / "two")
    assert again.code == 0 and again.err.count("XML cannot carry") == first.err.count("XML cannot carry") == 3
    assert "up to date" in again.out  # the warnings are kept with the build: a no-change rebuild stays the quick path


# -- class 4: bidirectional controls -----------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("a \u202e b", "a \u202e b\u202c"),  # RLO closed
    ("a \u2067 b", "a \u2067 b\u2069"),  # RLI closed
    ("a \u202c b \u2069 c", "a  b  c"),  # closers without openers removed
    ("\u202b x \u2066 y \u202a z", "\u202b x \u2066 y \u202a z\u202c\u2069\u202c"),  # nested, closed in order
    ("\u2066 \u202e x \u2069 y", "\u2066 \u202e x \u202c\u2069 y"),  # a PDI closes the embedding opened inside it
    ("\u202e one\nline two", "\u202e one\u202c\nline two"),  # each paragraph closes its own
    ("balanced \u2067x\u2069", "balanced \u2067x\u2069"),
])
def test_bidi_controls_are_balanced(text, expected):
    assert balance_bidi(text) == expected
    assert clean_text(text)[0] == expected


@pytest.mark.parametrize("n", range(len(BIDI_FIELDS)), ids=BIDI_FIELDS)
def test_an_open_override_in_any_field_is_closed_where_it_is_shown(hostile, n):
    _, _, out = hostile
    shown = (out / f"2021/05/bidi-{n}/index.html").read_text(encoding="utf-8") + (out / "feed.xml").read_text(encoding="utf-8")
    assert "\u202e" in shown
    for match in re.finditer("\u202e", shown):
        assert "\u202c" in shown[match.end():].split("<")[0].split("&")[0], shown[match.start() - 20:match.end() + 40]


def test_user_text_is_isolated_in_pages(make_site):
    text = article('"Harbour \\u202e"', "2021-05-15", "Text.", tags="[Port]", section="World", source="Agency",
                   author="Jane Doe", image="a.jpg", image_caption="A caption", image_credit="Photographer")
    result, out = build(make_site, {"articles/2021/h.md": text, "articles/2021/a.jpg": tiny_jpeg()})
    assert result.code == 0, result.err
    page = (out / "2021/05/harbour/index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<h1 dir="auto">' in page
    assert '<bdi><a href="../../../tags/port/" rel="tag">Port</a></bdi>' in page
    assert '<bdi><a href="../../../authors/jane-doe/" rel="author">Jane Doe</a></bdi>' in page
    assert '<bdi class="na-caption">A caption</bdi>' in page and "<bdi>Photographer</bdi>" in page
    assert '<h2 class="na-card-title" dir="auto">' in home and "<bdi><a" in home
    assert "<title>Harbour \u202e\u202c · Hostile</title>" in page


@pytest.mark.parametrize("config,named", [
    ("extra: {logo_url: 'javascript:alert(1)'}\n", "'extra.logo_url' uses the scheme 'javascript:'"),
    ("extra: {social: {website: 'data:text/html,x'}}\n", "'extra.social.website' uses the scheme 'data:'"),
    ("base_url: 'https://example.org\\\\@evil.example/'\n", "base_url"),
])
def test_config_values_that_become_urls_follow_the_policy(make_site, config, named):
    site = make_site({"articles/a.md": article("A")}, config="title: T\n" + ("" if "base_url" in config else "base_url: https://example.org/\n") + config)
    result = run_cli("build", "--config", site)
    assert result.code != 0 and named in result.err and "config.yaml" in result.err, result.err


def test_a_slug_that_reads_like_a_scheme_is_never_linked_as_one(make_site):
    """With permalink /{slug}/, `slug: "javascript:alert(1)"` made the home page link `href="javascript:alert(1)/"`."""
    files = {"articles/a.md": article("Evil", "2021-05-15", "Text.", slug='"javascript:alert(1)"', image="data:x.jpg"),
             "articles/data:x.jpg": tiny_jpeg(),
             "articles/b.md": article("Other", "2021-05-16", "See [it](a.md) and ![pic](data:x.jpg).", related="[a.md]")}
    site = make_site(files, config=CONFIG + 'permalink: "/{slug}/"\n')
    result = run_cli("build", "--config", site, "--jobs", "1")
    assert result.code == 1 and "a.md:5: error: 'image' 'data:x.jpg' uses the scheme 'data:'" in result.err, result.err
    (site.parent / "articles/a.md").write_text(article("Evil", "2021-05-15", "Text.", slug='"javascript:alert(1)"'), encoding="utf-8")
    result = run_cli("build", "--config", site, "--jobs", "1")
    assert result.code == 0, result.err
    out = site.parent / "_site"
    assert script_urls(out) == []
    assert 'href="./javascript:alert(1)/"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("target,prefix,expected", [
    ("/javascript:alert(1)/", "", "./javascript:alert(1)/"),
    ("/data:x.jpg", "", "./data:x.jpg"),
    ("/a/b:c/", "", "a/b:c/"),
    ("/javascript:alert(1)/", "../", "../javascript:alert(1)/"),
    ("/javascript:alert(1)/", "https://example.org/", "https://example.org/javascript:alert(1)/"),
])
def test_relative_links_never_start_with_what_reads_as_a_scheme(target, prefix, expected):
    from newsarchive.urls import link
    assert link(target, prefix) == expected


def test_each_tag_of_a_comma_separated_list_is_balanced_on_its_own():
    from datetime import timezone
    from newsarchive.content import LoadContext, parse_article
    from newsarchive.markup import MarkdownRenderer
    ctx = LoadContext("/{year}/{month}/{slug}/", "en", timezone.utc, "auto")
    data = b'---\ntitle: T\ndate: 2021-01-01\ntags: "Gaza\\u202e, Port \\u2069x"\n---\nText.\n'
    article_ = parse_article(data, "a.md", ctx, MarkdownRenderer()).article
    assert article_.tags == ("Gaza\u202e\u202c", "Port x")


@pytest.mark.parametrize("memo", ['{"policy": 1, "files": {"evil.html": [[0, 0, 0, 0], null]}}', "[1, 2]", "not json", '{"policy": 0, "files": {}}', '{"policy": 1, "files": [1]}'])
def test_a_damaged_or_older_verdict_file_never_publishes_a_refused_file(make_site, memo):
    site = make_site({"articles/a.md": article("A"), "articles/evil.html": "<script>alert(1)</script>"})
    (site.parent / ".cache").mkdir()
    (site.parent / ".cache/files.json").write_text(memo, encoding="utf-8")
    result = run_cli("build", "--config", site)
    assert result.code == 0 and "'evil.html' is not published" in result.err
    assert not (site.parent / "_site/evil.html").exists()
    again = run_cli("build", "--config", site)  # from the verdicts kept by the first
    assert "'evil.html' is not published" in again.err and not (site.parent / "_site/evil.html").exists()


def test_an_imported_page_never_writes_an_address_the_build_refuses():
    from import_inputs import PAGE_OG
    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportSettings
    page = (PAGE_OG.replace("https://quotidien.example/eco/greve-havre", "https://quotidien.example\\\\@evil.example/")
            .replace('href="/eco/greve-marseille"', 'href="https://quotidien.example/\\x01x"'))
    article_ = parse_page(page.encode(), "pages/og.html", ImportSettings(default_lang="en"))
    assert article_.source_url is None
    assert [entry.url for entry in article_.read_also] == [None]
