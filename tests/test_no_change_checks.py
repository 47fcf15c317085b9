"""The checks of a no-change build, made cheap (issue 28): each must answer as the plain
one-file-at-a-time version did."""
from __future__ import annotations

import os
from pathlib import Path

from newsarchive import parallel
from newsarchive.rebuild.keys import _pages_present
from newsarchive.urls import output_path
from newsarchive.walk import walk_folders


def _present_one_by_one(root: Path, urls: list[str]) -> bool:
    return all(os.path.isfile(root / output_path(url)) for url in urls)


def test_pages_present_answers_as_isfile_of_each_page(tmp_path):
    root = tmp_path / "_site"
    for rel in ("index.html", "2021/05/a/index.html", "feed.xml", "café/index.html", "tags/x y/index.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("page", encoding="utf-8")
    (root / "2021/05/dir/index.html").mkdir(parents=True)  # a folder where the page should be
    (root / "2021/05/linked").mkdir()
    (root / "2021/05/linked/index.html").symlink_to(root / "2021/05/a/index.html")
    prefix = str(root) + os.sep
    cases = {
        ("/", "/2021/05/a/", "/feed.xml", "/caf%C3%A9/", "/tags/x%20y/", "/2021/05/linked/"): True,
        ("/2021/05/a/", "/2021/05/gone/"): False,
        ("/2021/05/dir/",): False,
        ("/2021/05/a/", "/bad\0/"): False,
        (): True,
    }
    for urls, expected in cases.items():
        assert _pages_present(prefix, list(urls)) == [expected], urls
        assert _present_one_by_one(root, list(urls)) is expected, urls
        if len(urls) >= 2:  # each half stat-ed at once, the second by a forked helper (outputs_present from 4,096 pages)
            assert all(parallel.in_two(_pages_present, prefix, list(urls))) is expected, urls
    assert _pages_present(str(tmp_path / "no-such") + os.sep, ["/"]) == [False]


def test_walk_skips_hidden_names_but_those_kept_at_the_root(tmp_path):
    for rel in ("a.md", ".hidden.md", ".well-known/x.txt", "sub/b.md", "sub/.c.md", "sub/.well-known/y.txt", ".git/z"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = [(f.prefix, f.names) for f in walk_folders(tmp_path, keep_hidden=frozenset({".well-known"}))]
    assert found == [("", ("a.md",)), (".well-known/", ("x.txt",)), ("sub/", ("b.md",))]
    plain = [(f.prefix, f.names) for f in walk_folders(tmp_path)]
    assert plain == [("", ("a.md",)), ("sub/", ("b.md",))]
