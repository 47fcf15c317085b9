"""Where a template change's render CPU goes: per process (the build and its forked renderer)
and per page template, in CPU milliseconds per page. A site already built once is given; each
run puts a comment at the top of (or takes it from) the site's templates/base.html, so every
page renders again, and builds in this process with `render._render_chunk` timed per chunk.
Not part of `make bench`; figures go to BENCHMARKS.md ("What bounds the template change").

    .venv/bin/python bench/render_split.py /dev/shm/site --jobs 1 2 1 2

The site is bench/run.py's full one: config.yaml (bench/newsarchive/full.yaml), articles/ and
templates/base.html (a copy of the theme's). Runs alternate as given, each in a fresh process.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARK = "{# bench: template change #}\n"


def toggle_comment(site: Path) -> None:
    base = site / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text[len(MARK):] if text.startswith(MARK) else MARK + text, encoding="utf-8")


def one_run(site: Path, jobs: int, log: Path) -> None:
    """In a child process: the build, timed per render chunk (appended to `log` as JSON lines)."""
    sys.path.insert(0, str(REPO))
    from newsarchive import render
    from newsarchive.cli import main

    untimed = render._render_chunk

    def timed(job, indices):
        cpu = time.process_time()
        results = untimed(job, indices)
        cpu = time.process_time() - cpu
        kinds = collections.Counter(job.plan.pages[i].template for i in indices)
        with open(log, "a", encoding="utf-8") as out:  # one short line per chunk: appends do not interleave
            out.write(json.dumps({"pid": os.getpid(), "cpu": cpu, "kinds": kinds}) + "\n")
        return results
    render._render_chunk = timed
    toggle_comment(site)
    sys.argv = ["build.py", "build", "--config", str(site / "config.yaml"), "--output", str(site / "_site"), "--jobs", str(jobs)]
    wall = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        sys.stdout = quiet
        code = main()
    wall = time.perf_counter() - wall
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(log, "a", encoding="utf-8") as out:
        out.write(json.dumps({"pid": os.getpid(), "build": True, "code": code, "wall": wall,
                              "own": own.ru_utime + own.ru_stime, "children": children.ru_utime + children.ru_stime,
                              "load": os.getloadavg()[0]}) + "\n")
    os._exit(0)


def summary(log: Path, jobs: int) -> str:
    """A chunk holding pages of one template counts for that template; mixed chunks (a few, where kinds meet) apart."""
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    build = next(r for r in rows if r.get("build"))
    lines = [f"--jobs {jobs}: wall {build['wall']:.2f} s, CPU {build['own']:.2f} s in the build + {build['children']:.2f} s "
             f"in forked processes, load {build['load']:.1f}, exit {build['code']}"]
    for pid in sorted({r["pid"] for r in rows if not r.get("build")}, key=lambda p: p != build["pid"]):
        per: dict[str, list] = collections.defaultdict(lambda: [0, 0.0])
        for row in rows:
            if row["pid"] == pid and not row.get("build"):
                name = "+".join(sorted(row["kinds"])) if len(row["kinds"]) == 1 else "mixed"
                per[name][0] += sum(row["kinds"].values())
                per[name][1] += row["cpu"]
        who = "build" if pid == build["pid"] else "renderer"
        shown = ", ".join(f"{name} {pages} pages {cpu:.2f} s ({1000 * cpu / pages:.3f} ms/page)"
                          for name, (pages, cpu) in sorted(per.items(), key=lambda kv: -kv[1][0]))
        lines.append(f"  {who}: {sum(v[1] for v in per.values()):.2f} s in chunks: {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's side
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args.site.resolve(), args.one, args.log)
    for jobs in args.jobs:
        with tempfile.TemporaryDirectory() as scratch:
            log = Path(scratch) / "chunks.jsonl"
            subprocess.run([sys.executable, __file__, str(args.site), "--one", str(jobs), "--log", str(log)], check=True)
            print(summary(log, jobs), flush=True)


if __name__ == "__main__":
    main()
