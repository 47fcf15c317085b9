"""Embargoes: an article with `embargo: 2026-12-24T06:00:00+01:00` is published by no build
whose now (clock.py) is before that moment, and by the first build after it.

Only `embargo` holds an article back; a `date` in the future does not (an archive's
imported dates are often wrong, and a wrong year must not hide an article silently).
A time without offset, and a date alone (its midnight), are in the site's `timezone`, as
for `date`. An article held back is left out of the build like a draft (pipeline.py):
no page, listing, feed, sitemap, search entry, neighbour, suggestion, alias or record of
its URL; other articles' "read also" entries and body links to it are warned about as
links to a draft are. `--drafts` builds it like a draft.

Each build records the window of moments in which the same articles are held back
(`EmbargoWindow`): from the latest embargo passed to the next one. A later build whose
now is outside it is neither up to date nor an edit rebuild (rebuild/books.py): it loads
and plans the site, so an embargo that passed publishes the article without `--full`.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .clock import microseconds
from .dates import range_problem
from .errors import Problem

KEY = "embargo"
_HINT = "write YYYY-MM-DDTHH:MM:SS with an offset, e.g. 2026-12-24T06:00:00+01:00 (without one, the site's timezone is used)"


def read_embargo(raw: str | None, line: int | None, date: datetime | None, parse, source_path: str) -> tuple[datetime | None, list[Problem]]:
    """The embargo as front matter gives it (`raw`: its text, None when empty or not text) and
    its problems. `parse` reads a date as `date` is read (frontmatter.parse_date with the site's
    zone). An embargo that cannot be read is an error, so the article is never published by
    mistake; one before the article's date is a warning (it would show a date still to come)."""
    if raw is None:
        return None, [Problem(f"'{KEY}' is empty", source_path, line, "write the moment the article may appear, or remove the line")]
    try:
        value, _ = parse(raw)
    except ValueError:
        return None, [Problem(f"'{KEY}' is not a date and time: {raw[:80]!r}", source_path, line, _HINT)]
    outside = range_problem(value)
    if outside:
        return None, [Problem(f"'{KEY}' {raw} {outside}", source_path, line, "check the year and the offset")]
    problems = []
    if date is not None and value < date:
        problems.append(Problem(f"'{KEY}' {raw} is before 'date' {date.isoformat()}: once published, the article shows a date still to come",
                                source_path, line, "set the embargo to the moment of publication, not before the article's date",
                                severity="warning"))
    return value, problems


def held_back(embargo: datetime | None, now: datetime) -> bool:
    """Whether an article with this embargo is left out of a build made at `now`."""
    return embargo is not None and now < embargo


@dataclass(frozen=True)
class EmbargoWindow:
    """The moments (microseconds since 1970, clock.microseconds) between which a build holds
    back the same articles: `since` the latest embargo passed (None: none passed), `until`
    the next one (None: none to come). A now in [since, until) builds the same site."""
    since: int | None = None
    until: int | None = None

    @classmethod
    def around(cls, embargoes: Iterable[datetime | None], now: datetime) -> EmbargoWindow:
        at = microseconds(now)
        since = until = None
        for embargo in embargoes:
            if embargo is None:
                continue
            moment = microseconds(embargo)
            if moment <= at:
                since = moment if since is None else max(since, moment)
            else:
                until = moment if until is None else min(until, moment)
        return cls(since, until)

    def holds(self, now: datetime) -> bool:
        at = microseconds(now)
        return (self.since is None or self.since <= at) and (self.until is None or at < self.until)

    def to_record(self) -> list:
        return [self.since, self.until]

    @classmethod
    def from_record(cls, record) -> EmbargoWindow | None:
        """The window a build recorded; None when there is none (a build by an older version)
        or it cannot be read: then no build may skip planning."""
        if (isinstance(record, list) and len(record) == 2
                and all(v is None or (type(v) is int) for v in record)):
            return cls(*record)
        return None


def window_holds(record, now: datetime) -> bool:
    """Whether the last build's recorded window (its build info's `embargo_window`) still holds."""
    window = EmbargoWindow.from_record(record)
    return window is not None and window.holds(now)


def next_embargo(cache_dir: Path) -> int | None:
    """The next embargo the last build in `cache_dir` recorded (microseconds since 1970), read
    without opening the cache for writing (serve.py rebuilds when it passes); None if none."""
    from .rebuild.store import FILENAME
    try:
        with closing(sqlite3.connect(f"{(cache_dir / FILENAME).resolve().as_uri()}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
        window = EmbargoWindow.from_record(json.loads(row[0]).get("embargo_window")) if row else None
    except (sqlite3.Error, OSError, ValueError, AttributeError):
        return None
    return window.until if window else None
