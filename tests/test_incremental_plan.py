"""The incremental plan (rebuild/graph.py): a rebuild whose layout is unchanged digests only the
pages that show an edited article, and its output still equals a clean build byte for byte."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from conftest import article, assert_steps_equal_clean_builds, clean_build, tree
from newsarchive.rebuild.store import FILENAME
from newsarchive.config import load_config
from newsarchive.rebuild.keys import Layout, site_layout
from newsarchive.pipeline import BuildOptions, build
from newsarchive.plan import page_signatures, plan_pages
from newsarchive.site import assemble_site

CONFIG = "title: Layout\nbase_url: https://example.org/news/\nper_page: 2\nterm_feed_content: summary\n"
BASE = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15T09:00:00+02:00", "Dock workers are back.\n\nMore.", tags="[Port, Storm]", section="Economy"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[port]", section="Economy", related="[harbour-reopens]"),
    "articles/2022/c.md": article("Solar roofs", "2022-01-10 10:00", "Roofs.\n\n![r](../img/roof.svg)", tags="[Energy]", section="Science", image="../img/roof.svg"),
    "articles/2022/d.md": article("Library opens", "2022-03-03", "Books.", tags="[Culture, Port]", lang="fr"),
    "articles/2022/e.md": article("Flood warning", "2022-04-04", "Water. See [the harbour](../2021/a.md).", tags="[Storm]"),
    "articles/img/roof.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>",
}


def rebuild(site: Path, jobs: int):
    return build(load_config(site / "config.yaml"), BuildOptions(jobs=jobs))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


EDITS = [
    ("body, summary unchanged", "2021/a.md", "More.", "More, and more."),
    ("summary", "2021/a.md", "Dock workers are back.", "Dock workers are back at work."),
    ("title of a neighbour linked by 'read also' and a body link", "2021/a.md", "title: Harbour reopens", "title: Harbour reopened\nslug: harbour-reopens"),
    ("tag moved", "2021/b.md", "tags: [port]", "tags: [Energy]"),
    ("tag spelling that becomes the shown one", "2022/d.md", "tags: [Culture, Port]", "tags: [Culture, PORT]\nsummary: x"),
    ("date that reorders", "2022/e.md", "date: 2022-04-04", "date: 2020-01-01"),
    ("image caption", "2022/c.md", "image: ../img/roof.svg", "image: ../img/roof.svg\nimage_caption: A roof"),
    ("section", "2022/c.md", "section: Science", "section: Economy"),
    ("language", "2022/d.md", "lang: fr", "lang: de"),
]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_each_edit_gives_a_clean_builds_bytes(make_site, tmp_path, jobs):
    site = make_site(dict(BASE), config=CONFIG).parent
    assert_steps_equal_clean_builds(site, tmp_path, EDITS, jobs=jobs)


def test_an_edit_before_a_failed_build_is_still_rendered_after_it(make_site, tmp_path):
    """The failed build updates the article cache but records no layout: the next build
    compares with the last build that wrote the site, so the edit is not lost."""
    site = make_site(dict(BASE), config=CONFIG).parent
    assert rebuild(site, 1).ok
    replace_in(site / "articles/2021/a.md", "More.", "Edited once.")
    (site / "articles/2021/broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    assert not rebuild(site, 1).ok
    (site / "articles/2021/broken.md").unlink()
    assert rebuild(site, 1).ok
    assert "Edited once." in (site / "_site/2021/05/harbour-reopens/index.html").read_text()
    assert tree(site / "_site") == clean_build(site, tmp_path)


@pytest.mark.parametrize("record", ["not a key", '{"key": "x"}', ""])
def test_a_damaged_or_foreign_layout_record_means_every_page_is_signed(make_site, tmp_path, record):
    site = make_site(dict(BASE), config=CONFIG).parent
    assert rebuild(site, 1).ok
    db = sqlite3.connect(site / ".cache" / FILENAME)
    db.execute("UPDATE meta SET value = ? WHERE key = 'layout'", (record,))
    db.commit()
    db.close()
    replace_in(site / "articles/2021/b.md", "The strike ended.", "The strike is over.")
    assert rebuild(site, 1).ok
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_layout_record_left_by_an_older_build_is_not_trusted(make_site, tmp_path):
    """A build that records no layout (an older version) rewrites the manifest: the record
    left from before no longer names the build that wrote the site."""
    site = make_site(dict(BASE), config=CONFIG).parent
    assert rebuild(site, 1).ok
    db = sqlite3.connect(site / ".cache" / FILENAME)
    (stale,) = db.execute("SELECT value FROM meta WHERE key = 'layout'").fetchone()
    db.close()
    replace_in(site / "articles/2022/d.md", "Books.", "Books and maps.")
    assert rebuild(site, 1).ok
    db = sqlite3.connect(site / ".cache" / FILENAME)
    db.execute("UPDATE meta SET value = ? WHERE key = 'layout'", (stale,))  # as if an older version had built the edit
    (info,) = db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
    db.execute("UPDATE meta SET value = ? WHERE key = 'last_build'", (info.replace('"layout"', '"no layout"'),))
    db.commit()
    db.close()
    replace_in(site / "articles/2022/d.md", "Books and maps.", "Books.")  # back to what the stale record describes
    assert rebuild(site, 1).ok
    assert "maps" not in (site / "_site/2022/03/library-opens/index.html").read_text()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_the_layout_is_recorded_with_the_manifest(make_site):
    site = make_site(dict(BASE), config=CONFIG).parent
    assert rebuild(site, 1).ok
    db = sqlite3.connect(site / ".cache" / FILENAME)
    (key,) = db.execute("SELECT value FROM meta WHERE key = 'layout'").fetchone()
    layout = Layout(key, {path: (h, d) for path, h, d in db.execute("SELECT source_path, content_hash, layout FROM articles")})
    db.close()
    assert sorted(layout.articles) == ["2021/a.md", "2021/b.md", "2022/c.md", "2022/d.md", "2022/e.md"]
    assert layout.articles["2021/a.md"][0] == hashlib.sha256((site / "articles/2021/a.md").read_bytes()).hexdigest()
    assert len(layout.key) == 32


def planned(site: Path, files: dict[str, str]):
    from newsarchive.executors import LocalPool
    from newsarchive.load import load_articles
    from newsarchive.rebuild.store import BuildCache
    from newsarchive import walk
    config = load_config(site / "config.yaml")
    sources, _ = walk.discover(config.articles_dir)
    cache = BuildCache(site / ".cache-test", "k")
    try:
        loaded = load_articles(sources, {}, config, cache, LocalPool(1))
    finally:
        cache.close()
    articles = [r.article for r in loaded.results]
    the_site = assemble_site(articles, taxonomies=config.taxonomies, slug_style=config.slug_style)
    return the_site, config


def signed_by_the_graph(site: Path, before, after, config):
    """The signatures Signing gives the `after` site's pages, from the graph and the true
    signatures a build of `before` kept (in a cache of the test's own); and the pages it digested."""
    from newsarchive.rebuild.graph import Signing, keep_graph
    from newsarchive.rebuild.store import BuildCache
    old_layout, layout = site_layout(before, "key"), site_layout(after, "key")
    old_plan = plan_pages(before, config, build_key="key")
    cache = BuildCache(site / ".cache-graph", "k")
    try:
        cache.record_build([(url, signature, "0" * 32) for url, signature in old_plan.signatures.items()], [], {},
                           layout=(old_layout.key, old_layout.articles))
        keep_graph(cache, before, old_plan, old_layout.key)
        manifest = {url: (signature, "0" * 32) for url, signature in old_plan.signatures.items()}
        pages = plan_pages(after, config, build_key="key").pages
        signatures = Signing(after, "key", layout, old_layout, manifest, cache).sign(pages)
    finally:
        cache.close()
    return pages, signatures, {url for url, signature in signatures.items() if manifest.get(url, ("",))[0] != signature}


def test_only_pages_showing_a_changed_article_are_digested(make_site):
    """Pages showing the edited article get fresh signatures; every other page keeps the
    manifest's, so it is neither digested nor rendered."""
    site = make_site(dict(BASE), config=CONFIG).parent
    before, config = planned(site, BASE)
    old_layout = site_layout(before, "key")
    replace_in(site / "articles/2022/d.md", "Books.", "Books and maps.")
    after, _ = planned(site, BASE)
    layout = site_layout(after, "key")
    assert layout.key == old_layout.key and layout.articles != old_layout.articles
    assert site_layout(after, "key", old_layout) == layout  # the unchanged articles' digests reused give the same key
    pages, signatures, fresh = signed_by_the_graph(site, before, after, config)
    assert "/2022/03/library-opens/" in fresh  # its own page
    assert "/tags/culture/" in fresh and "/feed.xml" in fresh  # listings and feeds showing it
    assert "/tags/energy/" not in fresh and "/tags/storm/" not in fresh and "/sitemap.xml" not in fresh and "/tags/" not in fresh
    assert signatures == page_signatures(pages, after, "key")


def test_a_layout_change_signs_the_pages_depending_on_it(make_site):
    site = make_site(dict(BASE), config=CONFIG).parent
    before, config = planned(site, BASE)
    replace_in(site / "articles/2022/d.md", "title: Library opens", "title: Library opened\nslug: library-opens")
    after, _ = planned(site, BASE)
    assert site_layout(after, "key").key != site_layout(before, "key").key
    pages, signatures, fresh = signed_by_the_graph(site, before, after, config)
    assert signatures == page_signatures(pages, after, "key")
    assert "/2022/04/flood-warning/" in fresh and "/2022/01/solar-roofs/" in fresh  # its neighbours link to it by title
    assert "/tags/energy/" not in fresh and "/tags/storm/" not in fresh
    assert site_layout(after, "other build key").key != site_layout(after, "key").key


# Suggestions chosen again only for the articles an edit can change (related.affected)

def _stories(tag_sets, sections, related_to):
    from datetime import datetime, timedelta, timezone
    from newsarchive.content import Related
    from test_site import make
    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    return [make(f"s{i:02d}.md", start + timedelta(days=i % 9, hours=i), tags=tuple(tags), section=section,
                 related=(Related(slug=f"s{related_to[i]:02d}"),) if related_to[i] is not None else ())
            for i, (tags, section) in enumerate(zip(tag_sets, sections))]


def _chosen(articles, remembered):
    return assemble_site(articles, taxonomies=("tags", "sections"), slug_style="ascii", remembered=remembered)


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

TAG_NAMES = ["Port", "port", "Strike", "Ferry", "Rare", "Weather", "Energy"]
SECTION_NAMES = [None, "Economy", "Sport"]
COUNT = 24


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tags=st.lists(st.lists(st.sampled_from(TAG_NAMES), max_size=3), min_size=COUNT, max_size=COUNT),
       sections=st.lists(st.sampled_from(SECTION_NAMES), min_size=COUNT, max_size=COUNT),
       edits=st.lists(st.tuples(st.integers(0, COUNT - 1), st.lists(st.sampled_from(TAG_NAMES), max_size=3),
                                st.sampled_from(SECTION_NAMES), st.one_of(st.none(), st.integers(0, COUNT - 1))),
                      min_size=1, max_size=3))
