"""The build, stage by stage: discover → load → assemble → plan → render → write.

Every stage but the first and the last is pure. The cache (cache.py) lets a rebuild skip
what did not change: files whose stat and content are unchanged are not parsed again,
pages whose signature is unchanged are not rendered (nor, with an unchanged layout,
digested: incremental.py) again, and rendered pages whose bytes are unchanged are not
written again.
"""
from __future__ import annotations

import gc
import sqlite3
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from .cache import BuildCache, build_lock, lock_owner
from .config import Config
from .content import Article
from .errors import BuildError, Problem
from .executors import Executor, open_executor
from .interrupts import release_after_build
from .incremental import (articles_digest, build_frame, build_state, load_key, state_of, output_identity, output_matches,  # noqa: F401 (their home was here)
                          render_key, check_sources, group_digests, up_to_date)
from .output import check_output_dir
from .walk import SourceFile, Sources, discover, walk_files
from .search import SCRIPT as SEARCH_SCRIPT
from .urls import output_path

STAGES = ("discover", "load", "plan", "render", "search", "write")  # pages are written as they render; "write" is the rest


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    keep_going: bool = False
    strict: bool = False
    jobs: int = 1
    full: bool = False  # ignore the cache: parse everything, write the whole site anew
    scheduler: str | None = None  # a Dask scheduler's address: load and render on its workers (executors.py)


@dataclass(frozen=True)
class BuildReport:
    read: int = 0
    parsed: int = 0  # articles parsed this time; the rest came from the cache
    built: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason → count
    problems: tuple[Problem, ...] = ()
    pages: int = 0  # pages in the site
    written: int = 0  # pages written this time
    files_copied: int = 0
    images_made: int = 0  # images whose versions were made this time (the rest came from .cache/images)
    up_to_date: bool = False
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    ok: bool = True
    output_dir: Path | None = None
    refused_links: int = 0  # symlinks leading outside articles/, static/ or templates/, left out
    from_records: bool = False  # only edited articles' pages, rendered from the last build's records (edit_rebuild.py)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        line = f"read {self.read} articles, built {self.built}, skipped {skipped}" + (f" ({why})" if why else "")
        line += f"; {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}"
        if self.refused_links:
            line += f"; refused {self.refused_links} symlink{'s' if self.refused_links != 1 else ''} leading outside the site's folders"
        if not self.ok:
            errors = len(self.errors)
            return line + f"; {errors} error{'s' if errors != 1 else ''}, nothing written (the previous site is untouched) after {self.seconds:.2f} s"
        if self.up_to_date:
            return line + f"; the site is up to date ({self.pages} pages) after {self.seconds:.2f} s"
        unchanged = self.pages - self.written
        return line + (f"; wrote {self.written} pages" + (f" ({unchanged} unchanged)" if unchanged else "")
                       + f" and copied {self.files_copied} files in {self.seconds:.2f} s")

    def profile(self) -> str:
        return "  ".join(f"{stage} {self.stage_seconds.get(stage, 0.0):.2f} s" for stage in STAGES)


