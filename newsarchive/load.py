"""Articles for a build: from the cache where a file is unchanged, parsed in parallel where not.

Bodies go to the cache as each chunk of parsed files arrives; only metadata stays in
memory. Markdown is imported only when there is something to parse. On a cluster
(executors.py) this process reads each file and sends its bytes with the chunk: workers
need no access to the articles folder.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from datetime import timezone

from . import article_codec, content
from .rebuild.store import BuildCache, CachedRows, CachedSource
from .config import Config
from .content import LoadContext, LoadResult
from .walk import SourceFile, read_file
from .errors import Problem
from .executors import Executor


@dataclass(frozen=True)
class Loaded:
    results: list[LoadResult]  # in the order of the sources
    hashes: dict[str, str]  # source path → content hash of the file
    parsed: int  # how many files were parsed; the rest came from the cache


class KeptArticles:
    """What the build keeps of each loaded article, which lives until the build ends: one
    copy of each value many articles repeat (a tag, a section, a language...), where an
    article arrives from a worker or from the cache's JSON with its own copies; and summaries,
    the largest field, which only the article's card shows, only up to SUMMARIES bytes in
    all: a card whose article came without it reads it from the cache (plan.Cards), one
    query per page, which at 10⁵ articles costs about a tenth of the render stage. At 10⁶
    articles each of the two is most of a gigabyte. A remote executor's workers cannot read
    the cache, so there every summary stays."""

    SUMMARIES = 48 * 2**20  # the summaries of about 100,000 articles of a few sentences

    def __init__(self, keep_summaries: bool = False):
        self._seen: dict = {}
        self._no_extra: dict = {}
        self._keep_summaries = keep_summaries
        self._summary_room = self.SUMMARIES

    def result(self, result: LoadResult | None, source: SourceFile) -> LoadResult | None:
        if result is not None and result.article is not None:
            self.article(result.article, source)
        return result

    def article(self, article, source: SourceFile) -> None:
        share = self._seen.setdefault
        # the article is frozen to the build's code; sharing equal values changes none of them
        put = object.__setattr__
        put(article, "source_path", source.source_path)
        put(article, "lang", share(article.lang, article.lang))
        put(article, "tags", share(article.tags, tuple(share(t, t) for t in article.tags)))
        put(article, "authors", share(article.authors, tuple(share(a, a) for a in article.authors)))
        if article.section is not None:
            put(article, "section", share(article.section, article.section))
        if article.source is not None:
            put(article, "source", share(article.source, article.source))
        put(article, "word_count", share(article.word_count, article.word_count))
        for name in ("date", "updated"):  # a parsed UTC offset is a time zone object apiece
            moment = getattr(article, name)
            if moment is not None and type(moment.tzinfo) is timezone:
                zone = share((timezone, moment.utcoffset(), moment.tzname()), moment.tzinfo)
                if zone is not moment.tzinfo:
                    put(article, name, moment.replace(tzinfo=zone))
        if not article.extra:
            put(article, "extra", self._no_extra)
        if not self._keep_summaries:
            size = sys.getsizeof(article.summary)
            if size <= self._summary_room:
                self._summary_room -= size
            else:
                put(article, "summary", None)


def load_articles(sources: list[SourceFile], cached: dict[str, CachedSource] | CachedRows, config: Config, cache: BuildCache,
                  executor: Executor) -> Loaded:
    results: dict[str, LoadResult] = {}
    hashes: dict[str, str] = {}
    known: dict[str, CachedSource] = {}  # files whose stat changed: parsed again unless their bytes are the same
    gone: list[str] = []
    shared = KeptArticles(keep_summaries=executor.remote)
    by_path = {s.source_path: s for s in sources}
    for path, hit in cached.items():
        source = by_path.get(path)
        if source is None:
            gone.append(path)
            continue
        result = shared.result(from_cache(source.source_path, hit.article, hit.problems), source)
        if result is None:
            continue
        if hit.stat == source.stat:
            results[source.source_path] = result
            hashes[source.source_path] = result.article.content_hash if result.article is not None else hit.content_hash
        else:
            known[source.source_path] = hit
    del by_path
    misses = [s for s in sources if s.source_path not in results]
    parsed = 0
    with cache.transaction():
        if misses or gone:  # the rows get ahead of the last build until this one is recorded
            cache.mark_sources_ahead()
        if misses:
            ctx = load_context(config)
            known_hashes = {path: hit.content_hash for path, hit in known.items()}
            if executor.remote:
                from .remote import MarkdownOnArrival
                state, ship = (ctx, MarkdownOnArrival(config.allow_raw_html), known_hashes), with_bytes
            else:
                from .markup import MarkdownRenderer
                state, ship = (ctx, MarkdownRenderer(allow_raw_html=config.allow_raw_html), known_hashes), None
            position = 0
            for chunk in executor.map_chunks(_load_chunk, misses, state, ship=ship):
                source_rows, body_rows = [], []
                for result, content_hash, article_json, problems_json in chunk:
                    source = misses[position]
                    position += 1
                    if result is None:  # touched, but the same bytes as cached
                        hit = known[source.source_path]
                        result, article_json, problems_json = shared.result(from_cache(source.source_path, hit.article, hit.problems), source), hit.article, hit.problems
                    else:
                        parsed += 1
                        if result.article is not None:
                            body_rows.append((source.source_path, content_hash, result.body))
                            result = shared.result(LoadResult(source.source_path, result.article, result.problems), source)
                            content_hash = result.article.content_hash
                    results[source.source_path] = result
                    hashes[source.source_path] = content_hash
                    source_rows.append((source.source_path, source.stat, content_hash, article_json, problems_json))
                cache.store_sources(source_rows)
                cache.store_bodies(body_rows)
        cache.forget_sources(gone)
    return Loaded([results[s.source_path] for s in sources], hashes, parsed)


def load_context(config: Config) -> LoadContext:
    return LoadContext(permalink=config.permalink, default_lang=config.language, tz=config.tzinfo, slug_style=config.slug_style,
                       max_article_bytes=config.max_article_bytes, max_nesting=config.max_nesting,
                       max_article_seconds=config.max_article_seconds)


def with_bytes(chunk: list[SourceFile]) -> list[tuple[SourceFile, bytes | OSError]]:
    """A chunk as sent to a remote worker: each file with its bytes (or why they could not be read)."""
    shipped = []
    for source in chunk:
        try:
            shipped.append((source, read_file(source)))
        except OSError as exc:
            shipped.append((source, OSError(exc.errno, exc.strerror)))
    return shipped


def _load_chunk(state, chunk: list[SourceFile] | list[tuple[SourceFile, bytes | OSError]]) -> list[tuple]:
    """Per file: (LoadResult or None when the bytes match the cache, content hash, article JSON, problems JSON).
    A chunk holds files to read, or (file, its bytes) pairs from `with_bytes`."""
    ctx, renderer, known = state
    out = []
    for item in chunk:
        source, data = item if type(item) is tuple else (item, None)
        try:
            if data is None:
                data = read_file(source)
            elif isinstance(data, OSError):
                raise data
        except OSError as exc:
            problem = Problem(f"cannot read: {exc.strerror}", source.source_path)
            out.append((LoadResult(source.source_path, None, (problem,)), "", None, problems_to_json([problem])))
            continue
        content_hash = content.content_hash(data)
        if known.get(source.source_path) == content_hash:
            out.append((None, content_hash, None, None))
            continue
        result = content.parse_article(data, source.source_path, ctx, renderer)
        article_json = article_codec.article_to_json(result.article) if result.article else None
        out.append((result, content_hash, article_json, problems_to_json(result.problems)))
    return out


def from_cache(source_path: str, article_json: str | None, problems_json: str) -> LoadResult | None:
    """The cached result, or None when the entry cannot be read back (then the file is parsed again)."""
    try:
        article = article_codec.article_from_json(article_json) if article_json else None
        return LoadResult(source_path, article, problems_from_json(problems_json))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


def problems_to_json(problems) -> str:
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False)


def problems_from_json(text: str) -> tuple[Problem, ...]:
    return () if text == "[]" else tuple(Problem(**p) for p in json.loads(text))
