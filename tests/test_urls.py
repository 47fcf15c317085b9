"""urls: every URL of the site, output paths, and relative links that work at any depth."""
from __future__ import annotations

import posixpath
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from newsarchive import urls
from newsarchive.segments import typed_segment_problem
from newsarchive.urls import (
    absolute_url, article_url, base_path, escapes_output, link, output_path, paged_url, quote_path,
    relative_url, root_prefix, segment_problem, term_feed_url, term_url,
)

DATE = datetime(2021, 5, 7, 23, 30, tzinfo=timezone(timedelta(hours=-5)))


def url(permalink: str = "/{year}/{month}/{slug}/", slug: str = "port-strike", section: str = "economie", lang: str = "fr", date: datetime = DATE) -> str:
    return article_url(permalink, date=date, slug=slug, section_slug=section, lang=lang)


def test_default_permalink():
    assert url() == "/2021/05/port-strike/"


def test_every_permalink_token():
    assert url("/{lang}/{section}/{year}/{month}/{day}/{slug}/") == "/fr/economie/2021/05/07/port-strike/"


def test_date_parts_are_as_written_in_the_own_offset():
    assert DATE.astimezone(timezone.utc).day == 8
    assert url("/{year}/{month}/{day}/{slug}/") == "/2021/05/07/port-strike/"


def test_date_parts_are_zero_padded():
    assert url("/{year}/{month}/{day}/{slug}/", date=datetime(999, 1, 2)) == "/0999/01/02/port-strike/"


def test_literal_text_in_permalink_is_kept():
    assert url("/news/{year}/{slug}/") == "/news/2021/port-strike/"


@pytest.mark.parametrize("slug, expected", [
    ("élections-à-gaza", "/2021/05/%C3%A9lections-%C3%A0-gaza/"),
    ("غزة", "/2021/05/%D8%BA%D8%B2%D8%A9/"),
    ("a b", "/2021/05/a%20b/"),
    ("what?", "/2021/05/what%3F/"),
    ("no#1", "/2021/05/no%231/"),
    ("100%", "/2021/05/100%25/"),
    ("%2E%2E", "/2021/05/%252E%252E/"),
    ("Force_Qods~1", "/2021/05/Force_Qods~1/"),
])
def test_article_url_percent_encodes_the_slug(slug, expected):
    assert url(slug=slug) == expected


def test_percent_in_a_slug_never_becomes_a_path_separator_or_dot_segment():
    for slug in ("a%2Fb", "%2E%2E", "%2e%2e"):
        assert not escapes_output(output_path(url(slug=slug)))
        assert output_path(url(slug=slug)).count("/") == 3


@pytest.mark.parametrize("segment, problem", [
    ("port-strike", None),
    ("Élections 2021", None),
    ("1984", None),
    ("", "is empty"),
    ("  ", "is empty"),
    ("a/b", "must be a single path segment: no '/', '\\' or control characters"),
    ("a\\b", "must be a single path segment: no '/', '\\' or control characters"),
    ("a\nb", "must be a single path segment: no '/', '\\' or control characters"),
    ("a\x00", "must be a single path segment: no '/', '\\' or control characters"),
    (".", "must not start with '.' (it would escape the output folder or be hidden)"),
    ("..", "must not start with '.' (it would escape the output folder or be hidden)"),
    (".well-known", "must not start with '.' (it would escape the output folder or be hidden)"),
])
def test_segment_problem(segment, problem):
    assert segment_problem(segment) == problem


def test_quote_path_keeps_slashes_and_encodes_the_rest():
    assert quote_path("/tags/c'est la vie/") == "/tags/c'est%20la%20vie/"


def test_listing_urls():
    assert urls.home_url() == "/"
    assert paged_url("/", 1) == "/"
    assert paged_url("/", 2) == "/page/2/"
    assert paged_url("/tags/gaza/", 3) == "/tags/gaza/page/3/"
    assert urls.taxonomy_url("tags") == "/tags/"
    assert term_url("tags", "gaza") == "/tags/gaza/"
    assert term_url("sections", "économie") == "/sections/%C3%A9conomie/"
    assert term_feed_url("tags", "gaza") == "/tags/gaza/feed.xml"
    assert urls.archive_url() == "/archive/"
    assert urls.year_url(2021) == "/2021/"
    assert urls.month_url(2021, 5) == "/2021/05/"
    assert (urls.FEED_URL, urls.SITEMAP_URL, urls.ROBOTS_URL, urls.NOT_FOUND_URL, urls.SEARCH_URL) == (
        "/feed.xml", "/sitemap.xml", "/robots.txt", "/404.html", "/search/")


