"""The walk (walk.py): order, skipped names, the folders' packed stats, and the same result
whether the stats are taken here or shared out among forked processes."""
from __future__ import annotations

import os
import time

from newsarchive import walk
from newsarchive.rebuild.keys import group_digests, group_of
from newsarchive.walk import FolderFiles, Sources, discover, walk_folders


def make(root, paths, text="x"):
    for rel in paths:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)




def test_discover_sorts_skips_hidden_and_underscore_folders_and_separates_assets(tmp_path):
    files = [
        "z.md", "a.markdown", "UPPER.MD", ".hidden.md", "notes.txt",
        "2021/b.md", "2021/a.md", "2021/photo.jpg", "2021/.DS_Store",
        "2020/12/x.md", ".git/config.md", "_drafts/wip.md", "_includes/x.jpg", "images/port.jpg",
    ]
    for rel in files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    articles, assets = discover(tmp_path)
    assert [a.source_path for a in articles] == ["UPPER.MD", "a.markdown", "z.md", "2020/12/x.md", "2021/a.md", "2021/b.md"]
    assert [a.source_path for a in assets] == ["notes.txt", "2021/photo.jpg", "images/port.jpg"]
    assert (articles[4].source_path, articles[4].abs_path, articles[4].stat[0]) == ("2021/a.md", str(tmp_path / "2021/a.md"), 1)


def test_discover_of_a_missing_folder_finds_nothing(tmp_path):
    articles, assets = discover(tmp_path / "nope")
    assert (list(articles), assets) == ([], [])




