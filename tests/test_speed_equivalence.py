"""The speed work keeps the output: rich corpus bodies through the fast Markdown path give
stock Python-Markdown's HTML, and a default-theme site of rich articles builds to the
same bytes whatever the route (clean, incremental after a template change, any --jobs)."""
from __future__ import annotations

import importlib.util
import shutil

import pytest

from conftest import REPO, run_cli, tree_digest
from newsarchive.markup import MarkdownRenderer

_spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


@pytest.fixture(scope="module")
def rich_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("rich")
    corpus.write_corpus(60, out, seed=7, rich=True)
    return out


@pytest.mark.slow
def test_rich_bodies_give_stock_html(rich_corpus):
    fast, stock = MarkdownRenderer(), MarkdownRenderer(shortcut=False)
    paths = sorted((rich_corpus / "articles").rglob("*.md"))
    assert len(paths) == 60
    kinds = set()
    for path in paths:
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        ours = fast.render(body, source_path=path.relative_to(rich_corpus / "articles").as_posix())
        assert ours == stock.render(body, source_path=path.relative_to(rich_corpus / "articles").as_posix()), path.name
        kinds |= {tag for tag in ("<h2", "<h3", "<ul>", "<ol>", "<blockquote>", "<em>", "<strong>", '<a href="https://', '<a href="/')
                  if tag in ours.html}
    assert len(kinds) == 9  # the corpus really exercises every construct


@pytest.mark.slow
def test_default_theme_site_same_bytes_clean_incremental_and_parallel(rich_corpus, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(rich_corpus / "articles", site / "articles")
    (site / "config.yaml").write_text("title: Rich\nbase_url: https://example.org/news/\nper_page: 5\n", encoding="utf-8")
    config = site / "config.yaml"
    assert run_cli("build", "--config", config, "--jobs", "1").code == 0
    # a template change (every page rendered again, the article cache warm)
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text("{# changed #}\n" + (REPO / "templates" / "base.html").read_text(encoding="utf-8"), encoding="utf-8")
    again = run_cli("build", "--config", config, "--jobs", "2")
    assert again.code == 0, again.err
    assert "read 60 articles" in again.out
    clean1 = run_cli("build", "--config", config, "--jobs", "1", "--full", "--output", tmp_path / "clean1")
    clean2 = run_cli("build", "--config", config, "--jobs", "2", "--full", "--output", tmp_path / "clean2")
    assert clean1.code == clean2.code == 0
    incremental = tree_digest(site / "_site")
    assert incremental == tree_digest(tmp_path / "clean1") == tree_digest(tmp_path / "clean2")
    assert len(incremental) > 300
