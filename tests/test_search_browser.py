"""Search in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The sample archive plus three articles with words found nowhere else is built with
base_url https://example.org/archive/ and search bundles of 10 articles (so the page merges
several Pagefind bundles per language), and served by http.server under /archive/, so every
URL the search page fetches or links to is proved from a sub-path.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from conftest import REPO, article, run_cli
from test_browser import CHROMIUM, SUB_PATH, _Handler, browser  # noqa: F401 (browser: a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"),
]

EXTRA = {
    "lighthouse.md": article("Lighthouse keeper retires", "2018-02-01", "The keeper spoke quizzaciously about forty winters on the rock.",
                             tags="[Velmar]", section="Society", source="Velmar Gazette"),
    "huitres.md": article("Les ostréiculteurs en colère", "2022-11-08", "Les ostréiculteurs grelottaient sur la jetée en attendant le préfet.",
                          lang="fr", tags="[Pêche]", section="Économie", source="Le Courrier du Lac"),
    "zafaran.md": article("مهرجان الزعفران في القرية", "2023-10-02", "أقيم مهرجان الزعفران السنوي في القرية بحضور المزارعين.",
                          lang="ar", tags="[زراعة]", source="صدى الساحل"),
}


HELD_FRENCH = re.compile(r"/pagefind\.js\?lang=fr&")  # the module of a French Pagefind instance (one per set of bundles)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search-browser")
    source = tmp / "src"
    shutil.copytree(REPO / "articles", source / "articles")
    for name, text in EXTRA.items():
        (source / "articles/search-tests" / name).parent.mkdir(parents=True, exist_ok=True)
        (source / "articles/search-tests" / name).write_text(text, encoding="utf-8")
    config = (REPO / "config.yaml").read_text(encoding="utf-8").replace("base_url: https://example.org/", "base_url: https://example.org/archive/")
    (source / "config.yaml").write_text(config + "search_bundle_size: 10\n", encoding="utf-8")
    root = tmp / "root"
    result = run_cli("build", "--config", source / "config.yaml", "--output", root / SUB_PATH.strip("/"))
    assert result.code == 0, result.err
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}", "out": root / SUB_PATH.strip("/"), "tmp": tmp}
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    """A fresh tab recording console errors, uncaught exceptions and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.problems = []
    # a failed request is recorded with its URL below (the browser's own /favicon.ico aside)
    tab.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource") and tab.problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"exception: {e}"))
    tab.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and tab.problems.append(f"{r.status} {r.url}"))
    yield tab
    context.close()


def results(tab) -> list[dict]:
    return tab.evaluate("""() => [...document.querySelectorAll('.na-search-result')].map(li => ({
        title: li.querySelector('h2 a').textContent, href: li.querySelector('h2 a').getAttribute('href'),
        lang: li.lang, dir: li.dir, date: li.querySelector('time') ? li.querySelector('time').dateTime : '',
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent), text: li.innerText}))""")


def search(tab, base: str, query: str) -> list[dict]:
    tab.goto(base + "search/?" + query)
    tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")  # every language's results, not the first ones shown
    return results(tab)


def status(tab) -> str:
    return tab.locator(".na-search-status").inner_text().strip()


def test_a_word_only_one_body_has_finds_that_article_first_with_the_word_highlighted(site, page):
    found = search(page, site["base"], "q=quizzaciously")
    assert found[0]["title"] == "Lighthouse keeper retires"
    assert [m.lower() for m in found[0]["marks"]] == ["quizzaciously"]
    assert "February 1, 2018" in found[0]["text"] and "Velmar Gazette" in found[0]["text"]
    assert page.problems == []


def test_results_appear_as_the_reader_types_and_the_query_goes_into_the_url(site, page):
    page.goto(site["base"] + "search/")
    page.locator("#na-search-q").press_sequentially("quizzaciously", delay=20)
    page.wait_for_function("() => document.getElementById('na-search').dataset.done === 'quizzaciously'")
    assert results(page)[0]["title"] == "Lighthouse keeper retires"
    page.wait_for_function("() => location.search.includes('quizzaciously')")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["quizzaciously"]}
    assert page.problems == []


