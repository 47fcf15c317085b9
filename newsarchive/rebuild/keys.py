"""The keys that say what the last build still holds: `load_key` (the article cache),
`render_key` and `build_frame` (every page), `build_state` and the per-folder digests of the
article files (up to date, `up_to_date`), `output_identity`, and the *layout key*
(`site_layout`): a digest of all that pages take from articles other than through their
cards and bodies (order, URLs, titles, dates, terms, images, "read also" links, suggestions,
shown.layout_fields) plus the render key. graph.py says which pages changed under them.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Callable

from .. import parallel
from .store import BuildCache
from ..hexpairs import HexPairs
from ..config import Config
from ..walk import FolderFiles, SourceFile, Sources, read_file, walk_files
from ..output import MARKER
from ..search_paths import index_present as search_index_present
from ..urls import output_path
from ..version import code_digest, package_versions

if TYPE_CHECKING:  # the up-to-date check imports this module, and needs neither the content model, plan nor site
    from ..content import Article
    from ..inputs import BuildOptions, Inputs
    from ..site import Site

def load_key(config: Config) -> str:
    """What changes how a file parses: a different key starts the cache afresh. The cache's
    format (article_codec.CACHE_FORMAT, Article's fields) is the package's code, which
    code_digest covers: so every build opens the cache without importing the content model."""
    versions = package_versions(("markdown", "nh3", "pyyaml", "python-slugify"))
    settings = [config.permalink, config.language, config.timezone, config.slug_style, config.allow_raw_html,
                config.max_article_bytes, config.max_nesting, config.max_article_seconds]
    return _digest(json.dumps([code_digest(), versions, settings]))


def render_key(config: Config, options: BuildOptions, refused: list | None = None) -> str:
    """What changes every page: the generator's code (version.code_digest), the config and the
    templates, the site's own and the default theme's. (The static files every page links to
    enter the build's frame, build_frame: their bytes shape no page.)"""
    templates = []
    for folder in config.template_dirs:
        for item in walk_files(folder, refused=refused, label="templates"):
            templates.append([str(folder), item.source_path, hashlib.blake2b(read_file(item), digest_size=16).hexdigest()])
    return _digest(json.dumps([plan_key(config, options), templates]))


def plan_key(config: Config, options: BuildOptions) -> str:
    """The render key without the templates: what shapes the plan and the rebuild graph (code,
    config, package versions), so a template change keeps the graph (`Layout.graph`)."""
    settings = {k: v for k, v in vars(config).items() if k not in ("config_path", "site_dir", "output_dir", "deploy")}
    versions = package_versions(("jinja2", "babel", "markupsafe"))
    return _digest(json.dumps([code_digest(), versions, repr(settings), options.drafts]))


@dataclass(frozen=True)
class SourceCheck:
    """The walk's article files against the last build's: those that may have changed
    (`candidates`) and the cache's rows to compare them with (`stats`: stat and content hash
    by source path). With a record of the last build's files per group of folders
    (`recorded`), only the groups whose files differ from it are compared row by row: an edit
    in one folder reads that folder's rows, not the archive's. `digests` are the walk's own
    per group, for the next record."""
    candidates: list[SourceFile]
    stats: dict[str, tuple]
    recorded: bool
    digests: dict[str, str]


def check_sources(inputs: Inputs, last: dict, cache: BuildCache, options: BuildOptions) -> SourceCheck | None:
    """None when the frame (templates, config, theme, options) changed: then no check helps."""
    if last.get("frame") != build_frame(inputs, options):
        return None
    current = group_digests(inputs.sources)
    recorded = last.get("sources")
    if not isinstance(recorded, dict):
        return SourceCheck(inputs.sources, cache.source_stats(), False, current)
    groups = {g for g in current.keys() | recorded.keys() if current.get(g) != recorded.get(g)}
    if not groups:
        return SourceCheck([], {}, True, current)
    below = cache.source_stats(groups)
    return SourceCheck(inputs.sources.below(f.prefix for f in inputs.sources.folders if group_of(f.prefix) in groups),
                       {path: row for path, row in below.items() if group_of(path) in groups}, True, current)


def up_to_date(inputs: Inputs, last: dict, cache: BuildCache, config: Config, options: BuildOptions,
               check: SourceCheck | None) -> bool:
    """Nothing changed since the last build and its output is all there: the site would come out the same."""
    if check is None:
        return False
    if check.recorded:
        if check.candidates or check.stats:
            return False
    else:
        if not unchanged_sources(inputs.sources, check.stats):
            return False
        hashes = {s.source_path: check.stats[s.source_path][1] for s in inputs.sources}
        if last.get("state") != build_state(inputs, hashes, options):
            return False
    return outputs_present(config.output_dir, cache, options.jobs) and (not config.search or search_index_present(config.output_dir))


def group_of(source_path: str) -> str:
    """The group of folders a file (or a folder's prefix, "2019/05/slug/") is recorded in: its
    first two folders ("2019/05" for 2019/05/slug/index.md), so that the record stays small
    whatever the layout."""
    return "/".join(source_path.split("/")[:-1][:2])


def group_digests(sources: Sources) -> dict[str, str]:
    """Per group of folders, a digest of its article files' paths and stats, in the walk's
    order; a folder at a time, never a file at a time."""
    groups: dict[str, list[FolderFiles]] = {}
    for folder in sources.folders:
        groups.setdefault(group_of(folder.prefix), []).append(folder)
    return {group: _files_digest(folders) for group, folders in groups.items()}


def _files_digest(folders: list[FolderFiles]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update("\0".join([f.paths() for f in folders]).encode("utf-8", "surrogateescape"))
    digest.update(b"".join([f.stats for f in folders]))
    return digest.hexdigest()


STATS_TO_SHARE = 50_000  # pages: below this a pool of forked helpers costs more (importing multiprocessing) than it saves
STATS_TO_HALVE = 4_096  # pages: from here one bare forked helper takes half (parallel.in_two), wall time halved


def outputs_present(output_dir: Path, cache: BuildCache, jobs: int = 1) -> bool:
    """Every page and file of the last build is still in the output (someone may have deleted
    some): one stat per page, shared out among `jobs` processes when there are many."""
    root = str(output_dir.resolve()) + os.sep
    urls = cache.page_urls()
    present = parallel.map_or_halve(_pages_present, urls, root, jobs if len(urls) >= STATS_TO_SHARE else 1, 4096,
                                    halve=jobs >= 2 and STATS_TO_HALVE <= len(urls) < STATS_TO_SHARE)
    return all(all(chunk) for chunk in present) and all(os.path.isfile(root + rel) for rel in cache.files())


def _pages_present(root: str, urls: list[str]) -> list[bool]:
    """os.path.isfile of each page's file, with the loops in C: one stat per page relative to
    the output folder's descriptor, a URL's path made inline unless it needs unquoting."""
    path_of = output_path.__wrapped__  # each URL once: through the bounded cache, 10⁶ of them would only churn it
    paths = [path_of(url) if "%" in url or url[:1] != "/" or url[:2] == "//" else url[1:] + "index.html" if url[-1] == "/"
             else url[1:] for url in urls]
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return [False]
    try:
        modes = [st.st_mode for st in map(partial(os.stat, dir_fd=fd), paths)]
    except (OSError, ValueError):  # one missing (or unreadable): not all present, as isfile would say
        return [False]
    finally:
        os.close(fd)
    return [all(map(S_ISREG, modes))]


def unchanged_sources(sources: Sources, stats: dict[str, tuple]) -> bool:
    """The same files as last time, none touched since (size, mtime, ctime and inode alike)."""
    return len(stats) == len(sources) and all(
        (hit := stats.get(s.source_path)) is not None and hit[0] == s.stat for s in sources
    )


def build_state(inputs: Inputs, hashes: dict[str, str], options: BuildOptions) -> str:
    """A digest of every input of the build; the same state means the same site."""
    return state_of(build_frame(inputs, options), articles_digest(hashes))


def state_of(frame: str, articles: int) -> str:
    return _digest(f"{frame}\x1f{articles:032x}")


def articles_digest(hashes: dict[str, str]) -> int:
    """Of every article file's path and content hash, in no order: the XOR of a digest per
    file, so an edit updates it from the changed files alone (edit.py)."""
    total = 0
    for path, content_hash in hashes.items():
        total ^= file_digest(path, content_hash)
    return total


def file_digest(path: str, content_hash: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{path}\x1f{content_hash}".encode("utf-8"), digest_size=16).digest(), "big")


def build_frame(inputs: Inputs, options: BuildOptions) -> str:
    """A digest of every input but the articles: generator, config, templates, theme and article files, options."""
    # size, time and change time, as for articles: other bytes at the same size and time (cp -p) are a change
    files = [(a.source_path, a.stat[:3]) for a in inputs.assets]
    files += [(rel, f.stat[:3], f.abs_path) for rel, f in inputs.static_files.items()]
    files += [(link.path, link.target) for link in inputs.refused]
    return _digest(repr([inputs.render_key, files, options.keep_going, options.strict]))


def output_identity(output_dir: Path) -> list:
    """Which folder the last build wrote: its path and inode (a folder deleted and made again is another)."""
    try:
        st = output_dir.stat()
    except FileNotFoundError:
        return []
    return [str(output_dir.resolve()), st.st_dev, st.st_ino]


def output_matches(output_dir: Path, last: dict) -> bool:
    return bool(last) and not last.get("dirty") and (output_dir / MARKER).is_file() and last.get("output") == output_identity(output_dir)


@dataclass(frozen=True)
class Layout:
    """What a build recorded: its layout key and, per article built, its content hash and
    the digest of its layout fields (a function of the file, so an unchanged file's is reused)."""
    key: str
    articles: Mapping[str, tuple[str, str]]  # source path → (content hash, layout digest): cache.HexPairs
    graph: str = ""  # the same digest under the plan key instead of the render key: what the rebuild graph holds for


def recorded_layout(stored: tuple[str, dict] | None, last_build: dict) -> Layout | None:
    """The layout record (cache.layout()), if the build that wrote the manifest wrote it too
    (its key is in that build's info): a build by a version that records no layout leaves an older one."""
    return Layout(*stored) if stored is not None and stored[0] == last_build.get("layout") else None


def layout_digest(article: Article) -> str:
    """A digest of what pages other than the article's own take from it (shown.layout_fields)."""
    from .shown import layout_values  # not at the top: the up-to-date check needs no content model
    return _layout_digest(article, layout_values)


def _layout_digest(article: Article, layout_values: Callable[[Article], tuple]) -> str:
    return _digest(repr(layout_values(article)))


def site_layout(site: Site, build_key: str, last: Layout | None = None, graph_key: str = "") -> Layout:
    """The site's layout key, and its graph key (the same under `graph_key`, keys.plan_key: the
    templates left out); articles whose file is unchanged since `last` reuse their digests."""
    from ..images import info_digest
    from .shown import layout_values
    known = last.articles if last else {}
    articles = HexPairs()
    for article in site.with_pages:
        hit = known.get(article.source_path)
        if hit is None or hit[0] != article.content_hash:
            hit = (article.content_hash, _layout_digest(article, layout_values))
        articles.put(article.source_path, *hit)
    digest = hashlib.blake2b(digest_size=16)
    items, separator = iter(articles.items()), ""
    while chunk := list(islice(items, 4096)):  # the text of all at once would be 0.1 KiB an article
        digest.update((separator + "\x1f".join(f"{path}\x1e{layout}" for path, (_, layout) in chunk)).encode())
        separator = "\x1f"
    digest.update(repr([sorted(site.image_urls.items()), site.suggestions_key,
                        sorted((url, info_digest(info)) for url, info in site.images.items())]).encode())
    shown = digest.hexdigest()
    return Layout(_digest(f"{build_key}\x1f{shown}"), articles, _digest(f"{graph_key}\x1f{shown}"))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
