"""Import at scale with real pages: 10,000 saved pages and a 1 GB WARC, built from the 181 real
article pages of the ScrapingHub article-extraction benchmark (MIT licence; loaded at bench
time from a clone, never committed), each copy made distinct (its own URL, and a comment in
its <head>, so that its digest differs), plus, in the crawl, lead images, 404s, stylesheets
and revisits as real crawls have them.

    git clone https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb
    .venv/bin/python bench/import_scale.py --benchmark /tmp/aeb --pages 10000 --warc-mb 1024 [--jobs N]

`--benchmark` is a clone (or a bare git directory) holding html/*.html.gz. Prints, for each
input, the wall-clock time of `build.py import` and the peak resident memory of the import
process and its workers together (sampled every 0.1 s from /proc, see import_bench.py), with
the load average before and after: the machine may be shared.
"""
from __future__ import annotations

import argparse
import gzip
import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import REPO, tree_rss_kb  # noqa: E402

DEFAULT_BENCHMARK = Path("/work/.mirror/scrapinghub+article-extraction-benchmark/repo")


def real_pages(benchmark: Path) -> list[tuple[str, bytes]]:
    """(name, HTML bytes) of the benchmark's pages, from a work tree or a bare git directory."""
    folder = benchmark / "html"
    if folder.is_dir():
        return [(p.name.split(".")[0], gzip.decompress(p.read_bytes())) for p in sorted(folder.glob("*.html.gz"))]
    names = subprocess.run(["git", f"--git-dir={benchmark}", "ls-tree", "--name-only", "HEAD", "html/"],
                           capture_output=True, text=True, check=True).stdout.split()
    pages = []
    for name in sorted(n for n in names if n.endswith(".html.gz")):
        data = subprocess.run(["git", f"--git-dir={benchmark}", "show", f"HEAD:{name}"], capture_output=True, check=True).stdout
        pages.append((name.split("/")[-1].split(".")[0], gzip.decompress(data)))
    return pages


def distinct(page: bytes, copy: int) -> bytes:
    """The same page with a comment that makes its bytes (and so its import digest) its own."""
    marker = f"<!-- copy {copy} -->".encode()
    at = page.lower().find(b"<head")
    at = page.find(b">", at) + 1 if at >= 0 else 0
    return page[:at] + marker + page[at:]


def write_pages(folder: Path, pages: list[tuple[str, bytes]], count: int) -> int:
    total = 0
    for i in range(count):
        name, page = pages[i % len(pages)]
        data = distinct(page, i // len(pages))
        path = folder / f"{i // 1000:03d}" / f"{name[:12]}-{i:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def write_crawl(path: Path, pages: list[tuple[str, bytes]], target_mb: int) -> tuple[int, int]:
    """An uncompressed WARC of `target_mb` MB: real pages under their own URLs, a JPEG-looking
    lead image for every fourth page, a 404 every twentieth, a stylesheet and its revisits."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(11)
    count = 0
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=False)

        def put(url: str, status: str, content_type: str, body: bytes, date: str) -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": date}))

        put("https://crawl.example/static/site.css", "200 OK", "text/css", b"body { margin: 0 }\n" * 200, "2024-06-01T00:00:00Z")
        i = 0
        while output.tell() < target_mb * 1024 * 1024:
            name, page = pages[i % len(pages)]
            date = f"2024-06-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"
            put(f"https://crawl.example/{name[:16]}/{i}", "200 OK", "text/html", distinct(page, i), date)
            count += 1
            if i % 4 == 0:
                put(f"https://crawl.example/img/{i}.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff\xe0" + rng.randbytes(120_000), date)
            if i % 20 == 0:
                put(f"https://crawl.example/gone/{i}", "404 Not Found", "text/html", b"<h1>Not found</h1>", date)
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
                revisit = writer.create_revisit_record("https://crawl.example/static/site.css", "sha1:AAAA",
                                                       "https://crawl.example/static/site.css", "2024-06-01T00:00:00Z", http_headers=http)
                writer.write_record(revisit)
            i += 1
    return path.stat().st_size, count


def measure(args: list[str], logs: Path) -> dict:
    """Run `args`, its output to files (a pipe left unread blocks an import that warns a lot),
    sampling the resident memory of it and its workers every 0.1 s."""
    import tempfile
    import time
    with tempfile.TemporaryFile("w+") as out, open(logs, "w") as err:
        started = time.monotonic()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        peak_sum = peak_one = 0
        while process.poll() is None:
            total, largest = tree_rss_kb(process.pid)
            peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
            time.sleep(0.1)
        seconds = time.monotonic() - started
        out.seek(0)
        lines = out.read().strip().splitlines()
    return {"seconds": seconds, "peak_mb": peak_sum / 1024, "peak_one_mb": peak_one / 1024, "code": process.returncode,
            "last_line": (lines or [""])[-1]}


def report(label: str, result: dict) -> None:
    print(f"{label} in {result['seconds']:.1f} s, peak RSS {result['peak_mb']:.0f} MB "
          f"(largest process {result['peak_one_mb']:.0f} MB), exit {result['code']}")
    print(f"    {result['last_line']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--warc-mb", type=int, default=1024)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--work-dir", type=Path, default=REPO / "bench" / "work" / "import-scale")
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    pages = real_pages(args.benchmark)
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"{len(pages)} real pages; load average before: {open('/proc/loadavg').read().split()[:3]}")
    for name in ("pages", "warc"):
        (work / f"site-{name}" / "articles").mkdir(parents=True)
        (work / f"site-{name}" / "config.yaml").write_text("title: Bench\nbase_url: https://bench.example/\n", encoding="utf-8")
    if args.pages:
        size = write_pages(work / "pages", pages, args.pages)
        result = measure([args.python, str(REPO / "build.py"), "import", str(work / "pages"), "--date", "2024-06-01",
                          "--keep-going", "--config", str(work / "site-pages" / "config.yaml"), *jobs], work / "pages.log")
        report(f"{args.pages} saved pages ({size / 1e6:.0f} MB, {args.pages / result['seconds']:.1f} pages/s)", result)
        print(f"    load average: {open('/proc/loadavg').read().split()[:3]}")
    if args.warc_mb:
        size, count = write_crawl(work / "crawl.warc", pages, args.warc_mb)
        result = measure([args.python, str(REPO / "build.py"), "import", str(work / "crawl.warc"), "--keep-going",
                          "--config", str(work / "site-warc" / "config.yaml"), *jobs], work / "warc.log")
        report(f"WARC of {size / 2**20:.0f} MiB, {count} pages ({count / result['seconds']:.1f} pages/s, "
               f"{size / 2**20 / result['seconds']:.2f} MiB/s)", result)
    print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