def test_a_french_query_finds_an_inflected_form(site, page):
    found = search(page, site["base"], "q=grelotter")
    assert found[0]["title"] == "Les ostréiculteurs en colère"
    assert found[0]["lang"] == "fr" and [m.lower() for m in found[0]["marks"]] == ["grelottaient"]
    assert page.problems == []


def test_an_arabic_query_finds_the_arabic_article_laid_out_right_to_left(site, page):
    found = search(page, site["base"], "q=الزعفران")
    assert found[0]["title"] == "مهرجان الزعفران في القرية"
    assert found[0]["lang"] == "ar" and found[0]["dir"] == "rtl"
    assert page.problems == []


def test_a_filter_narrows_the_results_and_the_back_button_undoes_it(site, page):
    everything = search(page, site["base"], "q=port")
    total = status(page)
    assert len(everything) == 10 and total.endswith("articles found")
    assert not page.locator(".na-search-chip").first.is_visible()  # folded until the reader opens them
    page.locator(".na-search-fold summary").click()
    chip = page.locator(".na-search-chip[data-key='year'][data-value='2021']")
    chip.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('year') === '2021'")
    page.wait_for_function(f"() => document.querySelector('.na-search-status').textContent.trim() !== {total!r}"
                           " && document.querySelector('.na-search-status').textContent.includes('found')"
                           " && document.querySelectorAll('.na-search-result').length > 0")
    narrowed = results(page)
    assert narrowed and all(r["date"].startswith("2021") for r in narrowed)
    assert int(status(page).split()[0]) < int(total.split()[0])
    assert page.locator(".na-search-chip[data-key='year'][data-value='2021']").get_attribute("aria-pressed") == "true"
    page.go_back()
    page.wait_for_function(f"() => document.querySelector('.na-search-status').textContent.trim() === {total!r}")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["port"]}
    assert page.locator(".na-search-chip[data-key='year'][data-value='2021']").get_attribute("aria-pressed") == "false"
    language = page.locator(".na-search-chip[data-key='language'][data-value='fr']")
    language.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('language') === 'fr'")
    page.wait_for_function("() => [...document.querySelectorAll('.na-search-result')].length > 0 && [...document.querySelectorAll('.na-search-result')].every(li => li.lang === 'fr')")
    assert page.problems == []


def test_newest_first_orders_the_results_by_date(site, page):
    search(page, site["base"], "q=velmar")
    by_relevance = [r["date"] for r in results(page)]
    page.locator(".na-search-sort").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('sort') === 'newest'")
    page.wait_for_function("() => document.querySelector('.na-search-sort').getAttribute('aria-pressed') === 'true'")
    page.wait_for_function(f"() => document.querySelectorAll('.na-search-result time').length === 10 && JSON.stringify([...document.querySelectorAll('.na-search-result time')].map(t => t.dateTime)) !== {json.dumps(by_relevance, separators=(',', ':'))!r}")
    dates = page.evaluate("() => [...document.querySelectorAll('.na-search-result time')].map(t => Date.parse(t.dateTime))")
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    page.locator(".na-search-more").click()
    page.wait_for_function("() => document.querySelectorAll('.na-search-result').length > 10")
    dates = page.evaluate("() => [...document.querySelectorAll('.na-search-result time')].map(t => Date.parse(t.dateTime))")
    assert dates == sorted(dates, reverse=True)
    assert page.problems == []


def test_clicking_a_result_opens_the_article(site, page):
    found = search(page, site["base"], "q=quizzaciously")
    page.locator(".na-search-result h2 a").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == SUB_PATH + "2018/02/lighthouse-keeper-retires/"
    assert page.locator("main h1").inner_text().strip() == found[0]["title"]
    assert page.problems == []


