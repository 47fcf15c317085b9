"""Writing a planned site: render the pages that changed, copy the files that changed, and
make the result the output in one commit.

A first build (or one after anything suspicious) writes everything into a staging folder
and swaps it in. A rebuild writes new and changed files beside their final paths under
temporary names, then renames them into place and deletes what the site no longer has;
the cache is marked "dirty" in between, so an interruption there makes the next build a
full one. Any error before the commit leaves the previous site exactly as it was.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from . import search
from .rebuild.store import BuildCache
from .config import Config
from .walk import SourceFile
from .errors import BuildError, Problem
from .executors import Executor
from .hostfiles import MADE_HOST_FILES
from .interrupts import hold_stop_signals
from .output import (MARKER, StagingFolder, WriteTarget, commit_in_place, discard_pending, remove_entries, remove_stale_staging,
                     remove_temporaries, strays, write_file)
from .plan import Plan, Unsigned
from .segments import path_key
from .render import RenderJob, render_pages
from .rebuild.fragments import KeptFragments
from .rebuild.search_edit import keep_plan
from .site import Site
from .templates import make_environment
from .urls import output_path


@dataclass(frozen=True)
class Published:
    written: int  # pages written (the others were unchanged)
    copied: int  # static and article files copied
    digests: dict[str, str]  # url → digest of the page's bytes, for every page rendered
    signatures: dict[str, str]  # url → signature, when the render workers made them (plan.Unsigned), else empty
    files: dict[str, tuple[str, int, int, int]]  # output path → (source file, size, mtime, ctime) of copied files
    swept: tuple[str, ...] = ()  # what no build wrote, found in the output and deleted (output.strays)


def publish(plan: Plan, site: Site, config: Config, cache: BuildCache, static_files: dict[str, SourceFile],
            assets: list[SourceFile], manifest: dict[str, tuple[str, str]], executor: Executor, clock=None,
            render_key: str | None = None, digests=None) -> Published:
    """`manifest` is the last build's (url → signature, digest) when the output can be
    updated in place, empty for a full build. With `render_key`, cards rendered by an earlier
    build under it are read back (rebuild/fragments.py), stamped from `digests` (source path →
    role digests) where planning made them."""
    in_place = bool(manifest)
    output_dir = config.output_dir.resolve()
    remove_stale_staging(output_dir)
    staging = None if in_place else StagingFolder(output_dir)
    target = WriteTarget(output_dir if in_place else staging.path, in_place, tag=str(os.getpid()))
    pending: list[tuple[str, str]] = []
    committing = False
    indexed = None
    swept: list[str] = []
    try:
        if in_place:
            cache.mark_dirty()
        root = str(output_dir) + os.sep
        sign = plan.signatures.sign if isinstance(plan.signatures, Unsigned) else None
        signed: dict[str, str] = {}
        if sign is not None and executor.remote:  # a cluster's workers get no signer: signed here
            signed = {page.url: sign(page) for page in plan.pages}
            plan, sign = replace(plan, signatures=signed), None
        todo = list(range(len(plan.pages))) if sign is not None else [
            i for i, page in enumerate(plan.pages)
            if manifest.get(page.url, ("",))[0] != plan.signatures[page.url] or not os.path.isfile(root + page.output_path)]
        env = make_environment(config, config.cache_dir / "templates")
        job = RenderJob(plan, site, config, env, cache.path, target, manifest, sign)
        if executor.remote:
            from .remote import render_remotely
            rendered = render_remotely(job, todo, executor)
        else:
            if render_key is not None and todo:
                digests = sign.digests if sign is not None else digests  # the render workers sign: their digests
                env.kept_fragments = KeptFragments(config.cache_dir, render_key, site, read=in_place, digests=digests)  # a full build reads none back
            rendered = render_pages(job, todo, executor.jobs)
            if env.kept_fragments is not None:
                env.kept_fragments.close()
        pending += rendered.pending
        if clock:
            clock.stage("render")
        if rendered.problems:
            raise BuildError(rendered.problems)
        previous_files = cache.files() if in_place else {}
        copied, files, copy_pending = copy_files(target, plan, static_files, assets, previous_files)
        pending += copy_pending
        if clock:
            clock.stage("write")
        if config.search:
            indexed = index_search(target, output_dir, plan, site, config, rendered, manifest, pending, executor.jobs)
            pending += indexed.pending
        if clock:
            clock.stage("search")
        hold_stop_signals()
        committing = True
        if in_place:
            produced = {p.output_path for p in plan.pages} | set(files)
            urls = {p.url for p in plan.pages}
            removed = [output_path(url) for url in manifest if url not in urls]
            removed += [rel for rel in previous_files if rel not in files]
            commit_in_place(output_dir, pending, [rel for rel in removed if rel not in produced])
            if indexed:
                search.commit_bundles(output_dir, indexed)
            elif not config.search:
                search.remove_index(output_dir)
            # a file put in by hand goes, as with a full build (one walk of the output: not on the no-change and edit paths, README)
            swept = strays(output_dir, produced | {MARKER}, search.FOLDER if config.search else None)
            remove_entries(output_dir, swept)
        else:
            staging.swap_in()
    except BaseException:
        if committing:  # half committed (or interrupted right after): the cache stays dirty, the next build writes all anew
            raise
        if indexed:
            for _, folder in indexed.folders:
                shutil.rmtree(folder, ignore_errors=True)
        if in_place:
            discard_pending(pending)
            remove_temporaries(output_dir, target.tag)
            cache.clear_dirty()
        else:
            staging.discard()
        raise
    return Published(rendered.written, copied, rendered.digests, rendered.signatures or signed, files, tuple(swept))


def index_search(target: WriteTarget, output_dir: Path, plan: Plan, site: Site, config: Config, rendered,
                 manifest: dict[str, tuple[str, str]], pending: list, jobs: int) -> search.Indexed:
    """The post stage: index the article pages that were just written (or kept) with Pagefind."""
    digests = {a.url: rendered.digests.get(a.url) or manifest[a.url][1] for a in site.articles}
    bundles = search.plan_bundles(site.articles, digests, config.search_bundle_size, output_path)
    keep_plan(config.cache_dir, bundles, config.search_bundle_size)  # for the next edit (search_edit.py)
    return search.index_site(target.root, output_dir, bundles, dict(pending), target.in_place, jobs)


def copy_files(target: WriteTarget, plan: Plan, static_files: dict[str, SourceFile], assets: list[SourceFile],
               previous: dict[str, tuple[str, int, int, int]]) -> tuple[int, dict[str, tuple[str, int, int, int]], list]:
    """Copy theme and article files that changed since the last build; one that would land on
    a page or on another file is an error."""
    taken: dict = {path_key(p.output_path): p for p in plan.pages}  # a page, or the origin of a file copied
    problems, rows, pending = [], {}, []
    copied = 0
    made: set = set()
    for rel, origin, source in [*((r, f"static/{r}", f) for r, f in static_files.items() if r not in MADE_HOST_FILES),
                                *((a.source_path, f"articles/{a.source_path}", a) for a in assets)]:
        key = path_key(rel)
        if key in taken:
            problems.append(Problem(f"{origin} would overwrite {getattr(taken[key], 'origin', taken[key])} at '{rel}'", origin, hint="rename or move the file"))
            continue
        page = taken.get(key + "/index.html")
        if page is not None and not isinstance(page, str):  # the file would stand where a page needs its folder
            problems.append(Problem(f"{origin} is a file at '{rel}', where {page.origin} needs a folder for its page",
                                    page.origin if page.kind == "article" else origin, hint="rename or move the file, or give the article another slug"))
            continue
        taken[key] = origin
        rows[rel] = (source.abs_path, *source.stat[:3])  # the change time too: other bytes at the same size and time
        if previous.get(rel) == rows[rel] and (target.root / rel).is_file():
            continue
        rel, temporary = write_file(target, rel, source=Path(source.abs_path), made_dirs=made)
        copied += 1
        if temporary:
            pending.append((rel, temporary))
    if problems:
        discard_pending(pending)
        raise BuildError(problems)
    return copied, rows, pending
