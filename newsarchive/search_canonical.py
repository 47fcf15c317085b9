"""Pagefind's bundle folders made byte-reproducible: the one place that rewrites its output.

Pagefind 1.5.2 builds its filter index in hash maps and writes them as it iterates: each
filter's values (filter/*.pf_filter), the list of filters and sorts in each language's
pagefind.<hash>.pf_meta, and the languages in pagefind-entry.json come out in a different
order on every run. The files are named by a hash of their bytes, so the names change too.
Here each of those lists is sorted, the files re-encoded and renamed the way Pagefind names
them, and the references updated, in memory before a bundle is written (search_indexer.py
gets its files from Pagefind as bytes): the same pages give the same bytes, so two clean
builds, and an incremental build and a clean one, are identical in every file.

The index files are gzip of b"pagefind_dcd" followed by CBOR (arrays, text and unsigned
integers only); cbor2 decodes and re-encodes them byte for byte.
"""
from __future__ import annotations

import gzip
import hashlib
import json

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


def canonical_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """One bundle's files as Pagefind made them (path in the folder → bytes), in canonical order:
    the filter files, each language's meta file and the entry rewritten and renamed."""
    files = dict(files)
    entry = json.loads(files[ENTRY].decode("utf-8"))
    languages = entry.get("languages", {})
    for language in sorted(languages):
        languages[language]["hash"] = _canonical_meta(files, language, f"pagefind.{languages[language]['hash']}.pf_meta")
    entry["languages"] = {code: languages[code] for code in sorted(languages)}
    files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def decode_index(data: bytes, name):
    """The CBOR value inside the bytes of one of Pagefind's gzipped index files (`name` for the error)."""
    data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{name} is not a Pagefind index file (no {SIGNATURE.decode()} signature)")
    return cbor2.loads(data[len(SIGNATURE):])


def pagefind_hash(data: bytes) -> str:
    """Pagefind's own file hash: the SHA-1's bytes in hex without their leading zeros."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _canonical_meta(files: dict[str, bytes], language: str, meta_name: str) -> str:
    """Sort one language's filters and sorts (and every filter's values); give the meta file's new hash."""
    version, pages, chunks, filters, sorts, *rest = decode_index(_file(files, meta_name), meta_name)  # 1.5 adds the metadata field names
    taken: dict[str, bytes] = {}
    new_filters = []
    for name, old_hash in sorted(filters):
        old_name = f"filter/{old_hash}.pf_filter"
        filter_name, values = decode_index(_file(files, old_name), old_name)
        encoded = cbor2.dumps([filter_name, sorted(values, key=lambda v: v[0])])
        new_hash = _short_name(language, pagefind_hash(encoded), encoded, taken)
        taken[new_hash] = encoded
        new_filters.append([name, new_hash])
        del files[old_name]
    for new_hash, encoded in taken.items():
        files[f"filter/{new_hash}.pf_filter"] = _encode_index(encoded)
    meta = cbor2.dumps([version, pages, chunks, new_filters, sorted(sorts, key=lambda s: s[0]), *rest])
    meta_hash = f"{language}_{pagefind_hash(meta)[:len(language) + 8]}"
    del files[meta_name]
    files[f"pagefind.{meta_hash}.pf_meta"] = _encode_index(meta)
    return meta_hash


def _file(files: dict[str, bytes], name: str) -> bytes:
    try:
        return files[name]
    except KeyError:
        raise ValueError(f"{name} is missing") from None


def _short_name(language: str, full: str, encoded: bytes, taken: dict[str, bytes]) -> str:
    """language_ + 7 hex digits, longer while another file already has that name (as Pagefind does)."""
    length = 7
    while True:
        name = f"{language}_{full[:length]}"
        if taken.get(name, encoded) == encoded or length >= len(full):
            return name
        length += 1


def _encode_index(data: bytes) -> bytes:
    return gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0)
