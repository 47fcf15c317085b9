"""The dates a site can show: the range front matter may use, and their machine-readable text.

Feeds, sitemaps and the search index give each date in UTC (or with its offset), so a date
is accepted only when its UTC time is a date Python can hold: from 0001-01-01T00:00:00Z to
9999-12-31T23:59:59Z. `9999-12-31T23:00:00-05:00` is year 10000 in UTC and is refused when
the article is read, with its file and line, instead of failing while pages render.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

EARLIEST = "0001-01-01T00:00:00Z"
LATEST = "9999-12-31T23:59:59Z"


def range_problem(value: datetime) -> str | None:
    """Why `value` is outside the dates the site can show, or None."""
    try:
        value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        side = "after the latest" if value.year > 5000 else "before the earliest"
        return f"is {side} date the site can show once converted to UTC (dates from {EARLIEST} to {LATEST})"
    return None


def iso(value: date | datetime) -> str:
    """ISO 8601 / RFC 3339 text: the date with its own offset; an offset with seconds (the
    local mean time zoneinfo gives dates before 1900, e.g. +00:09:21 in Paris) is not valid
    RFC 3339 or HTML, so such a time is given in UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        offset = value.utcoffset()
        if offset is not None and offset.total_seconds() % 60:
            return utc_stamp(value)
    return value.isoformat()


def utc_stamp(value: datetime) -> str:
    """UTC as 'YYYY-MM-DDTHH:MM:SSZ', four-digit years included, so stamps sort as text."""
    utc = value.astimezone(timezone.utc)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"
