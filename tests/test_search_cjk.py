"""Chinese and Japanese search: Pagefind's extended build (the pinned `pagefind-bin-extended`)
cuts their text into words, so a word from the middle of a sentence is found; the standard
build indexed a run of Chinese or Japanese characters up to the next punctuation as one word,
found only by its beginning.

A small archive of two Chinese, two Japanese and two English articles, built with search on;
the words looked for are ones the indexer's segmenter and the browser's (Intl.Segmenter, which
cuts the query) agree on. The English ones are tagged "constructor" and "__proto__", names a
plain JavaScript object already has: each gets its filter chip.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from pathlib import Path

import pytest

from conftest import article, built_site
from test_browser import CHROMIUM, _Handler, browser  # noqa: F401 (browser: a fixture)

ARTICLES = {
    "articles/zh-library.md": article("市立图书馆重新开放", "2024-03-01", "市立图书馆昨天重新开放，市民排队借书。", lang="zh"),
    "articles/zh-rain.md": article("暴雨袭击沿海城市", "2024-03-02", "强降雨导致部分道路积水，交通一度中断。", lang="zh"),
    "articles/ja-library.md": article("市立図書館が再開", "2024-03-01", "東京の市立図書館は昨日再開し、多くの市民が本を借りた。", lang="ja"),
    "articles/ja-snow.md": article("北海道で大雪", "2024-03-02", "北海道では記録的な大雪となり、列車の運行が止まった。", lang="ja"),
    "articles/en-harbour.md": article("Harbour strike ends", "2024-03-01", "The harbour strike ended on Tuesday after talks.", lang="en",
                                      tags="[constructor, Harbour]"),
    "articles/en-festival.md": article("Festival opens", "2024-03-02", "The summer festival opened with a parade.", lang="en",
                                        tags='["__proto__", Harbour]'),
}
INNER = {"zh": ("排队", "市立图书馆重新开放"), "ja": ("再開", "市立図書館が再開")}  # a word inside the body's sentence → its article


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory.mktemp("cjk"), ARTICLES, "title: CJK\nbase_url: https://example.org/\nlanguage: en\nsearch: true\n")


def stems(out: Path, language: str) -> set[str]:
    listing = json.loads((out / "pagefind/bundles.json").read_text(encoding="utf-8"))
    found = set()
    for bundle in listing["bundles"]:
        if language in bundle["languages"]:
            found |= set(json.loads((out / "pagefind" / bundle["name"] / "indexed-words.json").read_text(encoding="utf-8"))["stems"])
    return found


@contextlib.contextmanager
def served_tab(site: Path, browser):
    """A Chromium tab and the address of `site` served on 127.0.0.1, for one test."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab, f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_the_extended_pagefind_build_is_the_one_installed_and_recorded(site):
    from pagefind.service import get_executable
    assert get_executable().name == "pagefind_extended"  # pagefind.service prefers it when installed (requirements.txt pins it)
    assert "+extended-" in json.loads((site / "pagefind/bundles.json").read_text(encoding="utf-8"))["pagefind"]


def test_chinese_and_japanese_sentences_are_indexed_word_by_word(site):
    assert {"排队", "图书", "市民", "重新"} <= stems(site, "zh")
    assert "市立图书馆昨天重新开放，市民排队借书。" not in stems(site, "zh")  # not the whole run of characters
    assert {"再開", "図書", "東京", "昨日"} <= stems(site, "ja")
    assert {"harbour", "strike", "festiv"} <= stems(site, "en")  # English is stemmed as before


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
def test_a_word_from_the_middle_of_a_sentence_finds_its_article_in_the_browser(site, browser):
    found = {}
    with served_tab(site, browser) as (tab, base):
        for query in [word for word, _ in INNER.values()] + ["harbour"]:
            tab.goto(f"{base}search/?q={query}")
            tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
            found[query] = tab.evaluate("() => [...document.querySelectorAll('.na-search-result h2 a')].map(a => a.textContent)")
    assert found == {"排队": [INNER["zh"][1]], "再開": [INNER["ja"][1]], "harbour": ["Harbour strike ends"]}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
def test_tags_named_like_a_javascript_objects_own_properties_get_their_filter_chips(site, browser):
    with served_tab(site, browser) as (tab, base):
        tab.goto(f"{base}search/?q=the")
        tab.wait_for_function("() => document.getElementById('na-search').dataset.done !== undefined")
        tab.locator(".na-search-fold summary").click()
        tab.wait_for_selector(".na-search-chip[data-key='tag']")
        chips = tab.evaluate("""() => [...document.querySelectorAll(".na-search-chip[data-key='tag']")]
            .map(c => [c.dataset.value, c.querySelector('.na-n').textContent])""")
    assert sorted(chips) == [["Harbour", "2"], ["__proto__", "1"], ["constructor", "1"]]
