"""The build cache in `.cache/` beside the config: what was loaded and what was written.

One SQLite file (stdlib, stays fast at 10⁶ rows). It is only ever an accelerator: a
missing, foreign or outdated cache is detected when it is opened (its key covers the
package's code, so another version starts afresh), a damaged one when a read meets the
damage (SQLite raises DatabaseError; pipeline.build then starts afresh), and deleting
`.cache/` by hand is always safe. The file is not checked whole at every open: that read
would cost more than a rebuild with nothing to do.

Tables:
  sources  an article file's stat, content hash and loaded metadata (or its problems)
  bodies   the rendered body HTML of each article, read only when a page needs it
  pages    the last build's pages: URL → signature of its inputs, digest of its bytes, and
           for a page showing articles its plan (graph.py)
  articles per article built, its content hash and layout digest (keys.py; the key is in
           meta), and its record: what its card and page take from the rest of the site
  shows    the rebuild graph: page → (article, role) it shows (graph.py, shown.py)
  files    copied static and article files: output path → size, mtime and ctime of the source
  problems the last build's problems, one row each (problem_store.py)
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Container, Iterable, Iterator, Mapping

from . import problem_store
from ..hexpairs import HexPairs

SCHEMA_VERSION = "6"  # 4: the graph (pages.plan, articles, shows); 5: files.ctime_ns; 6: the triggers on shows
APPLICATION_ID = 0x4E415243  # "NARC": tells our cache from any other SQLite file
FILENAME = "build.sqlite"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    source_path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,
    content_hash TEXT NOT NULL, article TEXT, problems TEXT NOT NULL
);
CREATE TABLE bodies (source_path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, html TEXT NOT NULL);
CREATE TABLE pages (url TEXT PRIMARY KEY, signature TEXT NOT NULL, digest TEXT NOT NULL, plan TEXT);
CREATE TABLE articles (source_path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, layout TEXT NOT NULL, record TEXT);
CREATE TABLE shows (source_path TEXT NOT NULL, role TEXT NOT NULL, url TEXT NOT NULL);
CREATE TABLE files (output_path TEXT PRIMARY KEY, source TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER);
-- What a no-change or edit rebuild reads of every source, apart from the articles' JSON: the
-- check scans this index (0.2 KiB a row) instead of the table (2 KiB and more a row).
CREATE INDEX sources_stat ON sources (source_path, size, mtime_ns, ctime_ns, inode, content_hash);
"""
# Written whole, the graph's rows go in before its indexes (a sort, several times quicker than
# keeping them in order row by row) and its triggers (a DELETE with none empties the table at once).
# A row deleted or changed while a graph is kept (the records key set) was not a build's doing
# (store_graph unsets the key first): the graph is no longer trusted, and the next build says so.
_SHOWS_EXTRAS = {"shows_article": "CREATE INDEX shows_article ON shows (source_path, role, url)",
                 "shows_page": "CREATE INDEX shows_page ON shows (url)",
                 **{f"shows_{event}d": f"CREATE TRIGGER shows_{event}d AFTER {event.upper()} ON shows WHEN "
                    "(SELECT 1 FROM meta WHERE key = 'records') BEGIN DELETE FROM meta WHERE key = 'records'; "
                    "INSERT OR REPLACE INTO meta VALUES ('graph_changed', 'shows'); END" for event in ("delete", "update")}}
_SOURCE_COLUMNS = "source_path, size, mtime_ns, ctime_ns, inode, content_hash, article, problems"


