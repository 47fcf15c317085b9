"""The last build's problems in the cache (rebuild/problem_store.py): a rebuild that reuses them prints
and keeps exactly what a clean build of the same input prints and writes, while an edit reads
only the edited article's problems, and a build computes their summary once."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from newsarchive import problem_digest
from newsarchive.rebuild import problem_store
from newsarchive.rebuild.store import FILENAME
from newsarchive.problem_digest import REPORT_NAME

from conftest import article, edit_article, rebuild, run_cli, tree


def _warned_site(make_site) -> Path:
    files = {f"articles/2021/a{i:02d}.md": article(f"Story {i}", f"2021-05-{i + 1:02d}", image=f"img/photo{i}.jpg",
                                                   body=f"Body of story {i}.")
             for i in range(7)}
    files["articles/2021/lone.md"] = article("Lone", "2021-06-01", related="[no-such-slug]")
    return make_site(files, config="title: Test site\nbase_url: https://example.org/\nsearch: false\n").parent


def _cli_build(site: Path) -> tuple[str, bytes]:
    """The terminal's problem lines (the site's folder written SITE) and the report file's bytes."""
    done = run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    assert done.code == 0, done.err
    return done.err.replace(str(site), "SITE"), (site / ".cache" / REPORT_NAME).read_bytes()


def _clean_cli_build(site: Path, tmp: Path) -> tuple[str, bytes, dict]:
    copy = tmp / "clean"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "_site"))
    err, report = _cli_build(copy)
    return err, report, tree(copy / "_site")


@pytest.mark.slow
def test_every_rebuild_prints_and_writes_the_problems_a_clean_build_does(make_site, tmp_path):
    site = _warned_site(make_site)
    _cli_build(site)
    report_file = site / ".cache" / REPORT_NAME
    steps = [
        ("nothing changed", None),
        ("an edit leaving its warning as it was", ("2021/a03.md", "Body of story 3.", "Body of story 3, corrected.")),
        ("an edit moving a warning's line", ("2021/a03.md", "title: Story 3", "# a comment line\ntitle: Story 3")),
        ("a new warning", ("2021/a05.md", "Body of story 5.", "Body of story 5, see [the file](missing.pdf).")),
        ("the new warning fixed by an edit", ("2021/a05.md", ", see [the file](missing.pdf).", ".")),
        ("a warning fixed", ("2021/a04.md", "image: img/photo4.jpg\n", "")),
    ]
    for name, change in steps:
        stamp = report_file.stat().st_mtime_ns
        if change is not None:
            edit_article(site, *change)
        err, report = _cli_build(site)
        clean_err, clean_report, clean_tree = _clean_cli_build(site, tmp_path)
        assert err == clean_err, name
        assert report == clean_report, name
        assert tree(site / "_site") == clean_tree, name
        if name == "nothing changed":
            assert report_file.stat().st_mtime_ns == stamp  # the report file says the same: left as it is
    text = report.decode("utf-8")
    assert "2021/a03.md:5: warning: image 'img/photo3.jpg' not found" in text  # moved
    assert "missing.pdf" not in text and "img/photo4.jpg" not in text  # fixed: gone
    assert "## 6 × warning: image '…' not found" in text


def test_a_new_warning_appears_and_a_fixed_one_disappears(make_site):
    site = _warned_site(make_site)
    rebuild(site)
    edit_article(site, "2021/a05.md", "Body of story 5.", "Body of story 5, see [the file](missing.pdf).")
    added = rebuild(site)
    assert not added.from_records  # where a new warning goes in the list is the normal rebuild's to say
    assert "2021/a05.md:6: warning: the body links to '/2021/missing.pdf', which is not a file under articles/ or static/" in [
        str(p).split("\n")[0] for p in added.problems]
    edit_article(site, "2021/a05.md", ", see [the file](missing.pdf).", ".")
    fixed = rebuild(site)
    assert fixed.from_records and not [p for p in fixed.problems if "missing.pdf" in p.message]
    assert fixed.problems.counts == (0, 8)
    assert [str(p) for p in rebuild(site).problems] == [str(p) for p in fixed.problems]  # kept as the edit left them


