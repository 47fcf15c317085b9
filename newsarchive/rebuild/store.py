"""The build cache in `.cache/` beside the config: what was loaded and what was written.

One SQLite file (stdlib, stays fast at 10⁶ rows). It is only ever an accelerator: a
missing, foreign or outdated cache is detected when it is opened, a damaged one when a
read meets the damage (SQLite raises DatabaseError; pipeline.build then starts afresh),
and deleting `.cache/` by hand is always safe. The file is not checked whole at every
open: that read would cost more than a rebuild with nothing to do.

Tables:
  sources  an article file's stat, content hash and loaded metadata (or its problems)
  bodies   the rendered body HTML of each article, read only when a page needs it
  pages    the last build's output manifest: URL → signature of its inputs, digest of its bytes
  layout   per article built, its content hash and layout digest (keys.py); the key is in meta
  files    copied static and article files: output path → size, mtime and ctime of the source
  problems the last build's problems, one row each (problem_store.py)
  planned_pages, shown_in, planned_articles
           what the last build planned, kept so that an edit of articles' text alone can
           render the pages showing them without planning the site again (edit.py)
"""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import problem_store
from ..hexpairs import HexPairs

SCHEMA_VERSION = "4"  # 4: files.ctime_ns
APPLICATION_ID = 0x4E415243  # "NARC": tells our cache from any other SQLite file
FILENAME = "build.sqlite"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    source_path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,
    content_hash TEXT NOT NULL, article TEXT, problems TEXT NOT NULL
);
CREATE TABLE bodies (source_path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, html TEXT NOT NULL);
CREATE TABLE pages (url TEXT PRIMARY KEY, signature TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE files (output_path TEXT PRIMARY KEY, source TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER);
CREATE TABLE layout (source_path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, digest TEXT NOT NULL);
"""
# The records tables are written whole by each build that plans the site, their indexes made
# after the rows (a sort, several times quicker than keeping them in order row by row). A cache
# kept by an earlier version loses only its records, which then had another form.
_RECORDS = """
DROP TABLE IF EXISTS page_records; DROP TABLE IF EXISTS shown_on; DROP TABLE IF EXISTS article_records;
CREATE TABLE IF NOT EXISTS planned_pages (id INTEGER PRIMARY KEY, page TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shown_in (source_path TEXT NOT NULL, page INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS planned_articles (source_path TEXT NOT NULL, record TEXT NOT NULL);
"""
_RECORD_INDEXES = {"shown_in_path": "CREATE INDEX shown_in_path ON shown_in (source_path)",
                   "planned_articles_path": "CREATE UNIQUE INDEX planned_articles_path ON planned_articles (source_path)"}
# What a no-change or edit rebuild reads of every source, apart from the articles' JSON: the
# check scans this index (0.2 KiB a row) instead of the table (2 KiB and more a row).
_STAT_INDEX = "CREATE INDEX IF NOT EXISTS sources_stat ON sources (source_path, size, mtime_ns, ctime_ns, inode, content_hash)"


def rows_for(db: sqlite3.Connection, query: str, keys: Iterable, row: Callable = tuple) -> Iterator:
    """The rows of `query` (its `IN ({})` filled with one parameter per key) for all `keys`,
    asked a few hundred keys at a time: SQLite allows a few hundred parameters per statement."""
    keys = list(keys)
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        yield from map(row, db.execute(query.format(",".join("?" * len(part))), part))


@dataclass(frozen=True)
class CachedSource:
    stat: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    content_hash: str
    article: str | None  # JSON
    problems: str  # JSON


class CachedRows:
    """The cache's article records, read one at a time as the build goes through them
    (all at once, they are a few gigabytes of JSON at 10⁶ articles)."""

    def __init__(self, cache: "BuildCache"):
        self._db = cache.db

    def __bool__(self) -> bool:
        return self._db.execute("SELECT 1 FROM sources LIMIT 1").fetchone() is not None

    def items(self) -> Iterator[tuple[str, CachedSource]]:
        for r in self._db.execute("SELECT source_path, size, mtime_ns, ctime_ns, inode, content_hash, article, problems FROM sources"):
            yield r[0], CachedSource((r[1], r[2], r[3], r[4]), r[5], r[6], r[7])


class BuildCache:
    """An open cache; `key` covers everything that changes how a file loads (generator
    version, parse-relevant config), so a different key empties the cache."""

    def __init__(self, folder: Path, key: str):
        self.folder = folder
        self.path = folder / FILENAME
        self.key = key
        self.reset_reason: str | None = None
        folder.mkdir(parents=True, exist_ok=True)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            if self._is_ours(db):
                db.execute(_STAT_INDEX)  # a cache made before the index gets it once
                if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'shown_on'").fetchone():
                    db.execute("DELETE FROM meta WHERE key = 'records'")
                    db.executescript(_RECORDS)
                return db
            db.close()
            self.reset_reason = "the cache was made by another version or with other settings"
        except sqlite3.DatabaseError:
            self.reset_reason = "the cache file was unreadable"
        return self._create()

    def reset(self, reason: str) -> None:
        """Start afresh, e.g. when the file turns out damaged in the middle of a build."""
        self.db.close()
        self.reset_reason = reason
        self.db = self._create()

    def _create(self) -> sqlite3.Connection:
        self._remove_files()
        db = self._connect()
        db.executescript(_SCHEMA + _RECORDS)
        db.execute(_STAT_INDEX)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("key", self.key)])
        db.commit()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _is_ours(self, db: sqlite3.Connection) -> bool:
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return False
        rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'key')").fetchall())
        return rows.get("schema") == SCHEMA_VERSION and rows.get("key") == self.key

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    def close(self) -> None:
        self.db.close()

    # sources -----------------------------------------------------------------
    def source_stats(self, below: Iterable[str] | None = None) -> dict[str, tuple[tuple[int, int, int, int], str]]:
        """Stat and content hash by source path: enough to tell that nothing changed. All of
        them, or those of the files below the given folders (each read as the range of paths
        under it; the top folder "" is all of them)."""
        query = "SELECT source_path, size, mtime_ns, ctime_ns, inode, content_hash FROM sources"
        folders = [""] if below is None else below
        found = {}
        for folder in folders:
            rows = self.db.execute(query + " WHERE source_path > ? AND source_path < ?", (folder + "/", folder + "0")) if folder else self.db.execute(query)
            found.update((r[0], ((r[1], r[2], r[3], r[4]), r[5])) for r in rows)
        return found

    def store_sources(self, rows: Iterable[tuple[str, tuple[int, int, int, int], str, str | None, str]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(p, *stat, h, a, pr) for p, stat, h, a, pr in rows],
        )

    def forget_sources(self, source_paths: Iterable[str]) -> None:
        paths = [(p,) for p in source_paths]
        self.db.executemany("DELETE FROM sources WHERE source_path = ?", paths)
        self.db.executemany("DELETE FROM bodies WHERE source_path = ?", paths)

    # bodies ------------------------------------------------------------------
    def store_bodies(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", rows)

    # output manifest -----------------------------------------------------------
    def pages(self) -> HexPairs:
        return HexPairs(self.db.execute("SELECT url, signature, digest FROM pages"))

    def page_urls(self) -> list[str]:
        return [url for (url,) in self.db.execute("SELECT url FROM pages")]

    def files(self) -> dict[str, tuple[str, int, int, int]]:
        return {p: (s, size, m, c) for p, s, size, m, c in self.db.execute("SELECT output_path, source, size, mtime_ns, ctime_ns FROM files")}

    def page_rows(self, urls: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The manifest's rows for these URLs only."""
        return dict(rows_for(self.db, "SELECT url, signature, digest FROM pages WHERE url IN ({})", urls,
                             lambda r: (r[0], (r[1], r[2]))))

    def source_rows(self, source_paths: Iterable[str]) -> dict[str, CachedSource]:
        return dict(rows_for(
            self.db, "SELECT source_path, size, mtime_ns, ctime_ns, inode, content_hash, article, problems FROM sources WHERE source_path IN ({})",
            source_paths, lambda r: (r[0], CachedSource((r[1], r[2], r[3], r[4]), r[5], r[6], r[7]))))

    # what the last build planned (edit.py) ---------------------------------
    def records_key(self) -> str | None:
        """The layout key the kept records were made under (keys.py), or None."""
        return self._meta("records")

    def store_records(self, key: str, pages: Iterable[str], shown: Iterable[tuple[str, int]],
                      articles: Iterable[tuple[str, str]]) -> None:
        """Replace the kept records: the pages (numbered from 0 in the order given), which
        articles each shows, and each article's record. The iterables are consumed as they are written."""
        with self.transaction():
            self.db.execute("DELETE FROM meta WHERE key = 'records'")
            for index in _RECORD_INDEXES:
                self.db.execute(f"DROP INDEX IF EXISTS {index}")
            for table in ("planned_pages", "shown_in", "planned_articles"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.executemany("INSERT INTO planned_pages VALUES (?, ?)", enumerate(pages))
            self.db.executemany("INSERT INTO shown_in VALUES (?, ?)", shown)
            self.db.executemany("INSERT INTO planned_articles VALUES (?, ?)", articles)
            for statement in _RECORD_INDEXES.values():
                self.db.execute(statement)
            self.db.execute("INSERT INTO meta VALUES ('records', ?)", (key,))

    def update_records(self, key: str, gone: dict[int, list[str]], pages: list[tuple[str, list[str]]],
                       articles: list[tuple[str, str]], articles_gone: list[str]) -> None:
        """Change the kept records into another layout's (signing.py): drop the pages `gone`
        (number → the articles it showed), add `pages` (record, the articles it shows) under new
        numbers, replace or add the `articles`' records and drop those of `articles_gone`."""
        with self.transaction():
            self.db.executemany("DELETE FROM planned_pages WHERE id = ?", [(number,) for number in gone])
            self.db.executemany("DELETE FROM shown_in WHERE source_path = ? AND page = ?",
                                [(path, number) for number, paths in gone.items() for path in paths])
            start = (self.db.execute("SELECT MAX(id) FROM planned_pages").fetchone()[0] or 0) + 1
            numbered = list(enumerate(pages, start=start))
            self.db.executemany("INSERT INTO planned_pages VALUES (?, ?)", [(number, text) for number, (text, _) in numbered])
            self.db.executemany("INSERT INTO shown_in VALUES (?, ?)", [(path, number) for number, (_, paths) in numbered for path in paths])
            self.db.executemany("DELETE FROM planned_articles WHERE source_path = ?", [(path,) for path in articles_gone])
            self.db.executemany("INSERT OR REPLACE INTO planned_articles VALUES (?, ?)", articles)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('records', ?)", (key,))

    def forget_records(self) -> None:
        """The kept records turned out damaged: the next build that plans the site keeps them anew."""
        self.db.execute("DELETE FROM meta WHERE key = 'records'")

    def pages_showing(self, source_paths: Iterable[str]) -> dict[int, list[str]]:
        """Page number → the given articles that page shows."""
        shown: dict[int, list[str]] = {}
        for path, page in rows_for(self.db, "SELECT source_path, page FROM shown_in WHERE source_path IN ({})", source_paths, tuple):
            shown.setdefault(page, []).append(path)
        return shown

    def planned_pages(self, numbers: Iterable[int]) -> dict[int, str]:
        return dict(rows_for(self.db, "SELECT id, page FROM planned_pages WHERE id IN ({})", numbers, tuple))

    def article_records(self, source_paths: Iterable[str]) -> dict[str, str]:
        return dict(rows_for(self.db, "SELECT source_path, record FROM planned_articles WHERE source_path IN ({})", source_paths, tuple))

    def page_record_rows(self) -> Iterator[tuple[int, str]]:
        """(number, record) of every kept page record, a row at a time."""
        return self.db.execute("SELECT id, page FROM planned_pages")

    def article_record_rows(self) -> Iterator[tuple[str, str]]:
        """(source path, record) of every kept article record, a row at a time."""
        return self.db.execute("SELECT source_path, record FROM planned_articles")

    def record_edit(self, sources: list[tuple[str, tuple[int, int, int, int], str, str | None, str]], bodies: list[tuple[str, str, str]],
                    pages: list[tuple[str, str, str]], layout: list[tuple[str, str, str]], info: dict,
                    problems: tuple[list[tuple[str | None, str]], dict] | None = None) -> None:
        """What an edit rebuild changed (edit.py), in one transaction; `problems`: None when they are as recorded."""
        with self.transaction():
            if problems is not None:
                problem_store.store(self.db, *problems)
            self.store_sources(sources)
            self.store_bodies(bodies)
            self.db.executemany("UPDATE pages SET signature = ?, digest = ? WHERE url = ?", [(s, d, u) for u, s, d in pages])
            self.db.executemany("INSERT OR REPLACE INTO layout VALUES (?, ?, ?)", layout)
            self._put_last_build(info)

    # the last build ------------------------------------------------------------
    def problem_summary(self) -> dict | None:
        """The summary of the last build's problems (problem_store.py); None if not kept."""
        return problem_store.summary(self.db)

    def problem_rows(self, source_paths: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        """The last build's problems naming these files: source path → (place, JSON) in order."""
        return problem_store.rows_of(self.db, source_paths)

    def all_problem_rows(self) -> list[tuple[int, str]]:
        return problem_store.all_rows(self.db)

    def problem_reader(self) -> Callable[[], list[str]]:
        """Reads the last build's problems when called, even once this cache is closed."""
        return problem_store.reader(self.path)

    def last_build(self) -> dict:
        return json.loads(self._meta("last_build") or "{}")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _put_last_build(self, info: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('last_build', ?)", (json.dumps(info, ensure_ascii=False),))

    def mark_dirty(self) -> None:
        """Say the output is being changed in place; cleared by record_build. A build that
        finds it set does not trust the output and writes the whole site anew."""
        self._put_last_build(dict(self.last_build(), dirty=True))

    def mark_sources_ahead(self) -> None:
        """Say the sources' rows now hold files the last build did not build (a build that
        parsed them may still fail); cleared by record_build. An edit rebuild takes the rows
        for what the last build built, so it does not run while this is set (edit.py)."""
        last = self.last_build()
        if not last.get("sources_ahead"):
            self._put_last_build(dict(last, sources_ahead=True))

    def clear_dirty(self) -> None:
        last = self.last_build()
        last.pop("dirty", None)
        self._put_last_build(last)

    def layout(self, paths: dict[str, str] | None = None) -> tuple[str, HexPairs] | None:
        """The last build's layout record (keys.py): its key, and per article its content
        hash and layout digest. `paths` gives back each source path as the build holds it already."""
        key = self._meta("layout")
        if key is None:
            return None
        same = (paths or {}).get
        return key, HexPairs((same(p, p), h, d) for p, h, d in self.db.execute("SELECT source_path, content_hash, digest FROM layout"))

    def layout_key(self) -> str | None:
        return self._meta("layout")

    def layout_rows(self, source_paths: Iterable[str]) -> dict[str, tuple[str, str]]:
        return dict(rows_for(self.db, "SELECT source_path, content_hash, digest FROM layout WHERE source_path IN ({})", source_paths,
                             lambda r: (r[0], (r[1], r[2]))))

    def record_build(self, pages: list[tuple[str, str, str]], files: list[tuple[str, tuple[str, int, int, int]]], info: dict,
                     previous: dict[str, tuple[str, str]] | None = None, layout: tuple[str, dict[str, tuple[str, str]]] | None = None,
                     previous_layout: dict[str, tuple[str, str]] | None = None,
                     problems: tuple[list[tuple[str | None, str]], dict] | None = None) -> None:
        """`previous` is the manifest the build started from (as `pages()` returned it): then
        only the rows that differ are written, which keeps a one-article rebuild's write small.
        `layout` is recorded with the manifest it describes (keys.py), or forgotten."""
        with self.transaction():
            if previous:
                urls = {url for url, _, _ in pages}
                self.db.executemany("DELETE FROM pages WHERE url = ?", [(url,) for url in previous if url not in urls])
                self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                                    [row for row in pages if previous.get(row[0]) != (row[1], row[2])])
            else:
                self.db.execute("DELETE FROM pages")
                self.db.executemany("INSERT INTO pages VALUES (?, ?, ?)", pages)
            self.db.execute("DELETE FROM files")
            self.db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", [(rel, *row) for rel, row in files])
            self._put_last_build(info)
            if problems is not None:  # (path, JSON) of each, and their summary
                problem_store.store(self.db, *problems)
            else:
                problem_store.forget(self.db)
            if layout is None:
                self.db.execute("DELETE FROM meta WHERE key = 'layout'")
                self.db.execute("DELETE FROM layout")
                return
            key, rows = layout
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('layout', ?)", (key,))
            if previous_layout is None:
                self.db.execute("DELETE FROM layout")
                self.db.executemany("INSERT INTO layout VALUES (?, ?, ?)", [(path, h, d) for path, (h, d) in rows.items()])
            else:
                self.db.executemany("DELETE FROM layout WHERE source_path = ?", [(path,) for path in previous_layout if path not in rows])
                self.db.executemany("INSERT OR REPLACE INTO layout VALUES (?, ?, ?)",
                                    [(path, h, d) for path, (h, d) in rows.items() if previous_layout.get(path) != (h, d)])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
