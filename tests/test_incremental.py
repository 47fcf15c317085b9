"""Incremental builds: the output after any sequence of changes is byte-identical to a clean
build, only changed pages are rewritten, and a bad cache is never trusted."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import article, clean_build, mtimes, rebuild, run_cli, tree
from newsarchive.rebuild.store import FILENAME
from newsarchive.lock import build_lock
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build


BASE = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15T09:00:00+02:00", "Dock workers are back.", tags="[Port, Storm]", section="Economy", author="Ada"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[port]", section="Economy", related="[harbour-reopens]"),
    "articles/2022/c.md": article("Solar roofs", "2022-01-10 10:00", "Roofs.\n\n![r](../img/roof.svg)", tags="[Energy]", section="Science", image="../img/roof.svg"),
    "articles/2022/d.md": article("Library opens", "2022-03-03", "Books.", tags="[Culture, Port]", lang="fr"),
    "articles/img/roof.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>",
}
CONFIG = "title: Incremental\nbase_url: https://example.org/news/\nper_page: 2\nsearch: false\n"  # search: tests/test_search.py


@pytest.fixture
def site(make_site) -> Path:
    config = make_site(dict(BASE), config=CONFIG)
    rebuild(config.parent)
    return config.parent


def test_no_change_rebuild_writes_nothing(site):
    before = mtimes(site / "_site")
    report = rebuild(site)
    assert report.up_to_date and report.written == 0
    assert mtimes(site / "_site") == before


def test_touched_but_unchanged_file_writes_nothing(site):
    before = mtimes(site / "_site")
    (site / "articles/2021/a.md").write_text((site / "articles/2021/a.md").read_text())
    report = rebuild(site)
    assert report.written == 0 and report.parsed == 0
    assert mtimes(site / "_site") == before


def _source_stats_read(monkeypatch) -> list:
    """The groups of folders whose cache rows each build reads (None: every row)."""
    from newsarchive.rebuild.store import BuildCache
    real, read = BuildCache.source_stats, []

    def spy(self, below=None):
        read.append(None if below is None else sorted(below))
        return real(self, below)
    monkeypatch.setattr(BuildCache, "source_stats", spy)
    return read


def test_files_are_recorded_by_their_first_two_folders():
    from newsarchive.rebuild.keys import group_of
    assert [group_of(p) for p in ("a.md", "2019/a.md", "2019/05/a.md", "2019/05/slug/index.md")] == ["", "2019", "2019/05", "2019/05"]


def test_no_change_rebuild_reads_no_row_per_file_when_the_files_are_as_recorded(site, monkeypatch):
    read = _source_stats_read(monkeypatch)
    assert rebuild(site).up_to_date and read == []


def test_a_file_touched_added_or_removed_is_not_taken_as_recorded(site, monkeypatch):
    import os
    from newsarchive.walk import discover
    from newsarchive.rebuild.keys import group_digests
    import json
    db = sqlite3.connect(site / ".cache" / FILENAME)
    recorded = json.loads(db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()[0])["sources"]
    assert set(recorded) == {"2021", "2022"}
    db.close()
    walk = lambda: discover(site / "articles")[0]  # noqa: E731
    assert recorded == group_digests(walk())
    os.utime(site / "articles/2021/a.md", ns=(1, 1))
    touched = group_digests(walk())
    (site / "articles/2023.md").write_text(article("New", "2023-01-01", "New."))
    added = group_digests(walk())
    (site / "articles/2023.md").unlink()
    assert touched != recorded and added != touched and group_digests(walk()) == touched
    read = _source_stats_read(monkeypatch)
    report = rebuild(site)  # touched: only its folder's rows are read, nothing is parsed or written
    assert read == [["2021"]] and not report.up_to_date and report.parsed == 0 and report.written == 0
    (site / "articles/2023.md").write_text(article("New", "2023-01-01", "New."))
    report = rebuild(site)  # a file at the top: the top's rows
    assert read[1:] == [[""]] and report.parsed == 1 and (site / "_site/2023/01/new/index.html").is_file()
    shutil.rmtree(site / "articles/2022")
    report = rebuild(site)  # a folder gone
    assert read[2:] == [["2022"]] and "Article removed" in (site / "_site/2022/01/solar-roofs/index.html").read_text()


def test_an_edit_rebuild_records_its_files_so_the_next_build_reads_no_row_per_file(site, monkeypatch):
    path = site / "articles/2021/a.md"
    path.write_text(path.read_text().replace("Dock workers are back.", "Dock workers are back at last."))
    read = _source_stats_read(monkeypatch)
    assert rebuild(site).from_records and read == [["2021"]]
    assert rebuild(site).up_to_date and read == [["2021"]]


@pytest.mark.parametrize("term_feeds, rewritten", [
    ("summary", ["2022/01/solar-roofs/index.html", "feed.xml"]),  # the term feeds show the unchanged summary
    ("full", ["2022/01/solar-roofs/index.html", "feed.xml", "sections/science/feed.xml", "tags/energy/feed.xml"]),
])
def test_body_edit_rewrites_the_article_and_the_feeds_that_carry_it_only(make_site, tmp_path, term_feeds, rewritten):
    site = make_site(dict(BASE), config=CONFIG + f"term_feed_content: {term_feeds}\n").parent
    rebuild(site)
    before = mtimes(site / "_site")
    path = site / "articles/2022/c.md"
    path.write_text(path.read_text().replace("Roofs.", "Roofs.\n\nA second paragraph."))
    report = rebuild(site)
    after = mtimes(site / "_site")
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert changed == rewritten
    assert report.parsed == 1 and report.written == len(rewritten)
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_title_edit_rewrites_the_pages_that_list_or_link_it(site, tmp_path):
    before = mtimes(site / "_site")
    path = site / "articles/2021/a.md"
    path.write_text(path.read_text().replace("title: Harbour reopens", "title: Harbour reopens at last\nslug: harbour-reopens"))
    rebuild(site)
    after = mtimes(site / "_site")
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert "2021/06/strike-ends/index.html" in changed  # its "read also" shows the new title
    assert "tags/storm/index.html" in changed and "tags/energy/index.html" not in changed
    assert "2022/01/solar-roofs/index.html" not in changed
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_deleted_article_leaves_a_notice_and_its_empty_listings_redirect(site, tmp_path):
    """Its published URLs stay (links.py): the article's says it was removed, its month and tag lead on."""
    (site / "articles/2022/c.md").unlink()
    rebuild(site)
    out = site / "_site"
    assert "Article removed" in (out / "2022/01/solar-roofs/index.html").read_text()
    assert 'url=../../tags/"' in (out / "tags/energy/index.html").read_text()
    assert 'url=../../2022/"' in (out / "2022/01/index.html").read_text()
    assert tree(out) == clean_build(site, tmp_path)


