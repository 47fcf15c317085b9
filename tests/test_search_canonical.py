"""Byte-reproducible search index (newsarchive/search_canonical.py): Pagefind writes its filter
files, filter lists and languages in hash-map order; after canonicalisation two builds of the
same input, and an incremental build and a clean one, are identical in every file."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import cbor2
import pytest

from conftest import article, run_cli, tree_digest
from conftest import canonicalise_bundle, read_index_file
from newsarchive.search_canonical import SIGNATURE, pagefind_hash

CONFIG = "title: Canonical\nbase_url: https://example.org/news/\nper_page: 3\nsearch_bundle_size: 4\n"
SECTIONS = ["Economy", "Politics", "Culture", "Sport", "Weather", "Science", "Health", "Harbour"]
LANGS = ["en", "fr", "de"]


def files() -> dict[str, str]:
    """Twelve articles in three languages with many filter values, so hash-map order shows."""
    out = {}
    for n in range(12):
        out[f"articles/a{n:02d}.md"] = article(
            f"Story number {n}", f"2021-{n // 4 + 1:02d}-{n % 28 + 1:02d}", f"Body text {n} about the coast.",
            lang=LANGS[n % 3], section=SECTIONS[n % len(SECTIONS)], source=f"Paper {n % 5}",
            tags=f"[T{n % 7}, T{(n + 3) % 7}, Coast]")
    return out


def build(config: Path, *extra) -> None:
    result = run_cli("build", "--config", config, *extra)
    assert result.code == 0, result.out + result.err


def payload(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return data[len(SIGNATURE):]


@pytest.mark.slow
def test_two_clean_builds_and_an_incremental_one_are_identical_in_every_file(make_site, tmp_path):
    config = make_site(files(), config=CONFIG)
    build(config, "--output", tmp_path / "one")
    build(config, "--output", tmp_path / "two")
    one = tree_digest(tmp_path / "one")
    assert any(rel.endswith(".pf_filter") for rel in one) and any(rel.endswith(".pf_meta") for rel in one)
    assert one == tree_digest(tmp_path / "two")

    build(config)  # in place, then an edit, an added and a removed article
    story = config.parent / "articles/a05.md"
    story.write_text(story.read_text(encoding="utf-8").replace("coast.", "coast and the dunes."), encoding="utf-8")
    (config.parent / "articles/a11.md").unlink()
    (config.parent / "articles/new.md").write_text(article("Late story", "2021-02-20", "Fog.", lang="de", section="Fog"),
                                                   encoding="utf-8")
    build(config)
    build(config, "--output", tmp_path / "clean")
    assert tree_digest(config.parent / "_site") == tree_digest(tmp_path / "clean")


def test_real_bundles_are_sorted_and_named_by_pagefinds_own_hash(make_site):
    config = make_site(files(), config=CONFIG)
    build(config)
    pagefind = config.parent / "_site/pagefind"
    folders = [p for p in pagefind.iterdir() if p.is_dir() and p.name != "words"]  # words/: the word directory
    assert len(folders) >= 3
    seen = set()
    for folder in folders:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [folder.name.split("-")[0]]  # a bundle holds one language
        seen |= set(entry["languages"])
        for code, language in entry["languages"].items():
            meta_path = folder / f"pagefind.{language['hash']}.pf_meta"
            assert language["hash"] == f"{code}_{pagefind_hash(payload(meta_path))[:len(code) + 8]}"
            filters = read_index_file(meta_path)[3]
            assert [name for name, _ in filters] == sorted(name for name, _ in filters)
            assert {"section", "source", "tag", "language"} <= {name for name, _ in filters}
            for name, file_hash in filters:
                path = folder / "filter" / f"{file_hash}.pf_filter"
                assert file_hash == f"{code}_{pagefind_hash(payload(path))[:7]}"
                filter_name, values = read_index_file(path)
                assert filter_name == name and [v for v, _ in values] == sorted(v for v, _ in values)
        listed = {h for lang in entry["languages"].values() for _, h in read_index_file(folder / f"pagefind.{lang['hash']}.pf_meta")[3]}
        assert {p.stem for p in (folder / "filter").iterdir()} == listed  # no file left of the unsorted ones
    assert seen == {"de", "en", "fr"}


def shuffled_copy(folder: Path, target: Path) -> None:
    """The same bundle as Pagefind might have written it on another run: every list reversed."""
    shutil.copytree(folder, target)
    entry = json.loads((target / "pagefind-entry.json").read_text(encoding="utf-8"))
    for code in list(entry["languages"]):
        meta_path = target / f"pagefind.{entry['languages'][code]['hash']}.pf_meta"
        meta = read_index_file(meta_path)
        for _, file_hash in meta[3]:
            path = target / "filter" / f"{file_hash}.pf_filter"
            name, values = read_index_file(path)
            path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps([name, values[::-1]])))
        meta[3] = meta[3][::-1]
        meta_path.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(meta)))
    entry["languages"] = dict(reversed(entry["languages"].items()))
    (target / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def test_a_bundle_in_another_order_canonicalises_to_the_same_bytes(make_site, tmp_path):
    config = make_site(files(), config=CONFIG)
    build(config)
    folder = next(p for p in (config.parent / "_site/pagefind").iterdir() if p.is_dir() and p.name != "words")
    shuffled_copy(folder, tmp_path / "shuffled")
    assert tree_digest(tmp_path / "shuffled") != tree_digest(folder)
    canonicalise_bundle(tmp_path / "shuffled")
    assert tree_digest(tmp_path / "shuffled") == tree_digest(folder)
    canonicalise_bundle(tmp_path / "shuffled")  # idempotent
    assert tree_digest(tmp_path / "shuffled") == tree_digest(folder)


def test_a_file_that_is_not_pagefinds_is_named_in_the_error(tmp_path):
    bad = tmp_path / "x.pf_filter"
    bad.write_bytes(gzip.compress(b"not cbor"))
    with pytest.raises(ValueError, match="x.pf_filter is not a Pagefind index file"):
        read_index_file(bad)


def test_an_index_file_that_cannot_be_read_fails_the_build_with_its_folder_named(make_site, monkeypatch):
    import newsarchive.search_canonical as canonical

    config = make_site(files(), config=CONFIG)
    build(config)
    before = tree_digest(config.parent / "_site")
    story = config.parent / "articles/a05.md"
    story.write_text(story.read_text(encoding="utf-8").replace("coast.", "coast and the dunes."), encoding="utf-8")

    def unreadable(data, name):
        raise ValueError(f"{name} is not a Pagefind index file (no pagefind_dcd signature)")
    monkeypatch.setattr(canonical, "decode_index", unreadable)
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "cannot put the search index in" in result.err and "is not a Pagefind index file" in result.err
    assert "pagefind-bin" in result.err and "Traceback" not in result.err + result.out
    assert tree_digest(config.parent / "_site") == before  # the previous site is kept whole
