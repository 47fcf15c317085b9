"""The sample archive in articles/ shows every page type with real content, and builds clean."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import REPO, run_cli
from newsarchive.config import load_config
from newsarchive.content import LoadContext, parse_article
from newsarchive.walk import discover
from newsarchive.markup import MarkdownRenderer


@pytest.fixture(scope="module")
def sample_articles():
    config = load_config(REPO / "config.yaml")
    ctx = LoadContext(config.permalink, config.language, config.tzinfo, config.slug_style)
    sources, assets = discover(config.articles_dir)
    renderer = MarkdownRenderer()
    results = [parse_article(open(s.abs_path, "rb").read(), s.source_path, ctx, renderer) for s in sources]
    assert all(r.article is not None for r in results), [str(p) for r in results for p in r.problems]
    return [r.article for r in results], assets


def test_at_least_40_articles_over_2019_to_2024_in_three_languages(sample_articles):
    articles, _ = sample_articles
    assert len(articles) >= 40
    assert {a.date.year for a in articles} == set(range(2019, 2025))
    assert set(Counter(a.lang for a in articles)) == {"fr", "en", "ar"}


def test_every_kind_of_metadata_is_used(sample_articles):
    articles, assets = sample_articles
    assert len({t for a in articles for t in a.tags}) >= 20
    assert len({a.section for a in articles if a.section}) >= 5
    assert len({a.source for a in articles if a.source}) >= 5
    assert len({n for a in articles for n in a.authors}) >= 5
    with_images = [a for a in articles if a.image and a.image_caption and a.image_credit]
    assert len(with_images) >= 10
    assert sum(1 for a in articles if a.related) >= 10
    assert any(a.draft for a in articles)
    assert any(a.embargo and a.embargo.year == 2099 for a in articles)  # far ahead: `make site` gives the same bytes for decades
    assert any(p.source_path.endswith(".svg") for p in assets)


@pytest.mark.slow
def test_sample_builds_without_warnings_and_has_no_broken_link(tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--config", REPO / "config.yaml", "--output", out)
    assert result.code == 0, result.err
    assert re.search(r"read \d+ articles, built \d+, skipped 2 \(1 drafts, 1 under embargo\); 0 warnings", result.out)
    checked = run_cli("check", "--config", REPO / "config.yaml", "--output", out)
    assert checked.code == 0, checked.err
    assert re.search(r"checked \d+ pages with \d+ links, \d+ feeds, \d+ sitemap URLs: 0 problems", checked.out)
    assert len(list((out / "tags").glob("*/page/2/index.html"))) >= 1, "a tag with enough articles to paginate"