@pytest.mark.parametrize("given, expected", [
    ("/", "index.html"),
    ("/2021/05/port-strike/", "2021/05/port-strike/index.html"),
    ("/feed.xml", "feed.xml"),
    ("/404.html", "404.html"),
    ("/tags/gaza/page/2/", "tags/gaza/page/2/index.html"),
    ("/2021/05/%C3%A9t%C3%A9/", "2021/05/été/index.html"),
    ("/2021/05/100%25/", "2021/05/100%/index.html"),
])
def test_output_path(given, expected):
    assert output_path(given) == expected


@pytest.mark.parametrize("path, escapes", [
    ("index.html", False),
    ("2021/05/x/index.html", False),
    ("a..b/index.html", False),
    ("..hidden/index.html", False),
    ("../index.html", True),
    ("a/../../b", True),
    ("a/..", True),
    ("./a", True),
    ("/etc/passwd", True),
    ("a\\..\\b", True),
    ("a\x00b", True),
])
def test_escapes_output(path, escapes):
    assert escapes_output(path) is escapes


@pytest.mark.parametrize("page, prefix", [
    ("/", ""),
    ("/404.html", ""),
    ("/feed.xml", ""),
    ("/2021/", "../"),
    ("/2021/05/port-strike/", "../../../"),
    ("/tags/gaza/feed.xml", "../../"),
    ("/tags/gaza/page/2/", "../../../../"),
])
def test_root_prefix(page, prefix):
    assert root_prefix(page) == prefix


@pytest.mark.parametrize("target, page, index_links, expected", [
    ("/", "/", False, "./"),
    ("/", "/", True, "index.html"),
    ("/", "/2021/05/x/", False, "../../../"),
    ("/", "/2021/05/x/", True, "../../../index.html"),
    ("/tags/", "/2021/05/x/", False, "../../../tags/"),
    ("/tags/", "/2021/05/x/", True, "../../../tags/index.html"),
    ("/2021/05/x/", "/", False, "2021/05/x/"),
    ("/2021/05/x/#comments", "/", True, "2021/05/x/index.html#comments"),
    ("/feed.xml", "/tags/gaza/", True, "../../feed.xml"),
    ("/static/style.css", "/404.html", False, "static/style.css"),
    ("/images/a%20b.jpg", "/2021/", False, "../images/a%20b.jpg"),
])
def test_relative_url(target, page, index_links, expected):
    assert relative_url(target, page, index_links=index_links) == expected


@pytest.mark.parametrize("target", ["#top", "https://example.org/x", "//cdn.example.org/x.js", "mailto:a@b.org", "images/x.jpg", ""])
def test_links_that_are_not_site_absolute_are_left_alone(target):
    assert relative_url(target, "/2021/05/x/") == target
    assert absolute_url(target, "https://example.org/archive/") == target


def test_absolute_url_uses_base_url_with_its_sub_path():
    assert absolute_url("/2021/05/x/", "https://example.org/archive/") == "https://example.org/archive/2021/05/x/"
    assert absolute_url("/", "https://example.org/archive/") == "https://example.org/archive/"
    assert absolute_url("/feed.xml", "https://example.org/") == "https://example.org/feed.xml"


def test_base_path():
    assert base_path("https://example.org/archive/") == "/archive/"
    assert base_path("https://example.org/") == "/"
    assert base_path("https://example.org") == "/"


def test_link_from_the_base_path_for_pages_served_at_any_depth():
    assert link("/static/style.css", "/archive/") == "/archive/static/style.css"
    assert link("/", "/archive/", index_links=True) == "/archive/index.html"


segment = st.from_regex(r"[a-z0-9%~_-]{1,6}", fullmatch=True)
segments = st.lists(segment, max_size=4)


@st.composite
def site_paths(draw):
    """A site-absolute URL: a folder ('/a/b/'), a file ('/a/b.xml') or the root."""
    parts = draw(segments)
    if parts and draw(st.booleans()):
        return "/" + "/".join(parts[:-1] + [parts[-1] + ".xml"])
    return "/" + "".join(p + "/" for p in parts)


def resolve(relative: str, page: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), relative))


@settings(max_examples=200, deadline=None)
@given(site_paths(), site_paths())
def test_relative_url_from_any_page_resolves_to_the_target(target, page):
    relative = relative_url(target, page)
    assert not relative.startswith("/")
    assert resolve(relative, page) == posixpath.normpath(target)


@settings(max_examples=200, deadline=None)
@given(site_paths(), site_paths())
def test_index_links_resolve_to_the_index_file(target, page):
    relative = relative_url(target, page, index_links=True)
    expected = target + "index.html" if target.endswith("/") else target
    assert resolve(relative, page) == expected
    assert not relative.endswith("/")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(lambda s: segment_problem(s) is None and typed_segment_problem(s) is None))
def test_any_accepted_slug_gives_an_output_path_inside_the_output(slug):
    path = output_path(url(slug=slug))
    assert not escapes_output(path)
    assert path == f"2021/05/{unicodedata.normalize('NFC', slug)}/index.html"
