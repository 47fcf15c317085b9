"""The output folder: staging and swap, and never touching anything but the output."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import article, run_cli, tree_digest
from newsarchive.errors import UnsafeOutputError
from newsarchive.output import MARKER, StagingFolder, WriteTarget, check_output_dir, remove_temporaries, write_file



def test_build_never_writes_articles_or_config(make_site):
    config = make_site({"articles/a.md": article("A"), "articles/img/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    site = config.parent
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [config, *site.joinpath("articles").rglob("*")] if p.is_file()}
    assert run_cli("build", "--config", config).code == 0
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [config, *site.joinpath("articles").rglob("*")] if p.is_file()}
    assert before == after
    assert sorted(p.name for p in site.iterdir()) == [".cache", "_site", "articles", "config.yaml", "published-urls.txt"]


def test_without_a_url_record_the_build_writes_nothing_beside_the_config(make_site):
    config = make_site({"articles/a.md": article("A")}, config="title: T\nurl_record: false\n")
    assert run_cli("build", "--config", config).code == 0
    assert sorted(p.name for p in config.parent.iterdir()) == [".cache", "_site", "articles", "config.yaml"]


def test_rebuild_replaces_old_pages(make_site):
    config = make_site({"articles/a.md": article("First")})
    assert run_cli("build", "--config", config).code == 0
    (config.parent / "articles/a.md").write_text(article("Renamed"))
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    assert (out / "2021/05/renamed/index.html").is_file()
    assert 'url=../../../2021/05/renamed/"' in (out / "2021/05/first/index.html").read_text()  # the old URL leads on


def test_rebuild_without_a_url_record_removes_old_pages(make_site):
    config = make_site({"articles/a.md": article("First")}, config="title: T\nurl_record: false\n")
    assert run_cli("build", "--config", config).code == 0
    (config.parent / "articles/a.md").write_text(article("Renamed"))
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    assert (out / "2021/05/renamed/index.html").is_file()
    assert not (out / "2021/05/first").exists()


@pytest.mark.parametrize("target", ["articles", ".", "articles/sub", "..", "templates"])
def test_output_overlapping_the_site_is_refused(make_site, target):
    config = make_site({"articles/a.md": article("A"), "templates/x.html": "x"})
    before = tree_digest(config.parent)
    result = run_cli("build", "--config", config, "--output", config.parent / target)
    assert result.code == 1
    assert "error: the output folder" in result.err and "overlaps" in result.err
    assert tree_digest(config.parent) == before


def test_existing_folder_not_made_by_newsarchive_is_never_replaced(make_site, tmp_path):
    config = make_site({"articles/a.md": article("A")})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = run_cli("build", "--config", config, "--output", precious)
    assert result.code == 1
    assert "already exists and was not made by newsarchive" in result.err
    assert [p.name for p in precious.iterdir()] == ["thesis.txt"]


def test_empty_existing_folder_is_used(make_site, tmp_path):
    config = make_site({"articles/a.md": article("A")})
    out = tmp_path / "empty"
    out.mkdir()
    assert run_cli("build", "--config", config, "--output", out).code == 0
    assert (out / MARKER).is_file() and (out / "index.html").is_file()


def test_output_that_is_a_file_is_refused(make_site, tmp_path):
    config = make_site({"articles/a.md": article("A")})
    (tmp_path / "file").write_text("x")
    result = run_cli("build", "--config", config, "--output", tmp_path / "file")
    assert result.code == 1 and "is a file, not a folder" in result.err


def test_home_and_root_are_refused(tmp_path):
    for target in (Path("/"), Path.home()):
        with pytest.raises(UnsafeOutputError):
            check_output_dir(target, [])


def test_swap_replaces_output_and_leaves_no_staging(tmp_path):
    out = tmp_path / "_site"
    first = StagingFolder(out)
    write_file(WriteTarget(first.path, False), "index.html", b"one")
    first.swap_in()
    second = StagingFolder(out)
    write_file(WriteTarget(second.path, False), "a/b/index.html", b"two")
    second.swap_in()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [MARKER, "a/b/index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


def test_discarded_staging_leaves_the_old_site(tmp_path):
    out = tmp_path / "_site"
    first = StagingFolder(out)
    write_file(WriteTarget(first.path, False), "index.html", b"old")
    first.swap_in()
    broken = StagingFolder(out)
    write_file(WriteTarget(broken.path, False), "index.html", b"half")
    broken.discard()
    assert (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]


def test_stale_staging_from_a_crash_is_cleaned_but_foreign_folders_kept(tmp_path):
    out = tmp_path / "_site"
    stale = tmp_path / "._site.staging-99999"
    stale.mkdir()
    (stale / MARKER).write_text("x")
    foreign = tmp_path / "._site.staging-12345"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("not ours")
    StagingFolder(out).swap_in()
    assert not stale.exists()
    assert (foreign / "mine.txt").read_text() == "not ours"


def test_write_failure_keeps_previous_site(make_site, monkeypatch):
    config = make_site({"articles/a.md": article("A")})
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    before = tree_digest(out)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("newsarchive.render.write_file", fail)
    result = run_cli("build", "--config", config, "--full")
    assert result.code == 1
    assert "cannot write the site: No space left on device" in result.err
    assert tree_digest(out) == before
    assert [p.name for p in config.parent.iterdir() if p.name.startswith(".")] == [".cache"]


def test_staging_folder_is_beside_the_output(tmp_path):
    staging = StagingFolder(tmp_path / "deep" / "_site")
    assert staging.path.parent == (tmp_path / "deep").resolve()
    assert os.path.isdir(staging.path)
    staging.discard()


def test_stale_staging_folders_are_removed_but_not_foreign_ones(tmp_path):
    from newsarchive.output import MARKER, remove_stale_staging
    out = tmp_path / "_site"
    marked, empty, foreign = (tmp_path / f"._site.staging-{n}" for n in (11, 12, 13))
    for folder in (marked, empty, foreign):
        folder.mkdir()
    (marked / MARKER).write_text("x")
    (marked / "index.html").write_text("old")
    (foreign / "keep.txt").write_text("someone else's")
    remove_stale_staging(out)
    assert not marked.exists() and not empty.exists()
    assert (foreign / "keep.txt").read_text() == "someone else's"


def test_a_stopped_builds_temporary_files_and_folders_are_removed_and_no_other_builds(tmp_path):
    out = tmp_path / "_site"
    (out / ".na-search-input.na-tmp-77" / "bundle" / "2021").mkdir(parents=True)
    (out / ".na-search-input.na-tmp-77" / "bundle" / "2021" / "index.html").write_text("page")
    (out / "pagefind" / ".b0.na-tmp-77").mkdir(parents=True)
    (out / "2021").mkdir()
    (out / "2021" / ".index.html.na-tmp-77").write_text("new")
    (out / "2021" / "index.html").write_text("old")
    (out / ".other.na-tmp-78").mkdir()
    assert remove_temporaries(out, "77") == 3
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [".other.na-tmp-78", "2021", "2021/index.html", "pagefind"]
