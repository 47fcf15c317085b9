"""Import throughput: N generated raw-text files and a generated WARC of a given size.

    .venv/bin/python bench/import_bench.py --files 10000 --warc-mb 220 [--jobs N] [--work-dir DIR]

Prints files/s, MB/s and the peak memory (resident set of the import process and its
workers together, sampled every 0.1 s from /proc) for each, plus the peak of the largest
single process. Inputs are generated here (deterministic); nothing is downloaded.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("port strike harbour council minister budget election weather storm rail fares energy prices "
         "market union talks agreement court ruling hospital school water drought festival match league").split()
LANGS = {
    "fr": ("Économie", "Lire aussi :", "Partager Cet Article", "SOURCE: Agence"),
    "en": ("Business", "Read more:", "Share This Article", "SOURCE: Wire"),
    "es": ("Economía", "Leer también:", "Compartir este artículo", "FUENTE: Agencia"),
    "ar": ("اقتصاد", "اقرأ أيضا:", "شارك هذا المقال", "المصدر: وكالة"),
}


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def title_of(i: int) -> str:
    rng = random.Random(i)
    return f"{sentence(rng, 7)} {i}"


def write_raw(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        rng = random.Random(1000 + i)
        lang = list(LANGS)[i % 4]
        section, read_also, share, source = LANGS[lang]
        lines = [section if i % 3 else "", "", title_of(i), "", f"{sentence(rng, 20)}. (AFP photo)", ""]
        for p in range(rng.randint(4, 10)):
            lines += [sentence(rng, rng.randint(30, 70)) + ".", ""]
            if p == 2:
                lines += [f"{read_also} {title_of(rng.randrange(count))}", ""]
        lines += [share, source]
        data = "\n".join(lines).lstrip("\n").encode("utf-8")
        path = folder / f"{i // 1000:03d}" / f"{i:06d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def page_html(i: int, rng: random.Random, dated: bool) -> bytes:
    nav = "".join(f'<li><a href="/s/{w}">{w}</a></li>' for w in WORDS)
    paragraphs = "".join(f"<p>{sentence(rng, rng.randint(40, 80))}.</p>" for _ in range(rng.randint(6, 12)))
    meta = f'<meta property="article:published_time" content="2023-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+01:00">' if dated else ""
    script = "<script>var analytics = {" + ",".join(f'"k{n}": {n}' for n in range(400)) + "};</script>"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title_of(i)} - Wire</title>'
            f'<meta property="og:title" content="{title_of(i)}">{meta}<meta property="og:site_name" content="Wire">'
            f'<meta property="og:image" content="https://wire.example/img/{i}.jpg">{script}</head><body>'
            f'<div class="cookies">We use cookies <button>OK</button></div><nav><ul>{nav}</ul></nav>'
            f"<main><article><h1>{title_of(i)}</h1>{paragraphs}</article>"
            f'<aside><h2>Most read</h2><ul>{nav}</ul></aside></main><footer>Copyright Wire {nav}</footer></body></html>').encode()


def write_warc(path: Path, target_mb: int) -> tuple[int, int]:
    sys.path.insert(0, str(REPO))
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    rng = random.Random(7)
    pages = 0
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=False)

        def put(url: str, status: str, content_type: str, body: bytes) -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2024-01-01T00:00:00Z"}))
        i = 0
        while output.tell() < target_mb * 1_000_000:
            url = f"https://wire.example/news/{i}"
            put(url, "200 OK", "text/html; charset=utf-8", page_html(i, rng, dated=i % 10 != 0))
            pages += 1
            if i % 4 == 0:
                put(f"https://wire.example/img/{i}.jpg", "200 OK", "image/jpeg", rng.randbytes(150_000))
            if i % 20 == 0:
                put(f"https://wire.example/gone/{i}", "404 Not Found", "text/html", b"<h1>Not found</h1>")
            i += 1
    return path.stat().st_size, pages


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """(sum, largest) resident set of `pid` and its descendants, in kB."""
    pids, found = [pid], []
    while pids:
        current = pids.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pids += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    sizes = []
    for p in found:
        try:
            with open(f"/proc/{p}/status") as handle:
                sizes += [int(line.split()[1]) for line in handle if line.startswith("VmRSS:")]
        except OSError:
            pass
    return sum(sizes), max(sizes, default=0)


def measure(args: list[str]) -> dict:
    started = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_sum = peak_one = 0
    while process.poll() is None:
        total, largest = tree_rss_kb(process.pid)
        peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
        time.sleep(0.1)
    out, err = process.communicate()
    return {"seconds": time.monotonic() - started, "peak_mb": peak_sum / 1024, "peak_one_mb": peak_one / 1024,
            "code": process.returncode, "last_line": (out.strip().splitlines() or [""])[-1], "err": err[-2000:]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--warc-mb", type=int, default=220)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--work-dir", type=Path, default=REPO / "bench" / "work" / "import")
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"load average before: {open('/proc/loadavg').read().split()[:3]}")
    for name in ("raw", "warc"):
        site = work / f"site-{name}"
        (site / "articles").mkdir(parents=True)
        (site / "config.yaml").write_text("title: Bench\nbase_url: https://bench.example/\n", encoding="utf-8")
    if args.files:
        size = write_raw(work / "raw", args.files)
        result = measure([args.python, str(REPO / "build.py"), "import", str(work / "raw"), "--date", "2021-05-15",
                          "--config", str(work / "site-raw" / "config.yaml"), *jobs])
        print(f"raw text: {args.files} files, {size / 1e6:.1f} MB in {result['seconds']:.1f} s: "
              f"{args.files / result['seconds']:.0f} files/s, {size / 1e6 / result['seconds']:.2f} MB/s, "
              f"peak RSS {result['peak_mb']:.0f} MB (largest process {result['peak_one_mb']:.0f} MB)")
        print(f"    {result['last_line']}" + (f"\n{result['err']}" if result["code"] else ""))
    if args.warc_mb:
        size, pages = write_warc(work / "crawl.warc", args.warc_mb)
        result = measure([args.python, str(REPO / "build.py"), "import", str(work / "crawl.warc"),
                          "--config", str(work / "site-warc" / "config.yaml"), *jobs])
        print(f"WARC: {size / 1e6:.0f} MB, {pages} pages in {result['seconds']:.1f} s: {pages / result['seconds']:.0f} pages/s, "
              f"{size / 1e6 / result['seconds']:.2f} MB/s, peak RSS {result['peak_mb']:.0f} MB (largest process {result['peak_one_mb']:.0f} MB)")
        print(f"    {result['last_line']}" + (f"\n{result['err']}" if result["code"] else ""))
    print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
