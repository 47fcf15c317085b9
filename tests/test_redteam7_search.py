"""redteam7: the search page (issue 29's word directory) against a reader's hostile or odd queries."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import article, built_site
from test_browser import CHROMIUM, browser  # noqa: F401 (browser: a fixture)
from test_search_cjk import served_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")]

ARTICLES = {
    "articles/builders.md": article("Builders meet", "2024-03-02", "The constructors of the new harbour wall met on Monday."),
    "articles/festival.md": article("Festival opens", "2024-03-03", "The summer festival opened with a parade.",
                                    tags="['Rock \"n\" roll', Music]"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory.mktemp("rt7search"), ARTICLES, "title: S\nbase_url: https://example.org/\nlanguage: en\nsearch: true\n")


def _results(tab, base: str, query: str) -> list[str]:
    tab.goto(f"{base}search/?q={query}")
    tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
    return tab.evaluate("() => [...document.querySelectorAll('.na-search-result h2 a')].map(a => a.textContent)")


def test_a_query_named_like_an_objects_own_property_finds_the_words_it_begins(site, browser):
    """'constructor' found nothing although 'constructors' is in an article ('construct' found it): the word
    directory asked `word in shard.f`, true for 'constructor' on every object, and took Object for its stem."""
    errors = []
    with served_tab(site, browser) as (tab, base):
        tab.on("pageerror", lambda error: errors.append(str(error)))
        found = {query: _results(tab, base, query) for query in ("constructor", "constructors", "construct", "__proto__", "tostring")}
    assert found == {"constructor": ["Builders meet"], "constructors": ["Builders meet"], "construct": ["Builders meet"],
                     "__proto__": [], "tostring": []}
    assert not errors


@pytest.mark.xfail(strict=True, reason="Pagefind 1.5.2's filters never match a value holding a double quote (its WASM reads the "
                                       "JSON-stringified filter without unescaping); found by redteam7, not fixed: search29's call")
def test_a_tag_holding_a_double_quote_filters_to_its_article(site, browser):
    with served_tab(site, browser) as (tab, base):
        tab.goto(f"{base}search/?q=festival&tag=" + 'Rock "n" roll'.replace('"', "%22").replace(" ", "+"))
        tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
        found = tab.evaluate("() => [...document.querySelectorAll('.na-search-result h2 a')].map(a => a.textContent)")
    assert found == ["Festival opens"]
