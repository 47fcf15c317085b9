"""WARC records → pages to import, images a page may use as its lead image, and skips counted
by kind. warcio reads the records one at a time, so memory does not grow with the crawl.

Real crawls are damaged: cut short by a full disk, a flipped byte in a gzip member, a
Content-Length that lies. A damaged record is a warning naming the file and the byte where
the record starts, and reading goes on at the next record found after it. No record is read
past `RECORD_CAP` bytes, whatever its compression ratio (a 510 KB gzip member can hold
512 MB of spaces) or its Transfer- and Content-Encoding (payload.py): a larger one is skipped
with a warning, drained in small reads; a header block past payload.HEADER_CAP is a damaged record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import BinaryIO, Iterator

from ..errors import Problem, warning
from ..extras import require
from .credentials import without_credentials
from .images_policy import whole_raster
from .decode import http_charset
from .whole_gzip import record_stream
from .payload import UndecodablePayload, UnknownEncoding, bounded_reader, read_at_most
from .model import Skipped

PURPOSE = "importing WARC crawls"
HTML_TYPES = ("text/html", "application/xhtml+xml")
RECORD_CAP = 32 * 1024 * 1024  # bytes of one record's payload read at most (pages and lead images)
SNIFF_BYTES = 64
_RESYNC_CHUNK = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_NOT_PAGES = {"text/css": "stylesheet", "application/javascript": "script", "text/javascript": "script",
              "application/x-javascript": "script"}


@dataclass(frozen=True, slots=True)
class CrawledPage:
    origin: str  # "crawl.warc.gz: URL"
    url: str
    captured: str  # WARC-Date
    offset: int
    payload: bytes
    charset: str | None = None  # the HTTP Content-Type's charset label: it wins over the page's <meta>
    record: str = ""  # WARC-Record-ID
    digest: str = ""  # WARC-Payload-Digest


@dataclass(frozen=True, slots=True)
class CrawledRevisit:
    """A capture of a page whose payload is one read before (WARC revisit, identical payload
    digest): the page was still so at `captured` (batch.py reads that payload again)."""
    origin: str
    url: str
    captured: str  # WARC-Date
    digest: str  # WARC-Payload-Digest, the same as the record it revisits
    record: str = ""


@dataclass(frozen=True, slots=True)
class CrawledImage:
    url: str
    content_type: str  # the format its bytes show (image/png…), "" when they are no raster image
    offset: int


def scan_records(stream: BinaryIO, name: str, cap: int = RECORD_CAP) -> Iterator[CrawledPage | CrawledRevisit | CrawledImage | Skipped | Problem]:
    """Every capture of the crawl, classified; warcinfo, request and metadata records are not
    captures. A damaged record gives a warning (a `Problem`) and reading resumes after it."""
    archive = require("warcio.archiveiterator", "import", PURPOSE)
    stream, whole = record_stream(stream)  # a .warc.gz compressed whole is read through its decompressed bytes
    of = " of its decompressed bytes" if whole else ""
    stream.seek(0)
    first = stream.read(len(_WARC_MAGIC))
    gzipped = first.startswith(b"\x1f\x8b")
    start = 0
    read_any = False
    while start is not None:
        stream.seek(start)
        records = archive.ArchiveIterator(stream)
        bounded_reader(records.reader)  # no header line or block read past payload.HEADER_CAP
        record_start, errors_before, resume = start, 0, None
        try:
            for record in records:
                read_any = True
                item = _classify(record, name, cap)
                offset = records.get_record_offset()  # from the file's start; reads the rest of the record (in small reads)
                record_start = offset + records.get_record_length()
                truncated = _shortfall(record)
                if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                    truncated = "cut short in its headers"
                if truncated:
                    # records its false Content-Length swallowed (a plain WARC) are read again from the next one found
                    resume = None if gzipped else _next_record_start(stream, offset + 1, gzipped)
                    yield warning(f"WARC record at byte {offset}{of} is cut short ({truncated}); what it holds was not imported"
                                  + (f"; reading resumed at byte {resume}{of}" if resume is not None else ""), name,
                                  hint="the crawl was probably interrupted while it was written, or the record's Content-Length is wrong")
                    if resume is not None:
                        break
                    continue
                if records.err_count > errors_before:
                    errors_before = records.err_count
                    resume = None if gzipped else _next_record_start(stream, offset + 1, gzipped)
                    if resume is not None and resume < record_start:  # its Content-Length reaches into the next record
                        if isinstance(item, CrawledPage):
                            item = replace(item, payload=_without_swallowed(item.payload, record_start - resume))
                        yield warning(f"WARC record at byte {offset}{of}: its Content-Length runs past its end into the record "
                                      f"at byte {resume}{of}; it was imported up to there, and reading resumed at byte {resume}{of}", name)
                        if item is not None:
                            yield _at(item, offset) if isinstance(item, (CrawledPage, CrawledImage)) else item
                        break
                    resume = None
                    yield warning(f"WARC record at byte {offset}{of}: its Content-Length does not match its data; "
                                  f"it was imported as read", name)
                if item is None:
                    continue
                if isinstance(item, (CrawledPage, CrawledImage)):
                    item = _at(item, offset)
                if isinstance(item, CrawledPage) and (cut := (record.rec_headers.get_header("WARC-Truncated") or "").strip()):
                    yield warning(f"WARC record at byte {offset}{of} was cut short by the crawler (WARC-Truncated: {cut[:40]}): "
                                  "its text may end early", item.origin)
                yield item
            else:
                resume = None
            error = None
        except Exception as exc:  # warcio, zlib and EOF errors: the crawl is damaged from here
            error = _said(exc)
        if error is None and resume is not None:
            start = resume
            continue
        damaged = _next_record_start(stream, record_start, gzipped) if error else _trailing_bytes(stream, record_start)
        if error is None and damaged is None:
            if not read_any:  # an empty file (a crawl whose writer never started): nothing in it, which the user must hear
                yield Problem("holds no WARC record: the file is empty", name,
                              hint="import crawls written by a WARC tool (wget --warc-file, Heritrix, Browsertrix, warcio)")
            return
        if error and damaged is not None and damaged > record_start:
            # bytes that are no record (garbage) before a record that looks whole: read that record
            damaged, start = record_start, damaged
        else:
            damaged = record_start if damaged is None else damaged
            start = _next_record_start(stream, damaged + 1, gzipped)
        if start is not None and start <= damaged:  # never read the same bytes twice
            start = None
        if not read_any and start is None:
            looks_like = gzipped or first == _WARC_MAGIC
            yield Problem((f"damaged WARC: not one complete record (the record at byte {damaged}{of}: {error or 'cut short in its first headers'})" if looks_like
                           else f"not a WARC file: no record could be read ({error or 'no WARC header'})"), name,
                          hint="import crawls written by a WARC tool (wget --warc-file, Heritrix, Browsertrix, warcio)")
            return
        yield warning(f"damaged WARC record at byte {damaged}{of} ({error or 'cut short in its headers'}); "
                      + (f"reading resumed at byte {start}{of}" if start is not None else "nothing after it could be read"),
                      name, hint="the other records were imported")


def _classify(record, name: str, cap: int) -> CrawledPage | CrawledRevisit | CrawledImage | Skipped | Problem | None:
    """What the record is (None: nothing to count)."""
    if record.rec_type not in ("response", "resource", "revisit"):
        return None
    url = without_credentials(record.rec_headers.get_header("WARC-Target-URI") or "")  # never published (credentials.py)
    origin = f"{name}: {url}"
    status, content_type = 200, record.rec_headers.get_header("Content-Type") or ""
    if record.http_headers is not None:
        try:
            status = int(record.http_headers.get_statuscode() or 0)
        except ValueError:
            status = 0
        content_type = record.http_headers.get_header("Content-Type") or ""
    kind = content_type.split(";")[0].strip().lower()
    if record.rec_type == "revisit":  # a capture identical to an earlier one: a duplicate of a page only if it is one
        if kind in HTML_TYPES or (not kind and not url.lower().endswith((".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".woff", ".woff2"))):
            digest = (record.rec_headers.get_header("WARC-Payload-Digest") or "").strip()
            if not digest:
                return Skipped(origin, "duplicate capture")
            return CrawledRevisit(origin, url, record.rec_headers.get_header("WARC-Date") or "", digest,
                                  record.rec_headers.get_header("WARC-Record-ID") or "")
        return None if kind.startswith("image/") else Skipped(origin, _NOT_PAGES.get(kind, "not a page"))
    if status == 404 or status == 410:
        return Skipped(origin, "not found (404)")
    if 300 <= status < 400:
        return Skipped(origin, "redirect")
    if status != 200:
        return Skipped(origin, f"HTTP {status}")
    if kind in HTML_TYPES or not kind:  # no Content-Type at all: a browser sniffs the bytes (sniffed_html)
        try:
            payload = _read_at_most(record, cap)
        except UnknownEncoding as exc:
            return warning(f"not imported: its Content-Encoding is {exc}, which cannot be decoded", origin)
        except UndecodablePayload as exc:
            return warning(f"not imported: its payload is not {exc} as its Content-Encoding says; nothing could be decoded", origin)
        if not kind and not sniffed_html(payload):
            return Skipped(origin, "not a page")
        if len(payload) > cap:
            return warning(f"not imported: the page is larger than {cap / (1024 * 1024):g} MB", origin,
                           hint="a page that large is no article (or a decompression bomb)")
        return CrawledPage(origin, url, record.rec_headers.get_header("WARC-Date") or "", 0, payload, http_charset(content_type),
                           record.rec_headers.get_header("WARC-Record-ID") or "", record.rec_headers.get_header("WARC-Payload-Digest") or "")
    if kind.startswith("image/"):
        try:
            data = _read_at_most(record, cap)
        except (UnknownEncoding, UndecodablePayload):
            data = b""
        return CrawledImage(url, (whole_raster(data) if len(data) <= cap else None) or "", 0)
    return Skipped(origin, _NOT_PAGES.get(kind, "not a page"))


# the starts of an HTML document in the WHATWG MIME Sniffing standard (each followed by a space or ">")
_HTML_STARTS = re.compile(rb"\A[\t\n\x0c\r ]*(?:<!DOCTYPE HTML|<HTML|<HEAD|<SCRIPT|<IFRAME|<H1|<DIV|<FONT|<TABLE|<A|<STYLE"
                          rb"|<TITLE|<B|<BODY|<BR|<P)[ >]|\A[\t\n\x0c\r ]*<!--", re.I)


def sniffed_html(payload: bytes) -> bool:
    """Whether a response sent without a Content-Type starts as a browser recognises an HTML page."""
    return bool(_HTML_STARTS.match(payload[:1024].lstrip(b"\xef\xbb\xbf")))


def _without_swallowed(payload: bytes, swallowed: int) -> bytes:
    """The payload without the start of the next record that a Content-Length too large made part of it."""
    for cut in range(len(payload) - swallowed, max(len(payload) - swallowed - 8, -1), -1):
        if payload[cut:].lstrip(b"\r\n").startswith(_WARC_MAGIC):
            return payload[:cut]
    return payload


def _shortfall(record) -> str | None:
    """How the record, read to its end, is cut short ("312 of 1,293 bytes"), or None: its
    Content-Length promised more than the file holds."""
    missing = getattr(record.raw_stream, "limit", 0) or 0
    if missing <= 0:
        return None
    return f"{record.length - missing:,} of {record.length:,} bytes"


def _said(exc: Exception) -> str:
    """The error in one short printable line (warcio quotes the binary line it could not read)."""
    text = "".join(c if c.isprintable() else " " for c in str(exc))
    text = " ".join(text.split())
    return f"{type(exc).__name__}: {text[:80]}" + ("…" if len(text) > 80 else "")


def _at(item, offset: int):
    return replace(item, offset=offset)


def _trailing_bytes(stream: BinaryIO, after: int) -> int | None:
    """Where bytes other than blank lines follow the last record warcio read (a record cut short
    in its headers, which warcio takes for the end of the file), or None."""
    stream.seek(after)
    position = after
    while True:
        chunk = stream.read(_RESYNC_CHUNK)
        if not chunk:
            return None
        stripped = chunk.lstrip(b"\r\n")
        if stripped:
            return position + len(chunk) - len(stripped)
        position += len(chunk)


def _next_record_start(stream: BinaryIO, after: int, gzipped: bool) -> int | None:
    """The byte where the next record seems to start (a gzip member, or a `WARC/1.x` line), in
    bounded reads; None at the end of the file."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    if not gzipped and after == 0:
        stream.seek(0)
        if stream.read(len(magic)) == magic:
            return 0
    if not gzipped and after > 0:
        after -= 1  # the newline before "WARC/1." is part of the search
    position = after
    stream.seek(position)
    carry = b""
    while True:
        chunk = stream.read(_RESYNC_CHUNK)
        if not chunk:
            return None
        data = carry + chunk
        found = data.find(magic if gzipped else b"\n" + magic)
        if found >= 0:
            return position - len(carry) + found + (0 if gzipped else 1)
        carry = data[-(len(magic) + 1):]
        position += len(chunk)


def _read_at_most(record, cap: int) -> bytes:
    """The record's decoded payload, or its first `cap + 1` bytes, in pieces of 1 MiB however it is
    chunked or compressed (payload.py): warcio inflates a whole chunk at once."""
    return read_at_most(record, cap)


def read_payload(stream: BinaryIO, offset: int, cap: int = RECORD_CAP) -> bytes | None:
    """The payload of the record that starts at `offset` (each record of a .warc.gz is its own
    gzip member); None when it is larger than `cap`."""
    archive = require("warcio.archiveiterator", "import", PURPOSE)
    stream, _ = record_stream(stream)  # the offsets scan_records gave, in the same bytes
    stream.seek(offset)
    records = archive.ArchiveIterator(stream)
    bounded_reader(records.reader)
    for record in records:
        data = _read_at_most(record, cap)
        return data if len(data) <= cap else None
    return None
