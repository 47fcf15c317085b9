"""Earlier versions of an article: the front matter's `versions:` read and checked, each
rendered once at load, and the pages they give (one frozen page per version, the article's
list of them, its Memento TimeMap: memento.py).

An article stays one file: its current text is the body, each earlier text an entry of
`versions:` (`captured`, `title`, `body`), oldest first. A version's URL is the article's URL
plus `v/<capture time in UTC, 14 digits>/` (Wayback style), so it never changes once published
while the article's own URL stays.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING

import yaml

from . import yamltext
from .dates import range_problem
from .errors import Problem
from .usertext import balance_bidi, clean_text, forbidden_warning, visible

if TYPE_CHECKING:
    from .content import Article
    from .markup import MarkdownRenderer

KEY = "versions"
ENTRY_KEYS = ("captured", "title", "body")
MAX_VERSIONS = 500  # a crawl of a live page every hour for three weeks; more is a mistake
TIMEMAP_NAME = "timemap.txt"  # every static host serves .txt as text/plain; _headers says application/link-format


@dataclass(frozen=True, slots=True)
class Version:
    """One earlier text of an article, as captured (UTC), its body rendered."""
    captured: datetime
    title: str
    html: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class WrittenVersion:
    """A `versions:` entry as read from the front matter, its body not yet rendered."""
    captured: datetime
    title: str | None
    body: str
    line: int
    body_line: int


def stamp(captured: datetime) -> str:
    """The 14 digits of a capture time in UTC, as the Wayback Machine writes them."""
    moment = captured.astimezone(timezone.utc)  # strftime's %Y does not pad years before 1000 on every platform
    return f"{moment.year:04d}{moment.month:02d}{moment.day:02d}{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"


def version_url(article_url: str, captured: datetime) -> str:
    return f"{article_url}v/{stamp(captured)}/"


def timemap_url(article_url: str) -> str:
    return article_url + TIMEMAP_NAME


def read_versions(node: yaml.Node, line: int, source_path: str, tz: tzinfo, problems: list[Problem]) -> list[WrittenVersion]:
    """The entries of `versions:`, each checked; every problem names the entry's line."""
    from .frontmatter import parse_date

    def error(message: str, at: int, hint: str | None = None) -> None:
        problems.append(Problem(message, source_path, at, hint))
    entry_hint = "write each as '- captured: 2021-05-15T10:30:00Z', 'title: …' and 'body: |' with the text indented below"
    if isinstance(node, yaml.SequenceNode) and len(node.value) > MAX_VERSIONS:
        error(f"'versions' holds {len(node.value)} entries, more than {MAX_VERSIONS}", line, "keep the versions whose text differs")
        return []
    found: list[WrittenVersion] = []
    seen: dict[str, int] = {}
    for at, entry in yamltext.list_of_mappings(node, line, "versions", error, list_hint=entry_hint, entry_hint=entry_hint,
                                               entry_message="each entry of 'versions' must be a mapping with captured, title and body"):
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            error(f"unknown key '{unknown[0]}' in a 'versions' entry", entry[unknown[0]][1], "an entry takes captured, title and body")
            continue
        texts = {key: yamltext.scalar_text(value) for key, (value, _) in entry.items()}
        for key in entry:
            if texts[key] is None:
                error(f"'versions' {key} must be text, not a list or mapping", entry[key][1])
        if any(texts[key] is None for key in entry):
            continue
        if "captured" not in entry or not texts["captured"].strip():
            error("a 'versions' entry has no 'captured' date-time", at, "add 'captured: 2021-05-15T10:30:00Z' (when that text was captured)")
            continue
        try:
            captured, _ = parse_date(texts["captured"], tz)
        except ValueError:
            error(f"'versions' captured is not a date-time: '{texts['captured'][:60]}'", entry["captured"][1],
                  "write YYYY-MM-DDTHH:MM:SSZ (UTC) or with an offset like +02:00")
            continue
        outside = range_problem(captured)
        if outside:
            error(f"'versions' captured {texts['captured']} {outside}", entry["captured"][1], "check the year and the offset")
            continue
        body, removed = clean_text(texts.get("body") or "")
        if removed:
            problems.append(forbidden_warning("a 'versions' body", removed, source_path, entry["body"][1]))
        if not visible(body):
            error("a 'versions' entry has no body", entry.get("body", (None, at))[1], "add 'body: |' with that version's text indented below it")
            continue
        key = stamp(captured)
        if key in seen:
            error(f"two versions are captured at {captured.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ} (lines {seen[key]} and {entry['captured'][1]})",
                  entry["captured"][1], "keep one of them: versions are told apart by their capture time, to the second")
            continue
        seen[key] = entry["captured"][1]
        title, removed = clean_text(texts["title"]) if texts.get("title") else (None, "")
        if removed:
            problems.append(forbidden_warning("a 'versions' title", removed, source_path, entry["title"][1]))
        title = balance_bidi(title).strip() if title else None
        body_line = entry["body"][1] + (1 if entry["body"][0].style in ("|", ">") else 0)
        found.append(WrittenVersion(captured.astimezone(timezone.utc), title if title and visible(title) else None, body, at, body_line))
    return found


