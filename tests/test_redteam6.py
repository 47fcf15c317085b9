"""The red team's cases against the sixth session's new code (search word directory, relayout,
problem store, template fragment cache): each input here once broke something, or is a
regression case asserting a concrete outcome."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import run_cli
from test_browser import CHROMIUM, LAUNCH_ARGS, _Handler, browser  # noqa: F401 (browser: a fixture)

# A small archive in seven languages and four scripts, one or two articles each.
MULTILINGUAL = {
    "en1": ("Harbour strike enters third day", "en", "2021-03-01",
            "Dockers' union leaders said the strike-breakers were unwelcome. The co-operative re-opened "
            "at 23 h 40. Antidisestablishmentarianism 2021 COVID-19 naïve café."),
    "en2": ("Generalizations about ferries", "en", "2021-04-01", "Ferry operators made generalizations about timetables."),
    "fr1": ("La grève du port continue", "fr", "2021-03-02",
            "Les dockers manifestaient aujourd'hui devant l'établissement. L'économie régionale souffre."),
    "fr2": ("Élections municipales à Velmar", "fr", "2021-05-02", "Les électeurs ont voté dimanche."),
    "ar1": ("إضراب الميناء يدخل يومه الثالث", "ar", "2021-03-03", "قال قادة النقابة إن الإضراب مستمر. الاقتصاد المحلي يعاني."),
    "de1": ("Hafenstreik geht weiter", "de", "2021-03-04", "Die Hafenarbeiter streikten. Straße und Fußgängerzone gesperrt."),
    "ko1": ("항구 파업 사흘째", "ko", "2021-03-05", "항구 노동자들이 파업을 계속했다."),
    "tr1": ("İstanbul limanında grev", "tr", "2021-03-07", "İşçiler grevi sürdürdü. Iğdır ve Istanbul."),
}


def write_multilingual(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    for name, (title, lang, date, body) in MULTILINGUAL.items():
        (root / "articles" / f"{name}.md").write_text(f"---\ntitle: {title}\ndate: {date}\nlang: {lang}\n---\n{body}\n", encoding="utf-8")
    config = root / "config.yaml"
    config.write_text("title: Multi\nbase_url: http://localhost:8000/\nlanguage: en\ntimezone: UTC\nsearch_bundle_size: 2\n", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def multilingual_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("multilingual")
    config = write_multilingual(root / "src")
    result = run_cli("build", "--config", config, "--output", root / "site")
    assert result.code == 0, result.err
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root / "site")))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def search_titles(browser, base: str, locale: str, queries: list[str]) -> dict[str, list[str]]:  # noqa: F811
    context = browser.new_context(locale=locale)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.goto(base + "search/")
    found = {}
    for query in queries:
        tab.fill("#na-search-q", query)
        tab.press("#na-search-q", "Enter")
        tab.wait_for_function("q => document.getElementById('na-search').dataset.done === q.trim()", arg=query)
        found[query] = tab.evaluate("() => [...document.querySelectorAll('.na-search-result h2 a')].map(a => a.textContent)")
    context.close()
    return found


browser_test = [pytest.mark.browser, pytest.mark.slow,
                pytest.mark.skipif(not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium")]


def _marked(test):
    for mark in browser_test:
        test = mark(test)
    return test


@_marked
def test_a_turkish_readers_capital_i_finds_the_word(browser, multilingual_site):  # noqa: F811
    """A reader whose browser speaks Turkish types "Istanbul": the word directory must lower-case
    the query as Pagefind does (locale-free), not "ıstanbul" (dotless ı), which no shard holds."""
    found = search_titles(browser, multilingual_site, "tr-TR", ["Istanbul", "Iğdır", "COVID"])
    assert found["Istanbul"] == ["İstanbul limanında grev"]
    assert found["Iğdır"] == ["İstanbul limanında grev"]
    assert found["COVID"] == ["Harbour strike enters third day"]


@_marked
def test_multilingual_words_find_their_article_and_absent_words_nothing(browser, multilingual_site):  # noqa: F811
    queries = {
        "strike-breakers": "Harbour strike enters third day", "co-operative": "Harbour strike enters third day",
        "naive": "Harbour strike enters third day", "café": "Harbour strike enters third day",
        "etablissement": "La grève du port continue", "aujourd'hui": "La grève du port continue",
        "manifester": "La grève du port continue", "strasse": "Hafenstreik geht weiter",
        "Fußgängerzone": "Hafenstreik geht weiter", "항구": "항구 파업 사흘째", "اقتصاد": "إضراب الميناء يدخل يومه الثالث",
        "İşçiler": "İstanbul limanında grev",
    }
    titles = [title for title, *_ in MULTILINGUAL.values()]
    absent = ["xyzzyq", "zzz", "hopelessness", "manyness"]
    found = search_titles(browser, multilingual_site, "en-US", list(queries) + titles + absent)
    for query, title in queries.items():
        assert title in found[query], (query, found[query])
    for title in titles:
        assert title in found[title][:3], (title, found[title])
    for query in absent:
        assert found[query] == [], (query, found[query])


def test_one_instant_in_two_offsets_is_shown_as_each_was_written():
    """format_date/format_time were lru_cached on the datetime, and two aware datetimes of one
    instant are equal (and hash alike) whatever their offsets: the second was shown with the
    first one's day and time (a version page said 11:00 PM for 08:00 UTC), so a page's bytes
    depended on what the process had formatted before (incremental != clean)."""
    from datetime import datetime, timedelta, timezone

    from newsarchive import i18n
    tehran = datetime(2021, 5, 15, 1, 0, tzinfo=timezone(timedelta(hours=4, minutes=30)))
    utc = datetime(2021, 5, 14, 20, 30, tzinfo=timezone.utc)
    assert tehran == utc
    assert (i18n.format_date(tehran, "en", "long"), i18n.format_time(tehran, "en")) == ("May 15, 2021", "1:00\u202fAM")
    assert (i18n.format_date(utc, "en", "long"), i18n.format_time(utc, "en")) == ("May 14, 2021", "8:30\u202fPM")


def test_two_articles_of_one_instant_show_their_own_dates(tmp_path):
    (tmp_path / "articles").mkdir()
    for name, date in (("tehran", "2021-05-15T01:00:00+04:30"), ("london", "2021-05-14T20:30:00Z")):
        (tmp_path / "articles" / f"{name}.md").write_text(f"---\ntitle: Story {name}\ndate: {date}\n---\nText.\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8")
    result = run_cli("build", "--config", tmp_path / "config.yaml", "--jobs", "1")
    assert result.code == 0, result.err
    tehran = (tmp_path / "_site/2021/05/story-tehran/index.html").read_text(encoding="utf-8")
    london = (tmp_path / "_site/2021/05/story-london/index.html").read_text(encoding="utf-8")
    assert "May 15, 2021" in tehran and "May 14, 2021" not in tehran
    assert "May 14, 2021" in london and "May 15, 2021" not in london


def test_a_theme_card_that_reads_the_page_is_not_served_from_another_pages_fragment(tmp_path):
    """The default listing.html caches each card keyed (item.url, page.lang, lead), a key written
    for the default _macros.html card. A site overriding only _macros.html with a card that shows
    something of the page (here page.kind) got the card of whichever page rendered first: /2021/
    said "listed on a term page"."""
    from newsarchive.config import DEFAULT_TEMPLATES
    (tmp_path / "articles").mkdir()
    (tmp_path / "templates").mkdir()
    for i in (1, 2, 3):
        (tmp_path / "articles" / f"s{i}.md").write_text(
            f"---\ntitle: Story {i}\ndate: 2021-0{i}-01\ntags: [Port]\nsection: Economy\n---\nText {i}.\n", encoding="utf-8")
    macros = (DEFAULT_TEMPLATES / "_macros.html").read_text(encoding="utf-8")
    assert '<h2 class="na-card-title"' in macros
    (tmp_path / "templates" / "_macros.html").write_text(
        macros.replace('<h2 class="na-card-title"', '<p class="where">listed on a {{ page.kind }} page</p><h2 class="na-card-title"'),
        encoding="utf-8")
    (tmp_path / "config.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8")
    result = run_cli("build", "--config", tmp_path / "config.yaml", "--jobs", "1")
    assert result.code == 0, result.err
    site = tmp_path / "_site"
    for path, kind, cards in (("index.html", "home", 3), ("tags/port/index.html", "term", 3), ("sections/economy/index.html", "term", 3),
                              ("2021/index.html", "year", 3), ("2021/01/index.html", "month", 1)):
        text = (site / path).read_text(encoding="utf-8")
        assert text.count(f"listed on a {kind} page") == text.count("listed on a") == cards, (path, text.count("listed on a"))


def test_a_signal_before_the_indexer_starts_leaves_no_never_awaited_warning(monkeypatch):
    """SIGTERM while search.py entered asyncio (3.05 s into a small build) printed Python's
    "RuntimeWarning: coroutine 'index_all' was never awaited" under "stopped by SIGTERM"."""
    import asyncio
    import gc
    import warnings

    from newsarchive import search
    from newsarchive.interrupts import Interrupted

    def stopped(main, **_):
        raise Interrupted(15)  # as the stop signal's handler raises it, before the loop awaited `main`
    monkeypatch.setattr(asyncio, "run", stopped)

    async def index_all():
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(Interrupted):
            search._run_async(index_all())
        gc.collect()
    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []


# Relayout (relayout.py): each change of an article's place in the site, alone and combined, gives
# the clean build's whole tree. (Added/removed articles: tests/test_relayout.py.)
RELAYOUT_BASE = {
    "a": ("Harbour reopens", "2021-05-15T09:00:00+02:00", "tags: [Port, Storm]\nsection: Economy"),
    "b": ("Strike ends", "2021-06-01", "tags: [port]\nsection: Economy\nrelated: [harbour-reopens]"),
    "c": ("Solar roofs", "2022-01-10 10:00", "tags: [Energy, Port]\nsection: Science"),
    "d": ("Library opens", "2022-03-03", "tags: [Culture, Port]"),
    "e": ("Flood warning", "2022-04-04", "tags: [Storm]"),
    "f": ("Ferry timetable", "2022-05-05", "tags: [Port, Ferry]\nsection: Economy"),
    "g": ("Le port rouvre", "2022-06-06", "tags: [Port]\nlang: fr"),
}
RELAYOUT_STEPS = [
    ("retitled and re-dated across a month", {"b": ("Strike is over", "2021-06-01", None), "c": (None, "2022-02-20", None)}),
    ("made unlisted and withdrawn", {"a": (None, None, "tags: [Port, Storm]\nsection: Economy\nstatus: unlisted"),
                                     "d": (None, None, "tags: [Culture, Port]\nstatus: withdrawn\nreason: A court order")}),
    ("a correction and a move between sections", {
        "e": (None, None, "tags: [Storm]\ncorrections:\n  - {date: 2022-04-05, type: correction, text: 'The river, not the sea.'}"),
        "f": (None, None, "tags: [Port, Ferry]\nsection: Transport")}),
    ("given a translation", {"g": (None, None, "tags: [Port]\nlang: fr\ntranslation_of: f.md")}),
    ("all undone at once", {key: RELAYOUT_BASE[key] for key in "abcdefg"}),
]


def _relayout_write(site: Path, values: dict[str, tuple]) -> None:
    for key, (title, date, fields) in values.items():
        path = site / "articles" / f"{key}.md"
        base = RELAYOUT_BASE[key]
        title, date, fields = title or base[0], date or base[1], base[2] if fields is None else fields
        path.write_text(f"---\ntitle: {title}\ndate: {date}\n{fields}\n---\nText of {key}. See [b](b.md).\n", encoding="utf-8")


@pytest.mark.slow
def test_each_relayout_change_gives_a_clean_builds_tree(tmp_path):
    from conftest import clean_build, rebuild, tree
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "config.yaml").write_text("title: Relayout\nbase_url: https://example.org/news/\nper_page: 2\nsearch: false\n", encoding="utf-8")
    _relayout_write(site, RELAYOUT_BASE)
    rebuild(site)
    for name, values in RELAYOUT_STEPS:
        _relayout_write(site, values)
        rebuild(site)
        assert tree(site / "_site") == clean_build(site, tmp_path), name
    withdrawn = [p for p in (site / "_site").rglob("index.html") if "A court order" in p.read_text(encoding="utf-8")]
    assert withdrawn == []  # the last step published the article again: no notice is left


@pytest.mark.slow
def test_search_files_deleted_by_hand_are_written_again_by_the_next_build(tmp_path):
    """The up-to-date check stats every page, but of the search index only bundles.json: with a
    word-directory shard or a bundle deleted from the output, every later build said "the site is
    up to date" and left search broken (a language's index gone) until --full."""
    import json
    import shutil
    config = write_multilingual(tmp_path)
    assert run_cli("build", "--config", config).code == 0
    pagefind = tmp_path / "_site" / "pagefind"
    listed = json.loads((pagefind / "bundles.json").read_text(encoding="utf-8"))
    manifest = json.loads((pagefind / listed["words"]["fr"]).read_text(encoding="utf-8"))
    shard = pagefind / "words" / f"{next(iter(manifest['shards'].values()))}.json"
    bundle = pagefind / listed["bundles"][0]["name"]
    kept = shard.read_bytes(), (bundle / "pagefind-entry.json").read_bytes()
    shard.unlink()
    result = run_cli("build", "--config", config)
    assert result.code == 0 and "up to date" not in result.out, result.out
    assert shard.read_bytes() == kept[0]
    shutil.rmtree(bundle)
    result = run_cli("build", "--config", config)
    assert result.code == 0 and "up to date" not in result.out, result.out
    assert (bundle / "pagefind-entry.json").read_bytes() == kept[1]
    assert "up to date" in run_cli("build", "--config", config).out


def test_cluster_workers_know_which_fragments_not_to_cache(tmp_path):
    """A Dask worker's environment gets its templates shipped (remote.ShippedTemplates): the
    folders may not exist there, so which {% cache %} blocks to render every time is decided
    where they do, under the file names the worker compiles the templates with."""
    from newsarchive.config import DEFAULT_TEMPLATES, load_config
    from newsarchive.remote import collect_templates
    (tmp_path / "articles").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "_macros.html").write_text((DEFAULT_TEMPLATES / "_macros.html").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "config.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    shipped = collect_templates(load_config(tmp_path / "config.yaml"))
    assert shipped.sources["listing.html"][1] in shipped.uncached
    assert shipped.sources["base.html"][1] not in shipped.uncached  # its blocks use no partial
