"""Imported articles wait in an anonymous temporary file until their paths are decided, so a
run's memory holds only a small `Entry` per article, not every article's text."""
from __future__ import annotations

import pickle
import tempfile

from .model import ImportedArticle


class ArticleSpool:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # deleted by the system when closed, even on a crash

    def put(self, article: ImportedArticle) -> int:
        self._file.seek(0, 2)
        ref = self._file.tell()
        pickle.dump(article, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        return ref

    def get(self, ref: int) -> ImportedArticle:
        self._file.seek(ref)
        return pickle.load(self._file)  # our own objects, written by this run

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "ArticleSpool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
