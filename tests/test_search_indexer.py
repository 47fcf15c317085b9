"""Pagefind over its service protocol (newsarchive/search_indexer.py): a bundle's files come
back in memory, the pages numbered in the order given, and they are the files Pagefind's own
client would have written."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from newsarchive.search import _write_bundle
from conftest import canonicalise_bundle
from newsarchive.search_canonical import canonical_files, decode_index
from newsarchive.search_indexer import IndexerProcess, index_all

PAGES = {
    f"2021/0{n}/story-{n}/index.html": (
        f'<!DOCTYPE html><html lang="en"><head><title>Story {n}</title></head><body><main data-pagefind-body>'
        f'<h1>Story {n} about the harbour</h1><p data-pagefind-filter="section">{section}</p>'
        f'<p>Ferries number {n} crossed the bay {"at night" if n % 2 else "by day"}.</p></main></body></html>').encode("utf-8")
    for n, section in zip(range(1, 5), ["Economy", "Weather", "Economy", "Sport"])
}


def index(pages: list[tuple[str, bytes]]) -> dict[str, bytes]:
    async def run():
        indexer = await IndexerProcess.start()
        try:
            return await indexer.index(pages)
        finally:
            await indexer.close()
    return asyncio.run(run())


def write(files: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    languages: dict = {}
    _write_bundle(folder, languages, "en-test", files)
    assert languages == {"en-test": ["en"]}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_pages_in_the_same_order_give_the_same_files_and_pages_are_numbered_in_the_order_given(tmp_path):
    pages = list(PAGES.items())
    first, again, reversed_ = (canonical_files(index(order)) for order in (pages, pages, pages[::-1]))
    assert first == again  # once canonical (Pagefind writes its filters in hash-map order)
    fragments = {path for path in first if path.startswith("fragment/")}
    assert len(fragments) == 4 and fragments == {path for path in reversed_ if path.startswith("fragment/")}  # the same pages
    meta = next(path for path in first if path.endswith(".pf_meta"))
    reversed_meta = next(path for path in reversed_ if path.endswith(".pf_meta"))
    page_hashes = decode_index(first[meta], meta)[1]
    assert decode_index(reversed_[reversed_meta], reversed_meta)[1] == page_hashes[::-1]  # numbered as given, not by path
    written = write(index(pages), tmp_path / "bundle")
    assert written == write(index(pages), tmp_path / "again")
    assert "pagefind-ui.js" not in written and "wasm.en.pagefind" in written and "wasm.unknown.pagefind" not in written


def test_the_files_are_those_pagefinds_own_client_writes_once_canonical(tmp_path):
    """The package's client, given the same pages in the same order, writes the same index once
    its files are put in canonical order (less the UI files and the WebAssembly left out)."""
    from pagefind.service import PagefindService

    async def with_package():
        service = await PagefindService().launch()
        try:
            package = await service.create_index({"keep_index_url": False, "write_playground": False})
            for rel, data in PAGES.items():
                await package.add_html_file(content=data.decode("utf-8"), source_path=rel)
            await package.write_files(output_path=str(tmp_path / "package"))
            deadline, seen = time.monotonic() + 60, None
            while time.monotonic() < deadline:  # it answers before its last writes are done, and drops them if closed
                now = sorted((p.as_posix(), p.stat().st_size) for p in (tmp_path / "package").rglob("*") if p.is_file())
                if now == seen and all(size for _, size in now) and any(name.endswith("pagefind-entry.json") for name, _ in now):
                    break
                seen = now
                await asyncio.sleep(1)
        finally:
            await service.close()
    asyncio.run(with_package())
    canonicalise_bundle(tmp_path / "package")
    ours = write(index(list(PAGES.items())), tmp_path / "ours")
    assert "harbour" in json.loads(ours.pop("indexed-words.json"))["forms"]  # ours only: the word directory's list (search_directory)
    theirs = {p.relative_to(tmp_path / "package").as_posix(): p.read_bytes() for p in sorted((tmp_path / "package").rglob("*")) if p.is_file()}
    assert {path: theirs[path] for path in ours} == ours
    assert {path for path in theirs.keys() - ours.keys()} <= {
        "pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
        "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js", "wasm.unknown.pagefind"}


def test_several_processes_index_bundles_from_one_queue(tmp_path):
    pages = list(PAGES.items())
    done: dict[str, dict[str, bytes]] = {}
    jobs = []
    for n in range(3):
        for rel, data in pages:
            (tmp_path / str(n) / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / str(n) / rel).write_bytes(data)
        jobs.append(([(rel, tmp_path / str(n) / rel) for rel, _ in pages[n:]], lambda files, n=n: done.__setitem__(str(n), files)))
    asyncio.run(index_all(jobs, 2))
    assert sorted(done) == ["0", "1", "2"]
    assert canonical_files(done["0"]) == canonical_files(index(pages))
    assert sum(path.startswith("fragment/") for path in done["2"]) == 2



def test_an_indexer_that_never_answers_fails_the_build_instead_of_hanging_it(tmp_path, monkeypatch):
    """Red team: a stuck `pagefind --service` left the build waiting forever, with nothing on the
    terminal: one that never answers, and one that closed its output but runs on."""
    from newsarchive import search_indexer
    from newsarchive.errors import BuildError
    monkeypatch.setattr(search_indexer, "ANSWER_SECONDS", 0.5)
    for name, script, said in [("silent", "exec sleep 600", "the Pagefind indexer gave no answer in 0.5 s"),
                               ("closed", "exec cat > /dev/null", "the Pagefind indexer stopped unexpectedly")]:
        stuck = tmp_path / name
        stuck.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
        stuck.chmod(0o755)
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(stuck))
        started = time.monotonic()
        try:
            index(list(PAGES.items()))
        except BuildError as error:
            assert said in str(error.problems[0]), name
        else:
            raise AssertionError(f"the {name} indexer was waited for")
        assert time.monotonic() - started < 20, name
