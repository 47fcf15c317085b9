"""Import at scale with real pages, side by side with plain trafilatura (issue 27, point 8).

The pages are the distinct real web pages that bench/real_pages.py gathers from public
benchmark sets and test suites already on the machine (never committed). Inputs, each
imported into a site made by `build.py init`:

- `distinct`: every distinct real page once, as saved files (the pool itself);
- `pages`: `--pages` saved pages (10,000), the real pages in turn; a copy after the first
  gets a comment in its <head> and `?copy=N` on its canonical, og:url and hreflang addresses,
  so each copy is an article of its own (same text at the same address would be one);
- `warc`: a WARC of `--warc-mb` MB, gzip per record as crawlers write it: the real pages in
  turn under URLs and capture dates of their own (canonical addresses as above), each with a
  JPEG lead image that its og:image names (real JPEG bytes, 40-210 KB, 107 KB on average),
  `--images-per-page` - 1 more images, and,
  every twentieth page, a 404, a stylesheet revisit and a revisit of a page.

With `--baseline-root DIR` (another checkout of the project, main for instance), its
`build.py import` runs on the same inputs as well, into a site of its own, so a branch and main
are compared in the same window; with `--together`, all of them at the same time. `--shuffle`
orders the distinct pages at random (seeded), so that each tenth of a run that is cut short holds
every source's share (the import and plain trafilatura report each tenth of the bytes done).

Times are the wall clock of each command as a subprocess, and its CPU time (user + system, with
the workers it waited for: on a loaded machine, the figure that compares); memory is the peak resident set of
the process and its workers together (sampled every 0.1 s from /proc, import_bench.py), with
the largest single process; the load average is read before and after each step.

    .venv/bin/python bench/real_pages.py --pool /dev/shm/me/pool
    .venv/bin/python bench/import_scale.py --pool /dev/shm/me/pool --work-dir /dev/shm/me/work \\
        --steps distinct,pages,warc,build,sample [--pages 10000] [--warc-mb 1024] [--jobs N]
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import REPO, tree_rss_kb  # noqa: E402
from real_pages import pool_pages  # noqa: E402

ACCEPT = ["/tmp/accept-venv/bin/python", "/work/shared/accept/check_site.py"]
_ADDRESS_TAG = re.compile(rb"<(?:link|meta)\b[^>]*>", re.I)
_ADDRESS_ATTR = re.compile(rb"""((?:href|content)\s*=\s*["']?)(https?://[^"'\s>#]+)""", re.I)
_CONTENT = re.compile(rb"""(content\s*=\s*["'])([^"']*)(["'])""", re.I)


def loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def distinct(page: bytes, copy: int, image_url: str | None = None) -> bytes:
    """The page as copy `copy`: its own bytes and, after the first, its own addresses; with
    `image_url`, its og:image names that picture."""
    def readdress(tag: re.Match) -> bytes:
        text = tag.group(0)
        if image_url and re.search(rb"""["']og:image["']""", text, re.I):
            return _CONTENT.sub(lambda m: m.group(1) + image_url.encode() + m.group(3), text, count=1)
        if not copy or not re.search(rb"canonical|og:url|alternate", text, re.I):
            return text
        return _ADDRESS_ATTR.sub(lambda m: m.group(1) + m.group(2) + (b"&amp;" if b"?" in m.group(2) else b"?")
                                 + f"copy={copy}".encode(), text, count=1)
    page = _ADDRESS_TAG.sub(readdress, page)
    at = page.lower().find(b"<head")
    at = page.find(b">", at) + 1 if at >= 0 else 0
    return page[:at] + f"<!-- copy {copy} -->".encode() + page[at:]


def write_pages(folder: Path, pages: list[tuple[str, bytes]], count: int) -> int:
    total = 0
    for i in range(count):
        name, page = pages[i % len(pages)]
        data = distinct(page, i // len(pages))
        path = folder / f"{i // 1000:03d}" / f"{name}-{i:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def jpegs(count: int) -> list[bytes]:
    """Real JPEGs of 40-200 KB (noise, so they do not compress), made once."""
    from PIL import Image
    rng = random.Random(7)
    out = []
    for i in range(count):
        width = rng.choice((320, 400, 480, 560))
        image = Image.frombytes("RGB", (width, width * 3 // 4), rng.randbytes(width * width * 9 // 4))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=rng.choice((70, 80, 90)))
        out.append(buffer.getvalue())
    return out


def with_comment(jpeg: bytes, i: int) -> bytes:
    """The same picture with bytes of its own (a JPEG COM segment after SOI)."""
    text = f"copy {i}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + jpeg[2:]


def write_crawl(path: Path, pages: list[tuple[str, bytes]], target_mb: int, images: int = 2, video_mb: float = 0) -> tuple[int, int]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pictures = jpegs(40)
    count = 0
    with open(path, "wb") as output:
        def write(record, level: int = 6) -> None:
            """One gzip member per record, as crawlers write them (warcio's own writer uses level 9: slow)."""
            buffer = io.BytesIO()
            WARCWriter(buffer, gzip=False).write_record(record)
            output.write(gzip.compress(buffer.getvalue(), compresslevel=level))

        writer = WARCWriter(io.BytesIO(), gzip=False)  # makes the records (their digests)

        def put(url: str, status: str, content_type: str, body: bytes, date: str):
            http = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": date})
            # pictures and videos do not compress: level 1 writes them 3x faster than 6, nearly as small
            write(record, 1 if content_type.startswith(("video/", "image/")) else 6)
            return record

        put("https://crawl.example/static/site.css", "200 OK", "text/css", b"body { margin: 0 }\n" * 200, "2024-06-01T00:00:00Z")
        i = 0
        while output.tell() < target_mb * 1024 * 1024:
            name, page = pages[i % len(pages)]
            date = f"2026-{6 + i % 6:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"  # after the pool's newest pages (May 2026)
            lead = f"https://crawl.example/img/{i}.jpg"
            record = put(f"https://crawl.example/{name}/{i}", "200 OK", "text/html; charset=utf-8" if i % 3 == 0 else "text/html",
                         distinct(page, i // len(pages), lead), date)
            count += 1
            put(lead, "200 OK", "image/jpeg", with_comment(pictures[i % len(pictures)], i), date)
            for k in range(1, images):
                put(f"https://crawl.example/img/{i}-{k}.jpg", "200 OK", "image/jpeg", with_comment(pictures[(i + 7 * k) % len(pictures)], i), date)
            if video_mb:  # crawls of news sites hold videos too: bytes to read past, not pages
                put(f"https://crawl.example/video/{i}.mp4", "200 OK", "video/mp4", random.Random(i).randbytes(int(video_mb * 2**20)), date)
            if i % 20 == 0:
                put(f"https://crawl.example/gone/{i}", "404 Not Found", "text/html", b"<h1>Not found</h1>", date)
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
                write(writer.create_revisit_record("https://crawl.example/static/site.css", "sha1:AAAA",
                                                                 "https://crawl.example/static/site.css", date, http_headers=http))
                digest = record.rec_headers.get_header("WARC-Payload-Digest")
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                write(writer.create_revisit_record(f"https://crawl.example/{name}/{i}", digest,
                                                                 f"https://crawl.example/{name}/{i}", f"2026-12-01T00:{i % 60:02d}:00Z",
                                                                 http_headers=http))
            i += 1
    return path.stat().st_size, count


def measure(args: list[str], logs: Path, cwd: Path | None = None) -> dict:
    """Run `args`, its output to files (a pipe left unread blocks a command that warns a lot),
    sampling the resident memory of it and its workers every 0.1 s. Every 5 s a line of
    `<logs>.timeline` says the time, the tree's memory, the load and the lines the command has
    printed (the import's progress lines say its tenths): whether memory or the time per page
    grows as the pages do."""
    before = loadavg()
    with tempfile.TemporaryFile("w+") as out, open(logs, "w") as err, open(f"{logs}.timeline", "w") as timeline:
        started = time.monotonic()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True, cwd=cwd)
        peak_sum = peak_one = 0
        loads, next_line = [], 0.0
        while True:  # os.wait4, not poll(): the CPU time of the command and of the workers it waited for
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            total, largest = tree_rss_kb(process.pid)
            peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
            elapsed = time.monotonic() - started
            if elapsed >= next_line:
                loads.append(float(loadavg().split()[0]))
                timeline.write(f"{elapsed:.0f} s\t{total / 1024:.0f} MB\tload {loadavg()}\n")
                timeline.flush()
                next_line = elapsed + 5
            time.sleep(0.1)
        seconds = time.monotonic() - started
        out.seek(0)
        lines = out.read().strip().splitlines()
    return {"seconds": round(seconds, 1), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1), "peak_mb": round(peak_sum / 1024), "peak_one_mb": round(peak_one / 1024),
            "code": process.returncode, "last_line": (lines or [""])[-1], "load_before": before, "load_after": loadavg(),
            "load_during": f"{min(loads, default=0):.1f}-{max(loads, default=0):.1f}"}


def report(results: dict, key: str, label: str, result: dict, count: int | None = None) -> None:
    results[key] = dict(result, label=label, count=count)
    rate = f", {count / result['seconds']:.1f}/s" if count else ""
    print(f"{label}: {result['seconds']:.1f} s{rate}, {result.get('cpu_seconds', 0):.1f} s of CPU, peak RSS {result['peak_mb']} MB (largest process "
          f"{result['peak_one_mb']} MB), exit {result['code']}, load {result['load_before']} -> {result['load_after']}"
          + (f" (1-min load {result['load_during']} during)" if result.get("load_during") else ""))
    print(f"    {result['last_line']}", flush=True)


def new_site(path: Path, python: str, root: Path = REPO) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([python, str(root / "build.py"), "init", str(path), "--base-url", "http://localhost:8000/"],
                   check=True, capture_output=True)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pool", type=Path, required=True, help="pages gathered by bench/real_pages.py")
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--warc-mb", type=int, default=1024)
    parser.add_argument("--images-per-page", type=int, default=2)
    parser.add_argument("--video-mb", type=float, default=0, help="a video record of this size beside each crawled page")
    parser.add_argument("--distinct", type=int, help="use this many of the pool's pages (every k-th), not all")
    parser.add_argument("--together", action="store_true", help="run the import and plain trafilatura at the same time")
    parser.add_argument("--no-plain", action="store_true", help="the import alone, without plain trafilatura beside it")
    parser.add_argument("--baseline-root", type=Path, help="another checkout whose import runs on the same inputs too")
    parser.add_argument("--shuffle", action="store_true", help="the distinct pages in a seeded random order")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--steps", default="distinct,pages,warc,build,sample")
    parser.add_argument("--sample", type=int, default=300, help="articles of the site the accept kit checks")
    parser.add_argument("--work-dir", type=Path, default=REPO / "bench" / "work" / "import-scale")
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    steps = set(args.steps.split(","))
    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    build_py, jobs = str(REPO / "build.py"), (["--jobs", str(args.jobs)] if args.jobs else [])
    plain = [args.python, str(REPO / "bench" / "plain_trafilatura.py"), *jobs]
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    results: dict = {"commit": commit}
    pages = pool_pages(args.pool)
    if args.distinct and args.distinct < len(pages):  # every k-th page: each source keeps its share
        pages = pages[::len(pages) // args.distinct][:args.distinct]
    print(f"{len(pages)} distinct real pages at {commit}; load average {loadavg()}", flush=True)

    def import_into(name: str, inputs: Path, count: int, label: str, extra: list[str]) -> None:
        site = new_site(work / f"site-{name}", args.python)
        commands = {f"import-{name}": ([args.python, build_py, "import", str(inputs), "--keep-going", *extra, *jobs], site)}
        if not args.no_plain:
            commands[f"plain-{name}"] = ([*plain, str(inputs)], None)
        labels = {f"import-{name}": label, f"plain-{name}": f"{label}, plain trafilatura"}
        if args.baseline_root:
            base_site = new_site(work / f"site-{name}-baseline", args.python, args.baseline_root)
            commands[f"baseline-{name}"] = ([args.python, str(args.baseline_root / "build.py"), "import", str(inputs), "--keep-going",
                                             *extra, *jobs], base_site)
            labels[f"baseline-{name}"] = f"{label}, import of {args.baseline_root}"
        if args.together:  # side by side in time too: all see the same load
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(len(commands)) as threads:
                done = {key: threads.submit(measure, command, work / f"{key}.log", cwd) for key, (command, cwd) in commands.items()}
            for key, future in done.items():
                report(results, key, labels[key], future.result(), count)
        else:
            for key, (command, cwd) in commands.items():
                report(results, key, labels[key], measure(command, work / f"{key}.log", cwd), count)
        for key, (_, cwd) in commands.items():
            if cwd is not None:  # what the import left: its articles, and no temporary file
                written = sum(1 for _ in (cwd / "articles").rglob("*.md"))
                left = sorted(str(p.relative_to(cwd)) for p in cwd.rglob("*") if ".import-" in p.name)
                results[key].update(articles=written, leftovers=left)
                print(f"    {written} articles written; temporary files left: {len(left)} {left[:3]}", flush=True)

    if "distinct" in steps:
        shutil.rmtree(work / "distinct", ignore_errors=True)
        (work / "distinct").mkdir()
        order = list(range(len(pages)))
        if args.shuffle:
            random.Random(27).shuffle(order)
        for rank, index in enumerate(order):
            name, page = pages[index]
            (work / "distinct" / (f"{rank:05d}-{name}.html" if args.shuffle else f"{name}.html")).write_bytes(page)
        import_into("distinct", work / "distinct", len(pages), f"{len(pages)} distinct real pages "
                    f"({sum(len(p) for _, p in pages) / 1e6:.0f} MB)", ["--date", "2024-06-01"])
    if "pages" in steps:
        shutil.rmtree(work / "pages", ignore_errors=True)
        size = write_pages(work / "pages", pages, args.pages)
        import_into("pages", work / "pages", args.pages, f"{args.pages} saved pages ({size / 1e6:.0f} MB)", ["--date", "2024-06-01"])
        shutil.rmtree(work / "pages", ignore_errors=True)
    crawl = work / "crawl.warc.gz"
    if steps & {"warc", "write-warc"}:  # write-warc: only write it (and its page count), to import it later
        if not crawl.is_file():
            size, count = write_crawl(crawl, pages, args.warc_mb, args.images_per_page, args.video_mb)
            (work / "crawl.count").write_text(str(count))
        size, count = crawl.stat().st_size, int((work / "crawl.count").read_text())
        print(f"WARC: {size / 2**20:.0f} MiB, {count} pages", flush=True)
    if "warc" in steps:
        import_into("warc", crawl, count, f"WARC.gz of {size / 2**20:.0f} MiB, {count} pages, "
                    f"{count * args.images_per_page} images" + (f", {count} videos of {args.video_mb} MB" if args.video_mb else ""), [])
    for name in ("pages", "warc", "distinct"):
        site = work / f"site-{name}"
        if "build" in steps and site.is_dir():
            articles = sum(1 for _ in (site / "articles").rglob("*.md"))
            report(results, f"build-{name}", f"build of the {name} site, {articles} articles",
                   measure([args.python, build_py, "build", *jobs], work / f"build-{name}.log", cwd=site), articles)
    if "sample" in steps and (work / "site-distinct").is_dir():
        sample = new_site(work / "site-sample", args.python)
        found = sorted((work / "site-distinct" / "articles").rglob("*.md"))
        for source in found[::max(1, len(found) // args.sample)][:args.sample]:
            target = sample / "articles" / source.relative_to(work / "site-distinct" / "articles")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            for image in source.parent.glob(source.stem + ".*"):
                if image.suffix != ".md":
                    shutil.copy2(image, target.parent / image.name)
        report(results, "build-sample", f"build of a sample of {args.sample} articles",
               measure([args.python, build_py, "build", *jobs], work / "build-sample.log", cwd=sample), args.sample)
        kit = measure([*ACCEPT, str(sample / "_site"), "--base-url", "http://localhost:8000/", "--out", str(work / "accept")],
                      work / "accept.log")
        report(results, "accept-sample", "accept kit on the sample", kit)
    (work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"load average after: {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
