"""The build, stage by stage: discover → load → plan → render, search and write → record.

`_build` is the list of stages; each stage lives in its own module (inputs.py, load.py,
site.py and plan.py, publish.py), and what a rebuild may reuse is the bookkeeping's
(rebuild/books.py: the cache, the last build's records, the edit rebuild). Every stage but the
first and the last is pure.
"""
from __future__ import annotations

import gc
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote

from .rebuild.books import Books, open_cache, run_build
from .clock import build_now
from .config import Config
from .errors import BuildError, BuildLocked, Problem
from .executors import Executor, open_executor
from .inputs import BuildOptions, Inputs, discover_inputs, refused_link_problems
from .interrupts import release_after_build
from .lock import build_lock, lock_owner
from .memory import collector_paused, frozen_afterwards
from .output import check_output_dir
from .report import STAGES, BuildReport, StageClock, Tally
from .embargo import held_back

if TYPE_CHECKING:  # what loading and planning need is imported past the up-to-date check (see load)
    from .content import Article

__all__ = ["STAGES", "BuildOptions", "BuildReport", "Inputs", "build"]


def build(config: Config, options: BuildOptions = BuildOptions(),
          on_stage: Callable[[str, float], None] | None = None) -> BuildReport:
    check_output_dir(config.output_dir, [config.config_path, config.articles_dir, *config.template_dirs, *config.static_dirs])
    if not config.articles_dir.is_dir():
        raise BuildError(Problem("no articles/ folder", str(config.articles_dir), hint="create it beside config.yaml and put Markdown files in it"))
    options = replace(options, now=build_now(options.now))  # one now for the whole build (clock.py)
    with build_lock(config.cache_dir) as free:
        if not free:
            owner = lock_owner(config.cache_dir / "build.lock")
            raise BuildLocked(Problem("another build of this site is running" + (f" (process {owner})" if owner else ""), str(config.config_path),
                                     hint="wait for it to finish, then build again"))
        executor = open_executor(options.jobs, options.scheduler)
        try:
            with open_cache(config) as cache, release_after_build():
                return run_build(cache, lambda full: _build(config, replace(options, full=options.full or full), cache,
                                                            StageClock(on_stage), executor))
        finally:
            executor.close()
            gc.unfreeze()  # see memory.frozen_afterwards


def _build(config: Config, options: BuildOptions, cache, clock: StageClock, executor: Executor) -> BuildReport:
    inputs = discover_inputs(config, options)
    books = Books(cache, config, options, inputs)
    clock.stage("discover")
    if (done := books.without_planning(clock)) is not None:  # up to date, or articles' text edited alone
        return done

    tally = Tally(clock, config.output_dir, read=len(inputs.sources), refused_links=inputs.refused_symlinks)
    articles, images, articles_state = load(inputs, config, options, books, executor, tally)
    clock.stage("load")
    if any(p.is_error for p in tally.problems) and not options.keep_going:
        return tally.report(False)

    from .links import read_record
    books.read_for_planning(a.source_path for a in articles)
    try:
        record = read_record(config, books.last.get("url_record"))  # as the last build wrote it: unchecked
    except BuildError as exc:
        tally.problems += exc.problems
        return tally.report(False)
    planned = plan(articles, inputs, images, config, options, books, tally, record)
    clock.stage("plan")
    if planned is None or (options.strict and tally.problems):
        return tally.report(False)
    written = publish_site(planned, inputs, images, config, options, books, tally, record, cache, executor, clock)
    if written is None:
        return tally.report(False)
    site, site_plan, published = written

    books.record(site_plan, site, published, tally, articles_state, record)
    clock.stage("write")
    return tally.report(True, pages=len(site_plan.pages), written=published.written, files_copied=published.copied,
                        notes=tuple(books.notes))


def load(inputs: Inputs, config: Config, options: BuildOptions, books: Books, executor: Executor, tally: Tally):
    """The articles to build, the images' versions, and the digest of every article file
    (rebuild.keys.articles_digest); problems and what was skipped go to the tally."""
    # Imported past the up-to-date check, which so needs neither Markdown, Jinja nor Babel.
    from .images import ImageWork
    from .rebuild.keys import articles_digest
    from .load import load_articles
    image_work = ImageWork(inputs.assets, config.cache_dir, options.jobs)  # forks its workers before loading does
    cached = books.cached_articles()
    with frozen_afterwards(), collector_paused(bool(cached)):
        loaded = load_articles(inputs.sources, cached, config, books.cache, executor)
        articles, problems, skipped = select_articles(loaded.results, options)
        books.note_embargoes(loaded.results)
        state = articles_digest(loaded.hashes)
        tally.parsed = loaded.parsed
        del loaded  # its results and hashes take 0.15 KiB an article until the build ends
    images = image_work.collect()
    tally.problems += refused_link_problems(inputs.refused, options) + list(inputs.unpublished) + problems + list(images.problems)
    tally.skipped.update(skipped)
    tally.images_made, tally.built = images.made, len(articles)
    return articles, images, state


