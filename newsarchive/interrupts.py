"""SIGTERM and SIGINT stop a build at once, cleanly: they raise in the main thread, so every
`finally` and `except BaseException` on the way out removes what the build had half made.

A CI job killed at its time limit gets SIGTERM; Ctrl-C is SIGINT. Only the commit (the
swap or renames that make the new site the output) lets a signal wait until it is done,
so the output is always either the previous site or the whole new one.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """A stop signal arrived; a BaseException so that no `except Exception` swallows it."""

    def __init__(self, signum: int, committed: bool = False):
        self.signum = signum
        self.committed = committed  # the new site had already been committed when it came
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum, frame):
    raise Interrupted(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT raise Interrupted; the old handlers come back after."""
    if not _in_main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold stop signals until the block is done, then raise Interrupted(committed=True)."""
    if not _in_main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: arrived.append(signum)) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if arrived:
        raise Interrupted(arrived[0], committed=True)
