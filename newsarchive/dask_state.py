"""A stage's state on every worker of a Dask cluster, for executors.DaskCluster.

It travels as a worker plugin rather than as scattered data: the scheduler's memory
manager drops "extra" replicas of scattered data, and a worker that lost its copy would
fetch and unpickle it again, once per chunk at worst (measured: the plan of 10,000
articles unpickled four times per worker). A plugin is unpickled once per worker and
given to a worker that joins later too (one restarted after a crash). Imported only
when a cluster is used: it needs the 'dask' extra.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from distributed import WorkerPlugin, get_worker


class StageState(WorkerPlugin):
    def __init__(self, name: str, state: Any):
        self.name = name
        self.state = state


def run_with_state(name: str, task: Callable[[Any, Sequence], list], chunk: Sequence) -> list:
    return task(get_worker().plugins[name].state, chunk)
