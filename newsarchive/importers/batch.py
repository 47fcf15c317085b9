"""Finding the inputs and parsing them in parallel, with a progress display: the reading side
of an import (the writer is the writing side).

Files are parsed in a process pool, a chunk at a time; a WARC is read record by record in
this process and its pages are parsed in the pool with a bounded number in flight, so memory
stays flat however large the crawl.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from ..errors import BuildError, Problem, warning
from ..safepaths import resolves_inside
from . import mhtml, terms
from .dates import file_time
from .html import parse_page
from .model import ImportedArticle, ImportSettings, Skipped
from .provenance import provenance
from .text import parse_text
from .payload import gunzip_at_most
from .captures import capture_instant, page_address
from .credentials import encoded_url
from .warc import RECORD_CAP, CrawledImage, CrawledPage, CrawledRevisit, scan_records

TEXT_SUFFIXES = (".txt",)
# gzipped as crawlers and benchmark sets keep them; .xhtml and .shtml as a mirror of an old site (wget) keeps them
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".xhtml", ".xht", ".shtml", *mhtml.SUFFIXES)
# the folder a browser saves a page's pictures, scripts and frames into, beside it ("Page_files" of Chrome and
# Firefox; "Page-Dateien", "Page_fichiers"… of older localised browsers): parts of that page, never articles
_SAVED_PAGE_PARTS = ("_files", "-Dateien", "_fichiers", "_archivos", "_arquivos", "_bestanden", "-filer", "_tiedostot")
WARC_SUFFIXES = (".warc", ".warc.gz")
FILES_PER_TASK = 64
IN_FLIGHT_BYTES = 64 * 1024 * 1024  # crawled pages sent to the pool and not parsed yet, at most (one larger page alone)


@dataclass(frozen=True, slots=True)
class InputFile:
    abs_path: str
    shown: str  # as the user would type it
    kind: str  # "text", "html" or "warc"
    size: int
    name: str = ""  # relative to the path given to import (its own name for a file): what provenance records


@dataclass(frozen=True, slots=True)
class StoredImage:
    warc_path: str
    offset: int
    content_type: str


Result = ImportedArticle | Skipped | Problem


def kind_of(name: str) -> str | None:
    lower = name.lower()
    for kind, suffixes in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if lower.endswith(suffixes):
            return kind
    return None


def printable_name(name: str) -> str:
    """A file name as text that can be printed and written: the bytes of a name that is not UTF-8
    (an old Latin-1 name from a Windows disk or a zip) shown as \\xe9 escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def saved_page_parts(folder: str, files: list[str]) -> bool:
    """Whether `folder` is the folder of a saved page's own parts: "Page_files" beside "Page.html"
    (its frames, saved as `saved_resource.html`, are advertisements and widgets, not articles)."""
    pages = {f.rsplit(".", 1)[0].casefold() for f in files if kind_of(f) == "html"}
    return any(folder.endswith(suffix) and folder[:-len(suffix)].casefold() in pages for suffix in _SAVED_PAGE_PARTS)


def find_inputs(paths: list[Path]) -> tuple[list[InputFile], list[Problem]]:
    """Files given, and files of the kinds we import under folders given (sorted walk); a symlink
    that leads outside the folder it was found in is refused with a warning. Names that are not
    UTF-8 are read, and shown and recorded with escapes (printable_name)."""
    found: list[InputFile] = []
    problems: list[Problem] = []
    for path in paths:
        shown_root = printable_name(str(path))
        if not path.exists():
            problems.append(Problem("no such file or folder", shown_root, hint="check the path"))
        elif path.is_file():
            kind = kind_of(path.name)
            if kind is None:
                problems.append(Problem("not a file that can be imported", shown_root, hint="import .txt (scraped text), .html/.htm/.html.gz/.xhtml/.shtml/.mhtml (saved pages) and .warc/.warc.gz (crawls)"))
            else:
                found.append(InputFile(str(path), shown_root, kind, path.stat().st_size, printable_name(path.name)))
        else:
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not saved_page_parts(d, files))
                for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(folder, d))):
                    abs_path = os.path.join(folder, name)
                    shown = os.path.join(shown_root, printable_name(os.path.relpath(abs_path, path)))
                    if name.startswith("."):
                        continue
                    if os.path.islink(abs_path) and not resolves_inside(abs_path, path):
                        problems.append(warning(f"this symlink leads outside {shown_root}; it was not read", shown,
                                                hint="copy the file into the folder you import, or import its real location"))
                        continue
                    kind = kind_of(name)
                    if kind and os.path.isfile(abs_path):
                        found.append(InputFile(abs_path, shown, kind, os.path.getsize(abs_path),
                                               printable_name(os.path.relpath(abs_path, path).replace(os.sep, "/"))))
    return found, problems


