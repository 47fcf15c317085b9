"""Pagefind's bundle folders made byte-reproducible: the one place that rewrites its output.

Pagefind 1.5.2 builds its filter index in hash maps and writes them as it iterates: each
filter's values (filter/*.pf_filter), the list of filters and sorts in each language's
pagefind.<hash>.pf_meta, and the languages in pagefind-entry.json come out in a different
order on every run. The files are named by a hash of their bytes, so the names change too.
Here each of those lists is sorted, the files re-encoded and renamed the way Pagefind names
them, and the references updated: the same pages give the same bytes, so two clean builds,
and an incremental build and a clean one, are identical in every file.

The index files are gzip of b"pagefind_dcd" followed by CBOR (arrays, text and unsigned
integers only); cbor2 decodes and re-encodes them byte for byte.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


def canonicalise_bundle(folder: Path) -> None:
    """Rewrite one Pagefind output folder (a bundle) in place, in canonical order."""
    entry_path = folder / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages", {})
    for language in sorted(languages):
        old_meta = folder / f"pagefind.{languages[language]['hash']}.pf_meta"
        languages[language]["hash"] = _canonical_meta(folder, language, old_meta)
    entry["languages"] = {code: languages[code] for code in sorted(languages)}
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    if text != entry_path.read_text(encoding="utf-8"):
        entry_path.write_text(text, encoding="utf-8")


def read_index_file(path: Path):
    """The CBOR value inside one of Pagefind's gzipped index files."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind index file (no {SIGNATURE.decode()} signature)")
    return cbor2.loads(data[len(SIGNATURE):])


def pagefind_hash(data: bytes) -> str:
    """Pagefind's own file hash: the SHA-1's bytes in hex without their leading zeros."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _canonical_meta(folder: Path, language: str, meta_path: Path) -> str:
    """Sort one language's filters and sorts (and every filter's values); give the meta file's new hash."""
    version, pages, chunks, filters, sorts, *rest = read_index_file(meta_path)  # 1.5 adds the metadata field names
    taken: dict[str, bytes] = {}
    new_filters = []
    for name, old_hash in sorted(filters):
        old_path = folder / "filter" / f"{old_hash}.pf_filter"
        filter_name, values = read_index_file(old_path)
        encoded = cbor2.dumps([filter_name, sorted(values, key=lambda v: v[0])])
        new_hash = _short_name(language, pagefind_hash(encoded), encoded, taken)
        taken[new_hash] = encoded
        new_filters.append([name, new_hash])
        old_path.unlink()
    for new_hash, encoded in taken.items():
        _write_index_file(folder / "filter" / f"{new_hash}.pf_filter", encoded)
    meta = cbor2.dumps([version, pages, chunks, new_filters, sorted(sorts, key=lambda s: s[0]), *rest])
    meta_hash = f"{language}_{pagefind_hash(meta)[:len(language) + 8]}"
    meta_path.unlink()
    _write_index_file(folder / f"pagefind.{meta_hash}.pf_meta", meta)
    return meta_hash


def _short_name(language: str, full: str, encoded: bytes, taken: dict[str, bytes]) -> str:
    """language_ + 7 hex digits, longer while another file already has that name (as Pagefind does)."""
    length = 7
    while True:
        name = f"{language}_{full[:length]}"
        if taken.get(name, encoded) == encoded or length >= len(full):
            return name
        length += 1


def _write_index_file(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0))
