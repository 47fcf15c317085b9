"""A WARC record's HTTP payload, and its headers, read with bounded memory whatever the crawl holds.

warcio reads a header line whole, a `Transfer-Encoding: chunked` chunk whole (up to 2 GB) and
inflates a gzip chunk in one call, before any cap of ours applies: a 255 KB .warc.gz then costs
hundreds of MB. Here the payload is de-chunked and decoded in pieces of at most `BLOCK` bytes,
every `Content-Encoding` a browser reads is decoded (gzip, x-gzip, deflate, stacked ones;
br and zstd when their libraries are installed), and no line of a record's headers, nor all of
them, is read past `HEADER_CAP`.
"""
from __future__ import annotations

import zlib
from typing import Iterator

BLOCK = 1 << 20  # bytes read, de-chunked or inflated at a time
HEADER_CAP = 1 << 20  # bytes of one header block (a record's WARC headers, or its HTTP headers)
_CHUNK_LINE = 1024  # a chunk-size line is a few hex digits (and perhaps an extension)


class HeadersTooLong(Exception):
    """A record's header block is larger than HEADER_CAP (a damaged or hostile crawl)."""


class UnknownEncoding(Exception):
    """The payload's Content-Encoding is one this installation cannot decode."""


class UndecodablePayload(ValueError):
    """The payload is not in the encoding its Content-Encoding names (nothing could be decoded);
    a stream damaged later keeps what was decoded, as browsers show it."""


def bounded_reader(reader) -> None:
    """Make warcio's line reader (ArchiveIterator.reader) refuse a header block past HEADER_CAP;
    every header line of a record, WARC's and HTTP's, is read through it."""
    reader.__class__ = type("BoundedLineReader", (type(reader),), {"readline": _bounded_readline, "read": _counted_read})
    reader.header_bytes = 0


def _bounded_readline(self, length=None):
    room = HEADER_CAP - self.header_bytes + 1
    line = super(type(self), self).readline(room if not length else min(length, room))
    self.header_bytes = 0 if not line.strip() else self.header_bytes + len(line)
    if self.header_bytes > HEADER_CAP:
        self.header_bytes = 0
        raise HeadersTooLong(f"its headers are larger than {HEADER_CAP // 1024} KB")
    return line


def _counted_read(self, length=None):
    self.header_bytes = 0
    return super(type(self), self).read(length)


def read_at_most(record, cap: int) -> bytes:
    """The record's decoded payload, or its first `cap + 1` bytes; UnknownEncoding when its
    Content-Encoding cannot be decoded here."""
    return _first(payload_pieces(record), cap)


def gunzip_at_most(data: bytes, cap: int) -> bytes:
    """A gzipped file's bytes (a saved page.html.gz), or their first `cap + 1`; UndecodablePayload
    (a ValueError) when they are not gzip after all or damaged from the start."""
    return _first(_inflated(iter([data]), 16 + zlib.MAX_WBITS), cap)


def _first(pieces: Iterator[bytes], cap: int) -> bytes:
    parts, size = [], 0
    for part in pieces:
        parts.append(part[:cap + 1 - size])
        size += len(parts[-1])
        if size > cap:
            break
    return b"".join(parts)


def payload_pieces(record) -> Iterator[bytes]:
    raw, headers = record.raw_stream, record.http_headers
    if headers is None:
        yield from _blocks(raw)
        return
    transfer = _tokens(headers.get_header("Transfer-Encoding"))
    pieces = _dechunked(raw) if "chunked" in transfer else _blocks(raw)
    for encoding in reversed(_tokens(headers.get_header("Content-Encoding"))):  # listed in the order they were applied
        pieces = _decoder(encoding)(pieces)
    yield from pieces


def _tokens(value: str | None) -> list[str]:
    return [t for t in (part.strip().lower() for part in (value or "").split(",")) if t and t != "identity"]


def _blocks(raw) -> Iterator[bytes]:
    while True:
        block = raw.read(BLOCK)
        if not block:
            return
        yield block


