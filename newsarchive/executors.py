"""Where the load and render maps run: forked local processes, or the workers of a Dask cluster.

Both run `task(state, chunk)` over consecutive chunks of a list and hand the results back
in order, one chunk at a time, so the caller can store each and let it go. The local pool
(parallel.py) forks, so workers inherit the build's state; a cluster's workers share
nothing with this process, so `remote` is true and the stages give them self-contained,
picklable state and chunks (remote.py). Either way this process alone writes the cache
and the output.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterator, Protocol, Sequence

from . import parallel
from .errors import BuildError, Problem
from .extras import require

Task = Callable[[Any, Sequence], list]


class Executor(Protocol):
    remote: bool  # true when tasks run where this process's memory and files are not

    def map_chunks(self, task: Task, items: Sequence, state: Any, chunk_size: int = 256,
                   ship: Callable[[Sequence], Sequence] | None = None) -> Iterator[list]:
        """`task(state, ship(chunk))` per chunk of `items`, in order; `ship` turns a chunk into
        what a remote worker needs (e.g. paths into bytes) just before it is sent."""
        ...


class LocalPool:
    """Forked processes on this machine (the default): `jobs` of them, counting this one."""

    remote = False

    def __init__(self, jobs: int):
        self.jobs = jobs

    def map_chunks(self, task: Task, items: Sequence, state: Any, chunk_size: int = 256,
                   ship: Callable[[Sequence], Sequence] | None = None) -> Iterator[list]:
        if ship is None:
            return parallel.map_chunks(task, items, state, self.jobs, chunk_size)
        return parallel.map_chunks(lambda s, chunk: task(s, ship(chunk)), items, state, self.jobs, chunk_size)

    def close(self) -> None:
        pass


class DaskCluster:
    """The workers of a running Dask scheduler (`dask scheduler`, `dask worker`). The state
    is sent to every worker once, as a worker plugin (dask_state.py); chunks are submitted
    a window at a time, so the chunks in flight (sources out, pages back) bound this
    process's memory. A worker lost mid-task is the scheduler's to handle: it runs the
    task again elsewhere, and only a task that took several workers down with it stops the
    build. An exception raised by a task is raised here with its own type, as from the
    local pool."""

    remote = True
    CHUNKS_IN_FLIGHT_PER_THREAD = 3

    def __init__(self, address: str, *, timeout: float = 30, jobs: int = 1):
        self.address = address
        self.jobs = jobs  # this machine's share: work that stays here (the search index) runs this wide
        self.timeout = timeout
        self._client = None

    def client(self):
        if self._client is None:
            distributed = require("distributed", "dask", "building on a Dask cluster (--scheduler)")
            try:
                self._client = distributed.Client(self.address, timeout=self.timeout, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise BuildError(Problem(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}",
                    hint="start one with 'dask scheduler' and at least one 'dask worker ADDRESS', or build without --scheduler",
                )) from None
            try:
                self._client.wait_for_workers(1, timeout=self.timeout)
            except TimeoutError:
                self.close()
                raise BuildError(Problem(
                    f"the Dask scheduler at {self.address} has no workers (waited {self.timeout:g} s)",
                    hint="start at least one: dask worker ADDRESS --nthreads 1",
                )) from None
        return self._client

    def map_chunks(self, task: Task, items: Sequence, state: Any, chunk_size: int = 256,
                   ship: Callable[[Sequence], Sequence] | None = None) -> Iterator[list]:
        if not items:
            return
        from uuid import uuid4  # here: a local build never names a Dask task (and uuid costs a quick build's start)
        client = self.client()
        dask_state = require("newsarchive.dask_state", "dask", "building on a Dask cluster (--scheduler)")
        threads = max(1, sum(client.nthreads().values()))
        size = max(1, min(chunk_size, -(-len(items) // (threads * 8))))
        name = f"newsarchive-stage-{uuid4().hex}"
        client.register_plugin(dask_state.StageState(name, state), name=name)
        window: deque = deque()
        try:
            for start in range(0, len(items), size):
                chunk = items[start:start + size]
                window.append(client.submit(dask_state.run_with_state, name, task, ship(chunk) if ship else chunk,
                                            key=f"{getattr(task, '__name__', 'task')}-{uuid4().hex}"))  # named in the dashboard
                if len(window) >= threads * self.CHUNKS_IN_FLIGHT_PER_THREAD:
                    yield self._result(window.popleft())
            while window:
                yield self._result(window.popleft())
        finally:
            for future in window:
                future.cancel()
            client.unregister_worker_plugin(name)

    def _result(self, future) -> list:
        from distributed import KilledWorker
        try:
            return future.result()
        except KilledWorker as exc:
            raise BuildError(Problem(
                f"the Dask workers at {self.address} kept dying while running {future.key} ({exc})",
                hint="read the workers' logs (a memory limit?); build again, or build without --scheduler",
            )) from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def open_executor(jobs: int, scheduler: str | None) -> LocalPool | DaskCluster:
    """The local pool, or a cluster when a scheduler address is given (connected at first use,
    so a build with nothing to parse or render never connects)."""
    return DaskCluster(scheduler, jobs=jobs) if scheduler else LocalPool(jobs)