def test_suggestions_chosen_again_for_the_affected_articles_only_equal_a_fresh_choice(tags, sections, edits):
    from newsarchive.related import Suggestions
    related_to = [None] * COUNT
    before = _chosen(_stories(tags, sections, related_to), None)
    remembered = Suggestions(before.suggestions_key, before.suggested, before.suggestion_inputs)
    tags, sections = list(tags), list(sections)
    for index, new_tags, section, link in edits:
        tags[index], sections[index], related_to[index] = new_tags, section, link
    after = _stories(tags, sections, related_to)
    assert _chosen(after, remembered).suggested == _chosen(after, None).suggested


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tags=st.lists(st.lists(st.sampled_from(TAG_NAMES), max_size=3), min_size=COUNT, max_size=COUNT),
       sections=st.lists(st.sampled_from(SECTION_NAMES), min_size=COUNT, max_size=COUNT),
       removed=st.sets(st.integers(0, COUNT - 1), max_size=2),
       added=st.lists(st.tuples(st.lists(st.sampled_from(TAG_NAMES + ["New"]), max_size=3),
                                st.sampled_from(SECTION_NAMES + ["Fresh"]), st.integers(-3, 12)), max_size=2))
def test_suggestions_after_articles_added_or_removed_equal_a_fresh_choice(tags, sections, removed, added):
    """Only the added articles and those sharing a tag or (when topped up) a section with an
    added or removed one are chosen again (related.affected), and the result is a fresh choice's."""
    from datetime import datetime, timedelta, timezone
    from newsarchive.related import Suggestions
    from test_site import make
    stories = _stories(tags, sections, [None] * COUNT)
    before = _chosen(stories, None)
    remembered = Suggestions(before.suggestions_key, before.suggested, before.suggestion_inputs)
    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    after = [s for i, s in enumerate(stories) if i not in removed]
    after += [make(f"n{i}.md", start + timedelta(days=day, minutes=7 + i), tags=tuple(new_tags), section=section)
              for i, (new_tags, section, day) in enumerate(added)]
    assert _chosen(after, remembered).suggested == _chosen(after, None).suggested


