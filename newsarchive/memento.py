"""Memento (RFC 7089) for a static site: each article with versions gets a TimeMap file
(`application/link-format`), and `_headers` (Netlify, Cloudflare Pages) gives its pages and
versions the `Link` and `Memento-Datetime` headers. A static site has no TimeGate (it would
have to answer Accept-Datetime): none is listed. Also what a version's page receives.

Original resource: the article's `source_url` when it has one (the article and its versions
are then mementos of that page); else the article itself (its versions are its mementos).
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import quote

from markupsafe import Markup

from .urls import absolute_url

HEADERS_URL = "/_headers"
LINK_FORMAT = "application/link-format"


def http_date(value: datetime) -> str:
    """RFC 1123 date, as Memento writes datetimes: 'Sat, 15 May 2021 10:30:00 GMT'."""
    return format_datetime(value.astimezone(timezone.utc).replace(microsecond=0), usegmt=True)


def uri(url: str) -> str:
    """A URL as a link-format / header value may carry it: ASCII, no '<', '>', '"', space or comma unescaped."""
    return quote(url, safe="/:?#[]@!$&'()*+;=%~-._")


def mementos(data: dict, card: dict, base_url: str) -> tuple[str, list[tuple[str, datetime]]]:
    """(original URL, [(memento URL, capture time)] oldest first)."""
    listed = [(absolute_url(v["url"], base_url), v["captured"]) for v in data["versions"]]
    article = absolute_url(data["article_url"], base_url)
    if card.get("source_url"):
        return card["source_url"], listed + ([(article, data["current_captured"])] if data.get("current_captured") else [])
    return article, listed


def timemap_text(data: dict, card: dict, base_url: str) -> str:
    """The article's TimeMap in link-format (RFC 7089 section 5): original, self, every memento."""
    original, found = mementos(data, card, base_url)
    self_url = absolute_url(data["timemap"], base_url)
    lines = [f'<{uri(original)}>; rel="original"']
    self_link = f'<{uri(self_url)}>; rel="self"; type="{LINK_FORMAT}"'
    if found:
        self_link += f'; from="{http_date(found[0][1])}"; until="{http_date(found[-1][1])}"'
    lines.append(self_link)
    for index, (url, captured) in enumerate(found):
        rel = " ".join(filter(None, ["first" if index == 0 else "", "last" if index == len(found) - 1 else "", "memento"]))
        lines.append(f'<{uri(url)}>; rel="{rel}"; datetime="{http_date(captured)}"')
    return ",\n".join(lines) + "\n"


def header_lines(data: dict, card: dict, base_url: str, base_path: str) -> list[str]:
    """`_headers` rules for one article: its page, each version's page and its TimeMap."""
    original, found = mementos(data, card, base_url)
    timemap = f'<{uri(absolute_url(data["timemap"], base_url))}>; rel="timemap"; type="{LINK_FORMAT}"'
    common = f'<{uri(original)}>; rel="original", {timemap}'
    when = {url: captured for url, captured in found}
    article = absolute_url(data["article_url"], base_url)
    lines = []
    for page_url in [data["article_url"], *(v["url"] for v in data["versions"])]:
        absolute = absolute_url(page_url, base_url)
        lines.append(base_path + page_url[1:])
        links = [common] + [f'<{uri(url)}>; rel="{rel}"; datetime="{http_date(at)}"' for url, at, rel in _neighbours(found, absolute)]
        lines.append("  Link: " + ", ".join(links))
        if absolute in when:
            lines.append(f"  Memento-Datetime: {http_date(when[absolute])}")
        if absolute != article:
            lines.append("  X-Robots-Tag: noindex")
    lines += [base_path + data["timemap"][1:], f"  Content-Type: {LINK_FORMAT}; charset=utf-8"]
    return lines


def _neighbours(found: list[tuple[str, datetime]], here: str) -> list[tuple[str, datetime, str]]:
    """The mementos a page's Link header names (RFC 7089 section 2.2): the first, the last, the one
    before and the one after it; not all of them, so the header stays short with many versions."""
    urls = [url for url, _ in found]
    at = urls.index(here) if here in urls else len(found)
    rels: dict[int, list[str]] = {}
    for index, rel in ((0, "first"), (len(found) - 1, "last"), (at - 1, "prev"), (at + 1, "next")):
        if 0 <= index < len(found) and index != at:
            rels.setdefault(index, []).append(rel)
    return [(found[i][0], found[i][1], " ".join(rels[i]) + " memento") for i in sorted(rels)]


def headers_text(own: str, per_article: list[tuple[dict, dict]], base_url: str, base_path: str) -> str:
    """The whole `_headers`: the site's own (static/_headers) first, then each article's rules."""
    lines = [line for data, card in per_article for line in header_lines(data, card, base_url, base_path)]
    generated = "".join(line + "\n" for line in lines)
    if not own:
        return generated
    return own + ("" if own.endswith("\n") else "\n") + ("# newsarchive: Memento headers of articles with versions\n" + generated if generated else "")


def version_context(page_data: dict, card: dict, current_html: str, translate) -> dict:
    """What version.html receives beside the page's data: the diff to the next text (the next
    version, or the article as it is now) and what it is compared with."""
    from .version_diff import diff_html
    version, newer = page_data["version"], page_data["next_version"]
    next_title, next_html = (newer["title"], newer["html"]) if newer else (card["title"], current_html)
    diff = diff_html(version["title"], version["html"], next_title, next_html, translate("diff_added"), translate("diff_removed"))
    return {
        "diff": Markup(diff.html),
        "compared_with": dict(newer, current=False) if newer else {"captured": page_data["current_captured"], "title": card["title"],
                                                                   "url": page_data["article_url"], "current": True},
        "words_added": diff.added, "words_removed": diff.removed,
    }
