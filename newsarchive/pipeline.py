"""The build, stage by stage: discover → load → assemble → plan → render → write."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import content
from .config import Config
from .content import Article, LoadContext, LoadResult, SourceFile
from .errors import BuildError, Problem
from .markup import MarkdownRenderer
from .output import StagingFolder, check_output_dir
from .plan import Page, plan_pages
from .render import render_page
from .site import Site, assemble_site
from .templates import make_environment
from .urls import output_path


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    keep_going: bool = False
    strict: bool = False


@dataclass(frozen=True)
class BuildReport:
    read: int = 0
    built: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason → count
    problems: tuple[Problem, ...] = ()
    pages: int = 0
    files_copied: int = 0
    seconds: float = 0.0
    ok: bool = True
    output_dir: Path | None = None

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
        if self.ok:
            line += f"; wrote {self.pages} pages and copied {self.files_copied} files in {self.seconds:.2f} s"
        else:
            line += f"; {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}, nothing written (the previous site is untouched) after {self.seconds:.2f} s"
        return line


def build(config: Config, options: BuildOptions = BuildOptions()) -> BuildReport:
    started = time.perf_counter()
    check_output_dir(config.output_dir, [config.config_path, config.articles_dir, *config.template_dirs, *config.static_dirs])
    if not config.articles_dir.is_dir():
        raise BuildError(Problem("no articles/ folder", str(config.articles_dir), hint="create it beside config.yaml and put Markdown files in it"))

    sources, assets = content.discover(config.articles_dir)
    static_files = discover_static(config.static_dirs)
    ctx = LoadContext(
        permalink=config.permalink, default_lang=config.language, tz=config.tzinfo, slug_style=config.slug_style,
        asset_paths=frozenset(a.source_path for a in assets), static_paths=frozenset(static_files),
    )
    results = load_articles(sources, ctx, MarkdownRenderer(allow_raw_html=config.allow_raw_html))

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
    problems += collisions
    skipped["with a URL collision"] += dropped

    def report(ok: bool, **extra) -> BuildReport:
        return BuildReport(
            read=len(sources), built=len(articles) if ok else 0, skipped={k: v for k, v in skipped.items() if v},
            problems=tuple(problems), ok=ok, seconds=time.perf_counter() - started, output_dir=config.output_dir, **extra,
        )

    if any(p.is_error for p in problems) and not options.keep_going:
        return report(False)

    try:
        site, pages = plan_site(articles, config)
    except BuildError as exc:
        problems += exc.problems
        clashing = {p.path for p in exc.problems}
        if not options.keep_going or not clashing & {a.source_path for a in articles}:
            return report(False)
        skipped["with a URL collision"] += sum(a.source_path in clashing for a in articles)
        articles = [a for a in articles if a.source_path not in clashing]
        site, pages = plan_site(articles, config)
    problems += site.problems
    if options.strict and problems:
        return report(False)

    env = make_environment(config)
    staging = StagingFolder(config.output_dir)
    try:
        for page in pages:
            output = render_page(page, env)
            staging.write(output.output_path, output.content)
        copy_files(staging, pages, static_files, assets)
        stats = staging.swap_in()
    except BuildError as exc:
        staging.discard()
        problems += exc.problems
        return report(False)
    except OSError as exc:
        staging.discard()
        problems.append(Problem(f"cannot write the site: {exc.strerror or exc}", str(getattr(exc, 'filename', '') or config.output_dir)))
        return report(False)
    except BaseException:
        staging.discard()
        raise
    return report(True, pages=stats.pages, files_copied=stats.files_copied)


def plan_site(articles: list[Article], config: Config) -> tuple[Site, list[Page]]:
    site = assemble_site(articles, taxonomies=config.taxonomies, slug_style=config.slug_style)
    return site, plan_pages(site, config)


def load_articles(sources: list[SourceFile], ctx: LoadContext, renderer: MarkdownRenderer) -> list[LoadResult]:
    results = []
    for source in sources:
        try:
            data = content.read_file(source)
        except OSError as exc:
            results.append(LoadResult(source.source_path, None, (Problem(f"cannot read: {exc.strerror}", source.source_path),)))
            continue
        results.append(content.parse_article(data, source.source_path, ctx, renderer))
    return results


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
            for article in group:
                dropped.add(article.source_path)
            problems.append(Problem(
                f"{len(group)} articles would have the URL {group[0].url}: {names}", group[1].source_path, None,
                "give one of them another 'slug:' in its front matter; a published URL must not change or be overwritten",
            ))
    return [a for a in articles if a.source_path not in dropped], problems, len(dropped)


def discover_static(static_dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Theme files by output path; the site's own static/ wins over the default theme's, file by file."""
    files: dict[str, Path] = {}
    for folder in static_dirs:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                files.setdefault(rel, path)
    return files


def copy_files(staging: StagingFolder, pages: list[Page], static_files: dict[str, Path], assets: list[SourceFile]) -> None:
    """Copy theme and article files; one that would land on a page or on another file is an error."""
    taken = {p.output_path.casefold(): p.origin for p in pages}
    problems = []
    for rel, origin, source in [*((r, f"static/{r}", p) for r, p in static_files.items()),
                                *((a.source_path, f"articles/{a.source_path}", a.abs_path) for a in assets)]:
        key = rel.casefold()
        if key in taken:
            problems.append(Problem(f"{origin} would overwrite {taken[key]} at '{rel}'", origin, hint="rename or move the file"))
            continue
        taken[key] = origin
        staging.copy(rel, source)
    if problems:
        raise BuildError(problems)
