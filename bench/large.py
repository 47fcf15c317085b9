"""Large-archive measurements (issue 13): one build of a generated corpus, in this process,
with the peak memory of the process tree per stage and, with --tracemalloc, what holds
the memory of this process at the end of each stage (the largest allocation sites).

    python bench/large.py --n 100000 --work /dev/shm/na-large                  # local pool, cold
    python bench/large.py --n 100000 --work /dev/shm/na-large --scenario edit  # then one edit
    python bench/large.py --n 100000 --work /dev/shm/na-large --scenario new   # then one new newest article
    python bench/large.py --n 20000 --work /dev/shm/na-large --tracemalloc
    python bench/large.py --n 100000 --work /dev/shm/na-large --cluster 2      # LocalCluster, 2 workers
    python bench/large.py --n 100000 --work /dev/shm/na-large --search         # with the search index

The site is the like-for-like one of bench/run.py (bench/newsarchive/). The corpus is
written once into WORK/N/ (bench/corpus.py) and kept; the output and cache are removed
before a cold build. Prints one line of figures and the load average before and after.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from corpus import write_corpus  # noqa: E402
from run import TreeSampler  # noqa: E402

from newsarchive.config import load_config  # noqa: E402
from newsarchive.pipeline import BuildOptions, build  # noqa: E402


def prepare(n: int, work: Path, search: bool = False) -> Path:
    site = work / str(n)
    if not (site / "articles").is_dir():
        write_corpus(n, site)
    config = (BENCH / "newsarchive" / "config.yaml").read_text(encoding="utf-8")
    if search:  # the search index and page (search.html comes from the package theme): bench/search_reader.py can search it
        config = config.replace("\nsearch: false\n", "\nsearch: true\n")
    (site / "config.yaml").write_text(config, encoding="utf-8")
    shutil.rmtree(site / "templates", ignore_errors=True)
    shutil.copytree(BENCH / "newsarchive" / "templates", site / "templates")
    return site / "config.yaml"


def edit_one(site: Path) -> None:
    first = min((site / "articles").rglob("*.md"))
    with open(first, "a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence, written at {time.time()}.\n")


def add_one(site: Path) -> None:
    """A new article dated after every other (the newest: every home page shifts by one card)."""
    stamp = time.time_ns()
    folder = site / "articles" / "2099"
    folder.mkdir(exist_ok=True)
    (folder / f"new-{stamp}.md").write_text(
        f"---\ntitle: \"A new article {stamp}\"\ndate: 2099-01-01T00:00:00Z\nslug: new-{stamp}\ntags: [Harbour, Energy]\n"
        f"section: Economy\n---\nThe new article's only paragraph.\n", encoding="utf-8")


def top_holders(snapshot: tracemalloc.Snapshot, limit: int = 30) -> list[str]:
    stats = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).statistics("lineno")
    return [f"    {s.size / 2**20:8.1f} MiB {s.count:>9} blocks  {s.traceback[0].filename.split('site-packages/')[-1].split('/newsarchive/')[-1]}:{s.traceback[0].lineno}"
            for s in stats[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/na-large"))
    parser.add_argument("--scenario", choices=("cold", "no-change", "edit", "new"), default="cold")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--cluster", type=int, metavar="WORKERS", help="build on a distributed.LocalCluster of this many one-thread worker processes")
    parser.add_argument("--search", action="store_true", help="search on (search: true in the copied config): the index and /search/ are built too")
    parser.add_argument("--tracemalloc", action="store_true", help="print the largest allocation sites of this process at the end of each stage")
    args = parser.parse_args()

    config_path = prepare(args.n, args.work, args.search)
    site = config_path.parent
    if args.scenario == "cold":
        shutil.rmtree(site / "_site", ignore_errors=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)
    elif args.scenario == "edit":
        edit_one(site)
    elif args.scenario == "new":
        add_one(site)

    cluster = None
    scheduler = None
    if args.cluster:
        from distributed import LocalCluster
        cluster = LocalCluster(n_workers=args.cluster, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
        scheduler = cluster.scheduler_address

    print(f"load before: {open('/proc/loadavg').read().strip()}", flush=True)
    sampler = TreeSampler(os.getpid())
    sampler.start()
    stage_peaks: dict[str, int] = {}
    if args.tracemalloc:
        tracemalloc.start()

    def on_stage(name: str, seconds: float) -> None:
        stage_peaks[name] = sampler.peak_kib // 1024
        line = f"  {name:9} ends at {seconds:7.2f} s; tree peak so far {sampler.peak_kib // 1024} MiB"
        if args.tracemalloc:
            current, peak = tracemalloc.get_traced_memory()
            line += f"; traced now {current / 2**20:.0f} MiB, traced peak {peak / 2**20:.0f} MiB"
            print(line, flush=True)
            print("\n".join(top_holders(tracemalloc.take_snapshot())), flush=True)
        else:
            print(line, flush=True)

    started = time.perf_counter()
    cpu = os.times()
    report = build(load_config(config_path), BuildOptions(jobs=args.jobs, scheduler=scheduler), on_stage)
    wall = time.perf_counter() - started
    after = os.times()
    sampler.stop.set()
    sampler.join()
    if cluster is not None:
        cluster.close()
    own_s = (after.user - cpu.user) + (after.system - cpu.system)
    cpu_s = own_s + (after.children_user - cpu.children_user) + (after.children_system - cpu.children_system)
    print(f"{args.n} articles, {args.scenario}, {'cluster of ' + str(args.cluster) if args.cluster else 'local --jobs ' + str(args.jobs)}: "
          f"{wall:.2f} s wall, {own_s:.1f} s CPU in this process, {cpu_s:.1f} s with its finished children, tree peak {sampler.peak_kib // 1024} MiB "
          f"(sampled every 0.1 s{'; the LocalCluster workers included: they are children of this process' if args.cluster else ''}), {report.pages} pages, ok={report.ok}")
    print("  " + report.profile())
    print(f"load after: {open('/proc/loadavg').read().strip()}")


if __name__ == "__main__":
    main()