def parse_inputs(inputs: list[InputFile], settings: ImportSettings, jobs: int, progress: "Progress") -> Iterator[Result | CrawledImageAt]:
    """Every result, files first (in input order), then each crawl's pages and images."""
    files = [i for i in inputs if i.kind != "warc"]
    crawls = [i for i in inputs if i.kind == "warc"]
    pool = ProcessPoolExecutor(jobs, initializer=_end_with_parent, initargs=(os.getpid(),)) if jobs > 1 else None
    finished = False
    try:
        chunks = [files[i:i + FILES_PER_TASK] for i in range(0, len(files), FILES_PER_TASK)]
        if pool is None:
            results_of_chunks = (_parse_files(chunk, settings) for chunk in chunks)
        else:
            results_of_chunks = pool.map(_parse_files, chunks, [settings] * len(chunks))
        for chunk, results in zip(chunks, results_of_chunks):
            progress.advance(sum(i.size for i in chunk), len(chunk))
            yield from results
        payloads: dict[str, tuple[str, int, str | None]] = {}  # digest → (WARC, offset, charset) of each page read
        waiting: list[tuple[CrawledRevisit, str]] = []  # revisits of a payload not read yet (in a crawl given later)
        for crawl in crawls:
            yield from _parse_crawl(crawl, settings, pool, jobs, progress, payloads, waiting)
        for revisit, name in waiting:
            page = _revisited(revisit, payloads.get(revisit.digest))
            yield _parse_crawled(page, settings, name) if page is not None else Skipped(revisit.origin, "duplicate capture")
        finished = True
    finally:
        if pool is not None and finished:
            pool.shutdown()
        elif pool is not None:
            _stop_workers(pool)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """An import stopped early (SIGTERM, Ctrl-C, an error): its workers end now. Waiting for them
    (shutdown) meant parsing the pages they already held, 64 to a task and a task queued behind
    each: minutes on a loaded machine, during which the stopped import went on using the CPU."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # Python 3.14 has terminate_workers()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)


@dataclass(frozen=True, slots=True)
class CrawledImageAt:
    url: str
    stored: StoredImage


def _parse_files(chunk: list[InputFile], settings: ImportSettings) -> list[Result]:
    results = []
    for item in chunk:
        try:
            with open(item.abs_path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            results.append(Problem(f"cannot be read: {exc.strerror}", item.shown))
            continue
        if item.kind == "html" and data[:2] == b"\x1f\x8b":  # page.html.gz, or a page saved with its Content-Encoding
            try:
                data = gunzip_at_most(data, RECORD_CAP)
            except ValueError:
                results.append(Problem("not an HTML page: it starts like gzip but cannot be decompressed", item.shown))
                continue
            if len(data) > RECORD_CAP:
                results.append(Problem(f"not imported: the page is larger than {RECORD_CAP // (1024 * 1024)} MB once decompressed", item.shown))
                continue
        captured = file_time(item.abs_path)
        options = {}
        if item.abs_path.lower().endswith(mhtml.SUFFIXES):  # a page saved as one file with its pictures
            page = mhtml.saved_page(data)
            if page is None:
                results.append(Problem("not a saved page: this MHTML file holds no HTML part", item.shown))
                continue
            data, options = page.html, {"charset": page.charset, "url": page.url}
        result = parse_text(data, item.shown, settings, captured) if item.kind == "text" else _guarded_page(
            data, item.shown, settings, captured=captured, **options)
        if isinstance(result, ImportedArticle):
            result = replace(result, provenance=provenance(result.source_url, captured, item.name or os.path.basename(item.abs_path),
                                                           result.identity, item.kind))
        results.append(terms.tidy(result, settings.slug_style) if isinstance(result, ImportedArticle) else result)
    return results


def _guarded_page(data: bytes, origin: str, settings: ImportSettings, **options) -> Result:
    """A page the extraction libraries choke on is a problem naming it, not a stopped import."""
    try:
        return parse_page(data, origin, settings, **options)
    except BuildError:
        raise
    except Exception as exc:  # trafilatura/lxml raise many kinds on malformed markup
        return Problem(f"the page could not be extracted ({type(exc).__name__}: {exc})", origin)


def _parse_crawled(page: CrawledPage, settings: ImportSettings, name: str = "") -> Result:
    result = _guarded_page(page.payload, page.origin, settings, url=page.url, in_crawl=True, captured=page.captured,
                           charset=page.charset)
    if not isinstance(result, ImportedArticle):
        return result
    record = provenance(encoded_url(page.url), page.captured, name, result.identity, "html", page.record, page.digest)
    undated = () if capture_instant(page.captured) is not None else (  # no bound after which its date cannot be
        (f"its WARC-Date {page.captured!r} is no date" if page.captured.strip() else "its record has no WARC-Date")
        + ": the capture time is unknown, and the page's date was not checked against it",)
    return terms.tidy(replace(result, captured=page.captured, captured_url=page.url, source_url=result.source_url or page_address(encoded_url(page.url)),
                              provenance=record, warnings=result.warnings + undated), settings.slug_style)


def _revisited(revisit: CrawledRevisit, where: tuple[str, int, str | None] | None) -> CrawledPage | None:
    """A revisit as the page it says was still there at its time (the payload it revisits, read
    again in a handle of its own); None when that payload was not read (its WARC not given)."""
    if where is None:
        return None
    from .warc import read_payload
    path, offset, charset = where
    try:
        with open(path, "rb") as handle:
            payload = read_payload(handle, offset)
    except Exception:  # the record read once is damaged the second time: the revisit is only a duplicate
        return None
    if payload is None:
        return None
    return CrawledPage(revisit.origin, revisit.url, revisit.captured, offset, payload, charset, revisit.record, revisit.digest)


def _end_with_parent(parent: int) -> None:
    """Pool initializer: a worker whose import is killed (SIGKILL, the OOM killer) ends within a
    second, instead of waiting on its queue for ever with its memory (the pool's own clean-up
    never runs in a killed process). The stop signals' handlers of the import (inherited by the
    fork) are undone: SIGTERM ends a worker, Ctrl-C is the parent's to handle."""
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)
    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _parse_crawl(crawl: InputFile, settings: ImportSettings, pool, jobs: int, progress: "Progress",
                 payloads: dict | None = None, waiting: list | None = None) -> Iterator[Result | CrawledImageAt]:
    """`payloads`, `waiting`: shared by the run's crawls, so a revisit finds the payload it
    revisits in any crawl, given before or after its own (parse_inputs reads the late ones)."""
    payloads = {} if payloads is None else payloads
    waiting = [] if waiting is None else waiting
    in_flight: list[tuple[Future, int]] = []  # and the page's size: a crawl of 32 MB pages must not hold 16 of them
    limit = max(4, jobs * 8)
    done_bytes = 0
    try:
        handle = open(crawl.abs_path, "rb")
    except OSError as exc:
        yield Problem(f"cannot be read: {exc.strerror}", crawl.shown)
        return
    with handle:
        records = scan_records(handle, crawl.shown)
        while True:
            try:
                with contextlib.redirect_stderr(io.StringIO()):  # warcio prints its own warnings there
                    item = next(records)
            except StopIteration:
                break
            except Exception as exc:  # warcio raises its own errors and zlib/EOF errors on a damaged crawl
                yield Problem(f"damaged WARC after byte {done_bytes}: {exc}", crawl.shown,
                              hint="the records before the damage can be imported with --keep-going")
                break
            position = handle.tell()
            progress.advance(position - done_bytes, 0)
            done_bytes = position
            if isinstance(item, CrawledRevisit):
                page = _revisited(item, payloads.get(item.digest))
                if page is None:
                    waiting.append((item, crawl.name or os.path.basename(crawl.abs_path)))
                    continue
                item = page
            elif isinstance(item, CrawledPage) and item.digest:
                payloads.setdefault(item.digest, (crawl.abs_path, item.offset, item.charset))
            if isinstance(item, CrawledImage):
                yield CrawledImageAt(item.url, StoredImage(crawl.abs_path, item.offset, item.content_type))
            elif isinstance(item, CrawledPage):
                if pool is None:
                    yield _parse_crawled(item, settings, crawl.name or os.path.basename(crawl.abs_path))
                else:
                    in_flight.append((pool.submit(_parse_crawled, item, settings, crawl.name or os.path.basename(crawl.abs_path)),
                                      len(item.payload)))
                    while len(in_flight) >= limit or (len(in_flight) > 1 and sum(size for _, size in in_flight) > IN_FLIGHT_BYTES):
                        yield in_flight.pop(0)[0].result()
            else:
                yield item
        for future, _ in in_flight:
            yield future.result()
        progress.advance(crawl.size - done_bytes, 1)


