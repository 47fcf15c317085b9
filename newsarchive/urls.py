"""Every URL of the site is decided here.

URLs in the model are site-absolute ("/2021/05/slug/"), percent-encoded, and end in
"/" for pages. Pages link to each other with relative URLs (`relative_url`), so a
built site works at a domain root, under a sub-path and from disk; feeds, the sitemap
and canonical links use `absolute_url`.
"""
from __future__ import annotations

import html
import re
from datetime import datetime
from functools import lru_cache
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from . import segments

_START_TAG = re.compile(r"""<[a-zA-Z](?:"[^"]*"|'[^']*'|[^'">])*>""")
_URL_ATTR = re.compile(r'(?<=\s)(href|src)="([^"]*)"')
_UNSAFE_SEGMENT = re.compile(r"[\x00-\x1f\x7f/\\]")


def segment_problem(segment: str) -> str | None:
    """Why a user-given slug cannot be one URL path segment, or None when it can."""
    if not segment.strip():
        return "is empty"
    if _UNSAFE_SEGMENT.search(segment):
        return "must be a single path segment: no '/', '\\' or control characters"
    if segment in (".", "..") or segment.startswith("."):
        return "must not start with '.' (it would escape the output folder or be hidden)"
    return None


_ALIAS_BAD = re.compile(r"[\x00-\x20\x7f\\?#]")


def alias_problem(alias: str) -> str | None:
    """Why `alias` cannot be an old URL of this site, or None when it can."""
    if not alias.startswith("/") or alias.startswith("//"):
        return "must be a path of this site starting with one '/', such as /old/path.html or /2019/05/story/"
    if _ALIAS_BAD.search(alias):
        return "must not hold spaces, control characters, backslashes, '?' or '#'"
    if escapes_output(output_path(quote_path(alias))) or any(s.startswith(".") for s in alias.split("/")):
        return "must not hold '.' or '..' segments or hidden names"
    if any(len(s.encode("utf-8")) > 255 for s in alias.split("/")):
        return "has a path segment over 255 bytes"
    return None


def quote_path(path: str) -> str:
    """Percent-encode raw text; a '%' typed in a slug is text too, so '%2F' cannot become a '/'."""
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def article_url(permalink: str, *, date: datetime, slug: str, section_slug: str, lang: str) -> str:
    """Article URL from the config's permalink pattern; date parts as written, in the article's own offset.
    Each segment is NFC and at most 255 bytes (a slug with more text around it is cut: segments.py)."""
    fields = {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "slug": slug,
        "section": section_slug,
        "lang": lang,
    }
    path = re.sub(r"\{(\w+)\}", lambda m: fields[m.group(1)], permalink)
    return quote_path(segments.portable_path(path))


def home_url() -> str:
    return "/"


def paged_url(first_page_url: str, number: int) -> str:
    """Page N of a listing: /tags/gaza/ → /tags/gaza/page/2/."""
    return first_page_url if number == 1 else f"{first_page_url}page/{number}/"


def taxonomy_url(kind: str) -> str:
    return f"/{kind}/"


def term_url(kind: str, slug: str) -> str:
    return quote_path(f"/{kind}/{slug}/")


def term_feed_url(kind: str, slug: str) -> str:
    return quote_path(f"/{kind}/{slug}/feed.xml")


def archive_url() -> str:
    return "/archive/"


def year_url(year: int) -> str:
    return f"/{year:04d}/"


def month_url(year: int, month: int) -> str:
    return f"/{year:04d}/{month:02d}/"


FEED_URL = "/feed.xml"
SITEMAP_URL = "/sitemap.xml"
ROBOTS_URL = "/robots.txt"
NOT_FOUND_URL = "/404.html"
SEARCH_URL = "/search/"


@lru_cache(maxsize=262144)
def output_path(url: str) -> str:
    """Where a URL's file lives under the output folder: /a/b/ → a/b/index.html."""
    path = unquote(url).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def escapes_output(output_rel: str) -> bool:
    parts = output_rel.replace("\\", "/").split("/")
    return output_rel.startswith("/") or any(p in ("..", ".") for p in parts) or "\x00" in output_rel


def root_prefix(page_url: str) -> str:
    """The relative path from a page back to the site root: '/2021/05/x/' → '../../../'."""
    return "../" * (page_url.count("/") - 1)


def base_path(base_url: str) -> str:
    """The path part of base_url: 'https://example.org/archive/' → '/archive/'."""
    return urlsplit(base_url).path or "/"


def link(target: str, prefix: str, *, index_links: bool = False) -> str:
    """A site-absolute URL written from `prefix`: the page's root_prefix (relative links),
    the base path (pages served at any depth, like 404.html) or base_url (feeds)."""
    if not target.startswith("/") or target.startswith("//"):
        return target
    path, sep, fragment = target.partition("#")
    path = path[1:]
    if index_links and (not path or path.endswith("/")):
        path += "index.html"
    if not prefix and ":" in path.split("/", 1)[0]:  # 'javascript:x/' from a root page would be read as a scheme (urlpolicy.py)
        prefix = "./"
    return (prefix + path or "./") + sep + fragment


def relative_url(target: str, page_url: str, *, index_links: bool = False) -> str:
    return link(target, root_prefix(page_url), index_links=index_links)


def absolute_url(target: str, base_url: str) -> str:
    return link(target, base_url)


def rewrite_urls(fragment: str, convert: Callable[[str], str]) -> str:
    """Apply `convert` to every href/src value of an HTML fragment.

    Only inside tags: a code sample showing `<a href="x">` is text and stays as written.
    """
    if 'href="' not in fragment and 'src="' not in fragment:  # nothing _URL_ATTR could match
        return fragment

    def replace(match: re.Match) -> str:
        raw = html.unescape(match.group(2))
        new = convert(raw)
        return match.group(0) if new == raw else f'{match.group(1)}="{html.escape(new, quote=True)}"'

    def in_tag(tag: re.Match) -> str:
        text = tag.group(0)
        return _URL_ATTR.sub(replace, text) if '="' in text else text  # most tags (<p>, <em>, <li>) have no value to look at
    return _START_TAG.sub(in_tag, fragment)
