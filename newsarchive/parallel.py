"""Process pools for the two heavy, pure stages: loading articles and rendering pages.

Workers are forked, so they inherit the build's state (the site model, the compiled
templates) instead of receiving a pickled copy; only chunk numbers go out and small
results (metadata, digests, paths of written files) come back. Where fork is
unavailable, or the work is small, everything runs in this process, with the same results.

Workers never outlive the build: each asks the kernel to kill it when its parent dies
(PR_SET_PDEATHSIG on Linux) and also watches a pipe only the parent holds open, whose end
of file means the parent is gone (any Unix). They ignore SIGINT (the parent stops them) and
are killed at once when the parent stops early, e.g. on SIGTERM.

`in_two` (through `map_or_halve`) is the small case between one process and a pool: a rebuild with little to do (no
change, an edit) has its thousands of stats halved by one bare forked helper.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from typing import Any, Callable, Iterable, Iterator, Sequence

MIN_ITEMS_PER_WORKER = 64
_INHERITED: tuple | None = None  # (task, state, chunks, counter, results, parent pid, pipe fds), set just before the fork
PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing  # here, not at the top: a rebuild that parses one file never forks
    return "fork" in multiprocessing.get_all_start_methods()


def map_chunks(task: Callable[[Any, Sequence], list], items: Sequence, state: Any, jobs: int,
               chunk_size: int = 256, both_ends: bool = False) -> Iterator[list]:
    """Yield `task(state, chunk)` for consecutive chunks of `items`, in order, so a caller can
    store each chunk's results and let them go before the next arrives.

    With `jobs` N, N-1 processes are forked and this process works too, taking chunks from
    the same counter: each forked worker ends up holding a copy of much of the build's
    memory, so one fewer of them is one less copy. `both_ends`: this process takes chunks
    from the front and the forked ones from the back, so items alike that lie together (the
    pages of one kind: render.py) mostly go to one process, and what each process makes
    once and keeps (a card, a rendered fragment) is made in one; the chunks done from the back
    wait until this process reaches them, so a caller gives no more items than it can hold
    the results of at once."""
    if not items:
        return
    workers = min(jobs, max(1, len(items) // MIN_ITEMS_PER_WORKER))
    size = max(1, min(chunk_size, -(-len(items) // (workers * 8))))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    if workers <= 1 or not can_fork():
        for chunk in chunks:
            yield task(state, chunk)
        return
    import multiprocessing
    context = multiprocessing.get_context("fork")
    counter = context.Array("l", [0, len(chunks)])  # the next chunk from the front, and the end of those left
    results = context.Queue()
    parent_alive = os.pipe()  # only this process keeps the write end: workers read EOF when it dies
    global _INHERITED
    _INHERITED = (task, state, chunks, counter, both_ends, results, os.getpid(), parent_alive, _prctl())
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()  # the inherited objects never need collecting in a worker; scanning them would copy every page
    processes = [context.Process(target=_work, daemon=True) for _ in range(workers - 1)]
    finished = False
    try:
        for process in processes:
            _start_unsignalled(process)
        done: dict[int, list] = {}
        for index in range(len(chunks)):
            _collect_ready(results, done)
            while index not in done:
                mine = _claim(counter)
                if mine is not None:
                    done[mine] = task(state, chunks[mine])
                    _collect_ready(results, done)
                else:
                    _receive(results, done, processes)
            yield done.pop(index)
        finished = True
    finally:
        for process in processes:
            if process.pid is None:  # stopped before it started
                continue
            if not finished and process.is_alive():
                process.kill()  # stopped early (an error, a signal): no worker keeps writing
            process.join(timeout=5 if finished else 1)
            if process.is_alive():
                process.kill()
                process.join(timeout=1)
        os.close(parent_alive[0])
        os.close(parent_alive[1])
        results.close()
        _INHERITED = None
        if not frozen_by_caller:
            gc.unfreeze()


def in_two(task: Callable[[Any, Sequence], list], state: Any, items: Sequence) -> list | None:
    """`task(state, items[:half]) + task(state, items[half:])`, the halves worked at once: one bare
    forked process takes the second and sends its result back marshalled (plain values only:
    bytes, numbers, strings, lists, tuples), without multiprocessing, whose import and pool would
    cost more than a half of some thousands of stats saves. None when the helper cannot start,
    fails or dies: the caller then works the whole in this process."""
    import marshal
    half = len(items) // 2
    if half == 0 or not hasattr(os, "fork"):
        return None
    read_end, write_end = os.pipe()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)  # as _start_unsignalled
    try:
        pid = os.fork()
    except OSError:
        pid = None
    if pid == 0:  # the helper: its half, written whole, and out, whatever happens
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            gc.disable()  # a collection would copy the inherited pages it scans
            with open(write_end, "wb") as out:
                out.write(marshal.dumps(task(state, items[half:])))
        finally:
            os._exit(0)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(write_end)
    try:
        if pid is None:
            return None
        mine = task(state, items[:half])
        with open(read_end, "rb", closefd=False) as answer:
            theirs = answer.read()
        try:
            return mine + marshal.loads(theirs)
        except (EOFError, ValueError, TypeError):  # the helper died before it had written all
            return None
    finally:
        os.close(read_end)
        if pid:
            os.waitpid(pid, 0)


def map_or_halve(task: Callable[[Any, Sequence], list], items: Sequence, state: Any, jobs: int, chunk_size: int,
                 halve: bool) -> Iterable[list]:
    """`map_chunks`' chunks; or, when `halve` (too little work for its pool, enough to share), the
    whole as one chunk made by `in_two` (`map_chunks` when in_two's helper fails)."""
    halves = in_two(task, state, items) if halve else None
    return [halves] if halves is not None else map_chunks(task, items, state, jobs, chunk_size=chunk_size)


def _claim(counter, from_back: bool = False) -> int | None:
    """The next chunk left (front, end) from the front, or from the back; None when none is left."""
    with counter.get_lock():
        front, end = counter[0], counter[1]
        if front >= end:
            return None
        if from_back:
            counter[1] = end - 1
            return end - 1
        counter[0] = front + 1
        return front


def _collect_ready(results, done: dict[int, list]) -> None:
    """Take every chunk the workers have finished, so none waits in the pipe."""
    import queue  # this and pickle, traceback where used: a build that forks nothing imports none of them
    while True:
        try:
            index, outcome, failure = results.get_nowait()
        except queue.Empty:
            return
        if failure:
            _raise_failure(failure)
        done[index] = outcome


def _receive(results, done: dict[int, list], processes: list) -> None:
    """Wait for a worker's chunk; a worker that failed or died is an error here."""
    import queue
    while True:
        try:
            index, outcome, failure = results.get(timeout=1)
        except queue.Empty:
            codes = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            stopped = [-code for code in codes if -code in (signal.SIGTERM, signal.SIGINT)]
            if stopped:  # someone stopped the workers, e.g. `kill` of the whole process group
                from .interrupts import Interrupted
                raise Interrupted(stopped[0]) from None
            killed = [-code for code in codes if code < 0]
            if killed:  # e.g. the kernel's out-of-memory killer: not a bug, and nothing was committed
                from .errors import BuildError, Problem
                raise BuildError(Problem(f"a worker process was killed (signal {killed[0]}), perhaps for lack of memory; nothing was written",
                                         hint="build again, with fewer --jobs if memory is short")) from None
            if codes:
                raise RuntimeError("a worker process died") from None
            continue
        if failure:
            _raise_failure(failure)
        done[index] = outcome
        return


def start_tied(target: Callable[..., None], arg_lists: list[tuple]) -> tuple[list, Callable[[], None]]:
    """Fork one process per argument tuple, each tied to this one as map_chunks' workers are
    (it dies with this process, stop signals are left to it); returns the processes and the
    function to call once they are joined."""
    import multiprocessing
    context = multiprocessing.get_context("fork")
    parent_alive = os.pipe()
    tie = (os.getpid(), parent_alive, _prctl())
    processes = [context.Process(target=_run_tied, args=(tie, target, args), daemon=True) for args in arg_lists]
    for process in processes:
        _start_unsignalled(process)

    def release() -> None:
        os.close(parent_alive[0])
        os.close(parent_alive[1])
    return processes, release


def _run_tied(tie: tuple, target: Callable[..., None], args: tuple) -> None:
    _die_with_parent(*tie)
    target(*args)


def _start_unsignalled(process) -> None:
    """Fork with stop signals held back: a handler that raised inside Python's own fork
    hooks would be reported and ignored there instead of stopping the build. The worker
    lets them through again once it has its own handlers (_die_with_parent)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _prctl():
    """libc's prctl on Linux (looked up before forking, so workers need not load ctypes), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_parent(parent: int, parent_alive: tuple[int, int], prctl) -> None:
    """In a new worker: leave stopping to the parent, and end as soon as the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    read_end, write_end = parent_alive
    os.close(write_end)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        try:
            os.read(read_end, 1)  # blocks until the parent's end closes
        finally:
            os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _work() -> None:
    task, state, chunks, counter, both_ends, results, parent, parent_alive, prctl = _INHERITED
    _die_with_parent(parent, parent_alive, prctl)
    while (index := _claim(counter, from_back=both_ends)) is not None:
        try:
            results.put((index, task(state, chunks[index]), None))
        except BaseException as exc:
            results.put((index, None, _failure(exc)))
            return


def _failure(exc: BaseException) -> tuple[bytes | None, str]:
    """The worker's exception, pickled when it can be (so the caller can tell a damaged cache
    from a bug), and its traceback as text."""
    import pickle
    import traceback
    try:
        pickled = pickle.dumps(exc) if isinstance(exc, Exception) else None
    except Exception:
        pickled = None
    return pickled, traceback.format_exc()


def _raise_failure(failure: tuple[bytes | None, str]):
    import pickle
    pickled, text = failure
    try:
        exc = pickle.loads(pickled) if pickled else None
    except Exception:
        exc = None
    if exc is None:
        raise RuntimeError(f"a worker process failed:\n{text}")
    exc.add_note(f"in a worker process:\n{text}")
    raise exc