class StageClock:
    """Wall seconds per stage, for --profile; `on_stage(name, seconds)` hears of each one as it ends (progress)."""

    def __init__(self, on_stage: Callable[[str, float], None] | None = None):
        self.started = self.mark = time.perf_counter()
        self.seconds: dict[str, float] = {}
        self.on_stage = on_stage

    def stage(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.mark
        self.mark = now
        if self.on_stage:
            self.on_stage(name, now - self.started)

    def total(self) -> float:
        return time.perf_counter() - self.started


def build(config: Config, options: BuildOptions = BuildOptions(),
          on_stage: Callable[[str, float], None] | None = None) -> BuildReport:
    check_output_dir(config.output_dir, [config.config_path, config.articles_dir, *config.template_dirs, *config.static_dirs])
    if not config.articles_dir.is_dir():
        raise BuildError(Problem("no articles/ folder", str(config.articles_dir), hint="create it beside config.yaml and put Markdown files in it"))
    with build_lock(config.cache_dir) as free:
        if not free:
            owner = lock_owner(config.cache_dir / "build.lock")
            raise BuildError(Problem("another build of this site is running" + (f" (process {owner})" if owner else ""), str(config.config_path),
                                     hint="wait for it to finish, then build again"))
        cache = BuildCache(config.cache_dir, load_key(config))
        executor = open_executor(options.jobs, options.scheduler)
        try:
            with release_after_build():
                try:
                    return _build(config, options, cache, StageClock(on_stage), executor)
                except sqlite3.DatabaseError:  # the cache file is damaged: never trust it, build everything anew
                    cache.reset("the cache file was damaged")
                    return _build(config, replace(options, full=True), cache, StageClock(on_stage), executor)
        except sqlite3.DatabaseError as exc:
            raise BuildError(Problem(f"cannot use the build cache: {exc}", str(cache.path),
                                     hint="delete the .cache folder beside config.yaml and build again")) from None
        finally:
            executor.close()
            cache.close()
            gc.unfreeze()  # see _frozen_afterwards


@dataclass(frozen=True)
class Inputs:
    sources: Sources  # the articles
    assets: list[SourceFile]  # other files under articles/
    static_files: dict[str, SourceFile]  # theme files by output path
    render_key: str
    refused: tuple = ()  # symlinks leading outside their folder (safepaths.RefusedLink), never read


def _build(config: Config, options: BuildOptions, cache: BuildCache, clock: StageClock, executor: Executor) -> BuildReport:
    refused: list = []
    sources, assets = discover(config.articles_dir, refused, options.jobs)
    inputs = Inputs(sources, assets, discover_static(config.static_dirs, refused, search=config.search),
                    render_key(config, options, refused), tuple(refused))
    last = cache.last_build()
    output_ok = output_matches(config.output_dir, last)
    check = check_sources(inputs, last, cache, options) if output_ok and not options.full else None
    clock.stage("discover")
    if up_to_date(inputs, last, cache, config, options, check):
        problems = tuple(Problem(**p) for p in last["problems"])
        return BuildReport(
            read=len(sources), built=last["built"], skipped=last["skipped"], problems=problems, refused_links=len(refused),
            ok=not (options.strict and problems), up_to_date=True, pages=last["pages"], seconds=clock.total(),
            stage_seconds=clock.seconds, output_dir=config.output_dir,
        )

    if check is not None:
        from .edit_rebuild import rebuild_edited
        edited = rebuild_edited(config, options, cache, inputs, last, check)
        if edited is not None:
            clock.stage("render")
            return BuildReport(
                read=len(sources), parsed=edited.parsed, built=last["built"], skipped=last["skipped"],
                problems=tuple(Problem(**p) for p in edited.problems), refused_links=len(refused), pages=last["pages"],
                written=edited.written, seconds=clock.total(), stage_seconds=clock.seconds, output_dir=config.output_dir,
                from_records=True,
            )
    del check

    # Imported past the up-to-date check, which so needs neither Markdown, Jinja nor Babel.
    from .images import ImageWork
    from .incremental import collector_paused, recorded_layout, signer, site_layout
    from .load import CachedRows, load_articles
    from .plan import plan_pages
    from .publish import publish
    from .related import Suggestions, read_suggestions, write_suggestions
    from .site import assemble_site

    image_work = ImageWork(assets, config.cache_dir, options.jobs)  # forks its workers before loading does
    cached = {} if options.full else CachedRows(cache)  # read as loading goes, never all at once
    with _frozen_afterwards(), collector_paused(bool(cached)):
        loaded = load_articles(sources, cached, config, cache, executor)
        articles, problems, skipped = select_articles(loaded.results, options)
        parsed, articles_state = loaded.parsed, articles_digest(loaded.hashes)
        del loaded  # its results and hashes take 0.15 KiB an article until the build ends
    images = image_work.collect()
    problems += images.problems
    problems[:0] = refused_link_problems(inputs.refused, options)
    clock.stage("load")

    def report(ok: bool, **extra) -> BuildReport:
        return BuildReport(
            read=len(sources), parsed=parsed, built=len(articles) if ok else 0, skipped={k: v for k, v in skipped.items() if v},
            problems=tuple(problems), refused_links=len(refused), ok=ok, seconds=clock.total(), stage_seconds=clock.seconds,
            output_dir=config.output_dir, images_made=images.made, **extra,
        )

    if any(p.is_error for p in problems) and not options.keep_going:
        return report(False)

    suggestions_file = config.cache_dir / "related.json"
    paths = {a.source_path: a.source_path for a in articles}  # what the cache and the suggestions file give back shares these
    remembered = None if options.full else read_suggestions(suggestions_file, paths)
    manifest = cache.pages() if output_ok and not options.full else {}
    last_layout = recorded_layout(cache.layout(paths), last) if manifest else None
    del paths

    def plan_site(articles: list[Article]):
        site = assemble_site(articles, taxonomies=config.taxonomies, slug_style=config.slug_style,
                             asset_paths=frozenset(a.source_path for a in assets), static_paths=frozenset(inputs.static_files),
                             images=images.infos, remembered=remembered)
        layout = site_layout(site, inputs.render_key, last_layout)
        sign = signer(site, inputs.render_key, layout, last_layout, manifest)
        return site, plan_pages(site, config, build_key=inputs.render_key, sign=sign), layout

    try:
        with _frozen_afterwards(), collector_paused(bool(manifest)):
            site, plan, layout = plan_site(articles)
    except BuildError as exc:  # a page path taken twice; with --keep-going the articles involved are left out
        problems += exc.problems
        clashing = {p.path for p in exc.problems}
        if not options.keep_going or not clashing & {a.source_path for a in articles}:
            return report(False)
        skipped["with a URL collision"] += sum(a.source_path in clashing for a in articles)
        articles = [a for a in articles if a.source_path not in clashing]
        site, plan, layout = plan_site(articles)
    if remembered is None or remembered.key != site.suggestions_key:  # keyed by its inputs, so right whatever follows
        write_suggestions(suggestions_file, Suggestions(site.suggestions_key, site.suggested, site.suggestion_inputs))
    # written, so let go before pages render: in the one Site the plan holds too (0.2 KiB an article)
    object.__setattr__(site, "suggestion_inputs", ())
    remembered = None
    problems += site.problems
    from .site import check_links_to_pages
    problems += check_links_to_pages(site.articles, {unquote(url) for url in plan.signatures}, frozenset(a.source_path for a in assets),
                                     frozenset(inputs.static_files))
    clock.stage("plan")
    if options.strict and problems:
        return report(False)

    try:
        published_assets = [images.replaced.get(a.source_path, a) for a in assets] + images.files
        published = publish(plan, site, config, cache, inputs.static_files, published_assets, manifest, executor, clock)
    except BuildError as exc:
        problems += exc.problems
        return report(False)
    except OSError as exc:
        problems.append(Problem(f"cannot write the site: {exc.strerror or exc}", str(getattr(exc, "filename", "") or config.output_dir)))
        return report(False)
    frame = build_frame(inputs, options)
    cache.record_build(
        [(p.url, plan.signatures[p.url], published.digests.get(p.url) or manifest[p.url][1]) for p in plan.pages],
        list(published.files.items()),
        {"frame": frame, "articles": f"{articles_state:032x}", "state": state_of(frame, articles_state), "sources": group_digests(sources),
         "output": output_identity(config.output_dir.resolve()),
         "layout": layout.key, "pages": len(plan.pages), "built": len(articles), "skipped": {k: v for k, v in skipped.items() if v},
         "problems": [asdict(p) for p in problems]},
        previous=manifest, layout=(layout.key, layout.articles), previous_layout=last_layout.articles if last_layout else None,
    )
    from .edit_rebuild import keep_records
    keep_records(cache, site, plan, layout.key)
    clock.stage("write")
    return report(True, pages=len(plan.pages), written=published.written, files_copied=published.copied)


@contextmanager
def _frozen_afterwards():
    """What loading and planning make lives as long as the build, so once made it is frozen
    out of the cyclic garbage collector's sight until the build ends; otherwise every full
    collection walks all of it again (a quarter of a 10⁴-article rebuild's time, finding
    next to nothing). The collector keeps running meanwhile: pausing it too saved another
    0.05 s there but let some garbage pile up (+6 % peak memory)."""
    try:
        yield
    finally:
        gc.freeze()


def select_articles(results: list, options: BuildOptions) -> tuple[list[Article], list[Problem], Counter]:
    """The articles to build, every problem found while loading, and what was skipped and why."""
    problems: list[Problem] = [p for r in results for p in r.problems]
    skipped: Counter = Counter()
    articles: list[Article] = []
    for result in results:
        if result.article is None:
            skipped["with errors"] += 1
        elif result.article.draft and not options.drafts:
            skipped["drafts"] += 1
        else:
            articles.append(result.article)
    articles, collisions, dropped = drop_url_collisions(articles)
    skipped["with a URL collision"] += dropped
    return articles, problems + collisions, skipped


def drop_url_collisions(articles: list[Article]) -> tuple[list[Article], list[Problem], int]:
    """Two articles with one URL are both left out and named: neither silently wins."""
    by_path: dict[str, list[Article]] = {}
    for article in articles:
        by_path.setdefault(output_path(article.url).casefold(), []).append(article)
    problems = []
    dropped = set()
    for group in by_path.values():
        if len(group) > 1:
            names = " and ".join(a.source_path for a in group)
            dropped.update(a.source_path for a in group)
            problems.append(Problem(
                f"{len(group)} articles would have the URL {group[0].url}: {names}", group[1].source_path, None,
                "give one of them another 'slug:' in its front matter; a published URL must not change or be overwritten",
            ))
    return [a for a in articles if a.source_path not in dropped], problems, len(dropped)


def discover_static(static_dirs: tuple[Path, ...], refused: list | None = None, search: bool = True) -> dict[str, SourceFile]:
    """Theme files by output path; the site's own static/ wins over the default theme's, file by file.
    Without search the search page's script is left out, so no trace of search remains."""
    files: dict[str, SourceFile] = {}
    for folder in static_dirs:
        for item in walk_files(folder, refused=refused, label="static"):
            files.setdefault(item.source_path, item)
    if not search:
        files.pop(SEARCH_SCRIPT, None)
    return files


def refused_link_problems(refused, options: BuildOptions) -> list[Problem]:
    """A symlink leading outside its folder is a warning (an error with --strict)."""
    return [Problem(link.message(), link.path, None, link.hint(), "error" if options.strict else "warning") for link in refused]

