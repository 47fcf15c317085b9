"""Writing the site: a staging folder beside the output, swapped in only when complete.

Nothing outside the output folder is written or deleted. An existing folder that a
newsarchive build did not make is never replaced, and the output may not overlap the
site's own files (config, articles, templates, static).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import Problem, UnsafeOutputError
from .interrupts import hold_stop_signals

MARKER = ".newsarchive-output"
MARKER_TEXT = "This folder is written by newsarchive; each build replaces it whole.\n"
TEMPORARY_MARK = ".na-tmp-"


@dataclass(frozen=True)
class WriteTarget:
    """Where pages go: a staging folder (a full build, swapped in at the end), or the output
    folder itself (an incremental build), where each file is first written under a
    temporary name beside its final one and renamed only when every page has rendered."""
    root: Path
    in_place: bool
    tag: str = ""  # names this build's temporary files (the main process id), so all can be found and removed


def write_file(target: WriteTarget, rel: str, content: bytes | None = None, source: Path | None = None,
               made_dirs: set | None = None) -> tuple[str, str | None]:
    """Write `content` (or copy `source`, keeping its mtime) to `rel`; returns (rel, temporary path or None)."""
    final = target.root / rel
    parent = final.parent
    if made_dirs is None or parent not in made_dirs:
        parent.mkdir(parents=True, exist_ok=True)
        if made_dirs is not None:
            made_dirs.add(parent)
    path = parent / temporary_name(final.name, target.tag or str(os.getpid())) if target.in_place else final
    if source is not None:
        shutil.copy2(source, path)
    else:
        with open(path, "wb") as handle:
            handle.write(content)
    return rel, (str(path) if target.in_place else None)


def temporary_name(name: str, tag: str) -> str:
    """`.NAME.na-tmp-TAG`, or for a name too long to take the mark, a digest of it in its place."""
    temporary = f".{name}{TEMPORARY_MARK}{tag}"
    if len(temporary.encode("utf-8")) > 255:
        temporary = f".{hashlib.blake2b(name.encode('utf-8'), digest_size=16).hexdigest()}{TEMPORARY_MARK}{tag}"
    return temporary


def discard_pending(pending: list[tuple[str, str | None]]) -> None:
    for _, temporary in pending:
        if temporary:
            try:
                os.remove(temporary)
            except FileNotFoundError:
                pass


def remove_temporaries(output_dir: Path, tag: str) -> int:
    """Delete every temporary file and folder of the build `tag` in the output, including
    those a worker wrote but had not reported yet when the build stopped, and a folder whose
    own clean-up a signal cut short (search.py's index input); returns how many."""
    suffix = f"{TEMPORARY_MARK}{tag}"
    removed = 0
    for folder, subfolders, names in os.walk(output_dir):
        for name in [n for n in subfolders if n.startswith(".") and n.endswith(suffix)]:
            subfolders.remove(name)
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
            removed += 1
        for name in names:
            if name.startswith(".") and name.endswith(suffix):
                try:
                    os.remove(os.path.join(folder, name))
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed


def remove_stale_staging(output_dir: Path) -> None:
    """Staging folders a stopped or killed build left beside the output (called under the build lock)."""
    output_dir = output_dir.resolve()
    for stale in output_dir.parent.glob(f".{output_dir.name}.staging-*"):
        if (stale / MARKER).is_file():
            shutil.rmtree(stale, ignore_errors=True)
        elif stale.is_dir() and not stale.is_symlink() and not any(stale.iterdir()):  # killed before its marker was written
            stale.rmdir()


def commit_in_place(output_dir: Path, pending: list[tuple[str, str | None]], removed: list[str]) -> None:
    """Rename every written file into place, then delete pages and files the site no longer has."""
    for rel, temporary in pending:
        os.replace(temporary, output_dir / rel)
    remove_entries(output_dir, removed)


def remove_entries(output_dir: Path, removed: list[str]) -> None:
    """Delete these files (a symlink itself, never what it leads to) and empty folders, then
    the folders they leave empty, up to the output folder."""
    for rel in removed:
        target = output_dir / rel
        try:
            target.rmdir() if target.is_dir() and not target.is_symlink() else target.unlink()
        except FileNotFoundError:
            continue
        parent = target.parent
        while parent != output_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def strays(output_dir: Path, kept: set[str], skipped: str | None = None) -> list[str]:
    """What no build wrote in the output folder (put there by hand), which a full build's swap
    drops: every file or symlink whose path is not `kept`, and every empty folder; not the top
    folder `skipped` (the search index, search.py's own). Symlinks are never followed; one
    scandir per folder and no stat of its own (a site has a folder per page: 30,000 at 10,000
    articles, a third of os.walk's time)."""
    found: list[str] = []
    folders = [(str(output_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                empty = False
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if prefix or entry.name != skipped:
                        folders.append((entry.path, path + "/"))
                elif path not in kept:
                    found.append(path)
        if empty and prefix:
            found.append(prefix[:-1])
    return sorted(found)


def check_output_dir(output_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would overwrite or delete the user's own files."""
    out = output_dir.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out == home:
        raise UnsafeOutputError(Problem(f"refusing to build into {out}", hint="choose an output folder of its own, e.g. _site"))
    for path in protected:
        path = path.resolve()
        if out == path or out in path.parents or path in out.parents:
            raise UnsafeOutputError(Problem(
                f"the output folder {out} overlaps {path}", hint="choose an output folder outside your articles, templates and static files, e.g. _site",
            ))
    if out.exists() and not out.is_dir():
        raise UnsafeOutputError(Problem(f"the output path {out} is a file, not a folder", hint="remove it or choose another --output"))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UnsafeOutputError(Problem(
            f"{out} already exists and was not made by newsarchive; it would be replaced", hint="empty or remove it yourself, or choose another --output",
        ))


class StagingFolder:
    """A sibling folder to write the new site into; `swap_in` replaces the output with it."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir.resolve()
        self.path = self.output_dir.parent / f".{self.output_dir.name}.staging-{os.getpid()}"
        self._remove_stale()
        self.path.mkdir(parents=True)
        (self.path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    def _remove_stale(self) -> None:
        remove_stale_staging(self.output_dir)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def swap_in(self) -> None:
        """Make the staged site the output in one step where the OS allows (renameat2 exchange)."""
        if self.output_dir.exists():
            if not _exchange(self.path, self.output_dir):
                old = self.output_dir.parent / f".{self.output_dir.name}.old-{os.getpid()}"
                os.rename(self.output_dir, old)
                os.rename(self.path, self.output_dir)
                shutil.rmtree(old, ignore_errors=True)
            else:
                shutil.rmtree(self.path, ignore_errors=True)
        else:
            os.rename(self.path, self.output_dir)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # here: only a build that swaps a staging folder in needs it
    import ctypes.util
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def write_in_place(output_dir: Path, cache, rendered: Iterable[tuple[str, str, bytes, str]],
                   reindex: Callable[[dict, dict], object] | None = None) -> dict[str, tuple[str, bool]] | None:
    """Put pages rendered apart from a plan (an edit rebuild, rebuild/edit.py) over the last
    build's, as publish.py does in place: `rendered` gives (URL, output path, bytes, the last
    digest), a page whose bytes are the same is not written. `reindex(pages, page_files)` gives
    the search bundles to put in place with them, or None: then nothing is written and None is
    returned. Else URL → (digest of the bytes, written)."""
    target = WriteTarget(output_dir, True, tag=str(os.getpid()))
    done: dict[str, tuple[str, bool]] = {}
    pending: list = []
    made: set = set()
    indexed = None
    cache.mark_dirty()
    committing = False
    try:
        for url, rel, data, last_digest in rendered:
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            written = digest != last_digest or not os.path.isfile(output_dir / rel)
            if written:
                pending.append(write_file(target, rel, data, made_dirs=made))
            done[url] = (digest, written)
        if reindex is not None:
            indexed = reindex(done, dict(pending))
            if indexed is None:
                raise _Abandoned
            pending += indexed.pending
        hold_stop_signals()
        committing = True
        commit_in_place(output_dir, pending, [])
        if indexed is not None:
            from .search import commit_bundles  # search.py is loaded already: it made `indexed`
            commit_bundles(output_dir, indexed)
    except BaseException as exc:
        if not committing:
            discard_pending(pending)
            for _, folder in indexed.folders if indexed is not None else ():
                shutil.rmtree(folder, ignore_errors=True)
            remove_temporaries(output_dir, target.tag)
            cache.clear_dirty()
        if isinstance(exc, _Abandoned):
            return None
        raise
    return done


class _Abandoned(Exception):
    """The pages cannot be put in place after all (write_in_place): nothing was."""
