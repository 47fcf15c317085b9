"""Writing the site: a staging folder beside the output, swapped in only when complete.

Nothing outside the output folder is written or deleted. An existing folder that a
newsarchive build did not make is never replaced, and the output may not overlap the
site's own files (config, articles, templates, static).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import Problem, UnsafeOutputError

MARKER = ".newsarchive-output"
MARKER_TEXT = "This folder is written by newsarchive; each build replaces it whole.\n"


@dataclass(frozen=True)
class WriteStats:
    pages: int
    files_copied: int


def check_output_dir(out_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would overwrite or delete the user's own files."""
    out = out_dir.resolve()
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

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.resolve()
        self.path = self.out_dir.parent / f".{self.out_dir.name}.staging-{os.getpid()}"
        self._remove_stale()
        self.path.mkdir(parents=True)
        (self.path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        self._made_dirs: set[str] = set()
        self.pages = 0
        self.copied = 0

    def _remove_stale(self) -> None:
        for stale in self.out_dir.parent.glob(f".{self.out_dir.name}.staging-*"):
            if (stale / MARKER).is_file():
                shutil.rmtree(stale, ignore_errors=True)

    def _parent(self, rel: str) -> Path:
        target = self.path / rel
        parent = os.path.dirname(rel)
        if parent not in self._made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)
        return target

    def write(self, rel: str, content: bytes) -> None:
        target = self._parent(rel)
        with open(target, "wb") as handle:
            handle.write(content)
        self.pages += 1

    def copy(self, rel: str, source: Path) -> None:
        shutil.copy2(source, self._parent(rel))
        self.copied += 1

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def swap_in(self) -> WriteStats:
        """Make the staged site the output in one step where the OS allows (renameat2 exchange)."""
        if self.out_dir.exists():
            if not _exchange(self.path, self.out_dir):
                old = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
                os.rename(self.out_dir, old)
                os.rename(self.path, self.out_dir)
                shutil.rmtree(old, ignore_errors=True)
            else:
                shutil.rmtree(self.path, ignore_errors=True)
        else:
            os.rename(self.path, self.out_dir)
        return WriteStats(self.pages, self.copied)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
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
