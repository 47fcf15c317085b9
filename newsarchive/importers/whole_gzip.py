"""A `.warc.gz` compressed whole (`gzip crawl.warc`): one gzip member holding every record.

A WARC tool writes each record as its own gzip member, so that a record can be read from its
offset; warcio refuses a file compressed whole ("non-chunked gzip file detected"), and the import
then stopped after its first record with "[Errno 22] Invalid argument". Users gzip their crawls
to save space, and the records are all there: such a file is read through its decompressed
bytes, and the offsets of its records are offsets in those bytes (read_payload finds them the same way).
"""
from __future__ import annotations

import gzip
import re
import zlib
from typing import BinaryIO

_CHUNK = 64 * 1024
FIRST_RECORD_CAP = 64 * 1024 * 1024  # twice warc.RECORD_CAP: past that, decompressing to look costs more than it tells
_HEADER_LIMIT = 1024 * 1024  # a first record's headers longer than this: no WARC we can tell apart
_LENGTH = re.compile(rb"\r?\nContent-Length:[ \t]*(\d+)", re.I)


def compressed_whole(stream: BinaryIO) -> bool:
    """Whether the file's first gzip member holds more than its first record. Decompresses that
    member a little past the end of its first record (a warcinfo record of a few hundred bytes in a
    crawl), in pieces that are dropped once counted; a first record over `FIRST_RECORD_CAP` is not
    looked past (the file is then read as a WARC tool writes it)."""
    stream.seek(0)
    if stream.read(2) != b"\x1f\x8b":
        stream.seek(0)
        return False
    stream.seek(0)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head, seen, end, after = b"", 0, None, b""
    try:
        while True:
            chunk = inflater.unconsumed_tail or stream.read(_CHUNK)
            if not chunk:
                return False
            piece = inflater.decompress(chunk, _CHUNK)
            if end is None:
                head += piece
                headers_end = head.find(b"\r\n\r\n")
                if headers_end < 0:
                    if len(head) >= _HEADER_LIMIT:
                        return False
                    seen = len(head)
                    continue
                length = _LENGTH.search(head, 0, headers_end + 2)
                if length is None or not head.startswith(b"WARC/") or int(length.group(1)) > FIRST_RECORD_CAP:
                    return False
                end = headers_end + 4 + int(length.group(1))
                piece, seen = head, 0
            if seen + len(piece) > end:
                after += piece[max(0, end - seen):]
                if after.lstrip(b"\r\n"):
                    return True  # the member goes on past the first record
            seen += len(piece)
            if inflater.eof or len(after) > 64:
                return False  # the member ends with its first record: a WARC tool's file
    except zlib.error:
        return False
    finally:
        stream.seek(0)


class _Decompressed:
    """The decompressed bytes of a file compressed whole, seekable (a seek back starts over); a
    gzip stream damaged or cut short ends where it can no longer be read, as a file cut short does."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.inner = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes, in small reads, so that bytes before damage are returned, not lost with it."""
        pieces, wanted = [], size if size >= 0 else float("inf")
        while wanted > 0:
            try:
                piece = self.inner.read1(int(min(wanted, _CHUNK)))
            except (EOFError, OSError, zlib.error):
                piece = b""
            if not piece:
                break
            pieces.append(piece)
            wanted -= len(piece)
        return b"".join(pieces)

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while size < 0 or len(line) < size:
            byte = self.read(1)
            if not byte:
                break
            line += byte
            if byte == b"\n":
                break
        return bytes(line)

    def seek(self, offset: int, whence: int = 0) -> int:
        try:
            return self.inner.seek(offset, whence)
        except (EOFError, OSError, zlib.error):
            return self.inner.tell()

    def tell(self) -> int:
        return self.inner.tell()


def record_stream(stream: BinaryIO) -> tuple[BinaryIO, bool]:
    """The stream to read records from, and whether it is the decompressed bytes of a file compressed whole."""
    if compressed_whole(stream):
        return _Decompressed(stream), True
    return stream, False
