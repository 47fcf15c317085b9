"""Finding the files: the walk of articles/, of the theme's static folders and of the templates.

At 10⁶ article files the walk is most of what a no-change or one-edit rebuild costs: one
`lstat` per file (5 µs each on the machine BENCHMARKS.md measures) and the Python around
it. So each folder is listed at once, its names' stats are taken in forked processes when
there are many (parallel.py: system calls scale with processes, not with threads), and a
folder's files stay its sorted names beside one bytes object of packed stats
(`FolderFiles`) until someone asks for them one by one.
"""
from __future__ import annotations

import os
import stat as stat_kind
import struct
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, starmap
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from . import parallel
from .safepaths import RefusedLink, link_target, resolves_inside

ARTICLE_SUFFIXES = (".md", ".markdown")  # an article's file (content.py takes it from here: the walk imports no parsing)
_STAT = struct.Struct("<qqqQ")
_PACKED_FIELDS = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")  # pack_stat's, in its order
_MODE = attrgetter("st_mode")
NAMES_PER_TASK = 512  # stat-ed by one worker at a time: small enough to share out, large enough to pay for the message
NAMES_TO_HALVE = 4_096  # names of a level: from here, short of map_chunks' pool, a forked helper stats half (parallel.in_two)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found by a walk. At 10⁶ files each byte here is a megabyte: the folder is one
    string shared by the walk's files, and the stat is packed (four large integers in a
    tuple take three times the room)."""
    source_path: str  # posix, relative to its folder (articles/ or static/)
    folder: str  # absolute
    packed_stat: bytes = bytes(_STAT.size)
    name: str | None = None  # its path below `folder` where that is not `source_path` (a cached image version)

    @property
    def abs_path(self) -> str:
        return f"{self.folder}/{self.name or self.source_path}"

    @property
    def stat(self) -> tuple[int, int, int, int]:
        """Size, mtime_ns, ctime_ns, inode: a file whose stat is unchanged is not read again."""
        return _STAT.unpack(self.packed_stat)


def source_file(source_path: str, folder: str, st: os.stat_result, name: str | None = None) -> SourceFile:
    return SourceFile(source_path, folder, pack_stat(st), name)


def pack_stat(st: os.stat_result) -> bytes:
    return _STAT.pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def read_file(source: SourceFile) -> bytes:
    with open(source.abs_path, "rb") as handle:
        return handle.read()


@dataclass(frozen=True, slots=True)
class FolderFiles:
    """One folder's files as a walk found them: sorted names, and their stats packed side by
    side in one bytes object."""
    prefix: str  # the folder below the walked root, ending in "/" ("" for the root itself)
    names: tuple[str, ...]
    stats: bytes

    def files(self, top: str) -> Iterator[SourceFile]:
        size, prefix, stats = _STAT.size, self.prefix, self.stats
        return (SourceFile(prefix + name, top, stats[i * size:(i + 1) * size]) for i, name in enumerate(self.names))

    def paths(self) -> str:
        """Its files' paths below the root, joined by NUL."""
        return self.prefix + ("\0" + self.prefix).join(self.names) if self.names else ""


