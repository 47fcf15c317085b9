"""The word directory (newsarchive/search_directory.py): a reader's search loads only the
bundles that hold its words, and finds what merging every bundle finds.

The browser tests use test_search_browser's site (the sample archive plus three articles with
words found nowhere else, bundles of 10 articles: several bundles per language). "Every
bundle merged" is the same page with the directory's requests refused: it then merges every
bundle of each language, as it did before the directory existed."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import article, run_cli, tree_digest
from newsarchive import search_directory
from newsarchive.search_directory import WORDS_FILE, query_form, stem_forms, words_in_folder
from test_browser import CHROMIUM, browser  # noqa: F401 (browser: a fixture)
from test_search_browser import page, results, site  # noqa: F401 (fixtures)


def listing(out: Path) -> dict:
    return json.loads((out / "pagefind/bundles.json").read_text(encoding="utf-8"))


def holders(out: Path, word: str, language: str = "en") -> list[str]:
    """Names of the bundles of `language` whose Pagefind index holds `word` (read from Pagefind's own files)."""
    return [b["name"] for b in listing(out)["bundles"]
            if b["languages"] == [language] and word in words_in_folder(out / "pagefind" / b["name"])["stems"]]


def run_search(tab, base: str, query: str, every_bundle: bool = False) -> tuple[list[dict], list[str]]:
    """The results shown for `query` and the URLs the page fetched for them."""
    fetched: list[str] = []
    tab.on("request", lambda r: fetched.append(r.url))
    if every_bundle:
        tab.route("**/pagefind/words/**", lambda route: route.abort())
    tab.goto(base + "search/?q=" + quote(query))
    tab.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query)
    return results(tab), fetched


def bundles_fetched(fetched: list[str]) -> set[str]:
    return {u.split("/pagefind/")[1].split("/")[0] for u in fetched if "/pagefind/" in u and "/pagefind/words/" not in u
            and not u.endswith("bundles.json")}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
def test_a_word_one_bundle_holds_loads_that_bundle_only(site, page):
    out = site["out"]
    english = [b["name"] for b in listing(out)["bundles"] if b["languages"] == ["en"]]
    assert len(english) >= 3  # several bundles of the language, so "only one" means something
    only = holders(out, "quizzaci")  # "quizzaciously", stemmed as Pagefind indexed it
    assert len(only) == 1
    found, fetched = run_search(page, site["base"], "quizzaciously")
    assert [r["title"] for r in found] == ["Lighthouse keeper retires"]
    # of English, that bundle's files and no other English bundle's (the directory knows the
    # word's stem); no Arabic bundle holds a word beginning "qu"; French has no such word, so
    # its bundles holding words that begin like it ("qui…") are searched too
    loaded = bundles_fetched(fetched)
    assert {b for b in loaded if b.startswith("en-")} == set(only)
    assert not {b for b in loaded if b.startswith("ar-")}
    assert any(u.endswith(".pf_index") and f"/{only[0]}/" in u for u in fetched)
    assert [u for u in fetched if "/pagefind/words/" in u]  # the directory was read

    # other queries in the same page need other bundles: each set gets its own instance, and
    # going back to the first query finds the same results again
    for query, title in (("grelotter", "Les ostréiculteurs en colère"), ("keeper quizzaciously", "Lighthouse keeper retires"),
                         ("quizzaciously", "Lighthouse keeper retires")):
        page.locator("#na-search-q").fill(query)
        page.locator(".na-search-form button").click()
        page.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query)
        assert [r["title"] for r in results(page)][:1] == [title], query
    assert len(results(page)) == 1
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
@pytest.mark.parametrize("query", ["quizzaciously", "harbour", "lighthouse keeper", "grelotter", "ostréiculteurs",
                                   "الزعفران", "keep", "Velmar", "flood", "council", "nowordlikethis"])
def test_the_results_are_those_of_every_bundle_merged(site, browser, query):  # noqa: F811
    shown = []
    for every_bundle in (False, True):
        context = browser.new_context()
        tab = context.new_page()
        found, fetched = run_search(tab, site["base"], query, every_bundle)
        shown.append(([(r["title"], r["href"]) for r in found], tab.locator(".na-search-status").inner_text()))
        context.close()
    assert shown[0] == shown[1]


CONFIG = "title: Directory\nbase_url: https://example.org/\nsearch_bundle_size: 3\n"


def files() -> dict[str, str]:
    words = ["harbour", "lantern", "quarry", "meadow", "orchard", "glacier", "tannery", "foundry", "sawmill"]
    return {f"articles/a{n:02d}.md": article(f"Story {n}", f"2021-{n // 3 + 1:02d}-{n + 1:02d}",
                                             f"A {words[n % 9]} story with the {words[(n + 4) % 9]} nearby.", lang=("en", "fr")[n % 2])
            for n in range(12)}