def remove_database(path: Path) -> None:
    """Delete an SQLite file and its journal, WAL and shared-memory files (a damaged or stale cache)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def rows_for(db: sqlite3.Connection, query: str, keys: Iterable, row: Callable = tuple) -> Iterator:
    """The rows of `query` (its `IN ({})` filled with one parameter per key) for all `keys`,
    asked a few hundred keys at a time: SQLite allows a few hundred parameters per statement."""
    keys = list(keys)
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        yield from map(row, db.execute(query.format(",".join("?" * len(part))), part))


def _pair(r: tuple) -> tuple:
    """A (key, a, b) row as (key, (a, b))."""
    return r[0], (r[1], r[2])


@dataclass(frozen=True)
class CachedSource:
    stat: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    content_hash: str
    article: str | None  # JSON
    problems: str  # JSON

    @classmethod
    def row(cls, r: tuple) -> tuple[str, CachedSource]:
        return r[0], cls((r[1], r[2], r[3], r[4]), r[5], r[6], r[7])


class CachedRows:
    """The cache's article records, read one at a time as the build goes through them
    (all at once, they are a few gigabytes of JSON at 10⁶ articles)."""

    def __init__(self, cache: BuildCache):
        self._db = cache.db

    def __bool__(self) -> bool:
        return self._db.execute("SELECT 1 FROM sources LIMIT 1").fetchone() is not None

    def items(self) -> Iterator[tuple[str, CachedSource]]:
        return map(CachedSource.row, self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources"))


class BuildCache:
    """An open cache; `key` covers everything that changes how a file loads (the package's
    code, parse-relevant config), so a different key empties the cache."""

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
            if db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('schema', 'key')").fetchall())
                if rows == {"schema": SCHEMA_VERSION, "key": self.key}:
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
        remove_database(self.path)
        db = self._connect()
        db.executescript(_SCHEMA + ";".join(_SHOWS_EXTRAS.values()))
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("key", self.key)])
        db.commit()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _put_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _write_changes(self, table: str, rows: Iterable[tuple[str, str, str]], present: Container[str], previous: Mapping | None,
                       columns: str) -> None:
        """Make `table`'s rows (key, a, b) those given, whose keys are `present`: given the rows it
        holds (`previous`, key → (a, b)), only those that differ are written, which keeps a
        one-article rebuild's write small; otherwise all of them. Its other columns are left as they are."""
        key = {"pages": "url", "articles": "source_path"}[table]
        if previous is None:
            self.db.execute(f"DELETE FROM {table}")
        else:
            self.db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in previous if k not in present])
        self.db.executemany(f"INSERT INTO {table} ({key}, {columns}) VALUES (?, ?, ?) ON CONFLICT ({key}) DO UPDATE SET "
                            + ", ".join(f"{c} = excluded.{c}" for c in columns.split(", ")),
                            [row for row in rows if previous is None or previous.get(row[0]) != row[1:]])

    # sources -----------------------------------------------------------------
    def source_stats(self, below: Iterable[str] | None = None) -> dict[str, tuple[tuple[int, int, int, int], str]]:
        """Stat and content hash by source path: enough to tell that nothing changed. All of
        them, or those of the files below the given folders (each read as the range of paths
        under it; the top folder "" is all of them)."""
        query = "SELECT source_path, size, mtime_ns, ctime_ns, inode, content_hash FROM sources"
        found = {}
        for folder in [""] if below is None else below:
            rows = self.db.execute(query + " WHERE source_path > ? AND source_path < ?", (folder + "/", folder + "0")) if folder else self.db.execute(query)
            found.update((r[0], ((r[1], r[2], r[3], r[4]), r[5])) for r in rows)
        return found

    def source_rows(self, source_paths: Iterable[str]) -> dict[str, CachedSource]:
        return dict(rows_for(self.db, f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE source_path IN ({{}})", source_paths,
                             CachedSource.row))

    def store_sources(self, rows: Iterable[tuple[str, tuple[int, int, int, int], str, str | None, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(p, *stat, h, a, pr) for p, stat, h, a, pr in rows])

    def forget_sources(self, source_paths: Iterable[str]) -> None:
        paths = [(p,) for p in source_paths]
        self.db.executemany("DELETE FROM sources WHERE source_path = ?", paths)
        self.db.executemany("DELETE FROM bodies WHERE source_path = ?", paths)

    def store_bodies(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", rows)

    # pages and files -----------------------------------------------------------
    def pages(self) -> HexPairs:
        """The manifest: URL → (signature, digest)."""
        return HexPairs(self.db.execute("SELECT url, signature, digest FROM pages"))

    def page_urls(self) -> list[str]:
        return [url for (url,) in self.db.execute("SELECT url FROM pages")]

    def files(self) -> dict[str, tuple[str, int, int, int]]:
        return {p: (s, size, m, c) for p, s, size, m, c in self.db.execute("SELECT output_path, source, size, mtime_ns, ctime_ns FROM files")}

    # the articles' layout (keys.py) ---------------------------------------------
    def layout_key(self) -> str | None:
        return self._meta("layout")

    def layout(self, paths: dict[str, str] | None = None) -> tuple[str, HexPairs] | None:
        """The last build's layout record (keys.py): its key, and per article its content
        hash and layout digest. `paths` gives back each source path as the build holds it already."""
        key = self._meta("layout")
        if key is None:
            return None
        same = (paths or {}).get
        return key, HexPairs((same(p, p), h, d) for p, h, d in self.db.execute("SELECT source_path, content_hash, layout FROM articles"))

    def layout_rows(self, source_paths: Iterable[str]) -> dict[str, tuple[str, str]]:
        return dict(rows_for(self.db, "SELECT source_path, content_hash, layout FROM articles WHERE source_path IN ({})", source_paths, _pair))

    # the rebuild graph (graph.py) -------------------------------------------------
    def records_key(self) -> str | None:
        """The layout key the kept graph (plans, shows, article records) was made under, or None."""
        return self._meta("records")

    def graph_changed(self) -> str | None:
        """The table of the kept graph changed by hand since a build kept it (then no longer trusted), or None."""
        return self._meta("graph_changed")

    def forget_records(self) -> None:
        """The kept graph turned out damaged: the next build that plans the site keeps it anew."""
        self._put_meta("records", None)

    def shown_on(self, source_paths: Iterable[str], roles: tuple[str, ...]) -> dict[str, list[str]]:
        """URL → the given articles the page shows in one of `roles`, as the last plan had it."""
        query = f"SELECT url, source_path FROM shows WHERE role IN ({','.join(repr(r) for r in roles)}) AND source_path IN ({{}})"
        shown: dict[str, list[str]] = {}
        for url, path in rows_for(self.db, query, source_paths):
            shown.setdefault(url, []).append(path)
        return shown

    def planned_pages(self, urls: Iterable[str]) -> dict[str, tuple[str, str, str | None]]:
        """URL → (signature, digest, plan) of these pages."""
        return dict(rows_for(self.db, "SELECT url, signature, digest, plan FROM pages WHERE url IN ({})", urls,
                             lambda r: (r[0], r[1:])))

    def page_plans(self) -> Iterator[tuple[str, str]]:
        """(URL, plan) of every page kept with a plan, a row at a time."""
        return self.db.execute("SELECT url, plan FROM pages WHERE plan IS NOT NULL")

    def article_records(self, source_paths: Iterable[str] | None = None) -> dict[str, str] | Iterator[tuple[str, str]]:
        """Source path → record of these articles; of every article (None), rows read one at a time."""
        if source_paths is None:
            return self.db.execute("SELECT source_path, record FROM articles WHERE record IS NOT NULL")
        return dict(rows_for(self.db, "SELECT source_path, record FROM articles WHERE source_path IN ({}) AND record IS NOT NULL",
                             source_paths))

    def record_count(self) -> int:
        """How many articles have a record kept."""
        return self.db.execute("SELECT count(*) FROM articles WHERE record IS NOT NULL").fetchone()[0]

    def store_graph(self, key: str, plans: Iterable[tuple[str, str | None]], shows: Iterable[tuple[str, str, str]],
                    records: Iterable[tuple[str, str]], *, whole: bool) -> None:
        """Keep the graph made under layout `key`: the pages' plans (URL, plan; None: it shows no
        article any more), their rows (source path, role, URL) and the articles' records. `whole`:
        these are all of them, replacing what was kept; else they change it, and the rows of
        the pages given are replaced. The iterables are consumed as they are written."""
        with self.transaction():
            self._put_meta("records", None)
            if whole:
                self.db.execute("UPDATE pages SET plan = NULL WHERE plan IS NOT NULL")
                self.db.execute("UPDATE articles SET record = NULL WHERE record IS NOT NULL")
                for name, statement in _SHOWS_EXTRAS.items():
                    self.db.execute(f"DROP {statement.split()[1]} {name}")
                self.db.execute("DELETE FROM shows")
                self._put_meta("graph_changed", None)
            plans = list(plans)
            if not whole:
                self.db.executemany("DELETE FROM shows WHERE url = ?", [(url,) for url, _ in plans])
            self.db.executemany("UPDATE pages SET plan = ? WHERE url = ?", [(plan, url) for url, plan in plans])
            self.db.executemany("INSERT INTO shows VALUES (?, ?, ?)", shows)
            self.db.executemany("UPDATE articles SET record = ? WHERE source_path = ?", ((text, path) for path, text in records))
            if whole:
                for statement in _SHOWS_EXTRAS.values():
                    self.db.execute(statement)
            self._put_meta("records", key)

    def rekey_graph(self, key: str) -> None:
        """The kept graph holds for layout `key` too (keys.Layout.graph: only the templates differ)."""
        self._put_meta("records", key)

    # a build's record -------------------------------------------------------------
    def record_build(self, pages: list[tuple[str, str, str]], files: list[tuple[str, tuple[str, int, int, int]]], info: dict,
                     previous: dict[str, tuple[str, str]] | None = None, layout: tuple[str, dict[str, tuple[str, str]]] | None = None,
                     previous_layout: dict[str, tuple[str, str]] | None = None,
                     problems: tuple[list[tuple[str | None, str]], dict] | None = None) -> None:
        """The manifest (`pages`: URL, signature, digest), the files copied, the build's info,
        its problems and its `layout` (keys.py). `previous` is the manifest the build started
        from (as `pages()` returned it), `previous_layout` the layout record: then only the rows
        that differ are written. A table written whole loses the graph kept beside it."""
        with self.transaction():
            if not previous or previous_layout is None:
                self._put_meta("records", None)
            self._write_changes("pages", pages, {url for url, _, _ in pages} if previous else (), previous or None,
                                "signature, digest")
            self.db.execute("DELETE FROM files")
            self.db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", [(rel, *row) for rel, row in files])
            self._put_last_build(info)
            if problems is not None:  # (path, JSON) of each, and their summary
                problem_store.store(self.db, *problems)
            else:
                problem_store.forget(self.db)
            self._put_meta("layout", layout and layout[0])
            articles = layout[1] if layout else {}
            self._write_changes("articles", ((path, *pair) for path, pair in articles.items()), articles, previous_layout,
                                "content_hash, layout")

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
            self.db.executemany("UPDATE articles SET content_hash = ?, layout = ? WHERE source_path = ?", [(h, d, p) for p, h, d in layout])
            self._put_last_build(info)

    # the last build (its problems: problem_store.py, on `db`) ---------------------------------
    def last_build(self) -> dict:
        return json.loads(self._meta("last_build") or "{}")

    def _put_last_build(self, info: dict) -> None:
        self._put_meta("last_build", json.dumps(info, ensure_ascii=False))

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
