"""Process pools: the same results as one process, and a worker's failure reaches the caller."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import REPO
from newsarchive import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork")
PARENT = os.getpid()


def square_all(state, chunk):
    return [state * x * x for x in chunk]


def test_chunks_come_back_in_order_and_equal_to_one_process():
    items = list(range(1000))
    forked = [x for chunk in parallel.map_chunks(square_all, items, 3, jobs=2, chunk_size=7) for x in chunk]
    alone = [x for chunk in parallel.map_chunks(square_all, items, 3, jobs=1, chunk_size=7) for x in chunk]
    assert forked == alone == [3 * x * x for x in items]


def squares_and_bytes(state, items):
    return [(state * x * x, str(x), bytes([x % 256]) * 3) for x in items]


def test_in_two_gives_what_one_process_gives_the_second_half_from_a_forked_helper():
    items = list(range(1001))
    assert parallel.in_two(squares_and_bytes, 3, items) == squares_and_bytes(3, items)
    pids = parallel.in_two(lambda _, items: [os.getpid()] * len(items), None, items)
    assert pids[0] == PARENT and pids[-1] != PARENT and len(set(pids)) == 2
    assert parallel.in_two(squares_and_bytes, 3, [7]) is None  # nothing to share: the caller works it alone


def test_in_two_is_none_when_the_helper_dies_or_its_answer_cannot_be_sent():
    def dies_in_helper(_, items):
        if os.getpid() != PARENT:
            os._exit(1)
        return list(items)
    assert parallel.in_two(dies_in_helper, None, list(range(10))) is None
    assert parallel.in_two(lambda _, items: [object()] * len(items), None, list(range(10))) is None  # not marshallable


def who_squares(state, chunk):
    time.sleep(0.01)  # long enough for the worker to start while this process still has chunks
    return [(os.getpid(), state * x * x) for x in chunk]


def test_from_both_ends_this_process_takes_the_front_and_the_worker_the_back():
    """render.py's way: the worker's chunks are the last ones, this process's the first (the
    pages of one kind go mostly to one process), and the results come back in order."""
    items = list(range(400))
    results = [pair for chunk in parallel.map_chunks(who_squares, items, 3, jobs=2, chunk_size=10, both_ends=True) for pair in chunk]
    assert [value for _, value in results] == [3 * x * x for x in items]
    owners = [pid for pid, _ in results]
    first_of_worker = next(i for i, pid in enumerate(owners) if pid != PARENT)
    assert 0 < first_of_worker < len(items)
    assert set(owners[:first_of_worker]) == {PARENT} and PARENT not in owners[first_of_worker:]


def fail_in_worker(exc_type, chunk):
    if os.getpid() != PARENT:
        raise exc_type("database disk image is malformed")
    time.sleep(0.005)  # leave chunks for the worker: this process takes from the same counter
    return list(chunk)


def test_a_worker_exception_is_raised_here_with_its_type():
    with pytest.raises(sqlite3.DatabaseError, match="malformed") as info:
        for _ in parallel.map_chunks(fail_in_worker, list(range(600)), sqlite3.DatabaseError, jobs=2, chunk_size=1):
            pass
    assert any("in a worker process" in note for note in info.value.__notes__)


class Unpicklable(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.handle = lambda: None  # cannot be pickled


def test_an_unpicklable_worker_exception_becomes_a_runtime_error_with_the_traceback():
    with pytest.raises(RuntimeError, match="(?s)a worker process failed.*Unpicklable"):
        for _ in parallel.map_chunks(fail_in_worker, list(range(600)), Unpicklable, jobs=2, chunk_size=1):
            pass


WORKER_SCRIPT = """
import os, sys, time
from newsarchive import parallel
if sys.argv[1] == "no-prctl":
    parallel._prctl = lambda: None  # as on macOS: only the pipe tells the workers
def slow(state, chunk):
    time.sleep(0.05)
    return [len(chunk)]
for number, _ in enumerate(parallel.map_chunks(slow, list(range(4000)), None, 3, chunk_size=8)):
    if number == 2:
        print("working", flush=True)
"""


@pytest.mark.parametrize("mode", ["prctl", "no-prctl"])
def test_workers_die_when_their_parent_is_killed(mode):
    import signal
    import subprocess
    import sys
    import time
    parent = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, mode], cwd=REPO, stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    assert parent.stdout.readline().strip() == "working"
    workers = [int(p) for p in Path(f"/proc/{parent.pid}/task/{parent.pid}/children").read_text().split()]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 3
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [pid for pid in workers if _alive(pid)] == []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_myself_in_a_worker(state, chunk):
    if os.getpid() != PARENT:
        import signal
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.01)
    return list(chunk)


def test_a_worker_killed_from_outside_is_a_build_error_not_a_bug():
    from newsarchive.errors import BuildError
    with pytest.raises(BuildError, match="a worker process was killed \\(signal 9\\)"):
        list(parallel.map_chunks(kill_myself_in_a_worker, list(range(1000)), None, 2, chunk_size=4))