def test_without_javascript_the_header_box_lands_on_the_search_page(site, browser):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site["base"] + "2018/02/lighthouse-keeper-retires/")
    tab.locator("#na-search-box-q").fill("quizzaciously")
    tab.locator(".na-search-box button").click()
    tab.wait_for_load_state()
    assert urlsplit(tab.url).path == SUB_PATH + "search/"
    assert parse_qs(urlsplit(tab.url).query) == {"q": ["quizzaciously"]}
    assert tab.locator("main h1").inner_text().strip() == "Search"
    assert "needs JavaScript" in tab.locator("main").inner_text()
    context.close()
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(urlsplit(site["base"])._replace(path=SUB_PATH + "search/", query="q=quizzaciously").geturl())
    tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
    assert tab.locator("#na-search-q").input_value() == "quizzaciously"
    assert results(tab)[0]["title"] == "Lighthouse keeper retires"
    context.close()


def test_on_a_phone_the_first_result_shows_without_scrolling_with_its_thumbnail_date_section_and_source(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    failed = []
    tab.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(f"{r.status} {r.url}"))
    try:
        tab.goto(site["base"] + "search/?q=harbour")
        tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
        tab.wait_for_function("() => [...document.querySelectorAll('.na-search-thumb')].some(i => i.complete && i.naturalWidth > 0)")
        shown = tab.evaluate("""() => [...document.querySelectorAll('.na-search-result')].map(li => ({
            top: li.getBoundingClientRect().top, titleBottom: li.querySelector('h2').getBoundingClientRect().bottom,
            date: !!li.querySelector('time'), section: li.querySelector('.na-search-result-section')?.textContent || '',
            source: li.querySelector('.na-search-result-source')?.textContent || '', thumb: !!li.querySelector('img.na-search-thumb')}))""")
        assert len(shown) >= 3
        assert 0 < shown[0]["top"] and shown[0]["titleBottom"] < 844, shown[0]  # the first title is on the first screen
        assert all(r["date"] and r["section"] and r["source"] for r in shown), shown
        assert any(r["thumb"] for r in shown)
        assert tab.evaluate("document.querySelector('.na-search-fold').open") is False  # the filters are folded away
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        tab.locator(".na-search-fold summary").click()
        tab.wait_for_function("() => document.getElementById('na-search').dataset.counted === 'harbour'")  # the chips come just after the results
        assert tab.locator(".na-search-chip").first.is_visible()
        assert failed == []
    finally:
        context.close()


def test_an_exact_title_finds_its_article_first_whichever_of_its_languages_bundles_holds_it(site, page):
    """Bundles hold one language each and the page merges them all: the oldest and the newest
    English bundle's articles are found by their titles (the newest bundle is the one the page
    starts from, the others are merged into it)."""
    listing = json.loads((site["out"] / "pagefind/bundles.json").read_text(encoding="utf-8"))["bundles"]
    english = [b for b in listing if b["languages"] == ["en"]]
    assert len(english) >= 3 and all(len(b["languages"]) == 1 for b in listing)
    for bundle in (english[0], english[-1]):
        folder = site["out"] / "pagefind" / bundle["name"] / "fragment"
        record = gzip.decompress(sorted(folder.iterdir())[0].read_bytes())
        meta = json.loads(record[record.index(b"{"):])
        found = search(page, site["base"], "q=" + quote(meta["meta"]["title"]))
        assert found[0]["title"] == meta["meta"]["title"], (bundle["name"], [r["title"] for r in found[:3]])
        assert found[0]["href"] == "/archive" + meta["url"]  # served under a sub-path
    assert page.problems == []


