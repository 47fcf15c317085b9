"""The sample site in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The site is built with base_url https://example.org/archive/ and served by http.server UNDER
/archive/ (like a static host serving a sub-path, answering unknown URLs with the site's
404.html), so every relative link, the stylesheet and the 404 page are proved from a sub-path.
A second build with `index_links: true` is browsed from disk through file:// URLs.
Screenshots go to pytest's temporary folder, never into the repository.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, run_cli

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"),
]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SUB_PATH = "/archive/"


def build_sample(tmp: Path, output: Path, **settings) -> Path:
    """The sample archive built with some config values changed; articles are copied, never touched."""
    site = tmp / "sample-src"
    if not site.exists():
        shutil.copytree(REPO / "articles", site / "articles")
    config = (REPO / "config.yaml").read_text(encoding="utf-8")
    for key, value in settings.items():
        lines = [line for line in config.splitlines() if not line.startswith(f"{key}:")]
        config = "\n".join(lines + [f"{key}: {value}"]) + "\n"
    (site / "config.yaml").write_text(config, encoding="utf-8")
    result = run_cli("build", "--config", site / "config.yaml", "--output", output)
    assert result.code == 0, result.err
    return output


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host: files from the root folder, the site's own 404.html for anything missing."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / SUB_PATH.strip("/") / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "root"
    build_sample(tmp, root / SUB_PATH.strip("/"), base_url="https://example.org/archive/")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}", "root": root, "tmp": tmp}
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (the other browser test modules import this fixture)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (make test installs it)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every failed response and request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.failures = []
    tab.on("response", lambda r: r.status >= 400 and tab.failures.append(f"{r.status} {r.url}"))
    tab.on("requestfailed", lambda r: tab.failures.append(f"failed {r.url}: {r.failure}"))
    yield tab
    context.close()


def path_of(url: str) -> str:
    return urlsplit(url).path


def stylesheet_applied(tab) -> dict:
    return tab.evaluate("""() => {
        const brand = getComputedStyle(document.querySelector('.na-brand'));
        const body = getComputedStyle(document.body);
        return {brandWeight: brand.fontWeight, brandDecoration: brand.textDecorationLine,
                background: body.backgroundColor, margin: body.marginTop,
                sheets: [...document.styleSheets].map(s => s.href)};
    }""")


def assert_styled(tab):
    style = stylesheet_applied(tab)
    assert any(href and href.endswith("/css/site.css") for href in style["sheets"]), style
    assert style["brandWeight"] == "800" and style["brandDecoration"] == "none", style  # not a default blue link
    assert style["background"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") and style["margin"] == "0px", style


def test_reader_goes_from_home_to_article_to_tag_under_a_sub_path(server, page):
    page.goto(server["base"])
    assert path_of(page.url) == SUB_PATH
    assert_styled(page)
    assert page.locator("nav.na-nav a[aria-current='page']").inner_text().strip().lower() == "home"
    lead = page.locator(".na-card--lead .na-card-title a")
    title = lead.inner_text().strip()
    lead.click()
    page.wait_for_load_state()
    assert path_of(page.url).startswith(SUB_PATH) and path_of(page.url) != SUB_PATH
    h1 = page.locator("main h1")
    assert h1.is_visible() and h1.inner_text().strip() == title
    assert_styled(page)
    page.screenshot(path=str(server["tmp"] / "article-desktop.png"), full_page=True)

    tag = page.locator(".na-tags a").first
    tag_name = tag.inner_text().strip()
    tag.click()
    page.wait_for_load_state()
    assert path_of(page.url).startswith(SUB_PATH + "tags/")
    assert page.locator("main h1").inner_text().strip() == tag_name
    assert page.locator(".na-card").count() >= 1
    assert page.failures == []


def test_read_also_link_leads_to_the_related_article(server, page):
    site = server["root"] / SUB_PATH.strip("/")
    with_related = next(p for p in sorted(site.glob("[0-9]*/[0-9]*/*/index.html"))
                        if 'class="na-related"' in p.read_text(encoding="utf-8")
                        and '<a href="../' in p.read_text(encoding="utf-8").split('class="na-related"')[1])
    url = server["base"] + with_related.parent.relative_to(site).as_posix() + "/"
    page.goto(url)
    link = page.locator("aside.na-related a:not(.na-external)").first
    expected = link.inner_text().strip()
    link.click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text().strip() == expected
    assert path_of(page.url).startswith(SUB_PATH)
    assert page.failures == []


def test_unknown_url_gets_the_styled_404_page_with_working_links(server, page):
    response = page.goto(server["base"] + "no/such/page/")
    assert response.status == 404
    assert page.locator("main h1").inner_text().strip() == "Page not found"
    assert_styled(page)  # the stylesheet loads from the base path even three folders deep
    assert [f for f in page.failures if "/no/such/page/" not in f] == []  # the 404 page's own files all load
    left = len(page.failures)
    page.locator(".na-notfound-links a").first.click()
    page.wait_for_load_state()
    assert path_of(page.url) == SUB_PATH
    # the click may cut a request of the page it leaves (its icon, still on the way on a loaded machine)
    assert [f for f in page.failures[left:] if not f.endswith("net::ERR_ABORTED")] == []


@pytest.mark.parametrize("width", [375, 320])
def test_phone_width_has_no_horizontal_scroll(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, device_scale_factor=1, is_mobile=True, has_touch=True)
    tab = context.new_page()
    site = server["root"] / SUB_PATH.strip("/")
    articles = sorted(site.glob("[0-9]*/[0-9]*/*/index.html"))
    widest = [p for p in articles if "<table" in p.read_text(encoding="utf-8")][:1]  # a body table must scroll inside
    arabic = [p for p in articles if '<html lang="ar"' in p.read_text(encoding="utf-8")][:1]
    targets = ["", "page/2/", "tags/", "archive/", "authors/"] + [p.parent.relative_to(site).as_posix() + "/" for p in widest + arabic + articles[:1]]
    overflowing = {}
    for target in targets:
        tab.goto(server["base"] + target)
        sizes = tab.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
        if max(sizes) > width:
            overflowing[target] = sizes
    if width == 375:
        tab.goto(server["base"])
        tab.screenshot(path=str(server["tmp"] / "home-375.png"), full_page=True)
    context.close()
    assert overflowing == {}, f"pages wider than {width}px: {overflowing}"


def test_arabic_article_is_laid_out_right_to_left(server, page):
    site = server["root"] / SUB_PATH.strip("/")
    arabic = next(p for p in sorted(site.glob("[0-9]*/[0-9]*/*/index.html")) if '<html lang="ar" dir="rtl">' in p.read_text(encoding="utf-8"))
    page.goto(server["base"] + arabic.parent.relative_to(site).as_posix() + "/")
    layout = page.evaluate("""() => {
        const body = document.querySelector('.na-body');
        const paragraphs = [...body.querySelectorAll('p')];
        // the last line of a paragraph whose last line is short shows where lines start
        let line = null;
        for (const p of paragraphs) {
            const range = document.createRange();
            range.selectNodeContents(p);
            const rects = [...range.getClientRects()];
            const box = p.getBoundingClientRect();
            const last = rects[rects.length - 1];
            if (rects.length > 1 && last.width < box.width * 0.7) {
                line = {lineLeft: last.left, lineRight: last.right, boxLeft: box.left, boxRight: box.right};
                break;
            }
        }
        const h1 = document.querySelector('main h1');
        return {
            htmlDir: document.documentElement.dir, lang: document.documentElement.lang,
            direction: getComputedStyle(body).direction, align: getComputedStyle(body.querySelector('p')).textAlign,
            h1Visible: h1.getBoundingClientRect().height > 0, mastheadDir: getComputedStyle(document.querySelector('.na-masthead')).direction,
            font: getComputedStyle(body).fontFamily, line,
        };
    }""")
    assert layout["htmlDir"] == "rtl" and layout["lang"] == "ar"
    assert layout["direction"] == "rtl" and layout["align"] in ("start", "right")
    assert "Noto Naskh Arabic" in layout["font"]
    assert layout["mastheadDir"] == "ltr"  # the English site chrome keeps its own direction
    line = layout["line"]
    assert line, "no paragraph with a short last line to measure"
    assert abs(line["lineRight"] - line["boxRight"]) <= 2 and line["lineLeft"] - line["boxLeft"] > 20, line
    page.screenshot(path=str(server["tmp"] / "arabic-article.png"), full_page=True)
    assert page.failures == []


def test_index_links_build_browses_from_disk(server, browser):
    out = build_sample(server["tmp"], server["tmp"] / "disk-site", index_links="true")
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    tab = context.new_page()
    failures = []
    tab.on("requestfailed", lambda r: failures.append(f"{r.url}: {r.failure}"))
    tab.goto((out / "index.html").as_uri())
    assert_styled(tab)
    tab.locator(".na-card-title a").first.click()
    tab.wait_for_load_state()
    assert tab.url.startswith("file://") and tab.url.endswith("/index.html")
    assert tab.locator("main h1").is_visible()
    assert_styled(tab)
    tab.locator("nav.na-nav a").nth(1).click()  # Archive
    tab.wait_for_load_state()
    assert tab.url.endswith("/archive/index.html")
    assert tab.locator("main h1").inner_text().strip() == "Archive"
    context.close()
    assert failures == []
