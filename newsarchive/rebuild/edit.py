"""A rebuild after edits to articles' text alone: the pages showing them, rendered from what
the last build kept, without loading the archive or planning the site again.

Most rebuilds follow an edit of one article's body or summary. Its layout fields
(keys.py: URL, title, language, dates, terms, image, "read also", draft) unchanged, every
page is planned exactly as last time, and only the pages showing the article change: those
the rebuild graph (graph.py) says show it by card or body.
An edit then parses the changed files, compares each one's layout digest with the record,
and renders only the pages showing them, with cards made from the kept records. Anything
else goes the normal way (pipeline.py): a file added, removed or failing; a layout field
changed; a problem found or gone; templates, config, theme or
article files changed; many files changed at once. Warnings do not decide: an edited
article's warnings are found again (its image, its body's links) and take the place of its
last ones, unless it has one the last build did not report (where that goes in the list is
the normal rebuild's to say). With search on, the bundles holding a page whose bytes changed
are indexed again (search_edit.py).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from .. import article_codec, content, walk
from . import problem_store
from .store import BuildCache
from ..config import Config
from ..errors import BuildError, Problem
from .keys import Layout, SourceCheck, file_digest, layout_digest, state_of
from ..problem_digest import RecordedProblems, problem_from_json, updated_problems
from .graph import around_paths, page_from_json, shown_paths
from .shown import BODY, CARD
from ..site import image_info
from ..status import edit_changes_withheld
from ..urls import quote_path

if TYPE_CHECKING:
    from ..inputs import BuildOptions, Inputs

UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError)
MOST_FILES = 200  # more changed files than this: the normal rebuild is as quick


@dataclass(frozen=True)
class EditRebuild:
    parsed: int  # files whose text changed (the others were only touched)
    written: int  # pages whose bytes changed
    problems: RecordedProblems  # the last build's, with the edited articles' as found now


def rebuild_edited(config: Config, options: BuildOptions, cache: BuildCache, inputs: Inputs, last: dict,
                   check: SourceCheck) -> EditRebuild | None:
    """Rebuild after edits that leave every article's layout as it was; None when this cannot
    be told cheaply or does not hold (then the normal rebuild runs, and nothing was written)."""
    if options.full or not last.get("layout") or cache.records_key() != last["layout"]:
        return None
    search_plan = None
    if config.search:  # the bundles holding the edited pages are indexed again (search_edit.py)
        from .search_edit import read_plan
        search_plan = read_plan(config.cache_dir, config.output_dir.resolve(), config.search_bundle_size)
        if search_plan is None:
            return None
    if last.get("sources_ahead"):  # a build since the last one parsed files and failed: its rows are not the last build's
        return None
    stats = check.stats
    if "articles" not in last or len(stats) != len(check.candidates):
        return None
    changed = []
    for source in check.candidates:
        hit = stats.get(source.source_path)
        if hit is None:
            return None
        if hit[0] != source.stat:
            changed.append(source)
            if len(changed) > MOST_FILES:
                return None
    if not changed or cache.layout_key() != last["layout"]:
        return None
    layout = Layout(last["layout"], cache.layout_rows(s.source_path for s in changed))
    summary = problem_store.summary(cache.db)
    if summary is None:
        return None
    before = {path: [(seq, problem_from_json(text)) for seq, text in rows]  # the edited articles' problems alone
              for path, rows in problem_store.rows_of(cache.db, (s.source_path for s in changed)).items()}
    found = _parse_edits(changed, stats, layout, last, config, inputs, cache, before)
    if found is None:
        return None
    edits, fresh = found
    changes = updated_problems(before, fresh)
    if changes is None or (options.strict and sum(summary["counts"]) > sum(p is None for p in changes.values())):
        return None
    if changes:  # an edited article's problem moved or went: the list and its summary are made anew
        now = ((changes[seq] if seq in changes else problem_from_json(text)) for seq, text in problem_store.all_rows(cache.db))
        recorded = RecordedProblems.of(p for p in now if p is not None)
    else:  # as recorded: read one by one only if asked (problem_digest.py)
        recorded = RecordedProblems(summary, problem_store.reader(cache.path))
    try:
        pages = _render_pages(edits, config, cache, inputs, layout, search_plan) if any(e[2] is not None for e in edits.values()) else {}
    except BuildError:  # a template failing on the new text: the normal rebuild reports it
        return None
    if pages is None:
        return None
    articles = int(last["articles"], 16)
    for path, (_, content_hash, _, _, _) in edits.items():
        articles ^= file_digest(path, stats[path][1]) ^ file_digest(path, content_hash)
    cache.record_edit(
        [(path, source.stat, content_hash, article_json, problems_json) for path, (source, content_hash, _, article_json, problems_json) in edits.items()],
        [(path, content_hash, body) for path, (_, content_hash, body, _, _) in edits.items() if body is not None],
        [(url, signature, digest) for url, (signature, digest, _) in pages.items()],
        [(path, content_hash, layout.articles[path][1]) for path, (_, content_hash, _, _, _) in edits.items()],
        dict(last, articles=f"{articles:032x}", state=state_of(last["frame"], articles), sources=check.digests),
        problems=(recorded.rows(), recorded.summary) if changes else None,
    )
    return EditRebuild(parsed=sum(body is not None for _, _, body, _, _ in edits.values()),
                       written=sum(written for _, _, written in pages.values()), problems=recorded)


def _parse_edits(changed, stats, layout: Layout, last: dict, config: Config, inputs: Inputs, cache: BuildCache,
                 before_edit: dict[str, list[tuple[int, Problem]]]):
    """Source path → (file, content hash, new body or None when only touched, article JSON,
    problems JSON), and source path → the article's problems as the normal rebuild would find
    them (None when only touched); None when any edit is more than text."""
    from ..load import load_context, problems_to_json
    from ..markup import MarkdownRenderer
    from ..site import check_body_links, check_links_to_pages, is_related_warning, missing_image, resolve_image
    cached = cache.source_rows(s.source_path for s in changed)
    ctx, renderer = load_context(config), None
    asset_paths, static_paths = inputs.asset_paths, inputs.static_paths
    urls = ArticleURLs(cache)
    edits, fresh = {}, {}
    for source in changed:
        path = source.source_path
        if path not in layout.articles or path not in cached:
            return None
        if cached[path].article is None or cached[path].content_hash != layout.articles[path][0]:  # not the file the last build built
            return None
        try:
            data = walk.read_file(source)
        except OSError:
            return None
        content_hash = content.content_hash(data)
        if content_hash == stats[path][1]:
            edits[path] = (source, content_hash, None, cached[path].article, cached[path].problems)
            fresh[path] = None
            continue
        renderer = renderer or MarkdownRenderer(allow_raw_html=config.allow_raw_html)
        result = content.parse_article(data, path, ctx, renderer)
        article = result.article
        if article is None or any(p.is_error for p in result.problems) or layout_digest(article) != layout.articles[path][1]:
            return None
        if edit_changes_withheld(  # takedowns: which files are published may change
                article, article_codec.article_from_json(cached[path].article).local_links, last.get("withdrawn_files")):
            return None
        before = [problem for _, problem in before_edit.get(path, ())]
        found = list(result.problems)
        if article.image and resolve_image(article.image, path, asset_paths, static_paths) is None:
            found.append(missing_image(article))
        if article.local_links:
            found += check_body_links(article, urls, asset_paths, static_paths)
        found += [p for p in before if is_related_warning(p)]  # "read also" is layout: as it was
        if article.local_links:
            to_pages = check_links_to_pages([article], PageURLs(cache), asset_paths, static_paths)
            if not {p.message for p in to_pages} <= {p.message for p in before}:  # PageURLs may miss a page: the normal rebuild decides
                return None
            found += to_pages
        edits[path] = (source, content_hash, result.body, article_codec.article_to_json(article), problems_to_json(result.problems))
        fresh[path] = found
    return edits, fresh


def _render_pages(edits: dict, config: Config, cache: BuildCache, inputs: Inputs, layout: Layout, search_plan=None):
    """URL → (signature, digest, written) of every page showing an edited article, rendered and
    put in place; None when a record is missing."""
    from ..images import ImageWork
    from ..plan import site_view
    from ..output import write_in_place
    from ..render import Bodies, compile_templates, render_page
    from ..templates import make_environment
    from ..views import around_view, card_view, page_context

    edited = {path: hash_ for path, (_, hash_, body, _, _) in edits.items() if body is not None}
    showing = cache.shown_on(edited, (CARD, BODY))
    manifest = cache.planned_pages(showing)
    try:
        if len(manifest) != len(showing) or any(plan is None for _, _, plan in manifest.values()):
            raise KeyError("a page's plan is missing")
        pages = sorted((page_from_json(plan) for _, _, plan in manifest.values()), key=lambda page: page.url)
        if [page.url for page in pages] != sorted(manifest):
            raise KeyError("a page's plan is not its own")
        wanted = {path for page in pages for path in shown_paths(page)}
        kept = {path: json.loads(text) for path, text in cache.article_records(wanted).items()}
        if len(kept) != len(wanted) or not edited.keys() <= wanted:
            raise KeyError("an article record is missing")
        others = {path for page in pages if page.article for path in around_paths(kept[page.article]["around"])}
    except UNREADABLE:  # a damaged graph: the normal rebuild keeps it anew
        cache.forget_records()
        return None
    needed = wanted | others
    rows = cache.source_rows(needed - edited.keys())
    if len(rows) != len(needed - edited.keys()):  # records naming an article that is not there
        cache.forget_records()
        return None
    try:
        articles = {path: article_codec.article_from_json(rows[path].article) for path in needed - edited.keys()}
        articles |= {path: article_codec.article_from_json(edits[path][3]) for path in needed & edited.keys()}
    except UNREADABLE:  # a damaged cache entry: the normal rebuild parses its file again
        return None
    infos = ImageWork(inputs.assets, config.cache_dir, 1).collect().infos if inputs.assets else {}
    cards = {path: card_view(articles[path], kept[path]["links"], partial(image_info, infos)) for path in wanted}

    env = make_environment(config, config.cache_dir / "templates")
    compile_templates(env, {page.template for page in pages})
    output_dir = config.output_dir.resolve()
    body_of = Bodies(cache.path, ArticleURLs(cache), config.base_url, infos,
                     fresh={path: edits[path][2] for path in edited})
    site_data = site_view(config, cache.last_build().get("corrections"))  # a corrections change is no edit: as the last build had it

    def rendered():
        for page in pages:
            context = page_context(page, lambda path: around_view(kept[path]["around"], articles), config, site_data, cards, body_of)
            yield page.url, page.output_path, render_page(page.template, context, env, url=page.url, origin=page.origin), manifest[page.url][1]

    reindex = None
    if search_plan is not None:
        from .search_edit import reindex as reindex_plan
        reindex = partial(reindex_plan, search_plan, cache, output_dir)
    try:
        written = write_in_place(output_dir, cache, rendered(), reindex)
    finally:
        body_of.close()
    if written is None:
        return None
    done = {}
    for url, (digest, changed) in written.items():  # the signature: the manifest's, with what the edited articles are now
        shown = sorted(f"{path}\x1e{edited[path]}" for path in showing[url])
        signature = hashlib.blake2b("\x1f".join([manifest[url][0], *shown]).encode("utf-8"), digest_size=16).hexdigest()
        done[url] = (signature, digest, changed)
    return done


class PageURLs:
    """Whether a page of the last build has this (unquoted) URL, asked of the cache one link at
    a time. A URL spelled otherwise than the page's is not found: the link is then reported
    and the normal rebuild, which checks against every page, decides."""

    def __init__(self, cache: BuildCache):
        self._cache = cache

    def __contains__(self, url: str) -> bool:
        return bool(self._cache.planned_pages([url]) or self._cache.planned_pages([quote_path(url)]))


class ArticleURLs:
    """Source path → URL of the articles the last build built, read from the cache when asked
    (a body's links to other articles' files), never all at once."""

    def __init__(self, cache: BuildCache):
        self._cache, self._known = cache, {}

    def __contains__(self, path: str) -> bool:
        return self._url(path) is not None

    def __getitem__(self, path: str) -> str:
        url = self._url(path)
        if url is None:
            raise KeyError(path)
        return url

    def _url(self, path: str) -> str | None:
        if path not in self._known and not self._cache.layout_rows([path]):  # not built: a draft, or failing
            self._known[path] = None
        if path not in self._known:
            row = self._cache.source_rows([path]).get(path)
            try:
                self._known[path] = article_codec.article_from_json(row.article).url if row and row.article else None
            except UNREADABLE:
                self._known[path] = None
        return self._known[path]

