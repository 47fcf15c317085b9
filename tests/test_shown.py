"""What a page shows of other articles is declared once (shown.py): extending the declaration
is the whole change, and every rebuild path then stays equal to a clean build."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, article, clean_build, edit_article as edit, rebuild, tree
from newsarchive.rebuild import edit as edit_rebuild, shown
from newsarchive.config import load_config

FILES = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15", "Dock workers are back.", tags="[Port]"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]", summary="The strike is over."),
    "articles/2021/c.md": article("Ferry returns", "2021-07-01", "The ferry is back.", tags="[Sea]"),
}
CONFIG = "title: Shown\nbase_url: https://example.org/\nsearch: false\nper_page: 2\n"
# The site's own article.html: the default theme's, with a linked article's word count beside its title.
LINK_TITLE = "{{ article.previous.title }}</bdi></a>"


def _site_showing(make_site, monkeypatch, edit_path: bool, template: str, old: str, new: str) -> Path:
    """The three articles with the default theme's `template` showing the added field (`old`
    replaced by `new`); `edit_path` False: only the page-signature path may rebuild."""
    if not edit_path:
        monkeypatch.setattr(edit_rebuild, "rebuild_edited", lambda *args: None)
    text = (REPO / "templates" / template).read_text(encoding="utf-8")
    assert text.count(old) == 1
    return make_site(dict(FILES, **{f"templates/{template}": text.replace(old, new)}), config=CONFIG).parent


@pytest.mark.parametrize("edit_path", [True, False], ids=["edit-path-allowed", "signature-path-only"])
def test_a_field_added_to_what_a_link_shows_is_a_one_place_change(make_site, tmp_path, monkeypatch, edit_path):
    monkeypatch.setattr(shown, "LINK_FIELDS", (*shown.LINK_FIELDS, "word_count"))  # the one place
    site = _site_showing(make_site, monkeypatch, edit_path, "article.html", LINK_TITLE,
                         "{{ article.previous.title }} ({{ article.previous.word_count }} words)</bdi></a>")
    rebuild(site)
    newer = site / "_site/2021/07/ferry-returns/index.html"
    assert "Strike ends (3 words)" in newer.read_text(encoding="utf-8")

    edit(site, "2021/b.md", "The strike ended.", "The strike ended on Monday after talks.")  # its word count, shown by a link
    report = rebuild(site)
    assert not report.from_records  # word_count is now a layout field: the site is planned again
    assert "Strike ends (7 words)" in newer.read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path)

    edit(site, "2021/b.md", "summary: The strike is over.", "summary: The strike is over at last.")  # its card alone
    report = rebuild(site)
    assert report.from_records == edit_path
    assert "The strike is over at last." in (site / "_site/index.html").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path)


# The default theme's card macro, with each listed article's count of links to the site's own pages.
CARD_SUMMARY = "{{ item.summary | truncate(400 if lead else 240, end='…') }}</p>{% endif %}"


@pytest.mark.parametrize("edit_path", [True, False], ids=["edit-path-allowed", "signature-path-only"])
def test_a_field_added_to_what_a_listing_shows_is_a_one_place_change(make_site, tmp_path, monkeypatch, edit_path):
    monkeypatch.setattr(shown, "CARD_FIELDS", (*shown.CARD_FIELDS, "local_links"))  # the one place
    site = _site_showing(make_site, monkeypatch, edit_path, "_macros.html", CARD_SUMMARY,
                         CARD_SUMMARY + '<p class="links">{{ item.local_links | length }} links</p>')
    rebuild(site)
    home = site / "_site/index.html"  # per_page 2: the two newest, c and b
    assert '<p class="links">0 links</p>' in home.read_text(encoding="utf-8")

    edit(site, "2021/b.md", "The strike ended.", "The strike ended: see [the harbour](a.md).")  # a body edit, no layout field
    report = rebuild(site)
    assert report.from_records == edit_path
    assert '<p class="links">1 links</p>' in home.read_text(encoding="utf-8")
    assert '<p class="links">1 links</p>' in (site / "_site/tags/port/index.html").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_the_layout_fields_follow_from_the_declaration(monkeypatch):
    assert "word_count" in shown.own_fields() and "title" not in shown.own_fields()
    assert set(shown.LINK_FIELDS) - {"dir"} <= set(shown.layout_fields())
    monkeypatch.setattr(shown, "LINK_FIELDS", (*shown.LINK_FIELDS, "word_count"))
    assert "word_count" in shown.layout_fields() and "word_count" not in shown.own_fields()


def test_every_page_kind_declares_what_it_shows(make_site):
    site = make_site(dict(FILES), config=CONFIG).parent
    from newsarchive.plan import plan_pages
    from newsarchive.site import assemble_site
    config = load_config(site / "config.yaml")
    articles = [_parsed(site, rel) for rel in FILES]
    built = assemble_site(articles, taxonomies=config.taxonomies, slug_style=config.slug_style)
    plan = plan_pages(built, config)
    roles = {page.url: shown.dependencies(page, built) for page in plan.pages}
    assert roles["/2021/06/strike-ends/"] == [("2021/b.md", "card"), ("2021/b.md", "body"),
                                              ("2021/a.md", "link"), ("2021/c.md", "link"), ("2021/a.md", "link")]  # older, newer, suggested
    assert roles["/"] == [("2021/c.md", "card"), ("2021/b.md", "card")]
    assert ("2021/c.md", "body") in roles["/feed.xml"]
    assert roles["/robots.txt"] == []


def _parsed(site: Path, rel: str):
    from newsarchive.content import parse_article
    from newsarchive.load import load_context
    from newsarchive.markup import MarkdownRenderer
    config = load_config(site / "config.yaml")
    path = rel.removeprefix("articles/")
    result = parse_article((site / rel).read_bytes(), path, load_context(config), MarkdownRenderer())
    assert result.article is not None, result.problems
    return result.article


def test_the_declared_fields_are_the_articles_own():
    from dataclasses import fields

    from newsarchive.content import Article
    names = {f.name for f in fields(Article)} | {"dir"}  # dir: a property of lang
    assert set(shown.CARD_FIELDS) <= names and set(shown.LINK_FIELDS) <= names and set(shown.STRUCTURAL_FIELDS) <= names
