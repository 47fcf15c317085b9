"""A first search shows the results of each language's newest bundles first (static/js/search.js,
HEAD_BUNDLES), then merges the language's other bundles and shows the whole results: the same
results, in the same order, as when every bundle is merged at once, so a first search costs what
a few bundles cost whatever the size of the archive.

test_search_browser's site (bundles of 10 articles: several English bundles); the page's own head
is set with data-head-bundles on the search page, as bench/search_reader.py --head does: 1 (the
newest bundle of each language first) against 1000 (every bundle at once, as before)."""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import threading
from urllib.parse import quote

import pytest

from conftest import article, run_cli
from test_browser import CHROMIUM, _Handler, browser  # noqa: F401 (browser: a fixture)
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



def test_an_exact_title_of_common_words_finds_its_article_first(make_site, browser):  # noqa: F811
    """"The The": every page holds "the", most of them more often than the article so titled, which
    Pagefind's score alone ranked 8th of 11 on the relevance archive; the pages holding the query's
    words in a row come first."""
    body = "The keeper of the lighthouse said that the storm of the night had taken the boats of the harbour to the rocks."
    files = {f"articles/2021/story-{n}.md": article(f"Story {n} of the coast", f"2021-0{n + 1}-10", body) for n in range(6)}
    files["articles/2020/the-the.md"] = article('"The The"', "2020-05-06", "A band formed in London in 1979 played a reunion concert on Saturday.")
    config = make_site(files, config="title: T\nbase_url: https://example.org/\nsearch_bundle_size: 2\n")
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        tab = context.new_page()
        for query in ("The The", "the the"):
            tab.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/?q={quote(query)}")
            tab.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query)
            found = results(tab)
            assert len(found) == 7 and found[0]["href"] == "/2020/05/the-the/", [r["href"] for r in found]
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