class Sources(Sequence[SourceFile]):
    """The article files of a walk, in its order, folder by folder; a `SourceFile` is made
    when one is asked for, so that a rebuild which compares folders makes none for the
    folders that did not change."""

    def __init__(self, top: str, folders: Iterable[FolderFiles]):
        self.top = top
        self.folders = [f for f in folders if f.names]
        self._starts = list(accumulate((len(f.names) for f in self.folders), initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    def __iter__(self) -> Iterator[SourceFile]:
        for folder in self.folders:
            yield from folder.files(self.top)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        at = bisect_right(self._starts, index) - 1
        folder, offset, size = self.folders[at], index - self._starts[at], _STAT.size
        return SourceFile(folder.prefix + folder.names[offset], self.top, folder.stats[offset * size:(offset + 1) * size])

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (Sources, list)) else NotImplemented

    def __repr__(self) -> str:
        return f"Sources({self.top!r}, {len(self)} files in {len(self.folders)} folders)"

    def below(self, prefixes: Iterable[str]) -> list[SourceFile]:
        """The files of the folders whose prefix is in `prefixes`."""
        wanted = set(prefixes)
        return [source for folder in self.folders if folder.prefix in wanted for source in folder.files(self.top)]


def discover(articles_dir: Path, refused: list[RefusedLink] | None = None, jobs: int = 1) -> tuple[Sources, list[SourceFile]]:
    """Articles and other files (images…) under articles/, sorted; hidden entries skipped.
    Symlinks leading outside articles/ are left out and added to `refused`."""
    top = str(articles_dir)
    articles: list[FolderFiles] = []
    assets: list[SourceFile] = []
    size = _STAT.size
    for folder in walk_folders(articles_dir, skip_dir_prefixes=(".", "_"), refused=refused, label="articles", jobs=jobs):
        if _all_articles(folder.names):
            articles.append(folder)
            continue
        is_article = [name.lower().endswith(ARTICLE_SUFFIXES) for name in folder.names]
        picked = [i for i, yes in enumerate(is_article) if yes]
        articles.append(FolderFiles(folder.prefix, tuple(folder.names[i] for i in picked),
                                    b"".join(folder.stats[i * size:(i + 1) * size] for i in picked)))
        assets.extend(source for source, yes in zip(folder.files(top), is_article) if not yes)
    return Sources(top, articles), assets


def _all_articles(names: tuple[str, ...]) -> bool:
    """Every name ends in an article suffix: counted over the joined names (no name holds a
    NUL), not asked of each name, when they are written in lower case."""
    joined = "\0".join(names) + "\0"
    if sum(joined.count(f"{suffix}\0") for suffix in ARTICLE_SUFFIXES) == len(names):
        return True
    return all(name.lower().endswith(ARTICLE_SUFFIXES) for name in names)


def walk_files(root: Path, skip_dir_prefixes: tuple[str, ...] = (".",), refused: list[RefusedLink] | None = None,
               label: str | None = None, keep_hidden: frozenset[str] = frozenset()) -> list[SourceFile]:
    """Every file below `root` with its stat, in `walk_folders`' order."""
    top = str(root)
    return [source for folder in walk_folders(root, skip_dir_prefixes, refused, label, keep_hidden=keep_hidden) for source in folder.files(top)]


@dataclass(slots=True)
class _Folder:
    path: str
    prefix: str
    real: str  # its path with every symlink followed
    walking: frozenset  # real paths of the folders from the root down to this one
    names: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    stats: list[bytes] = field(default_factory=list)
    subfolders: list[_Folder] = field(default_factory=list)


def walk_folders(root: Path, skip_dir_prefixes: tuple[str, ...] = (".",), refused: list[RefusedLink] | None = None,
                 label: str | None = None, jobs: int = 1, names_per_task: int = NAMES_PER_TASK,
                 keep_hidden: frozenset[str] = frozenset()) -> list[FolderFiles]:
    """The folders below `root` that hold files, each with its files: a folder's files by
    name, then its subfolders by name; names starting with '.' (and folders starting with
    `skip_dir_prefixes`) are skipped, but for the names in `keep_hidden` right below `root`.

    A symlink is followed only when its real path stays inside `root` (and, for a folder,
    does not lead back to one being walked); any other is skipped and added to `refused`,
    named `label/path` (label defaults to the folder's name). The folders are walked a
    level at a time, so that one level's stats can be shared out among `jobs` processes."""
    if not root.is_dir():
        return []
    label = label or root.name
    real_root = os.path.realpath(root)
    first = _Folder(str(root), "", real_root, frozenset({real_root}))
    level = [first]
    while level:
        for folder in level:
            names = os.listdir(folder.path)
            if "\0." in "\0" + "\0".join(names):  # some name is hidden (one test per folder, not per name)
                names = [name for name in names if not name.startswith(".") or (folder is first and name in keep_hidden)]
            folder.names = _utf8_names(sorted(names), folder.prefix, refused, label)
        next_level: list[_Folder] = []
        for folder, (stats, others) in zip(level, _stat_level(level, jobs, names_per_task)):
            if not others:
                folder.files, folder.stats = folder.names, [stats]
            else:
                _sort_out(folder, stats, others, skip_dir_prefixes, real_root, refused, label,
                          keep_hidden if folder is first else frozenset())
                next_level.extend(folder.subfolders)
            folder.names = []
        level = next_level
    return _in_walk_order(first)


def _utf8_names(names: list[str], prefix: str, refused: list[RefusedLink] | None, label: str) -> list[str]:
    """`names` less those that are not UTF-8 (os.listdir gives their bytes as lone surrogates, which
    no URL, cache row or terminal line can hold), each refused with its bytes shown escaped."""
    try:
        "".join(names).encode("utf-8")  # one check per folder: names are UTF-8 but for a rare folder
        return names
    except UnicodeEncodeError:
        pass
    kept = []
    for name in names:
        try:
            name.encode("utf-8")
            kept.append(name)
        except UnicodeEncodeError:
            if refused is not None:
                shown = f"{label}/{prefix}{name}".encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                refused.append(RefusedLink(shown, "", "name"))
    return kept


def _stat_level(level: list[_Folder], jobs: int, names_per_task: int) -> list[tuple[bytes, dict[int, int]]]:
    """Per folder: the packed stats of its regular files, in order, and the mode of every
    other name by its position (a folder, a symlink; 0 for a name gone since the listing)."""
    tasks = [(at, folder.path, folder.names[start:start + names_per_task])
             for at, folder in enumerate(level) for start in range(0, len(folder.names), names_per_task)]
    stats: list[list[bytes]] = [[] for _ in level]
    others: list[dict[int, int]] = [{} for _ in level]
    offsets = [0] * len(level)
    done = 0
    halve = jobs >= 2 and len(tasks) < 2 * parallel.MIN_ITEMS_PER_WORKER and sum(len(t[2]) for t in tasks) >= NAMES_TO_HALVE
    for chunk in parallel.map_or_halve(_stat_names, tasks, None, jobs, 64, halve):  # below map_chunks' pool: one bare helper takes half
        for (at, _, names), (packed, odd) in zip(tasks[done:done + len(chunk)], chunk):
            stats[at].append(packed)
            others[at].update((offsets[at] + i, mode) for i, mode in odd)
            offsets[at] += len(names)
        done += len(chunk)
    return [(b"".join(s), o) for s, o in zip(stats, others)]


def _stat_names(_, tasks: Sequence[tuple[int, str, list[str]]]) -> list[tuple[bytes, list[tuple[int, int]]]]:
    """lstat every name, by name in its folder: packed stats of the regular files, and the
    (position, mode) of the rest. The usual folder (all its names regular files, none gone)
    is stat-ed and packed by `map`s (the loops in C); any other, name by name."""
    results = []
    is_regular, pack = stat_kind.S_ISREG, _STAT.pack
    for _, path, names in tasks:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            try:
                stats = list(map(partial(os.lstat, dir_fd=fd), names))
            except FileNotFoundError:
                stats = None
            if stats is not None and all(map(is_regular, map(_MODE, stats))):
                results.append((b"".join(starmap(pack, map(_PACKED_FIELDS, stats))), []))
            else:
                results.append(_stat_one_by_one(fd, names))
        finally:
            os.close(fd)
    return results


def _stat_one_by_one(fd: int, names: list[str]) -> tuple[bytes, list[tuple[int, int]]]:
    packed, odd = [], []
    for i, name in enumerate(names):
        try:
            st = os.lstat(name, dir_fd=fd)
        except FileNotFoundError:
            odd.append((i, 0))
            continue
        if stat_kind.S_ISREG(st.st_mode):
            packed.append(pack_stat(st))
        else:
            odd.append((i, st.st_mode))
    return b"".join(packed), odd


def _sort_out(folder: _Folder, stats: bytes, others: dict[int, int], skip_dir_prefixes: tuple[str, ...],
              real_root: str, refused: list[RefusedLink] | None, label: str, keep_hidden: frozenset[str] = frozenset()) -> None:
    """Share a folder's names between its files and its subfolders, following symlinks that
    stay inside; the regular files between two other names are taken as one run."""
    size, taken, start = _STAT.size, 0, 0
    for i in sorted(others):
        run = folder.names[start:i]
        folder.files.extend(run)
        folder.stats.append(stats[taken * size:(taken + len(run)) * size])
        taken, start = taken + len(run), i + 1
        _sort_out_one(folder, folder.names[i], others[i], skip_dir_prefixes, real_root, refused, label, keep_hidden)
    folder.files.extend(folder.names[start:])
    folder.stats.append(stats[taken * size:])


def _sort_out_one(folder: _Folder, name: str, mode: int, skip_dir_prefixes: tuple[str, ...],
                  real_root: str, refused: list[RefusedLink] | None, label: str, keep_hidden: frozenset[str] = frozenset()) -> None:
    path = f"{folder.path}/{name}"
    linked = stat_kind.S_ISLNK(mode)
    if linked:
        try:
            target = os.stat(path)
        except (OSError, ValueError):
            return  # a broken link or a loop of links: not a file
        mode = target.st_mode
    if stat_kind.S_ISREG(mode):  # only a link's target: a regular file's name is never sorted out one by one
        if not resolves_inside(path, real_root):
            _refuse(refused, label, folder.prefix + name, path, "outside")
            return
        folder.files.append(name)
        folder.stats.append(pack_stat(target))
    elif stat_kind.S_ISDIR(mode) and (not name.startswith(skip_dir_prefixes) or name in keep_hidden):
        if linked:
            if not resolves_inside(path, real_root):
                _refuse(refused, label, folder.prefix + name, path, "outside")
                return
            real = os.path.realpath(path)
            if real in folder.walking:
                _refuse(refused, label, folder.prefix + name, path, "loop")
                return
        else:
            real = f"{folder.real}/{name}"
        folder.subfolders.append(_Folder(path, f"{folder.prefix}{name}/", real, folder.walking | {real}))


def _refuse(refused: list[RefusedLink] | None, label: str, shown: str, path: str, reason: str) -> None:
    if refused is not None:
        refused.append(RefusedLink(f"{label}/{shown}", link_target(path), reason))


def _in_walk_order(first: _Folder) -> list[FolderFiles]:
    found, stack = [], [first]
    while stack:
        folder = stack.pop()
        if folder.files:
            found.append(FolderFiles(folder.prefix, tuple(folder.files), b"".join(folder.stats)))
        stack.extend(reversed(folder.subfolders))
    return found
