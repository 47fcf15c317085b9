"""One read-only SQLite connection per process: the render workers are forked, and a connection
must not cross a fork (cards.StoredSummaries and fragments.KeptFragments read through it)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class ReadOnlyConnection:
    """A read-only connection to an SQLite file, opened when first asked in each process; never pickled."""

    def __init__(self, path: Path):
        self.path, self._db, self._pid = path, None, 0

    def __call__(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            self._db, self._pid = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True), os.getpid()
        return self._db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db, self._pid = None, 0

    def __getstate__(self) -> dict:
        return {"path": self.path, "_db": None, "_pid": 0}
