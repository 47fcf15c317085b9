"""Card views by source path, made as pages render and read from the cache where the build
holds an article without its summary (load.KeptArticles): the one part of planning's output
that reads SQLite, kept apart from the plan itself (plan.Plan holds one `Cards`)."""
from __future__ import annotations

from collections import deque
from pathlib import Path

from .rebuild.readonly import ReadOnlyConnection
from .rebuild.store import rows_for
from .article_codec import SUMMARY_FIELD
from .site import Site
from .views import article_card


class Cards(dict):
    """Card views by source path, each made the first time a page needs it, so a rebuild
    that renders a handful of pages makes a handful of cards. An archive of up to
    KEEP_ALL articles keeps every card it made (each article is listed on about ten pages:
    with fewer kept, a template change made each card five times); a larger one keeps the
    last KEEP (the oldest go first), so memory stays flat however large the archive. An article the
    build holds without its summary (load.KeptArticles) has it read from the cache;
    `prepare` reads those a page lists in one query."""

    KEEP = 4096
    KEEP_ALL = 16_384  # cards of about 2 KiB: at most some 32 MiB a process

    def __init__(self, site: Site, cache_path: Path | None = None, by_source: dict | None = None):
        super().__init__()
        self._site = site
        self.articles = by_source if by_source is not None else {a.source_path: a for a in site.with_pages}
        self._summaries = StoredSummaries(cache_path) if cache_path else None
        self._order: deque[str] = deque()  # a dict's oldest key is slow to find once many were deleted
        self._keep = self.KEEP_ALL if len(self.articles) <= self.KEEP_ALL else self.KEEP

    def __missing__(self, source_path: str) -> dict:
        if len(self._order) >= self._keep:
            del self[self._order.popleft()]
        article = self.articles[source_path]
        card = self[source_path] = article_card(article, self._site)
        self._order.append(source_path)
        if article.summary is None:
            card["summary"] = self._summaries(source_path)
        return card

    def prepare(self, source_paths) -> None:
        """Read at once the stored summaries of the cards among `source_paths` not made yet."""
        if self._summaries is not None:
            self._summaries.read_ahead([p for p in source_paths if p not in self and self.articles[p].summary is None])

    def close(self) -> None:
        if self._summaries is not None:
            self._summaries.close()


class StoredSummaries:
    """Article summaries read from the cache's article records, over one read-only
    connection per process (forked renderers open their own)."""

    _QUERY = f"SELECT source_path, json_extract(article, '$[{SUMMARY_FIELD}]') FROM sources WHERE source_path IN ({{}})"

    def __init__(self, cache_path: Path):
        self._connection = ReadOnlyConnection(cache_path)
        self._ahead: dict[str, str] = {}

    def read_ahead(self, source_paths: list[str]) -> None:
        """Keep the summaries of `source_paths` (those of one page) for the calls that follow."""
        self._ahead = dict(rows_for(self._connection(), self._QUERY, source_paths))

    def __call__(self, source_path: str) -> str:
        summary = self._ahead.pop(source_path, None)
        if summary is None:
            row = self._connection().execute(self._QUERY.format("?"), (source_path,)).fetchone()
            summary = row[1]
        return summary

    def close(self) -> None:
        self._connection.close()
        self._ahead = {}

    def __getstate__(self) -> dict:
        return {"_connection": self._connection, "_ahead": {}}