def test_an_edit_leaving_the_problems_as_they_were_reads_only_the_edited_articles(make_site, monkeypatch):
    site = _warned_site(make_site)
    rebuild(site)
    db = sqlite3.connect(site / ".cache" / FILENAME)
    kept = db.execute("SELECT seq, path, problem FROM problems ORDER BY seq").fetchall()
    db.close()
    assert [seq for seq, _, _ in kept] == list(range(8))  # one row each, in the order the build found them
    assert sorted(path for _, path, _ in kept) == [f"2021/a{n:02d}.md" for n in range(7)] + ["2021/lone.md"]

    def no_whole_list(*args):
        raise AssertionError("the whole list was read")
    monkeypatch.setattr(problem_store, "all_rows", no_whole_list)
    monkeypatch.setattr(problem_digest, "group_problems", no_whole_list)
    edit_article(site, "2021/a03.md", "Body of story 3.", "Body of story 3, corrected.")
    edited = rebuild(site)
    assert edited.from_records and edited.problems._problems is None and edited.problems.counts == (0, 8)
    assert problem_digest.terminal_lines(edited.problems)[0].startswith("warning: 7 × image '…' not found")
    db = sqlite3.connect(site / ".cache" / FILENAME)
    assert db.execute("SELECT seq, path, problem FROM problems ORDER BY seq").fetchall() == kept
    db.close()


def test_a_build_that_plans_groups_its_problems_once(make_site, monkeypatch):
    site = _warned_site(make_site)
    calls = []
    grouping = problem_digest.group_problems
    monkeypatch.setattr(problem_digest, "group_problems", lambda problems: calls.append(len(problems)) or grouping(problems))
    err, report = _cli_build(site)
    assert calls == [8]  # for the summary kept, the terminal and the report file together
    assert "warning: 7 × image '…' not found" in err and report.startswith("## 7 × warning: image '…' not found".encode())


def test_a_cache_keeping_problems_the_earlier_way_builds_anew_and_keeps_them_the_new_way(make_site):
    site = _warned_site(make_site)
    rebuild(site)
    db = sqlite3.connect(site / ".cache" / FILENAME)
    db.execute("DELETE FROM meta WHERE key = 'problem_summary'")
    db.execute("DROP TABLE problems")
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("problems", "[]"), ("problem_digest", '{"counts": [0, 0]}')])
    db.commit()
    db.close()
    again = rebuild(site)
    assert not again.up_to_date and again.problems.counts == (0, 8)  # the earlier record is never read
    assert rebuild(site).up_to_date
    db = sqlite3.connect(site / ".cache" / FILENAME)
    assert db.execute("SELECT count(*) FROM problems").fetchone() == (8,)
    assert db.execute("SELECT count(*) FROM meta WHERE key IN ('problems', 'problem_digest')").fetchone() == (0,)
    db.close()


def test_a_no_change_build_tells_an_intact_report_file_by_its_stamp_and_rewrites_a_changed_one(make_site, monkeypatch):
    site = _warned_site(make_site)
    first, written = _cli_build(site)
    report_file = site / ".cache" / REPORT_NAME
    read = []
    reading = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or reading(self))
    again = run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    assert again.err.replace(str(site), "SITE") == first and "up to date" in again.out
    assert REPORT_NAME not in read  # 1.8 MB at 10,000 warnings: not read again
    os.utime(report_file)  # touched: read once to tell it intact, then stamped anew
    run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    assert read.count(REPORT_NAME) == 1 and report_file.read_bytes() == written
    report_file.write_bytes(written.replace(b"warning", b"WARNING", 1))  # the same size, other bytes: written anew
    assert _cli_build(site) == (first, written)
