"""The post stage: the built article pages → a Pagefind full-text index in pagefind/.

Pagefind (PyPI `pagefind` with its bundled binary, `pagefind-bin-extended`: the build that also
cuts Chinese and Japanese into words) reads each article page
and keeps what the theme marks with data-pagefind-* attributes: the title, summary and body
as text, metadata and filters. It builds one index per language, each with that language's
stemming.

The articles are split into small bundles, each of one language (about `search_bundle_size`
articles, 64 by default, whose boundaries the articles' URLs choose: see plan_bundles),
indexed separately into pagefind/<language>-<first month>-<hash>/ and merged per language by
the search page in the browser. A bundle whose article pages have the same bytes as at the
last build is kept as it is: a rebuild where no article changed indexes nothing, and a
one-article edit re-indexes the one bundle it is in (32 to 128 pages by default, whatever the
size of the archive). pagefind/bundles.json lists the bundles, their languages and
signatures, and names each language's word directory (pagefind/words/, search_directory):
which bundles hold which words, so a reader's search loads only the bundles that can hold its
results. The search page reads it, and the next build compares against it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .errors import BuildError, Problem
from .interrupts import Interrupted, cancelled_by_signals, take_late
from .search_canonical import canonical_files
from .search_directory import FOLDER as WORDS_FOLDER, WORDS_FILE, DirectoryWrites, bundle_words, stale_files, stem_forms, write_directory
from .search_indexer import HINT, index_all
from .search_paths import BUNDLES_FILE, FOLDER

FORMAT = "4"  # changes when the bundle layout or bytes do; a new format re-indexes everything (4: indexed-words.json)
UNUSED_ASSETS = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                 "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
AUTOMATIC_BUNDLE_SIZE = 64  # articles per bundle on average: an edit re-indexes 32 to 128 pages


@dataclass(frozen=True)
class Bundle:
    name: str  # its first month, "2021-05"
    pages: tuple[str, ...]  # output paths of its article pages
    signature: str  # of the pages' URLs and bytes
    urls: tuple[str, ...] = ()  # of its article pages, in the same order


@dataclass(frozen=True)
class Indexed:
    indexed: tuple[str, ...]  # bundles indexed this time
    kept: tuple[str, ...]  # bundles unchanged since the last build
    pending: list[tuple[str, str]]  # (output path, temporary path) of bundles.json in an in-place build
    folders: list[tuple[str, str]]  # (final folder, new folder) of each bundle indexed in place
    removed: list[str]  # folders of bundles the site no longer has
    stale: list[str] = ()  # files of the word directory (search_directory) no manifest names any more


def bundle_bounds(bundle_size: int) -> tuple[int, int, int]:
    """(fewest articles, divisor, most articles) of a bundle for a `bundle_size` (0: automatic):
    a bundle ends after an article whose URL hash the divisor divides, once it holds the fewest,
    and at the most in any case; so bundles hold `bundle_size` articles on average."""
    size = bundle_size or AUTOMATIC_BUNDLE_SIZE
    fewest = max(1, size // 2)
    return fewest, size - fewest + 1, 2 * size if size > 1 else 1


def plan_bundles(articles, digests: dict[str, str], bundle_size: int, output_path) -> list[Bundle]:
    """`articles` in any order; `digests` url → digest of the article page's bytes; a
    `bundle_size` of 0 is automatic.

    Each bundle holds articles of one language, consecutive in (month, URL) order, and its
    boundaries are chosen by the articles' own URLs (content-defined, as in chunking a file), not
    by counting from the start: the bundles are a pure function of the set of articles (so an
    incremental build equals a clean one), an edit re-indexes the one small bundle it is in, and
    an added or removed article changes its own bundle (rarely a neighbour), not every bundle
    after it. One language per bundle: the search page merges, per language, only that
    language's bundles, and a rare language does not add a small index to every bundle."""
    fewest, divisor, most = bundle_bounds(bundle_size)
    version = pagefind_version()
    by_language: dict[str, list] = {}
    for article in articles:
        by_language.setdefault(_language_key(article.lang), []).append(article)
    groups: list[tuple[str, list]] = []
    for language in sorted(by_language):
        current: list = []
        for article in sorted(by_language[language], key=lambda a: (a.date.year, a.date.month, a.url)):
            current.append(article)
            if len(current) >= most or (len(current) >= fewest and _url_hash(article.url) % divisor == 0):
                groups.append((language, current))
                current = []
        if current:
            groups.append((language, current))
    bundles = []
    for language, group in groups:
        first = group[0]
        name = f"{language}-{first.date.year:04d}-{first.date.month:02d}-{_url_hash(first.url) % 16 ** 6:06x}"
        urls = tuple(a.url for a in group)
        bundles.append(Bundle(name, tuple(output_path(url) for url in urls), bundle_signature(urls, digests, version), urls))
    return bundles