def test_the_first_results_fetch_no_filter_data_until_the_reader_opens_the_filters(site, page):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    found = search(page, site["base"], "q=harbour")
    page.wait_for_function("() => document.getElementById('na-search').dataset.done === 'harbour'")
    assert found and not [u for u in fetched if u.endswith(".pf_filter")]
    entries = [u for u in fetched if "pagefind-entry.json" in u]
    listing = json.loads((site["out"] / "pagefind/bundles.json").read_text(encoding="utf-8"))["bundles"]
    # each bundle loaded (those that can hold the word: tests/test_search_directory.py) with its signature as cache tag
    assert entries and set(entries) <= {f"{site['base']}pagefind/{b['name']}/pagefind-entry.json?ts={b['signature']}" for b in listing}
    page.locator(".na-search-fold summary").click()
    page.wait_for_function("() => document.getElementById('na-search').dataset.counted === 'harbour'")
    assert [u for u in fetched if u.endswith(".pf_filter")]
    assert page.locator(".na-search-chip[data-key='language'][data-value='en']").is_visible()
    assert page.problems == []


def test_when_one_language_index_is_slow_the_others_results_show_first_then_all(site, page):
    """An archive in many languages loads one Pagefind instance per language (25 for an imported
    archive of real pages: 7-8 s before any result under load). When they are not all loaded within a
    second, the loaded languages' results show, and every language's once the last one is in.
    French is the language held: the word directory (test_search_directory.py) leaves Arabic out of
    "quizzaciously" (no Arabic word begins like it) but not French (words beginning "qui…")."""
    held = []
    page.route(HELD_FRENCH, lambda route: held.append(route))  # the French index stays on the way until released
    page.goto(site["base"] + "search/?q=quizzaciously")
    page.wait_for_function("() => document.querySelectorAll('.na-search-result').length > 0")
    assert len(held) == 1  # shown while the Arabic index is still held
    assert [r["title"] for r in results(page)] == ["Lighthouse keeper retires"]
    assert page.evaluate("() => document.getElementById('na-search').dataset.done") is None
    assert "Searching" in status(page)
    held[0].continue_()
    page.wait_for_function("() => document.getElementById('na-search').dataset.done === 'quizzaciously'")
    assert [r["title"] for r in results(page)] == ["Lighthouse keeper retires"]
    assert "Searching" not in status(page)

    # a fresh page where only the held language has the word: "none" first, then the French article
    page.goto(site["base"] + "search/?q=grelotter")
    page.wait_for_function("() => document.querySelector('.na-search-status').textContent.includes('Searching') && document.querySelector('.na-search-status').textContent.length > 'Searching…'.length")
    assert results(page) == [] and len(held) == 2
    held[1].continue_()
    page.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
    assert [r["title"] for r in results(page)] == ["Les ostréiculteurs en colère"]
    assert page.problems == []


def test_a_language_index_that_fails_after_the_first_results_ends_in_the_error_message(site, page):
    """The first results stay, and "Searching…" does not hang: the status says search is unavailable."""
    held = []
    page.route(HELD_FRENCH, lambda route: held.append(route))
    page.goto(site["base"] + "search/?q=quizzaciously")
    page.wait_for_function("() => document.querySelectorAll('.na-search-result').length > 0")
    assert "Searching" in status(page) and len(held) == 1
    held[0].abort()
    page.wait_for_function("() => document.querySelector('.na-search-status').textContent.includes('not available')")
    assert [r["title"] for r in results(page)] == ["Lighthouse keeper retires"]
    assert page.evaluate("() => document.getElementById('na-search').dataset.done") is None


def test_a_language_index_that_fails_at_once_leaves_the_other_languages_searchable(site, page):
    """A language's index missing or damaged (a bundle not deployed, a 404) took every language's
    results down with it when it failed within the first second: the archive had no search."""
    page.route(HELD_FRENCH, lambda route: route.abort())  # French: the word directory keeps it for this word
    for query in ("q=quizzaciously", "q=quizzaciously&language=en"):
        page.goto(site["base"] + "search/?" + query)
        page.wait_for_function("() => document.querySelector('.na-search-status').textContent.includes('not available')")
        assert [r["title"] for r in results(page)] == ["Lighthouse keeper retires"], query
        assert "Searching" not in status(page) and "1 article found" in status(page)
    page.goto(site["base"] + "search/?q=grelotter")  # only the failed language has it
    page.wait_for_function("() => document.querySelector('.na-search-status').textContent.includes('not available')")
    assert results(page) == []

