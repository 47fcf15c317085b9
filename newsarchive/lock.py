"""One build of a site at a time: an flock on `.cache/build.lock` (pipeline.build takes it)."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def build_lock(folder: Path) -> Iterator[bool]:
    """One build at a time per site; yields False when another build holds the lock.

    An flock on `.cache/build.lock`, which the kernel releases when its holder dies. Forked
    workers would share it (and a worker orphaned by a killed build would hold it forever),
    so every forked child closes its copy at once. The file names the holder's process id:
    a lock held while that process is dead (by an orphan of an older version) is taken over."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "build.lock"
    fd = _try_lock(path)
    if fd is None:
        fd = _take_over_if_owner_dead(path)
    if fd is None:
        yield False
        return
    _HELD_LOCKS.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield True
    finally:
        _HELD_LOCKS.discard(fd)
        os.close(fd)  # releases the lock


_HELD_LOCKS: set[int] = set()  # build locks this process holds; a forked child closes its copies


def _close_inherited_locks() -> None:
    for fd in _HELD_LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def lock_owner(path: Path) -> int | None:
    """The process id written in a lock file, or None."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _take_over_if_owner_dead(path: Path) -> int | None:
    """The lock is held, but its owner may be dead (the holder is then an orphan that
    inherited it): replace the lock file with a fresh one. Done under a second lock, so two
    builds cannot both take over."""
    guard = _try_lock(path.with_name("build.lock.takeover"))
    if guard is None:
        return None
    try:
        fd = _try_lock(path)  # the owner may have finished meanwhile
        if fd is not None:
            return fd
        owner = lock_owner(path)
        if owner is None or owner == os.getpid() or _alive(owner):
            return None
        fresh = path.with_name(f"build.lock.{os.getpid()}")
        fd = _try_lock(fresh)
        if fd is None:
            return None
        os.replace(fresh, path)
        return fd
    finally:
        os.close(guard)
