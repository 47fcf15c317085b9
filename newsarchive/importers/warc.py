"""WARC records → pages to import, images a page may use as its lead image, and skips counted
by kind. warcio reads the records one at a time, so memory does not grow with the crawl.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterator

from ..extras import require
from .decode import http_charset
from .model import Skipped

PURPOSE = "importing WARC crawls"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class CrawledPage:
    origin: str  # "crawl.warc.gz: URL"
    url: str
    captured: str  # WARC-Date
    offset: int
    payload: bytes
    charset: str | None = None  # the HTTP Content-Type's charset label: it wins over the page's <meta>


@dataclass(frozen=True, slots=True)
class CrawledImage:
    url: str
    content_type: str
    offset: int


class DamagedWarcError(Exception):
    pass


def scan_records(stream: BinaryIO, name: str) -> Iterator[CrawledPage | CrawledImage | Skipped]:
    """Every capture of the crawl, classified; warcinfo, request and metadata records are not captures."""
    archive = require("warcio.archiveiterator", "import", PURPOSE)
    records = archive.ArchiveIterator(stream)
    for record in records:
        if record.rec_type not in ("response", "resource", "revisit"):
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        origin = f"{name}: {url}"
        if record.rec_type == "revisit":
            yield Skipped(origin, "duplicate capture")
            continue
        status, content_type = 200, record.rec_headers.get_header("Content-Type") or ""
        if record.http_headers is not None:
            status = int(record.http_headers.get_statuscode() or 0)
            content_type = record.http_headers.get_header("Content-Type") or ""
        kind = content_type.split(";")[0].strip().lower()
        payload = record.content_stream().read() if kind in HTML_TYPES and status == 200 else b""
        offset = records.get_record_offset()
        if status == 404 or status == 410:
            yield Skipped(origin, "not found (404)")
        elif 300 <= status < 400:
            yield Skipped(origin, "redirect")
        elif status != 200:
            yield Skipped(origin, f"HTTP {status}")
        elif kind in HTML_TYPES:
            yield CrawledPage(origin, url, record.rec_headers.get_header("WARC-Date") or "", offset, payload, http_charset(content_type))
        elif kind.startswith("image/"):
            yield CrawledImage(url, kind, offset)
        else:
            yield Skipped(origin, {"text/css": "stylesheet", "application/javascript": "script", "text/javascript": "script"}.get(kind, "not a page"))
    if records.err_count:
        raise DamagedWarcError(f"{records.err_count} record(s) whose Content-Length does not match the data")


def read_payload(stream: BinaryIO, offset: int) -> bytes | None:
    """The payload of the record that starts at `offset` (each record of a .warc.gz is its own gzip member)."""
    archive = require("warcio.archiveiterator", "import", PURPOSE)
    stream.seek(offset)
    for record in archive.ArchiveIterator(stream):
        return record.content_stream().read()
    return None
