"""The discover stage: what a build is asked (`BuildOptions`) and what it reads (`Inputs`:
the article files, the other files under articles/, the theme's static files, and the
render key that stands for the code, the config and the templates)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import datetime
from pathlib import Path

from .config import Config
from .errors import Problem
from .filepolicy import publishable
from .hostfiles import HIDDEN_HOST_FILES
from .rebuild.keys import render_key
from .search_paths import SCRIPT as SEARCH_SCRIPT
from .walk import SourceFile, Sources, discover, walk_files


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    keep_going: bool = False
    strict: bool = False
    jobs: int = 1
    full: bool = False  # ignore the cache: parse everything, write the whole site anew
    scheduler: str | None = None  # a Dask scheduler's address: load and render on its workers (executors.py)
    now: datetime | None = None  # the build's now, which embargoes are compared with (clock.py; None: SOURCE_DATE_EPOCH or the clock)


@dataclass(frozen=True)
class Inputs:
    sources: Sources  # the articles
    assets: list[SourceFile]  # other files under articles/
    static_files: dict[str, SourceFile]  # theme files by output path
    render_key: str
    refused: tuple = ()  # symlinks leading outside their folder, names not UTF-8 (safepaths.RefusedLink), never read
    unpublished: tuple = ()  # a warning for each file under articles/ filepolicy keeps off the site

    @property
    def refused_symlinks(self) -> int:
        """What the build's summary line counts: the refused symlinks (a name not UTF-8 has its warning only)."""
        return sum(r.reason != "name" for r in self.refused)

    @cached_property
    def asset_paths(self) -> frozenset[str]:
        """The files under articles/ that are not articles, by path: what images and body links resolve against."""
        return frozenset(a.source_path for a in self.assets)

    @cached_property
    def static_paths(self) -> frozenset[str]:
        return frozenset(self.static_files)


def discover_inputs(config: Config, options: BuildOptions) -> Inputs:
    refused: list = []
    sources, assets = discover(config.articles_dir, refused, options.jobs)
    assets, unpublished = publishable(assets, config.cache_dir)
    static_files = discover_static(config.static_dirs, refused, search=config.search)
    return Inputs(sources, assets, static_files, render_key(config, options, refused), tuple(refused), tuple(unpublished))


def discover_static(static_dirs: tuple[Path, ...], refused: list | None = None, search: bool = True) -> dict[str, SourceFile]:
    """Theme files by output path; the site's own static/ wins over the default theme's, file by file.
    Without search the search page's script is left out, so no trace of search remains."""
    files: dict[str, SourceFile] = {}
    for folder in static_dirs:
        for item in walk_files(folder, refused=refused, label="static", keep_hidden=HIDDEN_HOST_FILES):
            files.setdefault(item.source_path, item)
    if not search:
        files.pop(SEARCH_SCRIPT, None)
    return files


def refused_link_problems(refused, options: BuildOptions) -> list[Problem]:
    """A symlink leading outside its folder is a warning (an error with --strict)."""
    return [Problem(link.message(), link.path, None, link.hint(), "error" if options.strict else "warning") for link in refused]