def test_deleted_article_disappears_with_its_empty_folders_without_a_record(make_site, tmp_path):
    site = make_site(dict(BASE), config=CONFIG + "url_record: false\n").parent
    rebuild(site)
    (site / "articles/2022/c.md").unlink()
    rebuild(site)
    out = site / "_site"
    assert not (out / "2022/01").exists() and not (out / "tags/energy").exists()
    assert tree(out) == clean_build(site, tmp_path)


def test_deleted_output_page_is_written_again(site):
    page = site / "_site/2021/05/harbour-reopens/index.html"
    original = page.read_bytes()
    page.unlink()
    report = rebuild(site)
    assert page.read_bytes() == original and report.written == 1


def test_a_page_deleted_among_many_is_found_by_the_shared_out_check(make_site):
    """Past 128 pages the check that every page is still there runs in two processes."""
    files = {f"articles/{n:03d}.md": article(f"Story {n}", f"2021-05-{n % 28 + 1:02d}", "Text.") for n in range(140)}
    site = make_site(files, config=CONFIG).parent
    rebuild(site, jobs=2)
    assert rebuild(site, jobs=2).up_to_date
    pages = sorted((site / "_site").rglob("index.html"))
    assert len(pages) > 128
    original = pages[-1].read_bytes()
    pages[-1].unlink()
    report = rebuild(site, jobs=2)
    assert not report.up_to_date and report.written == 1 and pages[-1].read_bytes() == original