def bundle_signature(urls, digests: dict[str, str], version: str) -> str:
    """Of a bundle's pages' URLs and bytes (`digests`: URL → digest of the page), the bundle
    format and Pagefind's `version`: a bundle is indexed again when it changes."""
    parts = [FORMAT, version] + [f"{url}\x1f{digests[url]}" for url in urls]
    return hashlib.blake2b("\x1e".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def _language_key(lang: str) -> str:
    """The article's language as a folder-name part: "pt-BR" → "pt-br"."""
    return re.sub(r"[^a-z0-9]+", "-", lang.lower()).strip("-") or "und"


def _url_hash(url: str) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")


def pagefind_version() -> str:
    """Of the `pagefind` package and the binary it runs: the extended build when it is installed
    (pagefind.service prefers it), else the standard one. The two index Chinese and Japanese
    differently, so the extended one is named: a change of binary indexes every bundle again."""
    from .version import package_versions
    for binary, name in (("pagefind-bin-extended", "extended-"), ("pagefind-bin", "")):
        try:
            pagefind, version = package_versions(("pagefind", binary))
        except Exception:  # not installed: the next one, or indexing will say so
            continue
        return f"{pagefind}+{name}{version}"
    return "missing"


def read_previous(output_dir: Path) -> dict[str, tuple[str, list[str]]]:
    """Bundle name → (signature, languages) from the last build's bundles.json, for bundles
    still on disk: a bundle kept keeps its languages as listed, never read from its folder."""
    try:
        listed = json.loads((output_dir / BUNDLES_FILE).read_text(encoding="utf-8"))["bundles"]
        return {b["name"]: (b["signature"], list(b["languages"])) for b in listed
                if isinstance(b["languages"], list) and all(isinstance(lang, str) for lang in b["languages"])
                and (output_dir / FOLDER / b["name"] / "pagefind-entry.json").is_file()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def index_site(root: Path, output_dir: Path, bundles: list[Bundle], page_files: dict[str, str], in_place: bool,
               jobs: int = 1) -> Indexed:
    """Index the bundles that changed. `root` is where this build writes (the staging folder or
    the output itself); `page_files` maps an article page's output path to the file holding its
    new bytes where that is not root/output path (a temporary file of an in-place build)."""
    previous = read_previous(output_dir) if in_place else {}
    todo = [b for b in bundles if previous.get(b.name, ("",))[0] != b.signature]
    kept = [b.name for b in bundles if b not in todo]
    suffix = f".na-tmp-{os.getpid()}"
    folders, languages = [], {}
    writes = DirectoryWrites(root, suffix if in_place else None)
    try:
        jobs_list = []
        for bundle in todo:
            final = f"{FOLDER}/{bundle.name}"
            written = root / (f"{FOLDER}/.{bundle.name}{suffix}" if in_place else final)
            if in_place:
                folders.append((final, str(written)))
            pages = [(rel, Path(page_files.get(rel) or root / rel)) for rel in bundle.pages]
            jobs_list.append((pages, partial(_write_bundle, written, languages, bundle.name)))
        if jobs_list:
            _run_async(index_all(jobs_list, max(1, jobs)))
        for name in kept:
            languages[name] = previous[name][1]
        new_folders = dict(folders)
        folder_of = lambda name: Path(new_folders.get(f"{FOLDER}/{name}", root / FOLDER / name))  # noqa: E731
        words, needed = _directory(root / FOLDER, [(b.name, languages[b.name]) for b in bundles], folder_of,
                                   output_dir / FOLDER, {b.name for b in todo}, writes)
    except BaseException:
        for _, new in folders:
            shutil.rmtree(new, ignore_errors=True)
        writes.discard()
        raise
    listing = json.dumps({"format": FORMAT, "bundles": [
        {"name": b.name, "languages": languages[b.name], "signature": b.signature, "pages": len(b.pages)} for b in bundles
    ], "pagefind": pagefind_version(), "words": {language: f"{WORDS_FOLDER}/{digest}.json" for language, digest in sorted(words.items())}}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    pending = list(writes.pending)
    listing_path = root / BUNDLES_FILE
    if in_place:
        unchanged = (output_dir / BUNDLES_FILE).is_file() and (output_dir / BUNDLES_FILE).read_bytes() == listing
        if not unchanged:
            listing_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = listing_path.parent / f".bundles.json{suffix}"
            temporary.write_bytes(listing)
            pending.append((BUNDLES_FILE, str(temporary)))
    else:
        listing_path.parent.mkdir(parents=True, exist_ok=True)
        listing_path.write_bytes(listing)
    names = {b.name for b in bundles}
    removed = [f"{FOLDER}/{name}" for name in previous if name not in names]
    stale = [p.relative_to(root).as_posix() for p in stale_files(root / FOLDER, needed)] if in_place else []
    return Indexed(tuple(b.name for b in todo), tuple(kept), pending, folders, removed, stale)


def commit_bundles(output_dir: Path, indexed: Indexed) -> None:
    """Put newly indexed bundle folders in place of the old ones, and delete bundles the site no longer has."""
    for final, new in indexed.folders:
        target = output_dir / final
        old = target.parent / f".{target.name}.na-old-{os.getpid()}"
        if target.exists():
            os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
    for folder in indexed.removed:
        shutil.rmtree(output_dir / folder, ignore_errors=True)
    for rel in indexed.stale:
        (output_dir / rel).unlink(missing_ok=True)


def remove_index(output_dir: Path) -> None:
    """`search: false` leaves no trace: drop the index a previous build made (only if it is ours)."""
    if (output_dir / BUNDLES_FILE).is_file():
        shutil.rmtree(output_dir / FOLDER, ignore_errors=True)


def _write_bundle(folder: Path, languages: dict[str, list[str]], name: str, files: dict[str, bytes]) -> None:
    """Write one bundle's files as Pagefind made them, less its UI files and the WebAssembly of
    languages the bundle does not hold (70 KB each), in canonical order (search_canonical)."""
    files = {path: data for path, data in files.items() if path not in UNUSED_ASSETS}
    try:
        files = canonical_files(files)
        entry = json.loads(files["pagefind-entry.json"].decode("utf-8"))
        held = sorted(entry["languages"])
        wanted = {f"wasm.{language.get('wasm') or 'unknown'}.pagefind" for language in entry["languages"].values()}
        files[WORDS_FILE] = bundle_words(files)  # the words it holds, for the word directory (search_directory)
    except (EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError, zlib.error) as exc:
        raise BuildError(Problem(f"cannot put the search index in {folder} in canonical order: {exc}", str(folder), hint=HINT)) from None
    made = set()
    for path, data in sorted(files.items()):
        if path.startswith("wasm.") and path not in wanted:
            continue
        target = folder / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    languages[name] = held


def _directory(pagefind: Path, bundle_languages, folder_of, last: Path, indexed, writes) -> tuple[dict[str, str], set[str]]:
    try:
        return write_directory(pagefind, bundle_languages, folder_of, last, stem_forms, indexed, writes)
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zlib.error) as exc:
        raise BuildError(Problem(f"cannot write the search word directory in {pagefind}: {exc}", str(pagefind), hint=HINT)) from None


def _run_async(coroutine) -> None:
    """asyncio.run, or in a thread of its own when the caller already runs an event loop
    (a build started from async code, a notebook, or Playwright's sync API in tests).
    asyncio is imported here and in the coroutines, not at the top: the up-to-date check
    imports this module for its file names and should not pay for asyncio."""
    import asyncio
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        wrapped = cancelled_by_signals(coroutine)
        try:
            result = asyncio.run(wrapped)
        finally:  # a stop signal before the loop awaited them: no "never awaited" warning under the message
            wrapped.close()
            coroutine.close()
            late = take_late()
        if late is not None:  # came while the loop ended
            raise Interrupted(late)
        return result
    from concurrent.futures import ThreadPoolExecutor
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine).result()
    finally:  # the thread is done by now: the same for a coroutine its loop never started
        coroutine.close()
