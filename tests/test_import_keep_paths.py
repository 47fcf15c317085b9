"""`import --keep-paths` (importers/kept_paths.py): an outlet's back catalogue keeps its old
URLs, which redirect to the imported articles once built (links.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli
from newsarchive.importers.kept_paths import kept_paths, site_hosts

pytest.importorskip("trafilatura")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour reopens after the storm</title>
<link rel="canonical" href="{canonical}">
<meta property="article:published_time" content="2019-05-12T08:00:00+00:00">
</head><body><article><h1>Harbour reopens after the storm</h1>
<p>Dock workers returned on Sunday morning after three weeks of repairs to the harbour walls.</p>
<p>The port authority said the first ferries would sail again on Monday, weather permitting.</p>
<p>Fishermen had moved their boats to the next town during the repairs, losing weeks of catches.</p>
</article></body></html>"""


def site_with_page(tmp_path: Path, canonical: str, base_url: str = "https://example.org/news/") -> tuple[Path, Path]:
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "config.yaml").write_text(f"title: Back catalogue\nbase_url: {base_url}\nsearch: false\n", encoding="utf-8")
    page = tmp_path / "saved" / "story.html"
    page.parent.mkdir()
    page.write_text(PAGE.format(canonical=canonical), encoding="utf-8")
    return site / "config.yaml", page


def test_an_old_path_on_the_sites_own_host_is_kept_and_redirects(tmp_path):
    config, page = site_with_page(tmp_path, "https://example.org/news/2019/05/12/harbour-story.html")
    result = run_cli("import", page, "--config", config, "--keep-paths")
    assert result.code == 0, result.err
    (written,) = (config.parent / "articles").rglob("*.md")
    assert 'aliases: ["/2019/05/12/harbour-story.html"]' in written.read_text(encoding="utf-8")
    assert run_cli("build", "--config", config, "--quiet").code == 0
    moved = (config.parent / "_site/2019/05/12/harbour-story.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="canonical" href="https://example.org/news/2019/05/[^"]+/">', moved)
    assert "/news/2019/05/12/harbour-story.html /news/2019/05/" in (config.parent / "_site/_redirects").read_text()


def test_another_host_is_kept_only_when_named(tmp_path):
    """--site-host names a host that serves this same site (the outlet's domain moving to it)."""
    config, page = site_with_page(tmp_path, "https://www.old-paper.example/2019/story-1234/", base_url="https://archive.example/")
    assert run_cli("import", page, "--config", config, "--keep-paths").code == 0
    (written,) = (config.parent / "articles").rglob("*.md")
    assert "aliases:" not in written.read_text(encoding="utf-8")
    written.unlink()
    assert run_cli("import", page, "--config", config, "--keep-paths", "--site-host", "old-paper.example").code == 0
    (written,) = (config.parent / "articles").rglob("*.md")
    assert 'aliases: ["/2019/story-1234/"]' in written.read_text(encoding="utf-8")


def test_without_keep_paths_nothing_is_kept(tmp_path):
    config, page = site_with_page(tmp_path, "https://example.org/news/2019/05/12/harbour-story.html")
    assert run_cli("import", page, "--config", config).code == 0
    (written,) = (config.parent / "articles").rglob("*.md")
    assert "aliases:" not in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("address, said", [
    ("https://example.org/news/story.php?id=12", "has a query string, which a static host cannot answer"),
    ("https://example.org/elsewhere/story.html", "lies outside the site's path /news/"),
    ("https://example.org/news/", "is the site's home page"),
    ("https://example.org/news/a/../../etc/passwd", "must not hold '.' or '..' segments"),
])
def test_paths_that_cannot_be_kept_are_warnings(address, said):
    aliases, warnings = kept_paths([address], site_hosts("https://example.org/news/", None), "/news/")
    assert aliases == () and len(warnings) == 1 and said in warnings[0], warnings


def test_both_the_captured_and_the_canonical_address_are_kept_once():
    hosts = site_hosts("https://example.org/", ["www.example.org"])
    aliases, warnings = kept_paths(["http://www.example.org/a/b.html", "https://example.org/a/b.html", "https://example.org/c/"], hosts, "/")
    assert aliases == ("/a/b.html", "/c/") and warnings == []
