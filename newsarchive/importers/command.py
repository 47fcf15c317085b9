"""The `import` command's work (commands/import_.py is its command-line face): find the inputs,
parse them in parallel, decide paths and "read also" links, then write or show the plan.
Loaded only when `import` runs, so other commands do not pay for its imports."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import replace

from ..config import load_config
from ..errors import Problem, warning
from ..extras import require
from .batch import CrawledImageAt, Progress, find_inputs, image_reader, parse_inputs
from .model import ImportedArticle, ImportSettings, Skipped
from .spool import ArticleSpool
from ..urls import base_path
from .images_policy import RASTER_TYPES, refusal, sniff_raster
from .captures import url_key, with_versions
from .update import commit_updates, discard_updates, plan_updates, prepare_update
from .editions import one_per_text
from .kept_paths import kept_paths, site_hosts
from .staging import Staging, remove_leftovers
from .translation_keys import add_translation_key
from .writer import Entry, entry_of, imported_slug, links_back, plan_file, plan_placements, read_archive, render_file, write_link_back

LIST_LIMIT = 50  # past this many files, the summary says where they went instead of naming each


def run_import(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    settings = ImportSettings(default_lang=config.language, date=args.date, lang=args.lang, source=args.source,
                              section=args.section, drafts=args.drafts, slug_style=config.slug_style)
    inputs, problems = find_inputs(args.paths)
    if any(i.kind != "text" for i in inputs):
        require("trafilatura", "import", "importing saved web pages and WARC crawls")
    if any(i.kind == "warc" for i in inputs):
        require("warcio", "import", "importing WARC crawls")

    if not args.dry_run:
        for leftover in remove_leftovers(config.articles_dir):
            print(f"removed {_articles_dir_shown(config)}/{leftover}, left by an import that was interrupted", file=sys.stderr)
    with ArticleSpool() as spool:
        keep = (site_hosts(config.base_url, args.site_host), base_path(config.base_url)) if args.keep_paths else None
        entries, skipped, images = _parse_all(inputs, settings, args.jobs, spool, problems, keep, config.max_article_bytes)
        index = read_archive(config.articles_dir, config.slug_style, config.language)
        updates, entries, same = plan_updates(entries, index, spool, config.articles_dir)  # later captures of imported pages
        problems += [warning(u.said, f"{_articles_dir_shown(config)}/{u.source_path}") for u in updates if u.text is None]
        updates = [u for u in updates if u.text is not None]
        plan = plan_placements(entries, index, config.slug_style)
        skipped += plan.duplicates
        errors = [p for p in problems if p.is_error]
        for problem in problems:
            print(problem, file=sys.stderr)
        counts = _summary_counts(inputs, skipped, errors, len(problems) - len(errors), sum(p.entry.versions for p in plan.placements))
        new, unchanged, back = len(plan.placements), len(plan.unchanged) + same, links_back(plan, index)
        if errors and not args.keep_going:
            print(f"import failed: {counts(0, new, unchanged)}; nothing was written", file=sys.stderr)
            print("    hint: fix the files named above, or pass --keep-going to import the others", file=sys.stderr)
            return 1
        if args.dry_run:
            _show_plan(plan, index, spool, images, back, _articles_dir_shown(config))
            for update in updates:
                print(f"would update {_articles_dir_shown(config)}/{update.source_path} ({update.said.removeprefix('updated: ')})")
            print(f"dry run: {counts(new, 0, unchanged, verb='would import', linked=len(back))}"
                  + (f"; would update {len(updates)}" if updates else "") + "; nothing was written")
            return 0
        prepared, failed = [], 0
        try:
            for update in updates:  # each written beside its file first: a refusal is known before anything is placed
                try:
                    prepared.append(prepare_update(config.articles_dir, update))
                except OSError as exc:
                    failed += 1
                    print(Problem(f"could not be updated: {exc.strerror or exc}", f"{_articles_dir_shown(config)}/{update.source_path}"), file=sys.stderr)
                    if not args.keep_going:
                        break
            missing = linked = 0
            if not failed or args.keep_going:
                missing, linked, placing_failed = _write_plan(plan, index, spool, images, back, config, args.keep_going,
                                                              lambda: _commit_updates(prepared, config, args.keep_going))
                failed += placing_failed
        finally:
            discard_updates(prepared)  # what is left of them: an update not written
    if failed and not args.keep_going:
        print(f"import failed: {counts(0, new, unchanged, extra_warnings=missing)}; {failed} could not be written; "
              "nothing was written", file=sys.stderr)
        print("    hint: fix what is named above, or pass --keep-going to import the others", file=sys.stderr)
        return 1
    if new > LIST_LIMIT:
        print(f"wrote {new - failed} articles under {_articles_dir_shown(config)}/")
    print("imported: " + counts(new - failed, 0, unchanged, extra_warnings=missing, linked=linked)
          + (f"; updated {len(updates)} with later captures" if updates else "")
          + (f"; {failed} could not be written" if failed else ""))
    return 0


def _parse_all(inputs, settings: ImportSettings, jobs: int, spool: ArticleSpool, problems: list[Problem], keep=None,
               max_bytes: int | None = None):
    """Parse every input (with a progress display); articles go to the spool, one newest capture per URL.
    `keep`: (site hosts, base path) with --keep-paths, so each article keeps its old paths as aliases.
    `max_bytes`: config.yaml's max_article_bytes, which every build would refuse a larger file by."""
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    images = {}
    progress = Progress(sum(i.size for i in inputs), len(inputs))
    try:
        for result in parse_inputs(inputs, settings, jobs, progress):
            if isinstance(result, ImportedArticle):
                if keep:
                    aliases, said = kept_paths([result.captured_url, result.source_url], *keep)
                    result = replace(result, aliases=aliases, warnings=result.warnings + tuple(said))
                problems.extend(warning(text, result.origin) for text in result.warnings)
                too_large = max_bytes and _too_large(result, settings.slug_style, max_bytes)
                if too_large:
                    problems.append(too_large)
                    continue
                entries.append(entry_of(result, spool.put(result)))
            elif isinstance(result, Skipped):
                skipped.append(result)
            elif isinstance(result, CrawledImageAt):
                images[result.url] = result.stored
            else:
                problems.append(result)
    finally:
        progress.close()
    entries, older = _newest_captures(entries, spool)
    entries, editions = one_per_text(entries, spool)  # one story at an address per region (editions.py)
    return entries, skipped + older + editions, images


