"""Corrections: the front-matter key `corrections:`, what an article and the site-wide
/corrections/ page and feed show of it.

A correction is `{date, type, text}`; `type` is one of TYPES. Its text is plain text (one
paragraph: a line break becomes a space; HTML in it is shown as written, never interpreted),
cleaned like every other text of the front matter. An article keeps its corrections newest
first, each numbered in the order of their dates (1 = the oldest), so a correction's anchor on
the article's page (#na-correction-N) and its feed id stay when a newer one is added.

The newest correction's date is the article's last change: `updated` takes it when it is later
(its page's "Updated", JSON-LD dateModified, its feed entry's updated, the sitemap's lastmod);
a date-only correction of the article's own day counts as the article's date-time, never earlier.
The /corrections/ pages and feed exist only when some published article has a correction
(an empty page would tell readers nothing); the footer links to them then.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

import yaml

from . import yamltext
from .dates import iso, range_problem
from .errors import Problem
from .usertext import visible

if TYPE_CHECKING:
    from .content import Article

TYPES = ("correction", "clarification", "retraction", "update")
KEYS = ("date", "type", "text")
PAGE_URL = "/corrections/"
FEED_URL = "/corrections/feed.xml"
KIND, FEED_KIND = "corrections", "corrections-feed"  # the kinds of those pages (corrections_pages.py)
_LINE_BREAKS = re.compile(r"[ \t]*(?:\n[ \t]*)+")  # a YAML block's lines joined; other spaces (a no-break space before ';') kept
_SHAPE = "each entry of 'corrections' must be a mapping like {date: 2021-05-16, type: correction, text: \"…\"}"


@dataclass(frozen=True, slots=True)
class Correction:
    date: datetime
    date_only: bool
    type: str  # one of TYPES
    text: str  # plain text, one paragraph
    number: int  # 1 for the oldest: its anchor on the article's page, #na-correction-N
    line: int | None = None

    @property
    def anchor(self) -> str:
        return f"na-correction-{self.number}"  # na-: never one of the body headings' ids

    @property
    def schema(self) -> dict:
        """The correction in the article's JSON-LD (schema.org `correction`)."""
        return {"@type": "CorrectionComment", "datePublished": iso(self.date), "text": self.text}


def read_corrections(node: yaml.Node, line: int, source_path: str, published: datetime | None, published_date_only: bool,
                     parse_date: Callable[[str], tuple[datetime, bool]], clean: Callable[[str, str, int], str],
                     problems: list[Problem]) -> tuple[Correction, ...]:
    """The `corrections:` value → its corrections, newest first; every problem (shape, date,
    type, text) goes to `problems` with the line of the entry or key that has it."""
    def error(message: str, at: int | None, hint: str | None = None) -> None:
        problems.append(Problem(message, source_path, at, hint))

    found: list[tuple[datetime, int, bool, str, str, int]] = []
    for position, (at, entry) in enumerate(yamltext.list_of_mappings(
            node, line, "corrections", error, entry_message=_SHAPE,
            list_hint="write each correction on a line of its own: '  - {date: 2021-05-16, type: correction, text: \"…\"}'")):
        unknown = [key for key in entry if key not in KEYS]
        missing = [key for key in KEYS if key not in entry]
        if unknown:
            error(f"unknown key '{unknown[0][:40]}' in a correction", entry[unknown[0]][1], "a correction has date, type and text only")
        if missing:
            error(f"a correction needs a {missing[0]}", at, "write {date: 2021-05-16, type: correction, text: \"…\"}")
        if unknown or missing:
            continue
        value = _read_date(entry["date"], source_path, published, published_date_only, parse_date, problems)
        kind = _read_type(entry["type"], source_path, problems)
        text = _read_text(entry["text"], source_path, clean, problems)
        if value and kind and text:
            found.append((value[0], position, value[1], kind, text, at))
    oldest_first = sorted(found, key=lambda c: (c[0].timestamp(), c[1]))
    corrections = [Correction(when, date_only, kind, text, number, at)
                   for number, (when, _, date_only, kind, text, at) in enumerate(oldest_first, start=1)]
    return tuple(reversed(corrections))