def current_capture(fields: dict, tz: tzinfo) -> datetime | None:
    """When the current text was captured: `provenance.captured` where import wrote it (read
    whether or not the front matter's reader knows `provenance`), else the last update or date."""
    from .frontmatter import parse_date
    provenance = fields.get("provenance") or fields.get("extra", {}).get("provenance")
    captured = provenance.get("captured") if isinstance(provenance, dict) else getattr(provenance, "captured", None)
    if isinstance(captured, str):
        try:
            captured = parse_date(captured, tz)[0]
        except ValueError:
            captured = None
    if isinstance(captured, datetime):
        return captured
    return fields.get("updated") or fields.get("date")


def finish_versions(written: list[WrittenVersion], fields: dict, source_path: str, ctx,
                    renderer: MarkdownRenderer, problems: list[Problem]) -> tuple[tuple[Version, ...], datetime | None]:
    """The versions, oldest first, each body rendered, and the current text's capture time;
    a version captured at or after the current text is an error naming its line, and so is
    a body nested too deeply (limits.py)."""
    from . import limits
    if not written:
        return (), None
    current = current_capture(fields, ctx.tz)
    versions = []
    for entry in sorted(written, key=lambda v: v.captured):
        if current is not None and entry.captured >= current:
            problems.append(Problem(
                f"version captured {entry.captured:%Y-%m-%dT%H:%M:%SZ} is not before the current text "
                f"({current.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ})", source_path, entry.line,
                "an earlier version must be captured before the article's current text (its 'updated', 'date' or provenance.captured)"))
            continue
        too_deep = limits.nesting_problem(entry.body, entry.body_line, source_path, ctx.max_nesting)
        if too_deep:
            problems.append(too_deep)
            continue
        rendered = renderer.render(entry.body, source_path=source_path, first_line=entry.body_line)
        for url, why, line in rendered.refused_links:
            problems.append(Problem(f"a version's body links to {url[:80]!r}, which {why}; the link is left out", source_path,
                                    line or entry.body_line, "write an https:// address or a path on this site", "warning"))
        versions.append(Version(entry.captured, entry.title or fields.get("title", ""), rendered.html, entry.line))
    return tuple(versions), current.astimezone(timezone.utc) if current is not None and versions else None