def _too_large(article: ImportedArticle, slug_style: str, max_bytes: int) -> Problem | None:
    """The file the import would write (its "read also" entries as titles, their longest form), when it
    is over max_article_bytes: imported, it would make every later build fail on it (redteam7)."""
    related = [{"title": r.title, **({"url": r.url} if r.url else {})} for r in article.read_also]
    size = len(render_file(article, imported_slug(article.title, slug_style), related, None).encode("utf-8", "surrogatepass"))
    if size <= max_bytes:
        return None
    return Problem(f"its article would be {size:,} bytes, more than max_article_bytes ({max_bytes:,}), which a build refuses",
                   article.origin, hint="raise max_article_bytes in config.yaml, or import this page's text in parts by hand")


def _show_plan(plan, index, spool: ArticleSpool, images, back, shown: str) -> None:
    image_types = {url: stored.content_type for url, stored in images.items()}
    for placement in plan.placements:
        planned = plan_file(spool.get(placement.entry.ref), placement, plan, index, image_types)
        print(f"would write {shown}/{planned.source_path} (from {planned.article.origin})")
        lead = planned.article.lead_image
        if lead and lead.url in image_types and not planned.image_path:
            print(warning_line(f"{shown}/{planned.source_path}", refusal(image_types[lead.url]) + f" ({lead.url})"), file=sys.stderr)
        if planned.image_path:
            print(f"would write {shown}/{planned.image_path} (lead image {planned.image_url})")
    for source_path, title, slug in back:
        print(f"would link {shown}/{source_path} to {slug} (its \"read also\" {title!r})")
    for source_path, key in plan.keys_back:
        print(f"would add translation_key {key} to {shown}/{source_path}")


def _commit_updates(prepared, config, keep_going: bool) -> int:
    """Rename the prepared updates over their files; how many failed (without keep_going, then none is written)."""
    done, failures = commit_updates(prepared, keep_going)
    for item, exc in failures:
        print(Problem(f"could not be updated: {exc.strerror or exc}", f"{_articles_dir_shown(config)}/{item.update.source_path}"), file=sys.stderr)
    for item in done:
        print(f"{_articles_dir_shown(config)}/{item.update.source_path}: {item.update.said}")
    return len(failures)