def _read_date(entry: tuple, source_path: str, published: datetime | None, published_date_only: bool,
               parse_date: Callable, problems: list[Problem]) -> tuple[datetime, bool] | None:
    node, at = entry
    raw = yamltext.scalar_text(node)
    try:
        if raw is None:
            raise ValueError
        value, date_only = parse_date(raw)
    except ValueError:
        problems.append(Problem(f"a correction's date is not a date: '{(raw or '…')[:40]}'", source_path, at,
                                "write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional offset like +02:00"))
        return None
    outside = range_problem(value)
    if outside:
        problems.append(Problem(f"a correction's date {raw} {outside}", source_path, at, "check the year and the offset"))
        return None
    if published is not None and _before(value, date_only, published, published_date_only):
        problems.append(Problem(f"a correction dated {raw.strip()} is before the article's date {published.date().isoformat()}",
                                source_path, at, "a correction comes after the article: check its date and the article's"))
        return None
    return value, date_only


def _before(value: datetime, date_only: bool, published: datetime, published_date_only: bool) -> bool:
    """Whether a correction dated `value` comes before the article; a date without a time is its
    whole day, so a correction of the same day as the article is never before it."""
    if date_only or published_date_only:
        return value.date() < published.date()
    return value < published


def _read_type(entry: tuple, source_path: str, problems: list[Problem]) -> str | None:
    node, at = entry
    raw = (yamltext.scalar_text(node) or "").strip()
    if raw.lower() in TYPES:
        return raw.lower()
    problems.append(Problem(f"unknown correction type '{raw[:40]}'", source_path, at, "use one of " + ", ".join(TYPES)))
    return None


def _read_text(entry: tuple, source_path: str, clean: Callable, problems: list[Problem]) -> str | None:
    node, at = entry
    raw = yamltext.scalar_text(node)
    if raw is None:
        problems.append(Problem("a correction's text must be text, not a list or mapping", source_path, at,
                                "quote it: text: \"…\""))
        return None
    text = _LINE_BREAKS.sub(" ", clean(raw, "corrections.text", at)).strip()
    if not visible(text) or yamltext.plain_value(node) is None:
        problems.append(Problem("a correction's text is empty", source_path, at, "say what was corrected, e.g. text: \"An earlier version gave the wrong date.\""))
        return None
    return text


def latest_change(published: datetime | None, updated: datetime | None, updated_date_only: bool,
                  corrections: tuple[Correction, ...]) -> tuple[datetime | None, bool]:
    """The article's last change: `updated`, or its newest correction's date when that is later.
    A date-only correction of the article's own day is midnight, before the article appeared:
    it counts as the article's date-time (still shown as a date only), so dateModified, the
    feed's updated and the sitemap's lastmod are never before datePublished."""
    if corrections and (updated is None or corrections[0].date > updated):
        newest = corrections[0]
        if published is not None and newest.date < published:
            return published, newest.date_only
        return newest.date, newest.date_only
    return updated, updated_date_only


def retraction(corrections: tuple[Correction, ...]) -> Correction | None:
    """The newest retraction, shown as a notice at the top of the article's page."""
    return next((c for c in corrections if c.type == "retraction"), None)


def site_entries(articles: tuple[Article, ...]) -> tuple[tuple[str, int], ...]:
    """Every correction of the published articles as (source path, index in its article's
    corrections), newest first; the same date keeps the articles' order (newest article first)."""
    entries = [(c.date.timestamp(), order, path, index) for order, article in enumerate(articles)
               for path in (article.source_path,) for index, c in enumerate(article.corrections)]
    entries.sort(key=lambda e: (-e[0], e[1], e[3]))
    return tuple((path, index) for _, _, path, index in entries)


def page_url(articles: tuple[Article, ...]) -> str | None:
    """The /corrections/ page's URL when some article has a correction (the footer links to it), else None."""
    return PAGE_URL if any(article.corrections for article in articles) else None


def entries_view(entries, cards) -> list[dict]:
    """Each correction a /corrections/ page or its feed shows, given its (source path, index)
    pairs: the article's card and the correction."""
    return [{"article": cards[path], "correction": cards[path]["corrections"][index]} for path, index in entries]