def version_pages(article: Article, page_class) -> list:
    """The frozen page of each earlier version, and the article's TimeMap (memento.py)."""
    pages = []
    for index, version in enumerate(article.versions):
        newer = article.versions[index + 1] if index + 1 < len(article.versions) else None
        pages.append(page_class(
            version_url(article.url, version.captured), "version.html", "version", f"{article.source_path} (version of {stamp(version.captured)})",
            title=version.title, lang=article.lang, items=(article.source_path,),
            data={"version": {"captured": version.captured, "title": version.title, "html": version.html, "number": index + 1},
                  "next_version": {"captured": newer.captured, "title": newer.title, "html": newer.html,
                                   "url": version_url(article.url, newer.captured)} if newer else None,
                  "current_captured": article.captured, **versions_data(article)},
        ))
    pages.append(page_class(timemap_url(article.url), "plain.txt", "timemap", f"{article.source_path} (TimeMap)", link_mode="absolute",
                            items=(article.source_path,), data={"current_captured": article.captured, **versions_data(article)}))
    return pages


def text_then(old_url: str, article_url: str, live: dict) -> str:
    """Where a version URL published once and built no more leads: the version of the article
    that was its text at that URL's capture time (the same time where the article moved; the
    version before it when an earlier capture of that text, imported later, dated it earlier),
    or the article when its current text was (or no version is left)."""
    then = old_url[old_url.rfind("/v/") + 3:].strip("/") if "/v/" in old_url else ""
    timemap = live.get(timemap_url(article_url))
    if not then or timemap is None:
        return article_url
    texts = [(stamp(v["captured"]), v["url"]) for v in timemap.data["versions"]]
    if timemap.data.get("current_captured") is not None:
        texts.append((stamp(timemap.data["current_captured"]), article_url))
    return max((text for text in texts if text[0] <= then), default=("", article_url))[1]


def withdrawn(article: Article) -> bool:
    """A withdrawn article's text is published nowhere, its earlier texts neither (read whether or
    not the front matter's reader knows `status`)."""
    status = getattr(article, "status", None) or article.extra.get("status")
    return isinstance(status, str) and status.strip().lower() == "withdrawn"


def versions_data(article: Article) -> dict:
    """What the article's page and its versions' pages list: every version with its URL, and the TimeMap's URL."""
    return {"versions": [{"captured": v.captured, "title": v.title, "url": version_url(article.url, v.captured)} for v in article.versions],
            "timemap": timemap_url(article.url), "article_url": article.url}


def site_pages(articles, config, page_class) -> list:
    """Every article's version pages and TimeMap, and `_headers` when an article has versions
    or the site keeps its own (static/_headers, merged first)."""
    from .hostfiles import own_text
    from .memento import HEADERS_URL
    versioned = [a for a in articles if a.versions and not withdrawn(a)]
    pages = [page for article in versioned for page in version_pages(article, page_class)]
    own = own_text(config.static_dirs, "_headers")
    if versioned or own:
        pages.append(page_class(HEADERS_URL, "plain.txt", "headers", "Link headers for Netlify and Cloudflare Pages", link_mode="absolute",
                                items=tuple(a.source_path for a in versioned),
                                data={"own": own, "articles": [dict(versions_data(a), current_captured=a.captured) for a in versioned]}))
    return pages


def page_view(page, cards, config, prefix: str, index_links: bool, body_of, translate) -> dict:
    """The template data of a version page, a TimeMap or `_headers` (views.page_context)."""
    from .memento import headers_text, timemap_text, version_context
    from .urls import base_path
    from .views import relink_body
    if page.kind == "headers":
        shown = [(data, cards[path]) for data, path in zip(page.data["articles"], page.items)]
        return {"text": headers_text(page.data["own"], shown, config.base_url, base_path(config.base_url))}
    card = cards[page.items[0]]
    if page.kind == "timemap":
        return {"text": timemap_text(page.data, card, config.base_url)}
    from markupsafe import Markup
    current = body_of(page.items[0], prefix, index_links) if page.data["next_version"] is None else ""
    return {"article": card, "body": Markup(relink_body(page.data["version"]["html"], {}, prefix, index_links=index_links)),
            **version_context(page.data, card, current, translate)}
