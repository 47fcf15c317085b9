"""Hand changes the incremental build must not keep (last session's red team, rt28): a file put
into the output folder by hand, and rows deleted by hand from the cache's rebuild graph."""
from __future__ import annotations

import os
import sqlite3

from conftest import article, clean_build, edit_article, rebuild, tree
from newsarchive.rebuild.store import FILENAME

CONFIG = "title: Tamper\nbase_url: https://example.org/news/\nper_page: 2\n"
BASE = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15", "Dock workers are back.", tags="[Port]", summary="Docks open."),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]"),
    "articles/2022/c.md": article("Library opens", "2022-03-03", "Books.", tags="[Port]"),
}


def test_rows_deleted_from_shows_make_the_next_build_plan_every_page(make_site, tmp_path):
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    db = sqlite3.connect(site / ".cache" / FILENAME)
    deleted = db.execute("DELETE FROM shows WHERE source_path = '2021/b.md' AND url = '/tags/port/'").rowcount
    db.commit()
    db.close()
    assert deleted == 1  # the tag's listing shows its card
    edit_article(site, "2021/b.md", "The strike ended.", "The strike is over.")
    report = rebuild(site)
    assert not report.from_records
    assert any("shows" in note and "every page" in note for note in report.notes), report.notes
    assert "The strike is over." in (site / "_site/tags/port/index.html").read_text()
    assert tree(site / "_site") == clean_build(site, tmp_path)
    # the graph is kept whole again: the next edit takes the edit path, with no note
    edit_article(site, "2021/b.md", "The strike is over.", "The strike is long over.")
    report = rebuild(site)
    assert report.from_records and report.notes == ()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_rows_changed_in_shows_make_the_next_build_plan_every_page(make_site, tmp_path):
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    db = sqlite3.connect(site / ".cache" / FILENAME)
    db.execute("UPDATE shows SET source_path = '2022/c.md' WHERE source_path = '2021/b.md' AND url = '/tags/port/'")
    db.commit()
    db.close()
    edit_article(site, "2021/b.md", "The strike ended.", "The strike goes on.")
    report = rebuild(site)
    assert not report.from_records and report.notes
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_file_put_into_the_output_by_hand_goes_at_the_next_build_that_plans(make_site, tmp_path):
    """As with --full; a build with nothing to do and an edit rebuild do not look for such files
    (a walk of the whole output: README, "Incremental builds")."""
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    (site / "_site/stray.html").write_text("x")
    (site / "_site/2021/05/notes").mkdir()
    (site / "_site/2021/05/notes/todo.txt").write_text("y")
    (site / "_site/empty").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    (site / "_site/link").symlink_to(outside)
    assert rebuild(site).up_to_date and (site / "_site/stray.html").is_file()  # the documented limit
    (site / "articles/2022/d.md").write_text(article("Ferry returns", "2022-05-05", "Boats.", tags="[Port]"))
    report = rebuild(site)
    assert not report.up_to_date and not report.from_records
    for rel in ("stray.html", "2021/05/notes", "empty", "link"):
        assert not os.path.lexists(site / "_site" / rel), rel
    assert (outside / "keep.txt").read_text() == "mine"  # a symlink goes, never what it leads to
    assert any("stray.html" in note and "2021/05/notes/todo.txt" in note for note in report.notes), report.notes
    assert tree(site / "_site") == clean_build(site, tmp_path)
    report = rebuild(site)
    assert report.notes == ()
