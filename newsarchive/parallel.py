"""Process pools for the two heavy, pure stages: loading articles and rendering pages.

Workers are forked, so they inherit the build's state (the site model, the compiled
templates) instead of receiving a pickled copy; only chunk numbers go out and small
results (metadata, digests, paths of written files) come back. Where fork is
unavailable, or the work is small, everything runs in this process, with the same results.
"""
from __future__ import annotations

import gc
import os
import pickle
import queue
import traceback
from typing import Any, Callable, Iterator, Sequence

MIN_ITEMS_PER_WORKER = 64
_INHERITED: tuple | None = None  # (task, state, chunks, counter, results), set just before the fork


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    import multiprocessing  # here, not at the top: a rebuild that parses one file never forks
    return "fork" in multiprocessing.get_all_start_methods()


def map_chunks(task: Callable[[Any, Sequence], list], items: Sequence, state: Any, jobs: int,
               chunk_size: int = 256) -> Iterator[list]:
    """Yield `task(state, chunk)` for consecutive chunks of `items`, in order, so a caller can
    store each chunk's results and let them go before the next arrives.

    With `jobs` N, N-1 processes are forked and this process works too, taking chunks from
    the same counter: each forked worker ends up holding a copy of much of the build's
    memory, so one fewer of them is one less copy."""
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
    counter = context.Value("l", 0)
    results = context.Queue()
    global _INHERITED
    _INHERITED = (task, state, chunks, counter, results)
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()  # the inherited objects never need collecting in a worker; scanning them would copy every page
    processes = [context.Process(target=_work, daemon=True) for _ in range(workers - 1)]
    try:
        for process in processes:
            process.start()
        done: dict[int, list] = {}
        for index in range(len(chunks)):
            _collect_ready(results, done)
            while index not in done:
                mine = _claim(counter, len(chunks))
                if mine is not None:
                    done[mine] = task(state, chunks[mine])
                    _collect_ready(results, done)
                else:
                    _receive(results, done, processes)
            yield done.pop(index)
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        _INHERITED = None
        if not frozen_by_caller:
            gc.unfreeze()


def _claim(counter, total: int) -> int | None:
    with counter.get_lock():
        index = counter.value
        if index >= total:
            return None
        counter.value = index + 1
        return index


def _collect_ready(results, done: dict[int, list]) -> None:
    """Take every chunk the workers have finished, so none waits in the pipe."""
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
    while True:
        try:
            index, outcome, failure = results.get(timeout=1)
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                raise RuntimeError("a worker process died") from None
            continue
        if failure:
            _raise_failure(failure)
        done[index] = outcome
        return


def _work() -> None:
    task, state, chunks, counter, results = _INHERITED
    while (index := _claim(counter, len(chunks))) is not None:
        try:
            results.put((index, task(state, chunks[index]), None))
        except BaseException as exc:
            results.put((index, None, _failure(exc)))
            return


def _failure(exc: BaseException) -> tuple[bytes | None, str]:
    """The worker's exception, pickled when it can be (so the caller can tell a damaged cache
    from a bug), and its traceback as text."""
    try:
        pickled = pickle.dumps(exc) if isinstance(exc, Exception) else None
    except Exception:
        pickled = None
    return pickled, traceback.format_exc()


def _raise_failure(failure: tuple[bytes | None, str]):
    pickled, text = failure
    try:
        exc = pickle.loads(pickled) if pickled else None
    except Exception:
        exc = None
    if exc is None:
        raise RuntimeError(f"a worker process failed:\n{text}")
    exc.add_note(f"in a worker process:\n{text}")
    raise exc