def test_discover_result_is_the_same_as_sorted_walk(tmp_path):
    for rel in ["b/2.md", "b/1.md", "a/x.md", "c.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert [a.source_path for a in discover(tmp_path)[0]] == ["c.md", "a/x.md", "b/1.md", "b/2.md"]
    assert all(isinstance(a.abs_path, str) for a in discover(tmp_path)[0])


def test_a_folder_of_files_keeps_names_and_stats_side_by_side(tmp_path):
    make(tmp_path, ["2021/b.md", "2021/a.md"])
    (tmp_path / "2021/b.md").write_text("longer")
    [folder] = walk_folders(tmp_path)
    assert (folder.prefix, folder.names, len(folder.stats)) == ("2021/", ("a.md", "b.md"), 2 * 32)
    files = list(folder.files(str(tmp_path)))
    assert [(f.source_path, f.stat[0], f.stat[3]) for f in files] == [
        ("2021/a.md", 1, os.stat(tmp_path / "2021/a.md").st_ino), ("2021/b.md", 6, os.stat(tmp_path / "2021/b.md").st_ino)]
    assert folder.paths() == "2021/a.md\x002021/b.md"


def test_files_between_subfolders_and_links_keep_their_order_and_stats(tmp_path):
    make(tmp_path, ["a.md", "c.md", "e.md", "b/x.md", "d/y.md", "target/t.md"])
    os.symlink(tmp_path / "target/t.md", tmp_path / "c2.md")
    os.symlink(tmp_path / "target", tmp_path / "d2")
    os.symlink(tmp_path / "missing.md", tmp_path / "broken.md")
    os.mkfifo(tmp_path / "pipe.md")
    sources, _ = discover(tmp_path)
    assert [s.source_path for s in sources] == [
        "a.md", "c.md", "c2.md", "e.md", "b/x.md", "d/y.md", "d2/t.md", "target/t.md"]
    target = os.stat(tmp_path / "target/t.md")
    assert sources[2].stat == (target.st_size, target.st_mtime_ns, target.st_ctime_ns, target.st_ino)
    assert sources[3].stat[3] == os.stat(tmp_path / "e.md").st_ino


def test_stats_shared_out_among_processes_give_the_same_walk(tmp_path, monkeypatch):
    names = [f"{year}/{n:03d}.md" for year in (2020, 2021) for n in range(150)] + [f"{n:03d}.md" for n in range(40)]
    make(tmp_path, names + ["2021/photo.jpg", "2021/sub/z.md"])
    os.symlink(tmp_path / "2020/000.md", tmp_path / "2021/075b.md")
    os.symlink("/etc", tmp_path / "2021/050x")
    pids = tmp_path.parent / f"{tmp_path.name}-pids"
    stat_names = walk._stat_names

    def recording(state, tasks):
        with open(pids, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(0.05)  # so that the forked worker, however late it starts, takes some chunks
        return stat_names(state, tasks)

    here = walk_folders(tmp_path, jobs=1)
    refused: list = []
    monkeypatch.setattr(walk, "_stat_names", recording)
    shared = walk_folders(tmp_path, refused=refused, jobs=2, names_per_task=1)
    assert len(set(pids.read_text().split())) == 2  # this process and one forked worker
    assert shared == here
    assert [r.path for r in refused] == [f"{tmp_path.name}/2021/050x"]
    assert [f.prefix for f in shared] == ["", "2020/", "2021/", "2021/sub/"]
    assert shared[2].names[75:77] == ("075.md", "075b.md")


def test_stats_halved_with_one_forked_helper_give_the_same_walk(tmp_path, monkeypatch):
    make(tmp_path, [f"{year}/{n:03d}.md" for year in (2020, 2021) for n in range(150)] + ["2021/photo.jpg", "2021/sub/z.md"])
    os.symlink(tmp_path / "2020/000.md", tmp_path / "2021/075b.md")
    os.symlink("/etc", tmp_path / "2021/050x")
    here = walk_folders(tmp_path, jobs=1, names_per_task=16)
    pids = tmp_path.parent / f"{tmp_path.name}-pids"
    stat_names = walk._stat_names

    def recording(state, tasks):
        with open(pids, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return stat_names(state, tasks)
    monkeypatch.setattr(walk, "_stat_names", recording)
    monkeypatch.setattr(walk, "NAMES_TO_HALVE", 100)  # the 302 names of the second level are halved, the 2 of the first not
    refused: list = []
    halved = walk_folders(tmp_path, refused=refused, jobs=2, names_per_task=16)
    assert len(set(pids.read_text().split())) == 2  # this process and one helper
    assert halved == here
    assert [r.path for r in refused] == [f"{tmp_path.name}/2021/050x"]
    assert halved[1].names[75:77] == ("075.md", "075b.md")


def test_a_file_gone_between_listing_and_stat_is_left_out(tmp_path, monkeypatch):
    make(tmp_path, ["a.md", "b.md"])
    listdir = os.listdir
    monkeypatch.setattr(walk.os, "listdir", lambda path: listdir(path) + ["gone.md"])
    assert [s.source_path for s in discover(tmp_path)[0]] == ["a.md", "b.md"]


def test_sources_are_made_one_by_one_from_the_folders(tmp_path):
    make(tmp_path, ["a.md", "2021/05/b.md", "2021/05/c.md", "2022/d.md"])
    sources, _ = discover(tmp_path)
    paths = ["a.md", "2021/05/b.md", "2021/05/c.md", "2022/d.md"]
    assert len(sources) == 4 and [s.source_path for s in sources] == paths
    assert [sources[i].source_path for i in (0, 2, -1)] == ["a.md", "2021/05/c.md", "2022/d.md"]
    assert [s.source_path for s in sources[1:3]] == paths[1:3]
    assert sources == list(sources)
    assert [s.source_path for s in sources.below(["2021/05/"])] == paths[1:3]


def test_group_digests_are_those_of_the_files_one_by_one(tmp_path):
    """Folder by folder, the digest is the one a file-by-file record made (a site built
    before keeps its record)."""
    import hashlib
    make(tmp_path, ["a.md", "2021/05/b.md", "2021/05/c.md", "2021/05/x/y.md", "2021/06/d.md"])
    sources, _ = discover(tmp_path)
    expected = {}
    for group in {group_of(s.source_path) for s in sources}:
        files = [s for s in sources if group_of(s.source_path) == group]
        digest = hashlib.blake2b(digest_size=16)
        digest.update("\0".join(s.source_path for s in files).encode())
        digest.update(b"".join(s.packed_stat for s in files))
        expected[group] = digest.hexdigest()
    assert group_digests(sources) == expected and set(expected) == {"", "2021/05", "2021/06"}


def test_a_folder_is_all_articles_when_every_name_has_an_article_suffix():
    assert walk._all_articles(("a.md", "b.markdown"))
    assert walk._all_articles(("a.md", "B.MD"))
    assert not walk._all_articles(("a.md", "b.txt"))
    assert not walk._all_articles(("a.md", "b.md.txt"))
    assert Sources("/x", [FolderFiles("", (), b"")]) == []


def test_a_name_that_is_not_utf8_is_skipped_with_a_warning_naming_its_bytes(make_site):
    """Red team: a file saved under a Latin-1 name ("caf\\xe9.md", from an old archive or a zip)
    made every build end in a traceback (UnicodeEncodeError when the cache stored its path)."""
    import os

    from conftest import article, run_cli
    config = make_site({"articles/2021/kept.md": article("Kept"), "static/ok.css": "body {}\n"})
    site = config.parent
    (site / "articles/2021" / os.fsdecode(b"caf\xe9.md")).write_text(article("Latin-1 name"), encoding="utf-8")
    (site / "articles" / os.fsdecode(b"dossi\xe9")).mkdir()
    (site / "articles" / os.fsdecode(b"dossi\xe9") / "inner.md").write_text(article("Inside"), encoding="utf-8")
    (site / "static" / os.fsdecode(b"logo\xff.png")).write_bytes(b"not read")
    for _ in range(2):  # a build, then the up-to-date check
        result = run_cli("build", "--config", config)
        assert result.code == 0, result.err
        shown = result.out + result.err
        assert "Traceback" not in shown
        for name in ("articles/2021/caf\\xe9.md", "articles/dossi\\xe9", "static/logo\\xff.png"):
            assert f"{name}: warning: the name is not UTF-8" in shown
        assert "3 warnings" in shown and "symlink" not in shown
    out = site / "_site"
    assert (out / "2021/05/kept/index.html").is_file() and (out / "ok.css").is_file()
    assert not (out / "2021/05/latin-1-name").exists() and not (out / "2021/05/inside").exists()
    assert run_cli("build", "--config", config, "--strict").code != 0
