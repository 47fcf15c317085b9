"""What keeps a large build's memory down keeps its output: renderers forked afresh in
batches, summaries beyond a budget read back from the cache by the cards, listing pagers made when read,
and the cache's article records read one at a time by an incremental build."""
from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from conftest import REPO, article, tree_digest
from newsarchive import parallel, render
from newsarchive.rebuild.store import FILENAME, BuildCache
from newsarchive.config import load_config
from newsarchive.executors import LocalPool
from newsarchive.load import KeptArticles, load_articles
from newsarchive.walk import discover
from newsarchive.pipeline import BuildOptions, build
from newsarchive.plan import ListingData, plan_pages
from newsarchive.site import assemble_site

_spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

CONFIG = "title: Large\nbase_url: https://example.org/\nper_page: 10\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    corpus.write_corpus(320, out, seed=5)
    (out / "config.yaml").write_text(CONFIG, encoding="utf-8")
    return out


@pytest.mark.slow
def test_renderers_forked_in_batches_write_the_same_site(generated, tmp_path, monkeypatch):
    """With a small batch, the render stage forks a fresh renderer several times; the site
    is byte for byte the one a single process renders."""
    site = tmp_path / "site"
    shutil.copytree(generated, site)
    single = build(load_config(site / "config.yaml"), BuildOptions(jobs=1, full=True))
    assert single.ok
    expected = tree_digest(site / "_site")

    forked = []
    real_map_chunks = parallel.map_chunks

    def counting(task, items, state, jobs, chunk_size=256, **options):
        if task is render._render_chunk and len(items) >= 2 * parallel.MIN_ITEMS_PER_WORKER:
            forked.append(len(items))
        return real_map_chunks(task, items, state, jobs, chunk_size, **options)

    monkeypatch.setattr(render, "renderer_articles", lambda archive: 1500)
    monkeypatch.setattr(KeptArticles, "SUMMARIES", 20_000)  # some summaries held, the others read back
    monkeypatch.setattr(render.parallel, "map_chunks", counting)
    shutil.rmtree(site / "_site")
    shutil.rmtree(site / ".cache")
    report = build(load_config(site / "config.yaml"), BuildOptions(jobs=2, full=True))
    assert report.ok and report.pages == single.pages
    assert len(forked) >= 3  # three batches or more, each big enough to fork a renderer
    assert tree_digest(site / "_site") == expected


def test_renderer_batches_weigh_the_articles_pages_show():
    class Page:
        def __init__(self, article=None, items=()):
            self.article, self.items = article, items
    pages = [Page(article="a.md")] * 4 + [Page(items=("a.md",) * 10)] * 3
    assert render.renderer_batches(pages, list(range(7)), 20) == [[0, 1], [2, 3], [4], [5], [6]]
    assert render.renderer_batches(pages, [6, 0], 1000) == [[6, 0]]


def test_a_ten_thousand_article_archive_renders_in_one_batch():
    """A template change at 10⁴ articles (10,000 article pages, 5,700 listings, 2,000 feeds: about the mix
    of bench/corpus 10000-rich, which shows 227,752 articles) forks one renderer, not seven."""
    class Page:
        def __init__(self, article=None, items=()):
            self.article, self.items = article, items
    pages = [Page(article=f"{n}.md") for n in range(10_000)]
    pages += [Page(items=("a.md",) * 12)] * 5_700 + [Page(items=("a.md",) * 25)] * 2_000
    indices = list(range(len(pages)))
    assert len(render.renderer_batches(pages, indices, render.renderer_articles(10_000))) == 1
    assert len(render.renderer_batches(pages, indices, 32_768)) == 7  # the fixed ceiling it had


def test_renderers_show_fewer_articles_in_a_larger_archive():
    assert [render.renderer_articles(n) for n in (0, 10_000, 131_072, 262_144, 524_288, 10**6, 10**7)] == [
        2**32, 429_496, 32_768, 16_384, 8_192, 8_192, 8_192]


def loaded_articles(config) -> list:
    """The site's articles as a first build loads them, in one process."""
    cache = BuildCache(config.cache_dir, "key")
    try:
        loaded = load_articles(discover(config.articles_dir)[0], {}, config, cache, LocalPool(1))
    finally:
        cache.close()
    return [r.article for r in loaded.results]


def test_loaded_articles_keep_summaries_up_to_a_budget_and_cards_read_the_others_from_the_cache(make_site, monkeypatch):
    config_path = make_site({
        "articles/2021/a.md": article("Alpha", "2021-05-01", "The first paragraph of Alpha.\n\nMore.", tags="[Port, Harbour]"),
        "articles/2021/b.md": article("Beta", "2021-05-02", "Body.", summary="The own summary of Beta.", tags="[Port]"),
    })
    config = load_config(config_path)
    monkeypatch.setattr(KeptArticles, "SUMMARIES", 100)  # room for Alpha's (78 bytes as a str), not for Beta's after it
    a, b = loaded_articles(config)
    assert (a.summary, b.summary) == ("The first paragraph of Alpha.", None)
    assert a.tags[0] == "Port" and a.tags[0] is b.tags[0]  # one copy of a repeated value
    site = assemble_site([a, b], taxonomies=config.taxonomies, slug_style=config.slug_style)
    cards = plan_pages(site, config).cards
    try:
        cards.prepare(["2021/a.md", "2021/b.md"])
        assert cards["2021/a.md"]["summary"] == "The first paragraph of Alpha."
        assert cards["2021/b.md"]["summary"] == "The own summary of Beta."
        assert list(cards["2021/b.md"])[8:10] == ["summary", "summary_in_body"]  # where article_card puts it
    finally:
        cards.close()