class Progress:
    """A rich progress bar on a terminal; plain lines (every 10 %) when stderr is not one."""

    def __init__(self, total_bytes: int, total_files: int, stream=None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.total_bytes, self.total_files = max(total_bytes, 1), total_files
        self.done_bytes = self.done_files = 0
        self.next_report = 10
        self.started = time.monotonic()
        self.enabled = enabled
        self.bar = None
        if enabled and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress as RichProgress, TextColumn, TimeRemainingColumn
            self.bar = RichProgress(TextColumn("importing"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[files]} files"),
                                    TimeRemainingColumn(), console=Console(file=self.stream), transient=True)
            self.task = self.bar.add_task("import", total=self.total_bytes, files=0)
            self.bar.start()

    def advance(self, size: int, files: int) -> None:
        self.done_bytes += size
        self.done_files += files
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done_bytes, files=self.done_files)
        elif self.enabled:
            percent = 100 * self.done_bytes // self.total_bytes
            if percent >= self.next_report and percent < 100:
                print(f"importing: {percent}% ({self.done_files} of {self.total_files} files, {self.done_bytes / 1e6:.1f} MB, "
                      f"{time.monotonic() - self.started:.0f} s)", file=self.stream, flush=True)
                self.next_report = percent // 10 * 10 + 10

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def image_reader(images: dict[str, StoredImage]) -> Callable[[str], bytes | None]:
    from .warc import read_payload

    def read(url: str) -> bytes | None:
        stored = images.get(url)
        if stored is None:
            return None
        try:
            with open(stored.warc_path, "rb") as handle:
                return read_payload(handle, stored.offset)
        except Exception:  # a damaged record: the article is kept without its image
            return None
    return read
