"""Edits of articles' text alone (rebuild/edit.py): the pages showing them are rendered from the
last build's records, without loading the archive, and the output equals a clean build's byte
for byte; anything more than text goes the normal way."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import article, clean_build, edit_article as edit, mtimes, rebuild, tree
from newsarchive.rebuild.store import FILENAME
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build

FILES = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15T09:00:00+02:00", "Dock workers are back. See [the strike](b.md).",
                                  tags="[Port, Storm]", section="Economy", author="Ada", source="Coast Daily"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[port]", section="Economy", related="[harbour-reopens]"),
    "articles/2022/c.md": article("Solar roofs", "2022-01-10 10:00", "Roofs.\n\n![r](../img/roof.svg)", tags="[Energy]", section="Science",
                                  image="../img/roof.svg"),
    "articles/2022/d.md": article("Bibliothèque", "2022-03-03", "Des livres.", tags="[Culture, Port]", lang="fr"),
    "articles/2022/e.md": article("Night ferry", "2022-03-04", "Ferries *at night*.", tags="[Port]", summary="A summary of its own."),
    "articles/img/roof.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>",
}
CONFIG = ("title: Edits\nbase_url: https://example.org/news/\nper_page: 2\nsearch: false\n"
          "feed_content: full\nterm_feed_content: full\n")


@pytest.fixture
def site(make_site) -> Path:
    root = make_site(dict(FILES), config=CONFIG).parent
    rebuild(root)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_text_edits_render_from_the_records_and_equal_a_clean_build(site, tmp_path, jobs):
    steps = [
        ("2021/a.md", "Dock workers are back.", "Dock workers are back, **all of them**."),  # first paragraph: summary and cards
        ("2022/e.md", "Ferries *at night*.", "Ferries *at night*.\n\n## Timetable\n\n- 22:00\n- 23:30"),  # own summary kept
        ("2022/c.md", "Roofs.", "Roofs on [the library](../2022/d.md)."),  # a link to another article's file
        ("2022/d.md", "Des livres.", "Des livres et des cartes."),
    ]
    for rel, old, new in steps:
        edit(site, rel, old, new)
        report = rebuild(site, jobs=jobs)
        assert report.from_records and report.parsed == 1 and report.written >= 1, rel
        assert tree(site / "_site") == clean_build(site, tmp_path), rel
    assert '<a href="../../../2022/03/bibliotheque/">the library</a>' in (site / "_site/2022/01/solar-roofs/index.html").read_text(encoding="utf-8")


def test_a_text_edit_rewrites_only_the_pages_that_show_the_article(site):
    before = mtimes(site / "_site")
    edit(site, "2021/b.md", "The strike ended.", "The strike ended on Monday.")
    report = rebuild(site)
    after = mtimes(site / "_site")
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert report.from_records
    assert "2021/06/strike-ends/index.html" in changed
    assert "feed.xml" in changed and "tags/port/feed.xml" in changed and "sections/economy/feed.xml" in changed
    assert not [rel for rel in changed if rel.startswith(("2021/05/", "2022/", "tags/energy/"))]
    assert report.written == len(changed)


def test_several_edits_at_once_and_a_touched_file(site, tmp_path):
    edit(site, "2021/a.md", "Dock workers", "The dock workers")
    edit(site, "2022/e.md", "Ferries", "Night ferries")
    (site / "articles/2021/b.md").write_text((site / "articles/2021/b.md").read_text(encoding="utf-8"), encoding="utf-8")
    report = rebuild(site)
    assert report.from_records and report.parsed == 2
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert rebuild(site).up_to_date


@pytest.mark.parametrize("rel, old, new", [
    ("2021/a.md", "title: Harbour reopens", "title: Harbour reopens at last"),  # title: listings, neighbours, "read also"
    ("2021/b.md", "tags: [port]", "tags: [port, Strike]"),  # terms
    ("2022/d.md", "date: 2022-03-03", "date: 2022-03-05"),  # order
    ("2022/e.md", "title: Night ferry", "title: Night ferry\ndraft: true"),  # left out
    ("2022/c.md", "image: ../img/roof.svg", "image: ../img/none.svg"),  # a new warning
    ("2022/c.md", "Roofs.", "Roofs, see [this](../2022/none.md)."),  # a new warning from the body
])
def test_more_than_text_goes_the_normal_way(site, tmp_path, rel, old, new):
    edit(site, rel, old, new)
    report = build(load_config(site / "config.yaml"), BuildOptions(jobs=1))
    assert not report.from_records
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_an_article_with_a_warning_is_edited_from_the_records_and_the_warning_still_reported(site, tmp_path):
    """A warning never decides which rebuild runs: only a new one sends the edit the normal way."""
    edit(site, "2022/c.md", "Roofs.", "Roofs, see [this](../2022/none.md).")
    assert not rebuild(site).from_records  # a new warning: where it goes among the others is the normal rebuild's to say
    edit(site, "2022/c.md", "Roofs, see", "Solar roofs,\n\nsee")  # the warning stays, one line lower
    report = rebuild(site)
    assert report.from_records and [(p.path, p.line, p.message) for p in report.warnings] == [
        ("2022/c.md", 10, "the body links to the article '/2022/none.md', which is not in the archive (or is a draft)")]
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert [str(p) for p in rebuild(site).warnings] == [str(p) for p in report.warnings]  # up to date, reported again
    edit(site, "2022/c.md", "see [this](../2022/none.md)", "see nothing")
    report = rebuild(site)
    assert report.from_records and report.warnings == []  # gone
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_in_an_archive_where_every_article_warns_an_edit_takes_the_edit_path(make_site, tmp_path):
    files = {rel: text.replace("image: ../img/roof.svg\n", "").replace("title:", "image: missing.jpg\ntitle:", 1)
             for rel, text in FILES.items()}
    root = make_site(files, config=CONFIG).parent
    first = rebuild(root)
    assert len(first.warnings) == 5 and all("image 'missing.jpg' not found" in p.message for p in first.warnings)
    edit(root, "2021/b.md", "The strike ended.", "The strike ended on Monday.")
    report = rebuild(root)
    assert report.from_records and report.parsed == 1
    assert [str(p) for p in report.warnings] == [str(p) for p in first.warnings]
    assert tree(root / "_site") == clean_build(root, tmp_path)


def test_new_and_removed_files_and_a_template_change_go_the_normal_way(site, tmp_path):
    (site / "articles/2022/f.md").write_text(article("Late news", "2022-04-01", "Late."), encoding="utf-8")
    assert not rebuild(site).from_records
    (site / "articles/2022/f.md").unlink()
    assert not rebuild(site).from_records
    (site / "templates").mkdir()
    (site / "templates/footer_extra.html").write_text("<p>extra</p>", encoding="utf-8")
    edit(site, "2021/a.md", "Dock workers", "The dock workers")
    assert not rebuild(site).from_records
    assert tree(site / "_site") == clean_build(site, tmp_path)


@pytest.mark.parametrize("statement", [
    "UPDATE pages SET plan = '[1, 2' WHERE url = '/2021/06/strike-ends/'",
    "UPDATE pages SET plan = replace(plan, '\"/2021/06/strike-ends/\"', '\"/elsewhere/\"') WHERE url = '/2021/06/strike-ends/'",
    "UPDATE articles SET record = NULL WHERE source_path = '2021/a.md'",
    "DELETE FROM shows WHERE source_path = '2021/b.md'",
    "UPDATE articles SET record = replace(record, '\"next\":\"', '\"next\":\"gone/') WHERE source_path = '2021/b.md'",
    "UPDATE sources SET article = '{\"not\": \"an article\"}' WHERE source_path = '2021/a.md'",
    "DELETE FROM meta WHERE key = 'records'",
])
def test_damaged_or_missing_records_are_not_trusted(site, tmp_path, statement):
    db = sqlite3.connect(site / ".cache" / FILENAME)
    db.execute(statement)
    db.commit()
    db.close()
    edit(site, "2021/b.md", "The strike ended.", "The strike ended on Monday.")
    report = rebuild(site)
    assert not report.from_records
    assert tree(site / "_site") == clean_build(site, tmp_path)
    edit(site, "2021/b.md", "on Monday", "on Tuesday")
    assert rebuild(site).from_records  # the normal rebuild kept the records again


def test_pages_deleted_from_the_output_are_made_again(site, tmp_path):
    """An edit rebuild checks only the pages it renders (checking every page's file costs more
    than the rest of it at 10⁵ pages); the next build finds the others."""
    (site / "_site/2022/01/solar-roofs/index.html").unlink()
    (site / "_site/2021/06/strike-ends/index.html").unlink()
    edit(site, "2021/b.md", "The strike ended.", "The strike ended on Monday.")
    report = rebuild(site)
    assert report.from_records
    assert (site / "_site/2021/06/strike-ends/index.html").is_file()  # the edited article
    assert not (site / "_site/2022/01/solar-roofs/index.html").is_file()
    assert not rebuild(site).up_to_date
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_strict_builds_too_but_not_after_another_kind_of_build(site):
    edit(site, "2021/b.md", "The strike ended.", "The strike ended on Monday.")
    assert not rebuild(site, strict=True).from_records  # the last build was not strict
    edit(site, "2021/b.md", "on Monday", "on Tuesday")
    assert rebuild(site, strict=True).from_records


def _search_files(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site / "_site/pagefind").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (site / "_site/pagefind").rglob("*") if p.is_file()}


def _bundle_holding(site: Path, url: str) -> str:
    """The bundle whose fragments hold the page at `url` (its text for search)."""
    import gzip
    import json
    for folder in (site / "_site/pagefind").iterdir():
        for fragment in folder.glob("fragment/*"):
            data = gzip.decompress(fragment.read_bytes())
            if json.loads(data[data.index(b"{"):])["url"] == url:
                return folder.name
    raise AssertionError(f"{url} is in no bundle")


@pytest.mark.slow
def test_with_search_an_edit_indexes_again_only_the_bundles_of_the_article_pages_it_changed(make_site, tmp_path):
    """rebuild/search_edit.py: the edit is rendered from the records and only the bundles holding an
    article page whose bytes changed are indexed again; the whole tree, pagefind/ included,
    equals a clean build's after each of two edits in a row."""
    root = make_site(dict(FILES), config=CONFIG.replace("search: false\n", "search_bundle_size: 1\n")).parent
    rebuild(root)
    holders = {url: _bundle_holding(root, url) for url in ("/2021/06/strike-ends/", "/2022/03/night-ferry/")}
    for rel, old, new, url in [("2021/b.md", "The strike ended.", "The strike ended. Oyster farmers shivered.", "/2021/06/strike-ends/"),
                               ("2022/e.md", "Ferries *at night*.", "Ferries *at night*, with lanterns.", "/2022/03/night-ferry/")]:
        pages, index = mtimes(root / "_site"), _search_files(root)
        edit(root, rel, old, new)
        report = rebuild(root)
        assert report.from_records and report.parsed == 1, rel
        after, index_after = mtimes(root / "_site"), _search_files(root)
        article_pages = {p for p in after if p.count("/") == 3 and p.endswith("/index.html") and p[:2] == "20"}
        rewritten = {"/" + p[:-len("index.html")] for p in article_pages if after[p] != pages.get(p)}
        assert url in rewritten
        changed = {p.split("/")[0] for p in index.keys() | index_after.keys() if index.get(p) != index_after.get(p)}
        # the word directory (search_directory.py): only the files of the words that came in
        assert changed == {"bundles.json", "words"} | {_bundle_holding(root, u) for u in rewritten}, rel
        assert len({p for p in index_after.keys() - index.keys() if p.startswith("words/")}) <= 6, rel
        assert holders[url] in changed
        text = new.split("*")[-1].strip(" .,") if "*" in new else "Oyster farmers shivered"
        assert text in (root / "_site" / url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert tree(root / "_site") == clean_build(root, tmp_path), rel


@pytest.mark.slow
def test_with_search_an_edit_goes_the_normal_way_when_the_kept_bundle_members_cannot_be_trusted(make_site, tmp_path):
    """The members kept in .cache/search-bundles.json are used only when they give the
    signature the output's bundles.json holds: missing, or naming other articles, the normal
    rebuild runs (and keeps them anew, so the next edit takes the short way again)."""
    import json
    root = make_site(dict(FILES), config=CONFIG.replace("search: false\n", "search_bundle_size: 1\n")).parent
    rebuild(root)
    kept = root / ".cache/search-bundles.json"
    members = json.loads(kept.read_text(encoding="utf-8"))
    assert sorted(url for _, urls in members["bundles"] for url in urls) == sorted(
        ["/2021/05/harbour-reopens/", "/2021/06/strike-ends/", "/2022/01/solar-roofs/", "/2022/03/bibliotheque/", "/2022/03/night-ferry/"])
    kept.unlink()
    edit(root, "2021/b.md", "The strike ended.", "The strike ended. Oyster farmers shivered.")
    assert not rebuild(root).from_records
    assert kept.is_file()
    assert tree(root / "_site") == clean_build(root, tmp_path)

    swapped = json.loads(kept.read_text(encoding="utf-8"))  # the same bundle names, each with another's article
    urls = [u for _, u in swapped["bundles"]]
    swapped["bundles"] = [[name, urls[(i + 1) % len(urls)]] for i, (name, _) in enumerate(swapped["bundles"])]
    kept.write_text(json.dumps(swapped), encoding="utf-8")
    edit(root, "2021/b.md", "Oyster farmers shivered.", "Oyster farmers shivered all night.")
    assert not rebuild(root).from_records
    assert tree(root / "_site") == clean_build(root, tmp_path)
    edit(root, "2021/b.md", "all night", "until dawn")
    assert rebuild(root).from_records
    assert tree(root / "_site") == clean_build(root, tmp_path)


@pytest.mark.slow
def test_a_stop_signal_while_an_edit_is_indexed_leaves_the_previous_site_and_the_next_build_finishes_it(make_site, tmp_path):
    """The edit rebuild indexes the changed bundle before its commit: SIGTERM while Pagefind
    runs stops the build with the previous site whole (pagefind/ included), no temporary file
    and no indexer left; the next build writes the edit, equal to a clean build."""
    import signal
    import time

    from test_faults import STOPPED, _indexer_running, build_process, leftovers, wait_until_gone
    root = make_site(dict(FILES), config=CONFIG.replace("search: false\n", "search_bundle_size: 1\n")).parent
    rebuild(root)
    before = tree(root / "_site")
    caught = 0
    for n, delay in enumerate((0.0, 0.01, 0.03, 0.06)):
        edit(root, "2021/b.md", "The strike ended.", f"The strike ended. Oyster farmers shivered {n}.")
        process = build_process(root / "config.yaml")
        deadline = time.monotonic() + 60
        while not _indexer_running(process.pid) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        if process.poll() is None:
            time.sleep(delay)
            process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        err = process.stderr.read().decode()
        assert wait_until_gone(process.pid) == [], err
        assert leftovers(root) == [] and "Traceback" not in err, err
        if code == STOPPED[signal.SIGTERM] and "already been written whole" not in err:
            assert tree(root / "_site") == before, err
            caught += 1
        else:  # finished, or stopped once its commit was done
            assert code == 0 or "already been written whole" in err, err
        assert rebuild(root).ok
        assert tree(root / "_site") == clean_build(root, tmp_path)
        edit(root, "2021/b.md", f"The strike ended. Oyster farmers shivered {n}.", "The strike ended.")
        rebuild(root)
        assert tree(root / "_site") == before
    assert caught >= 1, caught


def test_the_graph_keeps_every_page_and_role_showing_an_article(site):
    """One table says which pages show an article and how (rebuild/graph.py): the edit path
    asks it for card and body, the signing path for every role."""
    db = sqlite3.connect(site / ".cache" / FILENAME)
    rows = set(db.execute("SELECT role, url FROM shows WHERE source_path = '2021/b.md'"))
    plans = dict(db.execute("SELECT url, plan IS NOT NULL FROM pages"))
    db.close()
    assert {("card", "/2021/06/strike-ends/"), ("body", "/2021/06/strike-ends/"), ("card", "/sections/economy/"),
            ("body", "/feed.xml"), ("card", "/feed.xml")} <= rows
    assert any(role == "card" and url.startswith("/tags/port/") for role, url in rows)  # on one of its pages
    assert {("link", "/2021/05/harbour-reopens/"), ("link", "/2022/01/solar-roofs/")} <= rows  # the older and the newer article
    assert {url for _, url in rows} <= {url for url, planned in plans.items() if planned}  # each page showing it is kept planned
    assert not plans["/sitemap.xml"] and not plans["/robots.txt"]


def test_an_edited_articles_warnings_take_their_last_places_and_a_new_one_is_refused():
    from newsarchive.problem_digest import updated_problems
    from newsarchive.errors import warning
    before = {"a.md": [(0, warning("first", "a.md", 1)), (2, warning("second", "a.md", 5))]}  # b.md's at place 1 is not read
    assert updated_problems(before, {"a.md": [warning("second", "a.md", 6)]}) == {0: None, 2: warning("second", "a.md", 6)}
    assert updated_problems(before, {"a.md": None}) == {}  # only touched
    assert updated_problems(before, {"a.md": [warning("first", "a.md", 1), warning("second", "a.md", 5)]}) == {}  # as they were
    assert updated_problems(before, {"a.md": []}) == {0: None, 2: None}
    assert updated_problems(before, {"a.md": [warning("new", "a.md", 1)]}) is None
    assert updated_problems(before, {"a.md": [warning("second", "a.md", 5), warning("first", "a.md", 1)]}) is None  # not in their order
