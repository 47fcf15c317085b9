"""SIGTERM and SIGINT stop a build at once, cleanly: they raise in the main thread, so every
`finally` and `except BaseException` on the way out removes what the build had half made.

A CI job killed at its time limit gets SIGTERM; Ctrl-C is SIGINT. Once the commit (the
swap or renames that make the new site the output) has begun, a signal waits until the
command is done, so the output is always either the previous site or the whole new one.
"""
from __future__ import annotations

import signal
import sys
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


class _Stopper:
    """The handler stop_on_signals installs: raises Interrupted, or, once the commit has
    begun (hold_stop_signals), notes the signal for when the command ends."""

    def __init__(self):
        self.holding = False
        self.committed = False  # the last build's commit is done: a signal now stops nothing half-way
        self.arrived: list[int] = []
        self.late: list[int] = []  # came while an asyncio loop ran outside cancelled_by_signals

    def __call__(self, signum, frame):
        if self.holding:
            self.arrived.append(signum)
            return
        if _loop_running():  # asyncio would log what we raise in its callback and go on: raised after the loop
            self.late.append(signum)
            return
        raise Interrupted(signum, committed=self.committed)

    def release(self) -> list[int]:
        held, self.arrived = self.arrived, []
        self.committed, self.holding = self.holding, False
        return held


def _loop_running() -> bool:
    asyncio = sys.modules.get("asyncio")  # not imported: no loop can run
    return asyncio is not None and asyncio._get_running_loop() is not None


def take_late() -> int | None:
    """The stop signal that came while an asyncio loop was starting or ending (see _Stopper), once."""
    stopper = _stopper()
    if stopper is None or not stopper.late:
        return None
    signum, stopper.late = stopper.late[0], []
    return signum


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT raise Interrupted; the old handlers come back
    after. A signal still held since a commit is raised when the block ends."""
    if not _in_main_thread():
        yield
        return
    stopper = _Stopper()
    previous = {s: signal.signal(s, stopper) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if stopper.arrived:
        raise Interrupted(stopper.arrived[0], committed=True)


def _stopper() -> _Stopper | None:
    handler = signal.getsignal(signal.SIGTERM) if _in_main_thread() else None
    return handler if isinstance(handler, _Stopper) else None


def hold_stop_signals() -> None:
    """The commit begins: from here on a stop signal waits until the build is done, so the
    output is the previous site or the whole new one, and the cache says which."""
    stopper = _stopper()
    if stopper is not None:
        stopper.holding = True


async def cancelled_by_signals(awaitable):
    """Await inside asyncio with a stop signal turned into the awaitable's cancellation, then
    Interrupted. asyncio logs and swallows what its callbacks raise (a pipe closing, say), so
    the handler must not raise there: the build would go on as if no signal had come."""
    stopper = _stopper()
    if stopper is None:
        return await awaitable
    import asyncio
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(awaitable)
    arrived: list[int] = []

    def on_signal(signum: int) -> None:
        if stopper.holding:
            stopper.arrived.append(signum)
        elif not arrived:
            arrived.append(signum)
            task.cancel()
    for s in STOP_SIGNALS:
        loop.add_signal_handler(s, on_signal, s)
    late = take_late()
    if late is not None:  # came while the loop started
        on_signal(late)
    try:
        return await task
    except asyncio.CancelledError:
        if arrived:
            raise Interrupted(arrived[0]) from None
        raise
    finally:
        for s in STOP_SIGNALS:
            loop.remove_signal_handler(s)
            signal.signal(s, stopper)


@contextmanager
def release_after_build() -> Iterator[None]:
    """Around one build: signals held since its commit are raised once it is done, and the
    next build (e.g. one `serve` runs) can be stopped again at any point."""
    stopper = _stopper()
    if stopper is not None:
        stopper.committed = False
    try:
        yield
    finally:
        held = stopper.release() if stopper is not None else []
    if held:
        raise Interrupted(held[0], committed=True)
