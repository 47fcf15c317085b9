"""The last build's problems in the build cache: one row each, in the order the build found
them, and beside them their summary (problem_digest.RecordedProblems: the counts, what the
terminal shows, the report file's digest).

A rebuild with nothing to do reads the summary alone; an edit reads the rows of the edited
articles (by path) and, when they come back as they were, nothing more. The rows are read
whole only when someone asks for the problems one by one (--verbose, serve, a report file
to write again), or when an edit moved or fixed one (the summary is then made anew). A
build that plans the site writes the rows only when they differ from the kept ones.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Callable

_TABLE = ("CREATE TABLE IF NOT EXISTS problems (seq INTEGER PRIMARY KEY, path TEXT, problem TEXT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS problems_path ON problems (path)")
SUMMARY = "problem_summary"
_EARLIER = ("problems", "problem_digest")  # where an earlier version kept them (one JSON list): never read


def summary(db: sqlite3.Connection) -> dict | None:
    """The last build's summary; None when it kept none (the next build then loads and plans)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (SUMMARY,)).fetchone()
    return json.loads(row[0]) if row else None


def rows_of(db: sqlite3.Connection, paths: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
    """Source path → its problems' (place in the list, JSON), in order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for path in paths:
        for seq, text in db.execute("SELECT seq, problem FROM problems WHERE path = ? ORDER BY seq", (path,)):
            found.setdefault(path, []).append((seq, text))
    return found


def all_rows(db: sqlite3.Connection) -> list[tuple[int, str]]:
    return db.execute("SELECT seq, problem FROM problems ORDER BY seq").fetchall()


def reader(cache_file: Path) -> Callable[[], list[str]]:
    """Reads the kept problems' JSON when called, from the cache file (the build's own
    connection is closed by then): what an unread RecordedProblems falls back on."""
    def read() -> list[str]:
        db = sqlite3.connect(cache_file)
        try:
            return [text for _, text in all_rows(db)]
        finally:
            db.close()
    return read


def store(db: sqlite3.Connection, rows: list[tuple[str | None, str]], kept_summary: dict) -> None:
    """Keep a build's problems, (path, JSON) in order, and their summary; the rows are written
    only when they differ from those kept. Call inside the build's transaction."""
    digest = hashlib.blake2b("\n".join(text for _, text in rows).encode("utf-8"), digest_size=16).hexdigest()
    last = summary(db)
    if last is None:  # none kept, or kept by an earlier version: the table may not be there yet
        for statement in _TABLE:
            db.execute(statement)
    if last is None or last.get("rows") != digest:
        db.execute("DELETE FROM problems")
        db.executemany("INSERT INTO problems VALUES (?, ?, ?)", ((seq, path, text) for seq, (path, text) in enumerate(rows)))
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (SUMMARY, json.dumps(dict(kept_summary, rows=digest), ensure_ascii=False)))
    db.executemany("DELETE FROM meta WHERE key = ?", [(key,) for key in _EARLIER])


def forget(db: sqlite3.Connection) -> None:
    """Keep none: the next build does not take the site as up to date (books.py)."""
    db.executemany("DELETE FROM meta WHERE key = ?", [(key,) for key in (SUMMARY, *_EARLIER)])
