"""axe-core in a real Chromium over every page type of the sample site: no serious or critical
violation. axe-core comes from node_modules/ (package-lock.json, installed by `make test`),
injected into each page from disk; nothing is fetched while the tests run."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import REPO
from test_browser import CHROMIUM, SUB_PATH, _Handler, browser, build_sample  # noqa: F401 (browser: a fixture)

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed in node_modules/ (make test runs `npm ci`)"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("axe")
    root = tmp / "root"
    out = build_sample(tmp, root / SUB_PATH.strip("/"), base_url="https://example.org/archive/")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}", "out": out}
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _article_in(out: Path, lang: str) -> str:
    for path in sorted(out.glob("[0-9]*/[0-9]*/*/index.html")):
        if f'<html lang="{lang}"' in path.read_text(encoding="utf-8"):
            return path.parent.relative_to(out).as_posix() + "/"
    raise AssertionError(f"the sample has no article in {lang}")


def _first(out: Path, pattern: str) -> str:
    found = sorted(out.glob(pattern))
    assert found, f"the sample site has no page matching {pattern}"
    return found[0].parent.relative_to(out).as_posix() + "/"


PAGE_TYPES = ["home", "page 2", "article fr", "article en", "article ar", "tag", "section", "source", "author",
              "terms index", "archive", "year", "month", "404", "search results"]


def _target(out: Path, kind: str) -> str:
    return {
        "home": lambda: "",
        "page 2": lambda: "page/2/",
        "article fr": lambda: _article_in(out, "fr"),
        "article en": lambda: _article_in(out, "en"),
        "article ar": lambda: _article_in(out, "ar"),
        "tag": lambda: _first(out, "tags/*/index.html"),
        "section": lambda: _first(out, "sections/*/index.html"),
        "source": lambda: _first(out, "sources/*/index.html"),
        "author": lambda: _first(out, "authors/*/index.html"),
        "terms index": lambda: "tags/",
        "archive": lambda: "archive/",
        "year": lambda: _first(out, "[0-9][0-9][0-9][0-9]/index.html"),
        "month": lambda: _first(out, "[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
        "404": lambda: "no/such/page/",
        "search results": lambda: "search/?q=Velmar",
    }[kind]()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violation_on_any_page_type(site, browser, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    found = {}
    try:
        for kind in PAGE_TYPES:
            tab.goto(site["base"] + _target(site["out"], kind))
            if kind == "search results":  # judge the page with its results and filters shown
                tab.wait_for_selector(".na-search-result-excerpt")
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate("""async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
            }""")
            if result:
                found[kind] = result
    finally:
        context.close()
    assert found == {}


def test_axe_finds_a_planted_violation(site, browser):
    """The check itself works: an image without alt text is reported."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    try:
        tab.goto(site["base"])
        tab.evaluate("() => { const i = document.createElement('img'); i.src = 'data:,'; document.querySelector('main').append(i); }")
        tab.add_script_tag(path=str(AXE))
        ids = tab.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
    finally:
        context.close()
    assert "image-alt" in ids


def test_article_prints_without_navigation_with_link_addresses_and_sized_images(site, browser):
    """The print stylesheet, as Chromium applies it for printing."""
    out = site["out"]
    pages = [p for p in sorted(out.glob("[0-9]*/[0-9]*/*/index.html")) if 'class="na-body"' in p.read_text(encoding="utf-8")]  # not a withdrawn article's notice
    with_link = next(p for p in pages if 'href="http' in p.read_text(encoding="utf-8").split('class="na-body"')[1].split('class="na-story-foot"')[0])
    with_lead = next(p for p in pages if 'class="na-lead-figure"><picture>' in p.read_text(encoding="utf-8").replace("\n    ", ""))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    try:
        tab.emulate_media(media="print")
        tab.goto(site["base"] + with_link.parent.relative_to(out).as_posix() + "/")
        shown = tab.evaluate("""() => {
            const visible = s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none');
            const link = document.querySelector('.na-body a[href^="http"]');
            return {nav: visible('.na-nav'), story: visible('.na-story-nav'), more: visible('.na-more'), skip: visible('.na-skip'),
                    url: document.querySelector('.na-print-url').innerText, urlShown: visible('.na-print-url'),
                    after: getComputedStyle(link, '::after').content, href: link.getAttribute('href')};
        }""")
        tab.goto(site["base"] + with_lead.parent.relative_to(out).as_posix() + "/")
        lead = tab.evaluate("() => { const r = document.querySelector('.na-lead-figure img').getBoundingClientRect(); return [r.width, r.height, document.documentElement.clientWidth]; }")
    finally:
        context.close()
    assert not shown["nav"] and not shown["story"] and not shown["more"] and not shown["skip"], shown
    assert shown["urlShown"] and shown["url"].startswith("https://example.org/archive/"), shown
    assert shown["href"] in shown["after"] or shown["after"] == '" (" attr(href) ")"', shown  # Chromium gives either form
    width, height, page_width = lead
    assert 0 < width <= page_width and 0 < height <= 10 / 2.54 * 96 + 1, lead
