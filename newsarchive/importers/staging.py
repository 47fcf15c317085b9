"""All of an import's files, or none: every article and lead image is first written into a
hidden staging folder inside articles/ (`.import-PID/`, which builds never read), and only
when all are there are they linked into place. A link fails if the path exists, so no file is
ever replaced; if one cannot be placed, the ones placed before it are removed again (unless
the user asked for --keep-going). A killed import leaves its staging folder (and perhaps a
`.NAME.md.import-PID` file of a "read also" update); the next import removes those whose
process is gone, and only those: the folder must hold the marker file each staging folder gets
first (or be empty), the file must be named after an article, and PID must be a process id
this system can give; a user's `.import-20211231/` or `.todo.import-1` is never touched.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

STAGING_PREFIX = ".import-"
STAGING_MARKER = ".newsarchive-import-staging"  # written first into every staging folder: what makes it ours
PID_MAX_FALLBACK = 4194304  # Linux's largest pid_max, where /proc does not say
LEFTOVER_MAX_AGE = 24 * 3600  # seconds: past this, a leftover's process id may have been reused
_LEFTOVER = re.compile(r"\A(?:\.import-(?P<folder>[1-9]\d{0,9})|\..+\.(?:md|markdown)\.import-(?P<file>[1-9]\d{0,9}))\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Failure:
    source_path: str  # relative to articles/
    reason: str


class Staging:
    """A staging folder for one run: `add` files, then `place` them all."""

    def __init__(self, articles_dir: Path) -> None:
        self.articles_dir = articles_dir
        self.folder = articles_dir / f"{STAGING_PREFIX}{os.getpid()}"
        self.staged: list[str] = []  # relative paths, in order
        self.created = False  # only a folder this run made is removed at the end
        self.made: list[Path] = []  # folders `place` created

    def add(self, source_path: str, data: bytes) -> None:
        """Write one file into the staging folder (an OSError names what the system refused)."""
        if not self.created:
            if os.path.lexists(self.folder) and not (self.folder.is_dir() and not self.folder.is_symlink() and _is_staging(str(self.folder))):
                raise FileExistsError(17, f"{self.folder.name} in the articles folder is not the import's; rename it", str(self.folder))
            self.folder.mkdir(parents=True, exist_ok=True)
            self.created = True
            (self.folder / STAGING_MARKER).write_bytes(b"a staging folder of newsarchive's import; removed when it ends\n")
        target = self.folder / source_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
        self.staged.append(source_path)

    def place(self, keep_going: bool) -> tuple[list[str], list[Failure]]:
        """Link every staged file to its place under articles/; (placed, failures). Without
        keep_going, a failure removes the files placed before it: then nothing was written."""
        placed: list[str] = []
        made: list[Path] = []
        failures: list[Failure] = []
        for source_path in self.staged:
            target = self.articles_dir / source_path
            try:
                made += _make_parents(target.parent, self.articles_dir)
                os.link(self.folder / source_path, target)
            except OSError as exc:
                failures.append(Failure(source_path, "it exists already" if isinstance(exc, FileExistsError) else (exc.strerror or str(exc))))
                if not keep_going:
                    break
                continue
            placed.append(source_path)
        self.made = made
        if failures and not keep_going:
            self.undo(placed)
            placed = []
        return placed, failures

    def undo(self, placed: list[str]) -> None:
        """Remove the files `place` put in place, and the folders it made for them."""
        for source_path in placed:
            (self.articles_dir / source_path).unlink(missing_ok=True)
        for folder in reversed(self.made):
            try:
                folder.rmdir()
            except OSError:
                pass

    def discard(self) -> None:
        if self.created:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()


def _make_parents(folder: Path, root: Path) -> list[Path]:
    """Create `folder` and its missing parents below `root`; the ones created, outermost first."""
    missing = []
    while folder != root and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
    return list(reversed(missing))


def remove_leftovers(articles_dir: Path) -> list[str]:
    """Remove staging folders and temporary files of imports that were killed (their process is
    gone); those of an import still running are left alone. The paths removed, relative."""
    removed: list[str] = []
    if not articles_dir.is_dir():
        return removed
    for folder, dirs, files in os.walk(articles_dir):
        for name in list(dirs) + files:
            match = _LEFTOVER.match(name)
            if match is None:
                continue
            if name in dirs:
                dirs.remove(name)
            pid = int(match.group("folder") or match.group("file"))
            path = os.path.join(folder, name)
            if pid > _pid_max() or (_alive(pid) and not _older_than(path, LEFTOVER_MAX_AGE)):
                continue  # no process could have had that id: the name is the user's
            if os.path.isdir(path) and not os.path.islink(path):
                if match.group("folder") is None or folder != str(articles_dir) or not _is_staging(path):
                    continue  # a folder named like ours that we did not make is the user's
                shutil.rmtree(path, ignore_errors=True)
            elif match.group("folder") is not None:
                continue  # a file named like a staging folder is not ours
            else:
                try:
                    os.unlink(path)
                except OSError:
                    continue
            removed.append(os.path.relpath(path, articles_dir).replace(os.sep, "/"))
    return sorted(removed)


def _is_staging(path: str) -> bool:
    """A staging folder holds our marker (written before anything else), or nothing at all."""
    try:
        return os.path.isfile(os.path.join(path, STAGING_MARKER)) or not os.listdir(path)
    except OSError:
        return False


def _pid_max() -> int:
    try:
        with open("/proc/sys/kernel/pid_max", encoding="ascii") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return PID_MAX_FALLBACK


def _alive(pid: int) -> bool:
    """True when a process with that id runs (not this one: a leftover named with our own id is
    from an earlier process that had it)."""
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OverflowError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _older_than(path: str, seconds: float) -> bool:
    try:
        return time.time() - os.lstat(path).st_mtime > seconds
    except OSError:
        return False