def _write_plan(plan, index, spool: ArticleSpool, images, back, config, keep_going: bool, commit=lambda: 0) -> tuple[int, int, int]:
    """Stage every new article (and lead image), place them all, then `commit` the updates of
    existing files, then the links back; (warnings, articles linked back, files that could not
    be written). Without keep_going, one file that cannot be written means none is."""
    shown = _articles_dir_shown(config)
    image_types = {url: stored.content_type for url, stored in images.items()}
    read_image = image_reader(images)
    warned = failed = linked = 0
    origins: dict[str, str] = {}
    with Staging(config.articles_dir) as staging:
        for placement in plan.placements:
            planned = plan_file(spool.get(placement.entry.ref), placement, plan, index, image_types)
            origins[planned.source_path] = planned.article.origin
            lead = planned.article.lead_image
            if lead and lead.url in image_types and not planned.image_path:
                warned += 1
                print(warning_line(f"{shown}/{planned.source_path}", refusal(image_types[lead.url]) + f" ({lead.url})"), file=sys.stderr)
            try:
                staging.add(planned.source_path, planned.text.encode("utf-8"))
                image = read_image(planned.image_url) if planned.image_path else None
                if planned.image_path and image is not None and sniff_raster(image[:64]) in RASTER_TYPES:
                    staging.add(planned.image_path, image)
                elif planned.image_path:
                    warned += 1
                    print(warning_line(f"{shown}/{planned.source_path}", "its lead image could not be read from the crawl"), file=sys.stderr)
            except OSError as exc:
                failed += 1
                print(Problem(f"could not be written: {exc.strerror or exc}", f"{shown}/{planned.source_path}",
                              hint=f"from {planned.article.origin}"), file=sys.stderr)
                if not keep_going:
                    return warned, 0, failed
        placed, failures = staging.place(keep_going)
    for failure in failures:
        failed += 1
        print(Problem(f"could not be written: {failure.reason}", f"{shown}/{failure.source_path}",
                      hint=f"from {origins.get(failure.source_path, 'this import')}"), file=sys.stderr)
    if failures and not keep_going:
        return warned, 0, failed
    not_updated = commit()
    failed += not_updated
    if not_updated and not keep_going:
        staging.undo(placed)
        return warned, 0, failed
    if len(plan.placements) <= LIST_LIMIT:
        for source_path in placed:
            print(f"wrote {shown}/{source_path}")
    for source_path, title, slug in back:
        try:
            changed = write_link_back(config.articles_dir, source_path, title, slug)
        except (OSError, UnicodeDecodeError) as exc:
            warned += 1
            print(warning_line(f"{shown}/{source_path}", f"its \"read also\" {title!r} could not be linked to {slug}: {exc}"), file=sys.stderr)
            continue
        if changed:
            linked += 1
            print(f"linked {shown}/{source_path} to {slug}")
    for source_path, key in plan.keys_back:  # archive articles the new ones translate (translation_keys.py)
        try:
            if add_translation_key(config.articles_dir, source_path, key):
                print(f"grouped {shown}/{source_path} with its translations (translation_key {key})")
        except (OSError, UnicodeDecodeError) as exc:
            warned += 1
            print(warning_line(f"{shown}/{source_path}", f"its translation_key {key} could not be added: {exc}"), file=sys.stderr)
    return warned, linked, failed


def warning_line(path: str, message: str) -> str:
    return str(Problem(message, path, severity="warning"))


def posixpath_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _articles_dir_shown(config) -> str:
    import os
    relative = os.path.relpath(config.articles_dir)
    return relative if not relative.startswith("..") else str(config.articles_dir)


def _newest_captures(articles: list[Entry], spool: ArticleSpool) -> tuple[list[Entry], list[Skipped]]:
    """One article per crawled URL across every WARC: the newest capture, with the earlier texts
    as its versions (captures.py); captures repeating a text are counted as duplicates."""
    groups: dict[str, list[Entry]] = {}
    older: list[Skipped] = []
    kept: list[Entry] = []
    for article in articles:
        if not article.captured:
            kept.append(article)
        else:
            groups.setdefault(url_key(article.url) if article.url else article.origin, []).append(article)
    for group in groups.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        newest, duplicates = with_versions([spool.get(entry.ref) for entry in group])
        older += duplicates
        kept.append(entry_of(newest, spool.put(newest)))
    return kept, older


def _summary_counts(inputs, skipped: list[Skipped], errors: list[Problem], warnings_count: int, versions: int = 0):
    files = sum(1 for i in inputs)
    crawls = sum(1 for i in inputs if i.kind == "warc")
    problems = Counter(_problem_label(p) for p in errors)
    reasons = Counter(s.reason for s in skipped)

    def text(imported: int, would: int, unchanged: int, verb: str = "imported", extra_warnings: int = 0, linked: int = 0) -> str:
        read = f"read {files} file{'s' if files != 1 else ''}"
        if crawls:
            read += f" ({crawls} WARC)"
        parts = [read, f"{verb} {imported or would}"]
        if versions:  # earlier texts of pages captured several times (captures.py)
            parts[-1] += f" (with {versions} earlier version{'s' if versions != 1 else ''})"
        if unchanged:
            parts.append(f"{unchanged} already imported")
        if linked:
            parts.append(f"{'would link' if verb != 'imported' else 'linked'} {linked} earlier article{'s' if linked != 1 else ''} to them")
        both = problems + reasons
        total = sum(both.values())
        label = f"skipped {total}"
        if total:
            label += " (" + ", ".join(f"{n} {reason}" for reason, n in sorted(both.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
        parts.append(label)
        return ", ".join(parts) + f"; {warnings_count + extra_warnings} warning{'s' if warnings_count + extra_warnings != 1 else ''}"
    return text


def _problem_label(problem: Problem) -> str:
    message = problem.message
    if message == "the file is empty":
        return "empty"
    if "and no text" in message:
        return "no text"
    if message.startswith("no date") or message.startswith("no publication date"):
        return "no date"
    if message.startswith("damaged WARC"):
        return "damaged WARC"
    if message.startswith("not valid UTF-8"):
        return "not UTF-8"
    return "error"
