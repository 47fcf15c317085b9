"""Crawls at scale (issue 27, Deliver 5 and 8): an import killed for real (SIGKILL, not files
made to look like its leftovers) is completed by the next run exactly as a clean import would
have written it, with nothing of the killed run left; reading a crawl holds the same memory
whatever its number of records."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import run_cli
from import_inputs import LONG, PNG, put_response

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "title: Crawls\nbase_url: https://news.example.org/\nlanguage: en\n"

# Imports the crawl with os.link (how staging places each file) killing the process at its
# `argv[3]`th call: the run dies with some articles placed and the rest only staged.
KILLED_RUN = """
import os, signal, sys
from newsarchive.cli import main
calls, link = [0], os.link
def dying_link(source, target, *args, **kwargs):
    calls[0] += 1
    if calls[0] == int(sys.argv[3]):
        os.kill(os.getpid(), signal.SIGKILL)
    return link(source, target, *args, **kwargs)
os.link = dying_link
main(["import", sys.argv[1], "--config", sys.argv[2], "--jobs", "1"])
"""


def story(number: int, title: str | None = None) -> bytes:
    title = title or f"Harbour report number {number} from the quay"
    image = f'<meta property="og:image" content="https://wire.example/img/{number}.png">' if number % 3 == 0 else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">{image}'
            f'<meta property="article:published_time" content="2024-03-{1 + number % 9:02d}T09:00:00+01:00"></head>'
            f"<body><main><article><h1>{title}</h1><p>Report {number}: the council met on the quay to vote on the budget.</p>"
            f"<p>{LONG}</p></article></main></body></html>").encode()


def write_crawl(path: Path, pages: int, filler: int = 0) -> Path:
    """`pages` stories (two of them with one title, every third with a PNG lead image), and
    `filler` more responses that are no pages (stylesheets)."""
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True)

        def put(url: str, content_type: str, body: bytes) -> None:
            put_response(writer, url, body, content_type, "2024-03-20T10:00:00Z")
        for number in range(pages):
            put(f"https://wire.example/news/{number}", "text/html; charset=utf-8",
                story(number, "The same headline twice" if number in (4, 7) else None))
            if number % 3 == 0:
                put(f"https://wire.example/img/{number}.png", "image/png", PNG)
        for number in range(filler):
            put(f"https://wire.example/css/{number}.css", "text/css", b"body { margin: 0 }\n" * 40)
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow  # three imports, one in a process of its own (~6 s unloaded)
def test_an_import_killed_while_placing_its_files_is_completed_by_the_next_run_as_a_clean_import(make_site, tmp_path):
    warc = write_crawl(tmp_path / "crawl.warc.gz", 12)
    killed, clean = make_site({}, config=CONFIG, name="killed"), make_site({}, config=CONFIG, name="clean")
    run = subprocess.run([sys.executable, "-c", KILLED_RUN, str(warc), str(killed), "6"], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert run.returncode == -signal.SIGKILL, run.stderr
    articles = killed.parent / "articles"
    left = [p.name for p in articles.iterdir() if p.name.startswith(".import-")]
    assert len(left) == 1, sorted(p.name for p in articles.iterdir())  # the killed run's staging folder
    placed = [p for p in articles.rglob("*") if p.is_file() and ".import-" not in p.as_posix()]
    assert len(placed) == 5  # killed at its sixth link: five files were in place

    again = run_cli("import", warc, "--config", killed, "--jobs", "1")
    assert again.code == 0, again.err
    assert f"removed articles/{left[0]}, left by an import that was interrupted" in again.err.replace(str(killed.parent) + "/", "")
    assert run_cli("import", warc, "--config", clean, "--jobs", "1").code == 0
    result, expected = tree(articles), tree(clean.parent / "articles")
    assert not [name for name in result if ".import-" in name]
    assert len([name for name in expected if name.endswith(".md")]) == 12
    assert result == expected  # the same files, byte for byte: nothing lost, nothing twice (no "-2" of a placed one)


# Imports the crawl with two workers and, once the pool's workers parse its pages, prints their
# process ids and kills itself (SIGKILL: no clean-up of its own runs).
KILLED_WITH_WORKERS = """
import glob, os, signal, sys
from newsarchive.cli import main
from newsarchive.importers import batch
calls, advance = [0], batch.Progress.advance
def dying_advance(self, size, files):
    calls[0] += 1
    if calls[0] == 12:
        children = [open(path).read().split() for path in glob.glob(f"/proc/{os.getpid()}/task/*/children")]
        print(" ".join(pid for found in children for pid in found), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return advance(self, size, files)
batch.Progress.advance = dying_advance
main(["import", sys.argv[1], "--config", sys.argv[2], "--jobs", "2"])
"""


def _running(pid: int) -> bool:
    """The process exists and is no zombie (a container's first process may never reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads the process tree from /proc")
def test_the_workers_of_a_killed_import_end_with_it(make_site, tmp_path):
    warc = write_crawl(tmp_path / "crawl.warc.gz", 40)
    site = make_site({}, config=CONFIG)
    with open(tmp_path / "out", "w+") as out, open(tmp_path / "err", "w+") as err:  # files, not pipes: workers left alive would hold a pipe open
        run = subprocess.run([sys.executable, "-c", KILLED_WITH_WORKERS, str(warc), str(site)], cwd=ROOT, stdout=out, stderr=err,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert run.returncode == -signal.SIGKILL, (tmp_path / "err").read_text()
    workers = [int(pid) for pid in (tmp_path / "out").read_text().split()]
    left = _survivors(workers, 15)
    assert len(workers) == 2, workers
    assert not left, "the workers outlived the killed import"


def _survivors(workers: list[int], within: float) -> list[int]:
    """The workers still running after `within` seconds, killed before this returns."""
    deadline = time.monotonic() + within
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def _scan_peak_kb(path: Path) -> tuple[int, int]:
    """(records classified, peak of Python allocations in kB) while reading the crawl through."""
    from newsarchive.importers.warc import scan_records

    count = 0
    with open(path, "rb") as handle:
        tracemalloc.start()
        try:
            for _ in scan_records(handle, path.name):
                count += 1
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return count, peak // 1024


@pytest.mark.slow
def test_reading_a_crawl_holds_the_same_memory_for_ten_times_its_records(tmp_path):
    small = write_crawl(tmp_path / "small.warc.gz", 40, filler=160)
    large = write_crawl(tmp_path / "large.warc.gz", 400, filler=1600)
    small_count, small_peak = _scan_peak_kb(small)
    large_count, large_peak = _scan_peak_kb(large)
    assert (small_count, large_count) == (40 + 14 + 160, 400 + 134 + 1600)
    assert large_peak < small_peak + 256, f"{large_peak} kB for {large_count} records, {small_peak} kB for {small_count}"


# Imports saved pages with each page's parsing made to take 0.5 s (64 pages a task: 32 s a task),
# printing the workers' ids once the first page is being parsed.
SLOW_PAGES = """
import glob, os, sys, time
from newsarchive.cli import main
from newsarchive.importers import batch
parse = batch._guarded_page
def slow_parse(*args, **kwargs):
    time.sleep(0.5)
    return parse(*args, **kwargs)
batch._guarded_page = slow_parse
sys.exit(main(["import", sys.argv[1], "--config", sys.argv[2], "--jobs", "2"]))
"""


@pytest.mark.slow  # an import stopped a few seconds in (~5 s)
def test_sigterm_stops_an_import_of_saved_pages_at_once_with_its_workers(make_site, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for number in range(300):
        (pages / f"{number:03d}.html").write_bytes(story(number))
    site = make_site({}, config=CONFIG)
    with open(tmp_path / "err", "w+") as err:
        run = subprocess.Popen([sys.executable, "-c", SLOW_PAGES, str(pages), str(site)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT)})
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:  # both workers forked and parsing
            time.sleep(0.2)
            workers = [int(pid) for path in Path(f"/proc/{run.pid}/task").glob("*/children") for pid in path.read_text().split()]
        time.sleep(1)
        asked = time.monotonic()
        run.send_signal(signal.SIGTERM)
        try:
            code = run.wait(timeout=60)
        finally:
            run.kill()
        took = time.monotonic() - asked
    left = _survivors(workers, 1)
    assert len(workers) == 2, workers
    assert code == 128 + signal.SIGTERM, (tmp_path / "err").read_text()
    assert took < 10, f"the import took {took:.0f} s to stop"  # it parsed what its workers held: 32 s a task, ~60 s
    assert "stopped by SIGTERM" in (tmp_path / "err").read_text()
    assert not list((site.parent / "articles").rglob("*.md")), "an import stopped half-way wrote articles"
    assert not left, "the workers outlived the stopped import"