def plan(articles: list[Article], inputs: Inputs, images, config: Config, options: BuildOptions, books: Books, tally: Tally,
         record: dict):
    """The site, its plan and the articles built, or None when a page path is taken twice
    (with --keep-going the articles involved are left out and the rest planned). `record`:
    the URLs published before (links.py), which keep answering."""
    from .hostfiles import host_pages
    from .status import gone_urls, unnamed_in_host_files, withdrawn_term_urls
    from .links import host_redirects, lasting_pages
    from .plan import plan_pages
    from .site import assemble_site, check_links_to_pages
    asset_paths = inputs.asset_paths

    def plan_site(articles: list[Article]):
        site = assemble_site(articles, taxonomies=config.taxonomies, slug_style=config.slug_style, asset_paths=asset_paths,
                             static_paths=inputs.static_paths, images=images.infos, remembered=books.remembered,
                             base_url=config.base_url)

        def lasting(pages: list) -> list:  # redirects for URLs that would break, and the hosts' files
            kept = lasting_pages(pages, site.with_pages, record, lambda path: (config.articles_dir / path).is_file(),
                                 files=[*inputs.static_files, *asset_paths])
            rules = unnamed_in_host_files(host_redirects(pages + kept, record), withdrawn_term_urls(site))  # takedowns
            return kept + host_pages(config, rules, gone=gone_urls(pages))
        return site, plan_pages(site, config, build_key=inputs.render_key, sign=books.signer(site), more=lasting)
    try:
        with frozen_afterwards(), collector_paused(bool(books.manifest)):
            site, planned = plan_site(articles)
    except BuildError as exc:
        tally.problems += exc.problems
        clashing = {p.path for p in exc.problems}
        if not options.keep_going or not clashing & {a.source_path for a in articles}:
            return None
        tally.skipped["with a URL collision"] += sum(a.source_path in clashing for a in articles)
        articles = [a for a in articles if a.source_path not in clashing]
        site, planned = plan_site(articles)
        tally.built = len(articles)
    books.keep_suggestions(site)
    tally.problems += site.problems
    if not options.keep_going and any(p.is_error for p in site.problems):  # a translation group in error (translations.py)
        return None
    tally.problems += check_links_to_pages(site.with_pages, {unquote(page.url) for page in planned.pages}, asset_paths,
                                           inputs.static_paths)
    return site, planned, articles


def publish_site(planned, inputs: Inputs, images, config: Config, options: BuildOptions, books: Books, tally: Tally,
                 record: dict, cache, executor: Executor, clock: StageClock):
    """Render, index and write the planned site (publish.py gives the clock their stages):
    (site, plan, what was published), or None when it cannot be written. With --keep-going an
    article whose pages cannot be written is left out and the rest planned and written again."""
    from .publish import publish
    from .withholding import published_files
    site, site_plan, articles = planned
    files = [images.replaced.get(a.source_path, a) for a in inputs.assets] + images.files
    while True:
        # not the files only embargoed or withdrawn articles use (withholding.py)
        assets = published_files(files, books.embargoed, site, inputs.asset_paths, inputs.static_paths, images.infos)
        try:
            return site, site_plan, publish(site_plan, site, config, cache, inputs.static_files, assets, books.manifest, executor, clock,
                                                 render_key=inputs.render_key, digests=books.role_digests())
        except BuildError as exc:  # an article whose pages cannot be written
            tally.problems += exc.problems
            unwritable = {p.path for p in exc.problems} & {a.source_path for a in articles}
            if not options.keep_going or not unwritable:
                return None
            tally.skipped["whose pages could not be written"] += len(unwritable)
            articles = [a for a in articles if a.source_path not in unwritable]
            planned = plan(articles, inputs, images, config, options, books, tally, record)
            if planned is None:
                return None
            site, site_plan, articles = planned
        except OSError as exc:
            tally.problems.append(Problem(f"cannot write the site: {exc.strerror or exc}", str(getattr(exc, "filename", "") or config.output_dir)))
            return None


def select_articles(results: list, options: BuildOptions) -> tuple[list[Article], list[Problem], Counter]:
    """The articles to build, every problem found while loading, and what was skipped and why."""
    from .collisions import drop_url_collisions
    problems: list[Problem] = [p for r in results for p in r.problems]
    skipped: Counter = Counter()
    articles: list[Article] = []
    for result in results:
        if result.article is None:
            skipped["with errors"] += 1
        elif result.article.draft and not options.drafts:
            skipped["drafts"] += 1
        elif not options.drafts and held_back(result.article.embargo, options.now):  # embargo.py: left out like a draft
            skipped["under embargo"] += 1
        else:
            articles.append(result.article)
    articles, collisions, dropped = drop_url_collisions(articles)
    skipped["with a URL collision"] += dropped
    return articles, problems + collisions, skipped
