"""A first search shows the results of each language's newest bundles first (static/js/search.js,
HEAD_BUNDLES), then merges the language's other bundles and shows the whole results: the same
results, in the same order, as when every bundle is merged at once, so a first search costs what
a few bundles cost whatever the size of the archive.

test_search_browser's site (bundles of 10 articles: several English bundles); the page's own head
is set with data-head-bundles on the search page, as bench/search_reader.py --head does: 1 (the
newest bundle of each language first) against 1000 (every bundle at once, as before)."""
from __future__ import annotations

import gzip
import json
from urllib.parse import quote

import pytest

from test_browser import CHROMIUM, browser  # noqa: F401 (browser: a fixture)
from test_search_browser import page, results, site, status  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


def with_head(tab, head: int) -> None:
    def answer(route):
        fetched = route.fetch()
        route.fulfill(response=fetched, body=fetched.text().replace('id="na-search"', f'id="na-search" data-head-bundles="{head}"', 1))
    tab.route("**/search/?*", answer)


def bundle_urls(out, name: str) -> set[str]:
    """The URLs of the pages one bundle indexed (from its fragments)."""
    urls = set()
    for fragment in (out / "pagefind" / name / "fragment").iterdir():
        record = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(record[record.index(b"{"):])["url"])
    return urls


def test_the_newest_bundles_results_show_first_then_the_same_results_as_every_bundle_at_once(site, page, browser):  # noqa: F811
    query = "the"  # in every English bundle
    listed = json.loads((site["out"] / "pagefind/bundles.json").read_text(encoding="utf-8"))["bundles"]
    english = [b["name"] for b in listed if b["languages"] == ["en"]]
    assert len(english) >= 3
    held, first_of = [], {}

    def hold_later_bundles(route):  # a language's first bundle loads; the others wait until released
        bundle = route.request.url.split("/pagefind/")[1].split("/")[0]
        if first_of.setdefault(bundle.split("-")[0], bundle) == bundle:
            route.continue_()
        else:
            held.append(route)
    page.route("**/pagefind/*/pagefind-entry.json*", hold_later_bundles)
    with_head(page, 1)
    page.goto(site["base"] + "search/?q=" + quote(query))
    page.wait_for_function("q => document.getElementById('na-search').dataset.shown === q", arg=query)
    first = results(page)
    assert first_of["en"] == english[-1]  # the newest English bundle is the one searched first
    newest = {"/archive" + url for url in bundle_urls(site["out"], english[-1])}
    assert first and {r["href"] for r in first if r["href"].startswith("/archive/") and not r["lang"]} <= newest
    assert page.evaluate("() => document.getElementById('na-search').dataset.done") is None
    assert "Searching" in status(page)
    assert page.evaluate("() => document.querySelector('.na-search-results').getAttribute('aria-busy')") == "true"
    while not held:  # the other bundles are asked for once the first results are shown
        page.wait_for_timeout(50)
    page.unroute("**/pagefind/*/pagefind-entry.json*")
    for route in held:
        route.continue_()
    page.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query)
    final = results(page)
    assert "Searching" not in status(page)
    assert page.evaluate("() => document.querySelector('.na-search-results').hasAttribute('aria-busy')") is False
    assert len(final) >= len(first) and any(r["href"] not in newest for r in final)  # older bundles' results joined

    context = browser.new_context()
    every = context.new_page()
    with_head(every, 1000)
    every.goto(site["base"] + "search/?q=" + quote(query))
    every.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query)
    assert [(r["title"], r["href"]) for r in results(every)] == [(r["title"], r["href"]) for r in final]
    assert every.locator(".na-search-status").inner_text() == page.locator(".na-search-status").inner_text()
    context.close()
    assert page.problems == []

