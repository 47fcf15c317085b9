"""The build's bookkeeping: what the last build left that this one may reuse, and what this
one leaves for the next. pipeline.py asks it at each stage and never touches the cache itself.

- before loading: whether the site is up to date, or whether only articles' text changed
  (then edit.py renders the pages showing them, and no stage after discover runs);
- while loading: the cached articles (store.CachedRows);
- while planning: the last build's manifest, layout record and suggestions, so that only
  the pages depending on what changed are signed anew (graph.py);
- at the end: the manifest, the layout record, the build's info, and the rebuild graph
  (graph.py) both rebuild paths start from.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Callable, Iterator

from . import problem_store
from .store import BuildCache
from ..config import Config, url_record_digest as record_digest
from ..errors import BuildError, Problem
from ..embargo import EmbargoWindow, held_back, window_holds
from .keys import (Layout, build_frame, check_sources, group_digests, load_key, output_identity,
                   output_matches, plan_key, recorded_layout, site_layout, state_of, up_to_date)
from ..inputs import BuildOptions, Inputs
from ..problem_digest import RecordedProblems
from ..report import BuildReport, StageClock, Tally


@contextmanager
def open_cache(config: Config) -> Iterator[BuildCache]:
    """The cache a build reads and records to (keyed by keys.load_key); one the build cannot
    use even emptied is a BuildError naming it."""
    cache = BuildCache(config.cache_dir, load_key(config))
    try:
        yield cache
    except sqlite3.DatabaseError as exc:
        raise BuildError(Problem(f"cannot use the build cache: {exc}", str(cache.path),
                                 hint="delete the .cache folder beside config.yaml and build again")) from None
    finally:
        cache.close()


def run_build(cache: BuildCache, build: Callable[[bool], BuildReport]) -> BuildReport:
    """`build(False)`; when the cache file turns out damaged, it is never trusted again: emptied,
    and `build(True)` builds everything anew."""
    try:
        return build(False)
    except sqlite3.DatabaseError:
        cache.reset("the cache file was damaged")
        return build(True)


class Books:
    """The cache as this build uses it; `last` is the last build's info (empty when there was none)."""

    def __init__(self, cache: BuildCache, config: Config, options: BuildOptions, inputs: Inputs):
        self.cache, self.config, self.options, self.inputs = cache, config, options, inputs
        self.last = cache.last_build()
        # a record of published URLs changed by hand (or pulled from elsewhere) is planned anew (links.py)
        self.output_ok = output_matches(config.output_dir, self.last) and self.last.get("url_record") == record_digest(config)
        self.manifest: dict = {}
        self.last_layout: Layout | None = None
        self.remembered = None
        self.layout: Layout | None = None
        self.embargo_window = EmbargoWindow()
        self.embargoed: list = []  # the articles held back by an embargo (embargo.py)
        self.signing = None  # how this plan was signed by the kept graph (graph.py)
        self.notes: list[str] = []  # what was found changed by hand (BuildReport.notes)
        if (table := cache.graph_changed()) is not None:  # store.py's triggers: the graph is not used
            self.notes.append(f"the build cache's table `{table}` was changed outside a build: every page is signed anew")

    def without_planning(self, clock: StageClock) -> BuildReport | None:
        """The report of a build that needs neither loading nor planning: nothing changed
        (up to date), or only articles' text (edit.py). None: build the normal way."""
        config, options, inputs, last = self.config, self.options, self.inputs, self.last
        if not self.output_ok or options.full:
            return None
        if not window_holds(last.get("embargo_window"), options.now):  # an embargo passed (or the now moved back): plan anew
            return None
        check = check_sources(inputs, last, self.cache, options)
        common = dict(read=len(inputs.sources), built=last.get("built", 0), skipped=last.get("skipped", {}),
                      refused_links=inputs.refused_symlinks, pages=last.get("pages", 0), output_dir=config.output_dir)
        if up_to_date(inputs, last, self.cache, config, options, check) and (kept := problem_store.summary(self.cache.db)) is not None:
            problems = RecordedProblems(kept, problem_store.reader(self.cache.path))  # read one by one only if asked (problem_digest.py)
            return BuildReport(**common, problems=problems, ok=not (options.strict and problems), up_to_date=True,
                               seconds=clock.total(), stage_seconds=clock.seconds)
        if check is None:
            return None
        from .edit import rebuild_edited
        if last.get("embargoed"):  # an edit may start or stop using a file an embargoed article holds back: plan anew
            return None
        edited = rebuild_edited(config, options, self.cache, inputs, last, check)
        if edited is None:
            return None
        clock.stage("render")
        return BuildReport(**common, parsed=edited.parsed, problems=edited.problems,
                           written=edited.written, seconds=clock.total(), stage_seconds=clock.seconds, from_records=True)

    def note_embargoes(self, results) -> None:
        """The window in which the loaded articles' embargoes hold back the same ones (embargo.py):
        with --drafts none is held back, so no moment changes the site."""
        if not self.options.drafts:
            counted = [r.article for r in results if r.article is not None and not r.article.draft]
            self.embargo_window = EmbargoWindow.around((a.embargo for a in counted), self.options.now)
            self.embargoed = [a for a in counted if held_back(a.embargo, self.options.now)]

    def cached_articles(self):
        """The cache's articles, read as loading goes (never all at once); none for --full."""
        from .store import CachedRows
        return {} if self.options.full else CachedRows(self.cache)

    def read_for_planning(self, source_paths) -> None:
        """The last build's manifest, layout record and suggestions (none for --full, or when the
        output is not the one the last build wrote). What they give back shares `source_paths`' strings."""
        from ..related import read_suggestions
        paths = {path: path for path in source_paths}
        full = self.options.full
        self.remembered = None if full else read_suggestions(self.suggestions_file, paths)
        self.manifest = self.cache.pages() if self.output_ok and not full else {}
        self.last_layout = recorded_layout(self.cache.layout(paths), self.last) if self.manifest else None

    @property
    def suggestions_file(self):
        return self.config.cache_dir / "related.json"

    def signer(self, site):
        """How planning signs the pages: by the kept graph, only those depending on what changed
        are digested (graph.py); without it, every page; when every page renders anyway (no
        manifest, or another render key: a template change), by the render workers (plan.Unsigned)."""
        from ..plan import PageSigner, Unsigned, page_signatures
        from .graph import Signing
        self.layout = site_layout(site, self.inputs.render_key, self.last_layout, plan_key(self.config, self.options))
        last, self.signing = self.last_layout, None
        if last is not None and self.manifest and self.cache.records_key() == last.key and (
                last.key == self.layout.key or self._frame_holds(site)):
            remembered = self.remembered  # the last build's suggestions, if the records were made with them
            before = remembered.by_source if remembered is not None and remembered.key == self.last.get("suggestions") else None
            self.signing = Signing(site, self.inputs.render_key, self.layout, last, self.manifest, self.cache, before)
            return self.signing.sign
        if not self.manifest or self.last.get("render") != self.inputs.render_key:  # every signature differs from the manifest's
            return lambda pages: Unsigned(PageSigner(site, self.inputs.render_key))
        return lambda pages: page_signatures(pages, site, self.inputs.render_key)

    def role_digests(self):
        """The role digests the signer made of the articles (plan.PageSigner), or None: the kept cards' stamps (fragments.py)."""
        signer = getattr(self.signing, "signer", None)
        return signer.digests if signer is not None else None

    def _frame_holds(self, site) -> bool:
        """What every page shows beside the articles (the frame: generator, config, templates,
        files; the /corrections/ link) is as the last build had it."""
        from ..corrections import page_url
        return self.last.get("frame") == build_frame(self.inputs, self.options) and self.last.get("corrections") == page_url(site.articles)

    def keep_suggestions(self, site) -> None:
        """Write the suggestions file when its key changed (keyed by its inputs, so right whatever
        follows), then let go of the inputs before pages render (0.2 KiB an article)."""
        from ..related import Suggestions, write_suggestions
        if self.remembered is None or self.remembered.key != site.suggestions_key:
            write_suggestions(self.suggestions_file, Suggestions(site.suggestions_key, site.suggested, site.suggestion_inputs))
        object.__setattr__(site, "suggestion_inputs", ())  # the Site is shared by the plan: dropped in place
        self.remembered = None

    def record(self, plan, site, published, tally: Tally, articles_state: int, url_record: dict) -> None:
        """What the next build starts from: the manifest, the copied files, this build's info,
        the layout record and the edit rebuild's records; and the record of published URLs
        beside config.yaml (links.py; not for a build with drafts)."""
        from .graph import keep_graph
        from ..links import keep_record
        if published.swept:
            listed = ", ".join(published.swept[:5]) + (f" and {len(published.swept) - 5} more" if len(published.swept) > 5 else "")
            self.notes.append(f"deleted from the output what no build wrote, as --full would: {listed}")
        from ..status import withdrawn_files
        inputs, options, manifest, layout = self.inputs, self.options, self.manifest, self.layout
        frame = build_frame(inputs, options)
        problems = tally.problems = RecordedProblems.of(tally.problems)  # what the terminal and the report show: made once
        url_record_now = record_digest(self.config) if options.drafts else keep_record(self.config, url_record, plan.pages)
        signatures = published.signatures or plan.signatures  # made while rendering, or by planning
        self.cache.record_build(
            [(p.url, signatures[p.url], published.digests.get(p.url) or manifest[p.url][1]) for p in plan.pages],
            list(published.files.items()),
            {"frame": frame, "articles": f"{articles_state:032x}", "state": state_of(frame, articles_state),
             "sources": group_digests(inputs.sources), "output": output_identity(self.config.output_dir.resolve()),
             "layout": layout.key, "graph": layout.graph, "render": inputs.render_key, "pages": len(plan.pages), "built": tally.built,
             "skipped": {k: v for k, v in tally.skipped.items() if v},
             "url_record": url_record_now, "corrections": plan.corrections_url, "suggestions": site.suggestions_key,
             "withdrawn_files": withdrawn_files(site.off_list, inputs.asset_paths, inputs.static_paths),
             "embargo_window": self.embargo_window.to_record(), "embargoed": len(self.embargoed)},
            previous=manifest, layout=(layout.key, layout.articles),
            previous_layout=self.last_layout.articles if self.last_layout else None,
            problems=(problems.rows(), problems.summary),
        )
        kept = self.cache.records_key()
        if self.signing is not None and kept == self.last_layout.key:
            self.signing.keep(layout.key)  # only what changed
        elif self.last_layout is not None and kept == self.last_layout.key and self.last.get("graph") == layout.graph:
            self.cache.rekey_graph(layout.key)  # the same plans and records under other templates (a template change)
        else:
            keep_graph(self.cache, site, plan, layout.key)