@pytest.mark.slow
def test_the_directory_lists_each_bundles_words_and_an_edit_rewrites_the_same_bytes_as_a_clean_build(make_site, tmp_path):
    config = make_site(files(), config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    listed = listing(out)
    assert set(listed["words"]) == {"en", "fr"}
    english = [b["name"] for b in listed["bundles"] if b["languages"] == ["en"]]
    manifest = json.loads((out / "pagefind" / listed["words"]["en"]).read_text(encoding="utf-8"))
    assert manifest["bundles"] == english and len(english) >= 2
    shard = json.loads((out / "pagefind/words" / f"{manifest['shards']['ha']}.json").read_text(encoding="utf-8"))
    assert [english[p] for p in shard["s"]["harbour"]] == holders(out, "harbour")
    assert shard["f"]["harbour"] == ""  # a word of the archive that is its own stem
    for b in listed["bundles"]:  # each bundle's word list is what Pagefind indexed
        words = json.loads((out / "pagefind" / b["name"] / WORDS_FILE).read_text(encoding="utf-8"))
        assert words == words_in_folder(out / "pagefind" / b["name"]) and "nearby" in words["forms"]

    story = config.parent / "articles/a04.md"  # an edit brings a new word into one bundle
    story.write_text(story.read_text(encoding="utf-8").replace("story", "story of a windmill"), encoding="utf-8")
    (config.parent / "articles/a07.md").unlink()
    assert run_cli("build", "--config", config).code == 0
    assert run_cli("build", "--config", config, "--output", tmp_path / "clean").code == 0
    incremental = tree_digest(out)
    assert incremental == tree_digest(tmp_path / "clean")  # words/ included: no file left over or missing
    assert any(rel.startswith("pagefind/words/") for rel in incremental)
    manifest = json.loads((out / "pagefind" / listing(out)["words"]["en"]).read_text(encoding="utf-8"))
    shard = json.loads((out / "pagefind/words" / f"{manifest['shards']['wi']}.json").read_text(encoding="utf-8"))
    assert shard["f"]["windmill"] == "windmil"  # as Pagefind's English stemming has it
    assert [manifest["bundles"][p] for p in shard["s"]["windmil"]] == holders(out, "windmil") and holders(out, "windmil")


@pytest.mark.slow
def test_an_edit_patches_the_shards_of_the_words_it_changed_and_equals_a_clean_build(make_site, tmp_path, monkeypatch):
    """An edit of text alone re-indexes one bundle; its language's directory gets new shards for
    the words that came and went (not made whole from every bundle's word list), with the bytes
    of a clean build: a word no other article has leaves the directory, a new one enters it."""
    pages = files()
    pages["articles/a04.md"] = pages["articles/a04.md"].replace("story", "story about a zeppelin")
    config = make_site(pages, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    before = tree_digest(out / "pagefind/words")
    story = config.parent / "articles/a04.md"
    story.write_text(story.read_text(encoding="utf-8").replace("about a zeppelin", "of a windmill"), encoding="utf-8")
    made_whole = []
    monkeypatch.setattr(search_directory, "language_files", lambda *a: made_whole.append(a) or (_ for _ in ()).throw(AssertionError))
    assert run_cli("build", "--config", config).code == 0
    assert made_whole == []  # patched, not made whole
    monkeypatch.undo()
    assert run_cli("build", "--config", config, "--output", tmp_path / "clean").code == 0
    assert tree_digest(out) == tree_digest(tmp_path / "clean")
    after = tree_digest(out / "pagefind/words")
    assert 0 < len(after.keys() - before.keys()) <= 4  # the manifest and the shards of "ze", "wi" (and the stems')
    manifest = json.loads((out / "pagefind" / listing(out)["words"]["en"]).read_text(encoding="utf-8"))
    shard = json.loads((out / "pagefind/words" / f"{manifest['shards']['wi']}.json").read_text(encoding="utf-8"))
    assert shard["f"]["windmill"] == "windmil" and holders(out, "windmil")
    assert "ze" not in manifest["shards"]  # "zeppelin" was the only word beginning so


def test_the_stems_of_the_archives_words_are_pagefinds_own():
    """Pagefind stems the forms (one record per language); its positions are read back right
    (written as the first, then the differences: "crowd" and "crowded" share a stem)."""
    forms = {"en": ["above", "crowd", "crowded", "hoping", "year", "yearly", "years"], "fr": ["etablissements", "les", "qualite"]}
    assert stem_forms(forms) == {
        "en": {"above": "abov", "crowd": "crowd", "crowded": "crowd", "hoping": "hope", "year": "year", "yearly": "year", "years": "year"},
        "fr": {"etablissements": "etabl", "les": "le", "qualite": "qualit"}}


def test_a_query_form_is_the_word_as_pagefinds_search_normalises_it():
    assert [query_form(t) for t in ["Harbour,", "l’étape", "«Quotas»", "380,000", "—", "co-op"]] == \
        ["harbour", "letape", "quotas", "380000", "", "coop"]
