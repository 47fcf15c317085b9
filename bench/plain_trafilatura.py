"""Plain trafilatura over the same inputs as `build.py import`, for a side-by-side figure: every
saved page of a folder, or every HTML response of a WARC, extracted with
`trafilatura.extract(..., output_format="markdown", with_metadata=True)` (links, formatting and
tables kept, as the import asks) in a pool of `--jobs` processes. Nothing is written: the
import also decodes, dates, tidies terms and writes files, so this is a floor, not a twin.

    .venv/bin/python bench/plain_trafilatura.py FOLDER_OR_WARC [--jobs 2]
"""
from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CHUNK = 32
OPTIONS = {"output_format": "markdown", "with_metadata": True, "include_links": True, "include_formatting": True,
           "include_tables": True, "include_images": False, "include_comments": False}


def extract_all(pages: list[bytes]) -> tuple[int, int]:
    """(pages with a text, characters extracted)."""
    import trafilatura
    found = chars = 0
    for data in pages:
        try:
            text = trafilatura.extract(data, **OPTIONS)
        except Exception:  # count it as no text, as the import counts a page it cannot extract
            text = None
        if text:
            found += 1
            chars += len(text)
    return found, chars


def folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith((".html", ".htm", ".html.gz")))


def folder_chunks(folder: Path):
    """(pages, bytes of the files read so far)."""
    position = 0
    names = folder_files(folder)
    for start in range(0, len(names), CHUNK):
        chunk = []
        for path in names[start:start + CHUNK]:
            data = path.read_bytes()
            position += len(data)
            chunk.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
        yield chunk, position


def warc_chunks(path: Path):
    from warcio.archiveiterator import ArchiveIterator

    from real_pages import is_html_page
    chunk = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if not is_html_page(record):
                continue
            chunk.append(record.content_stream().read())
            if len(chunk) == CHUNK:
                yield chunk, handle.tell()
                chunk = []
        if chunk:
            yield chunk, handle.tell()


class Tenths:
    """A line on stderr at each tenth of the input's bytes done (of a WARC: its compressed bytes read)."""

    def __init__(self, total_bytes: int):
        self.total, self.done_bytes, self.done_files, self.next = max(total_bytes, 1), 0, 0, 10
        self.started = time.monotonic()

    def advance(self, files: int, position: int) -> None:
        self.done_files, self.done_bytes = self.done_files + files, position
        percent = 100 * self.done_bytes // self.total
        if self.next <= percent < 100:
            print(f"plain trafilatura: {percent}% ({self.done_files} files, {self.done_bytes / 1e6:.1f} MB, "
                  f"{time.monotonic() - self.started:.0f} s)", file=sys.stderr, flush=True)
            self.next = percent // 10 * 10 + 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    chunks = warc_chunks(args.path) if args.path.is_file() else folder_chunks(args.path)
    progress = Tenths(args.path.stat().st_size if args.path.is_file() else sum(p.stat().st_size for p in folder_files(args.path)))
    pages = found = chars = 0
    with ProcessPoolExecutor(args.jobs) as pool:
        in_flight = []
        for chunk, position in chunks:  # a few chunks in flight, so memory stays flat as in the import
            pages += len(chunk)
            in_flight.append((len(chunk), position, pool.submit(extract_all, chunk)))
            while len(in_flight) >= 2 * args.jobs:
                count, at, future = in_flight.pop(0)
                done = future.result()
                found, chars = found + done[0], chars + done[1]
                progress.advance(count, at)
        for count, at, future in in_flight:
            done = future.result()
            found, chars = found + done[0], chars + done[1]
            progress.advance(count, at)
    print(f"plain trafilatura: read {pages} pages, extracted {found}, {chars} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