def _dechunked(raw) -> Iterator[bytes]:
    """Chunk data in pieces of at most BLOCK; a payload that is not chunked after all (a server
    that said so and was wrong) is passed on as it is, as browsers do."""
    first = True
    while True:
        line = raw.readline(_CHUNK_LINE)
        if not line:
            return
        try:
            size = int(line.split(b";")[0].strip(), 16) if line.endswith(b"\n") else -1
        except ValueError:
            size = -1
        if size < 0:
            if first:
                yield line
                yield from _blocks(raw)
            return
        first = False
        if size == 0:
            return
        while size > 0:
            piece = raw.read(min(size, BLOCK))
            if not piece:
                return
            size -= len(piece)
            yield piece
        raw.readline(_CHUNK_LINE)  # the CRLF after the chunk


def _decoder(encoding: str):
    if encoding in ("gzip", "x-gzip"):
        return lambda pieces: _inflated(pieces, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return lambda pieces: _inflated(pieces, zlib.MAX_WBITS, raw_fallback=True)
    if encoding == "br":
        return _brotli()
    if encoding == "zstd":
        return _zstd()
    raise UnknownEncoding(encoding)


def _inflated(pieces: Iterator[bytes], wbits: int, raw_fallback: bool = False) -> Iterator[bytes]:
    """zlib output in pieces of at most BLOCK (max_length), however compressed the input; gzip's
    concatenated members are read one after the other."""
    inflater, started = zlib.decompressobj(wbits), False
    for data in pieces:
        while data:
            try:
                out = inflater.decompress(data, BLOCK)
            except zlib.error:
                if raw_fallback and not started:  # "deflate" sent as raw deflate, as many servers do
                    inflater, raw_fallback = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                if not started:
                    raise UndecodablePayload("gzip" if wbits > zlib.MAX_WBITS else "deflate") from None
                return
            started = True
            if out:
                yield out
            data = inflater.unconsumed_tail
            if inflater.eof:
                data = inflater.unused_data
                if not data.lstrip(b"\0"):
                    break
                inflater = zlib.decompressobj(wbits)


def _brotli():
    try:
        import brotli
    except ImportError:
        raise UnknownEncoding("br (install the brotli package to read it)") from None
    if not hasattr(brotli.Decompressor, "can_accept_more_data"):
        raise UnknownEncoding("br (brotli 1.2 or later is needed to read it in bounded memory)")

    def decoded(pieces: Iterator[bytes]) -> Iterator[bytes]:
        decompressor, started = brotli.Decompressor(), False
        try:
            for data in pieces:
                out = decompressor.process(data, output_buffer_limit=BLOCK)
                while True:
                    if out:
                        started = True
                        yield out
                    if decompressor.is_finished() or decompressor.can_accept_more_data():
                        break
                    out = decompressor.process(b"", output_buffer_limit=BLOCK)
        except brotli.error:  # damaged: what was decoded is what there is
            if not started:
                raise UndecodablePayload("br") from None
    return decoded


def _zstd():
    try:
        import zstandard
    except ImportError:
        raise UnknownEncoding("zstd (install the zstandard package to read it)") from None

    def decoded(pieces: Iterator[bytes]) -> Iterator[bytes]:
        reader = zstandard.ZstdDecompressor().stream_reader(_PiecesFile(pieces), read_across_frames=True)
        started = False
        while True:
            try:
                out = reader.read(BLOCK)
            except zstandard.ZstdError:  # damaged: what was decoded is what there is
                if not started:
                    raise UndecodablePayload("zstd") from None
                return
            started = True
            if not out:
                return
            yield out
    return decoded


class _PiecesFile:
    """An iterator of byte strings as a file to read()."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces, self.rest = pieces, b""

    def read(self, size: int = -1) -> bytes:
        while not self.rest:
            self.rest = next(self.pieces, None)
            if self.rest is None:
                self.rest = b""
                return b""
        size = len(self.rest) if size is None or size < 0 else size
        out, self.rest = self.rest[:size], self.rest[size:]
        return out