def test_template_change_rewrites_only_pages_whose_bytes_change(site, tmp_path):
    before = mtimes(site / "_site")
    (site / "templates").mkdir()
    (site / "templates/robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")
    report = rebuild(site)
    after = mtimes(site / "_site")
    assert sorted(rel for rel in after if after[rel] != before.get(rel)) == ["robots.txt"]
    assert report.written == 1 and report.pages > 20
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_corrupt_cache_is_detected_and_rebuilt(site, tmp_path):
    (site / ".cache" / FILENAME).write_bytes(b"this is not a database" * 100)
    report = rebuild(site)
    assert report.parsed == 4
    assert tree(site / "_site") == clean_build(site, tmp_path)


def damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of one table with noise, as a failing disk would."""
    db = sqlite3.connect(path)
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes(range(256)) * (page_size // 256))


@pytest.mark.parametrize("table", ["bodies", "sources", "pages"])
def test_cache_damaged_inside_is_found_when_read_and_the_site_built_anew(site, tmp_path, table):
    damage_table(site / ".cache" / FILENAME, table)
    (site / "templates").mkdir()
    (site / "templates/robots.txt").write_text("User-agent: *\n")  # every page must render again, reading every body
    (site / "articles/2021/b.md").write_text(article("Strike ends", "2021-06-01", "The strike ended at dawn.", tags="[port]"))
    report = rebuild(site)
    assert report.parsed == 4 and report.written == report.pages
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert rebuild(site).up_to_date


def test_foreign_sqlite_file_is_not_trusted(site, tmp_path):
    path = site / ".cache" / FILENAME
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE sources (x)")
    db.commit()
    db.close()
    report = rebuild(site)
    assert report.parsed == 4 and not report.up_to_date
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_deleted_cache_means_a_full_build(site, tmp_path):
    shutil.rmtree(site / ".cache")
    report = rebuild(site)
    assert report.parsed == 4 and report.written == report.pages
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_deleted_output_means_a_full_build(site):
    shutil.rmtree(site / "_site")
    report = rebuild(site)
    assert report.parsed == 0 and report.written == report.pages
    assert (site / "_site/index.html").is_file()


def test_interrupted_in_place_update_is_followed_by_a_full_build(site, tmp_path):
    db = sqlite3.connect(site / ".cache" / FILENAME)
    row = db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()[0]
    db.execute("UPDATE meta SET value = ? WHERE key = 'last_build'", (row[:-1] + ', "dirty": true}',))
    db.commit()
    db.close()
    (site / "_site/2021/.index.html.na-tmp-999").write_text("left by a crash")
    report = rebuild(site)
    assert report.written == report.pages
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_full_flag_ignores_the_cache(site):
    report = rebuild(site, full=True)
    assert report.parsed == 4 and report.written == report.pages


def test_output_elsewhere_is_a_full_build_there(site, tmp_path):
    other = tmp_path / "elsewhere"
    report = build(load_config(site / "config.yaml", other), BuildOptions(jobs=1))
    assert report.ok and report.written == report.pages
    assert tree(other) == tree(site / "_site")


def test_a_second_build_at_the_same_time_is_refused(site):
    with build_lock(site / ".cache") as free:
        assert free
        result = run_cli("build", "--config", site / "config.yaml")
    assert result.code == 1
    assert "another build of this site is running" in result.err


@pytest.mark.slow
def test_parallel_build_is_identical_to_serial(make_site):
    files = {f"articles/{i // 50}/{i}.md": article(f"Story {i}", f"2020-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"Body {i} *x*.", tags=f"[t{i % 7}, T{i % 3}]")
             for i in range(300)}
    serial = make_site(files, config=CONFIG, name="serial")
    parallel = make_site(files, config=CONFIG, name="parallel")
    rebuild(serial.parent, jobs=1)
    rebuild(parallel.parent, jobs=2)
    assert tree(serial.parent / "_site") == tree(parallel.parent / "_site")


# Property: any sequence of edits gives, incrementally, exactly what a clean build gives.

TITLES = ["Harbour reopens", "Strike ends", "Solar roofs", "Library opens", "Flood warning", "Élections"]
TAGS = ["Port", "port", "PORT", "Storm", "Energy", "Culture", "NO"]
DATES = ["2021-05-15T09:00:00+02:00", "2021-06-01", "2022-01-10 10:00", "2020-12-31T23:30:00-05:00", "2021-05-15"]
PATHS = ["2021/a.md", "2021/b.md", "2022/c.md", "2022/d.md", "e.md", "deep/x/f.md"]

edit = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(PATHS), st.sampled_from(TITLES), st.sampled_from(DATES),
              st.lists(st.sampled_from(TAGS), max_size=3), st.sampled_from(["Body.", "Other body.", "A [link](a.md)."]),
              st.sampled_from(["", "draft: true", "related: [strike-ends]", "section: Economy", "lang: ar"])),
    st.tuples(st.just("delete"), st.sampled_from(PATHS)),
    st.tuples(st.just("template"), st.sampled_from(["", "<p>{{ article.title }}</p>\n", "{% extends 'article.html' %}"])),
    st.tuples(st.just("config"), st.sampled_from([CONFIG, CONFIG.replace("per_page: 2", "per_page: 3"), CONFIG + "feeds: [site]\n"])),
    st.tuples(st.just("asset"), st.booleans()),
)


def apply(site: Path, step: tuple) -> None:
    kind = step[0]
    if kind == "write":
        _, rel, title, date, tags, body, extra = step
        fields = {"tags": "[" + ", ".join(tags) + "]"}
        if extra:
            key, value = extra.split(": ", 1)
            fields[key] = value
        target = site / "articles" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article(title, date, body, **fields))
    elif kind == "delete":
        (site / "articles" / step[1]).unlink(missing_ok=True)
    elif kind == "template":
        folder = site / "templates"
        folder.mkdir(exist_ok=True)
        if step[1] and "extends" not in step[1]:
            (folder / "article.html").write_text(step[1])
        else:
            (folder / "article.html").unlink(missing_ok=True)
    elif kind == "config":
        (site / "config.yaml").write_text(step[1])
    elif kind == "asset":
        image = site / "articles/img/roof.svg"
        if step[1]:
            image.parent.mkdir(parents=True, exist_ok=True)
            image.write_text("<svg xmlns='http://www.w3.org/2000/svg' width='5' height='3'/>")
        else:
            image.unlink(missing_ok=True)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=6))
def test_incremental_output_equals_a_clean_build_after_any_edits(make_site, tmp_path_factory, steps):
    tmp = tmp_path_factory.mktemp("property")
    site = make_site(dict(BASE), config=CONFIG, name=tmp.name).parent
    rebuild(site)
    for step in steps:
        apply(site, step)
        report = build(load_config(site / "config.yaml"), BuildOptions(jobs=1, keep_going=True))
        if not report.ok:  # e.g. two articles with one URL: the previous site stays, and so must the clean build fail
            assert not build(load_config(site / "config.yaml"), BuildOptions(jobs=1, keep_going=True)).ok
            continue
        assert tree(site / "_site") == clean_build(site, tmp, keep_going=True), step


def test_unreadable_cache_entry_is_parsed_again(site, tmp_path):
    db = sqlite3.connect(site / ".cache" / FILENAME)
    db.execute("UPDATE sources SET article = '{\"not\": \"an article\"}' WHERE source_path = '2021/a.md'")
    db.commit()
    db.close()
    (site / "articles/2022/d.md").write_text((site / "articles/2022/d.md").read_text() + "\nMore.\n")
    report = rebuild(site)
    assert report.parsed == 2
    assert tree(site / "_site") == clean_build(site, tmp_path)