def test_a_tag_edit_chooses_again_for_the_articles_holding_the_tags_it_changed_only():
    from newsarchive.related import affected, suggestion_inputs
    tag_sets = [["Port"], ["Port", "Rare"], ["Ferry"], ["Ferry"], ["Weather"], ["Port"]]
    sections = ["Economy", "Economy", "Sport", "Sport", None, None]
    old = _stories(tag_sets, sections, [None] * 6)
    tag_sets[2] = ["Ferry", "Rare"]
    new = _stories(tag_sets, sections, [None] * 6)
    order = [a.source_path for a in _chosen(new, None).articles]
    inputs = [suggestion_inputs(_chosen(x, None).articles, {}, "ascii") for x in (old, new)]
    assert sorted(order[i] for i in affected(*inputs)) == ["s01.md", "s02.md"]  # the edited story and Rare's other holder
    sections[4] = "Sport"
    moved = suggestion_inputs(_chosen(_stories(tag_sets, sections, [None] * 6), None).articles, {}, "ascii")
    assert sorted(order[i] for i in affected(inputs[1], moved)) == ["s02.md", "s03.md", "s04.md"]  # Sport's holders
    fewer = suggestion_inputs(_chosen(new[:5], None).articles, {}, "ascii")  # s05.md (Port, no section) removed
    assert sorted(fewer[i + 1][0] for i in affected(inputs[1], fewer)) == ["s00.md", "s01.md"]  # Port's other holders
    assert affected(inputs[1], fewer[:2]) is None  # past a power of two of articles: every weight changes


@pytest.mark.parametrize("inputs", [[["ascii", 5, 3, 20, 2], 7], [["ascii", 5, 3, 20, 2], ["x.md"]], "text",
                                    [["ascii", 5, 3, 20], ["s00.md", 0.0, "", ["port"], []]]])  # the last: an earlier way of choosing
def test_damaged_remembered_inputs_mean_a_fresh_choice(inputs):
    from newsarchive.related import Suggestions, remembered_or_new
    stories = _chosen(_stories([["Port"], ["Port"], ["Ferry"]], [None] * 3, [None] * 3), None).articles
    fresh = remembered_or_new(stories, {}, "ascii", None)
    assert remembered_or_new(stories, {}, "ascii", Suggestions("other key", {}, inputs)).by_source == fresh.by_source
