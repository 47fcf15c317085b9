"""The build's "now": the one moment a build compares embargoes with (embargo.py).

It is the real clock, unless `--now` gives a moment (build, serve, deploy) or the
environment sets SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/:
whole seconds since 1970-01-01 UTC, as `date +%s` prints them); `--now` wins over the
variable. Nothing else in the output reads the clock (feed `updated` and sitemap
`lastmod` come from the articles' dates), so the same files and the same now give the
same bytes.
"""
from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from .dates import EARLIEST, LATEST
from .errors import BuildError, Problem

ENVIRONMENT = "SOURCE_DATE_EPOCH"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECONDS = re.compile(r"-?[0-9]+\Z")
_NOW_HINT = "write a date and time with its offset, e.g. --now 2026-12-24T06:00:00Z or --now 2026-12-24T06:00:00+01:00"


def parse_now(text: str) -> datetime:
    """A moment as `--now` takes it: ISO 8601 date and time with `Z` or an offset, in UTC.
    A time without offset is refused: a build's now must not depend on the machine's zone."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text[:80]!r} is not a date and time; {_NOW_HINT}") from None
    if value.tzinfo is None or not re.search(r"[T ]\d", text):
        raise ValueError(f"{text[:80]!r} has no time or no offset; {_NOW_HINT}")
    try:
        return value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise ValueError(f"{text[:80]!r} is outside the dates a site can show ({EARLIEST} to {LATEST})") from None


def now_argument(text: str) -> datetime:
    """argparse's type for `--now` (a wrong value is a usage error, exit code 2)."""
    try:
        return parse_now(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_now_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", type=now_argument, metavar="DATETIME",
                        help="build as if it were this moment (e.g. 2026-12-24T06:00:00Z): embargoes are compared with it "
                             f"(default: ${ENVIRONMENT} if set, else the clock)")


def build_now(given: datetime | None = None, environ: Mapping[str, str] = os.environ) -> datetime:
    """The build's now in UTC: `given` (--now), else SOURCE_DATE_EPOCH, else the clock. An
    empty variable counts as unset; any other value that is not whole seconds is an error.
    A `given` without zone is UTC (never the machine's zone: the same now on every machine)."""
    if given is not None:
        return (given if given.tzinfo is not None else given.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    raw = environ.get(ENVIRONMENT, "")
    if raw == "":
        return datetime.now(timezone.utc)
    if not _SECONDS.match(raw):
        raise BuildError(Problem(f"{ENVIRONMENT} must be whole seconds since 1970-01-01 UTC, not {raw[:40]!r}", ENVIRONMENT,
                                 hint="set it to the output of 'date +%s' (or 'git log -1 --format=%ct'), or unset it"))
    try:
        return EPOCH + timedelta(seconds=int(raw))
    except (OverflowError, ValueError):  # ValueError: more digits than int() reads
        raise BuildError(Problem(f"{ENVIRONMENT}={raw[:40]} is outside the dates a site can show ({EARLIEST} to {LATEST})",
                                 ENVIRONMENT, hint="set it to the output of 'date +%s', or unset it")) from None


def microseconds(value: datetime) -> int:
    """A moment as whole microseconds since 1970 (exact, unlike a float; JSON keeps it)."""
    return (value - EPOCH) // timedelta(microseconds=1)