def test_built_listings_show_summaries_read_back_from_the_cache(make_site, monkeypatch):
    config_path = make_site({
        "articles/2021/a.md": article("Alpha", "2021-05-01", "The first paragraph of Alpha.\n\nMore."),
        "articles/2021/b.md": article("Beta", "2021-05-02", "Body.", summary="The own summary of Beta."),
    })
    monkeypatch.setattr(KeptArticles, "SUMMARIES", 0)
    assert build(load_config(config_path), BuildOptions(jobs=1)).ok
    home = (config_path.parent / "_site/index.html").read_text(encoding="utf-8")
    assert "The first paragraph of Alpha." in home and "The own summary of Beta." in home


def test_listing_data_reads_as_the_dict_it_stands_for():
    term = {"name": "Port", "slug": "port", "url": "/tags/port/", "kind": "tags", "count": 45}
    data = ListingData({"term": term}, "/tags/port/", 2, 5, 45)
    whole = dict(data)
    assert list(whole) == ["term", "pager"] and whole["term"] is term
    assert whole["pager"] == {
        "number": 2, "total": 5, "first": "/tags/port/", "last": "/tags/port/page/5/", "prev": "/tags/port/",
        "next": "/tags/port/page/3/", "window": [{"number": n, "url": "/tags/port/" if n == 1 else f"/tags/port/page/{n}/"} for n in range(1, 6)],
        "count": 45,
    }
    assert repr(data) == repr(whole)  # what the page's signature digests: unchanged by the compact form
    assert {**data} == whole and len(data) == 2
    again = pickle.loads(pickle.dumps(data))  # pages travel to cluster workers pickled
    assert dict(again) == whole


@pytest.mark.slow
def test_incremental_build_reads_cached_records_one_at_a_time(generated, tmp_path):
    """A touched but unchanged file is not parsed again, a deleted one leaves the cache, and
    the site is the one a clean build writes."""
    site = tmp_path / "site"
    shutil.copytree(generated, site)
    config = load_config(site / "config.yaml")
    assert build(config, BuildOptions(jobs=1)).ok
    files = sorted((site / "articles").rglob("*.md"))
    os.utime(files[3], ns=(files[3].stat().st_atime_ns, files[3].stat().st_mtime_ns + 10**9))
    files[7].unlink()
    report = build(config, BuildOptions(jobs=1))
    assert report.ok and report.parsed == 0 and report.read == 319
    db = sqlite3.connect(config.cache_dir / FILENAME)
    try:
        paths = {p for (p,) in db.execute("SELECT source_path FROM sources")}
    finally:
        db.close()
    assert len(paths) == 319 and files[7].relative_to(site / "articles").as_posix() not in paths
    incremental = tree_digest(site / "_site")
    assert build(config, BuildOptions(jobs=1, full=True)).ok
    assert tree_digest(site / "_site") == incremental


def test_loaded_articles_share_the_time_zone_of_a_repeated_utc_offset(make_site):
    config_path = make_site({
        "articles/a.md": "---\ntitle: Alpha\ndate: 2021-05-01T10:00:00+02:00\n---\nText.\n",
        "articles/b.md": "---\ntitle: Beta\ndate: 2021-05-02T09:30:00+02:00\nupdated: 2021-05-03T08:00:00+02:00\n---\nText.\n",
        "articles/c.md": "---\ntitle: Gamma\ndate: 2021-05-02T09:30:00-05:00\n---\nText.\n",
    })
    a, b, c = loaded_articles(load_config(config_path))
    assert a.date.tzinfo is b.date.tzinfo is b.updated.tzinfo
    assert c.date.utcoffset() == timedelta(hours=-5) and c.date.tzinfo is not a.date.tzinfo
    assert a.date == datetime(2021, 5, 1, 8, 0, tzinfo=timezone.utc) and b.updated.hour == 8


def test_the_no_change_check_reads_the_sources_stat_index(tmp_path):
    """The check of every source reads a narrow index, not the table with every article's JSON.
    (A cache written before the index existed is another version's: its key, which covers the
    package's code, differs, so it starts afresh with the index.)"""
    cache = BuildCache(tmp_path, "key")
    cache.store_sources([("a.md", (1, 2, 3, 4), "hash-a", '{"title": "' + "x" * 5000 + '"}', "[]")])
    cache.close()
    cache = BuildCache(tmp_path, "key")
    try:
        statements = []
        cache.db.set_trace_callback(statements.append)
        assert cache.source_stats() == {"a.md": ((1, 2, 3, 4), "hash-a")}
        cache.db.set_trace_callback(None)
        plan = [row[-1] for s in statements if s.lstrip().upper().startswith("SELECT") for row in cache.db.execute("EXPLAIN QUERY PLAN " + s)]
        assert plan == ["SCAN sources USING COVERING INDEX sources_stat"], plan
    finally:
        cache.close()
