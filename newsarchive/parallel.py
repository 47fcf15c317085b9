"""Process pools for the two heavy, pure stages: loading articles and rendering pages.

Workers are forked, so they inherit the build's state (the site model, the compiled
templates) instead of receiving a pickled copy; only chunk numbers go out and small
results (metadata, digests, paths of written files) come back. Where fork is
unavailable, or the work is small, everything runs in this process, with the same results.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any, Callable, Iterator, Sequence

MIN_ITEMS_PER_WORKER = 64
_INHERITED: tuple | None = None  # (task, state, chunks), set just before the fork


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_chunks(task: Callable[[Any, Sequence], list], items: Sequence, state: Any, jobs: int,
               chunk_size: int = 256) -> Iterator[list]:
    """Yield `task(state, chunk)` for consecutive chunks of `items`, in order, so a caller can
    store each chunk's results and let them go before the next arrives."""
    if not items:
        return
    workers = min(jobs, max(1, len(items) // MIN_ITEMS_PER_WORKER))
    size = max(1, min(chunk_size, -(-len(items) // (workers * 8))))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    if workers <= 1 or not can_fork():
        for chunk in chunks:
            yield task(state, chunk)
        return
    global _INHERITED
    _INHERITED = (task, state, chunks)
    gc.freeze()  # the inherited objects never need collecting in a worker; scanning them would copy every page
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run_chunk, range(len(chunks)))
    finally:
        _INHERITED = None
        gc.unfreeze()


def _run_chunk(index: int) -> list:
    task, state, chunks = _INHERITED
    return task(state, chunks[index])
