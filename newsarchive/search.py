"""The post stage: the built article pages → a Pagefind full-text index in pagefind/.

Pagefind (PyPI `pagefind` with its bundled binary, `pagefind-bin`) reads each article page
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

import gzip
import hashlib
import json
import os
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, Problem
from .interrupts import cancelled_by_signals
from .search_canonical import canonicalise_bundle
from .search_directory import FOLDER as WORDS_FOLDER, stale_files, stem_forms, write_bundle_words, write_directory

FOLDER = "pagefind"
BUNDLES_FILE = f"{FOLDER}/bundles.json"
SCRIPT = "js/search.js"  # the search page's script, under static/
FORMAT = "3"  # changes when the bundle layout does; a new format re-indexes everything (3: indexed-words.json)
UNUSED_ASSETS = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                 "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
AUTOMATIC_BUNDLE_SIZE = 64  # articles per bundle on average: an edit re-indexes 32 to 128 pages
HINT = "check that the pinned 'pagefind' and 'pagefind-bin' packages are installed (pip install -r requirements.txt), or set 'search: false'"


@dataclass(frozen=True)
class Bundle:
    name: str  # its first month, "2021-05"
    pages: tuple[str, ...]  # output paths of its article pages
    signature: str  # of the pages' URLs and bytes


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
        parts = [FORMAT, pagefind_version()] + [f"{a.url}\x1f{digests[a.url]}" for a in group]
        name = f"{language}-{first.date.year:04d}-{first.date.month:02d}-{_url_hash(first.url) % 16 ** 6:06x}"
        bundles.append(Bundle(name, tuple(output_path(a.url) for a in group),
                              hashlib.blake2b("\x1e".join(parts).encode("utf-8"), digest_size=16).hexdigest()))
    return bundles


def _language_key(lang: str) -> str:
    """The article's language as a folder-name part: "pt-BR" → "pt-br"."""
    return re.sub(r"[^a-z0-9]+", "-", lang.lower()).strip("-") or "und"


def _url_hash(url: str) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")


def pagefind_version() -> str:
    from .version import package_versions
    try:
        return "+".join(package_versions(("pagefind", "pagefind-bin")))
    except Exception:  # not installed: indexing will say so
        return "missing"


def read_previous(out_dir: Path) -> dict[str, str]:
    """Bundle name → signature from the last build's bundles.json, for bundles still on disk."""
    try:
        listed = json.loads((out_dir / BUNDLES_FILE).read_text(encoding="utf-8"))["bundles"]
        return {b["name"]: b["signature"] for b in listed
                if (out_dir / FOLDER / b["name"] / "pagefind-entry.json").is_file()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def index_site(root: Path, out_dir: Path, bundles: list[Bundle], page_files: dict[str, str], in_place: bool,
               jobs: int = 1) -> Indexed:
    """Index the bundles that changed. `root` is where this build writes (the staging folder or
    the output itself); `page_files` maps an article page's output path to the file holding its
    new bytes where that is not root/output path (a temporary file of an in-place build)."""
    previous = read_previous(out_dir) if in_place else {}
    todo = [b for b in bundles if previous.get(b.name) != b.signature]
    kept = [b.name for b in bundles if b not in todo]
    suffix = f".na-tmp-{os.getpid()}"
    work = root / f".na-search-input{suffix}"
    folders = []
    try:
        jobs_list = []
        for bundle in todo:
            source = work / bundle.name
            for rel in bundle.pages:
                target = source / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(page_files.get(rel) or str(root / rel), target)
            final = f"{FOLDER}/{bundle.name}"
            written = root / (f"{FOLDER}/.{bundle.name}{suffix}" if in_place else final)
            jobs_list.append((source, written))
            if in_place:
                folders.append((final, str(written)))
        if jobs_list:
            _run_async(_index_all(jobs_list, max(1, jobs)))
            for _, written in jobs_list:
                for name in UNUSED_ASSETS:
                    (written / name).unlink(missing_ok=True)
                _canonicalise(written)
                _drop_unused_wasm(written)
                _list_words(written)
        new_folders = dict(folders)
        folder_of = lambda name: Path(new_folders.get(f"{FOLDER}/{name}", root / FOLDER / name))  # noqa: E731
        languages = {b.name: _languages(folder_of(b.name)) for b in bundles}
        words, needed = _directory(root / FOLDER, [(b.name, languages[b.name]) for b in bundles], folder_of,
                                   out_dir / FOLDER, stem_forms(work), {b.name for b in todo})
    except BaseException:
        for _, new in folders:
            shutil.rmtree(new, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    listing = json.dumps({"format": FORMAT, "bundles": [
        {"name": b.name, "languages": languages[b.name], "signature": b.signature, "pages": len(b.pages)} for b in bundles
    ], "pagefind": pagefind_version(), "words": {language: f"{WORDS_FOLDER}/{digest}.json" for language, digest in sorted(words.items())}}, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    pending = []
    listing_path = root / BUNDLES_FILE
    if in_place:
        unchanged = (out_dir / BUNDLES_FILE).is_file() and (out_dir / BUNDLES_FILE).read_bytes() == listing
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


def commit_bundles(out_dir: Path, indexed: Indexed) -> None:
    """Put newly indexed bundle folders in place of the old ones, and delete bundles the site no longer has."""
    for final, new in indexed.folders:
        target = out_dir / final
        old = target.parent / f".{target.name}.na-old-{os.getpid()}"
        if target.exists():
            os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
    for folder in indexed.removed:
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    for rel in indexed.stale:
        (out_dir / rel).unlink(missing_ok=True)


def remove_index(out_dir: Path) -> None:
    """`search: false` leaves no trace: drop the index a previous build made (only if it is ours)."""
    if (out_dir / BUNDLES_FILE).is_file():
        shutil.rmtree(out_dir / FOLDER, ignore_errors=True)


def _canonicalise(written: Path) -> None:
    """Pagefind's files of one bundle in sorted order (search_canonical); a file it cannot read is a BuildError."""
    try:
        canonicalise_bundle(written)
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zlib.error) as exc:
        raise BuildError(Problem(f"cannot put the search index in {written} in canonical order: {exc}", str(written), hint=HINT)) from None


def _list_words(written: Path) -> None:
    """The words Pagefind indexed in the bundle, for the word directory (search_directory)."""
    try:
        write_bundle_words(written)
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zlib.error) as exc:
        raise BuildError(Problem(f"cannot read the words of the search index in {written}: {exc}", str(written), hint=HINT)) from None


def _directory(pagefind: Path, bundle_languages, folder_of, last: Path, stem_forms, indexed) -> tuple[dict[str, str], set[str]]:
    try:
        return write_directory(pagefind, bundle_languages, folder_of, last, stem_forms, indexed)
    except (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, zlib.error) as exc:
        raise BuildError(Problem(f"cannot write the search word directory in {pagefind}: {exc}", str(pagefind), hint=HINT)) from None


def _drop_unused_wasm(bundle_dir: Path) -> None:
    """Pagefind writes the WebAssembly of every language it knows (70 KB each) into every
    bundle; the browser loads only that of the languages the bundle's entry names."""
    try:
        entry = json.loads((bundle_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        wanted = {f"wasm.{language.get('wasm') or 'unknown'}.pagefind" for language in entry["languages"].values()}
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise BuildError(Problem(f"the search index in {bundle_dir} is incomplete: {exc}", str(bundle_dir), hint=HINT)) from None
    for path in bundle_dir.glob("wasm.*.pagefind"):
        if path.name not in wanted:
            path.unlink()


def _link_or_copy(source: str, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _languages(bundle_dir: Path) -> list[str]:
    try:
        entry = json.loads((bundle_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sorted(entry["languages"])
    except (OSError, ValueError, KeyError) as exc:
        raise BuildError(Problem(f"the search index in {bundle_dir} is incomplete: {exc}", str(bundle_dir), hint=HINT)) from None


def _run_async(coroutine) -> None:
    """asyncio.run, or in a thread of its own when the caller already runs an event loop
    (a build started from async code, a notebook, or Playwright's sync API in tests).
    asyncio is imported here and in the coroutines, not at the top: the up-to-date check
    imports this module for its file names and should not pay for asyncio."""
    import asyncio
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(cancelled_by_signals(coroutine))
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _index_all(jobs_list: list[tuple[Path, Path]], concurrency: int) -> None:
    """`concurrency` Pagefind processes, each indexing bundles from the queue one after the
    other: a process costs about as much to start and stop as indexing a small bundle."""
    import asyncio
    queue = list(jobs_list)
    results = await asyncio.gather(*(_index_bundles(queue) for _ in range(min(concurrency, len(queue)))), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]


async def _index_bundles(queue: list[tuple[Path, Path]]) -> None:
    """One Pagefind service process indexes bundles from `queue` (shared with the other
    processes) and writes their folders. The API waits forever for an answer from a process
    that died, so the process is watched."""
    import asyncio
    try:
        from pagefind.service import PagefindService
    except ImportError:
        raise BuildError(Problem("search is on but the 'pagefind' package is not installed", hint=HINT)) from None
    try:
        service = await PagefindService().launch()
    except (OSError, ValueError) as exc:
        raise BuildError(Problem(f"cannot start the Pagefind indexer: {exc}", hint=HINT)) from None
    backend = service._backend
    died = asyncio.ensure_future(backend.wait())
    written_all: list[Path] = []

    async def work(source: Path, written: Path) -> None:
        index = await service.create_index({"keep_index_url": False, "write_playground": False})
        result = await index.add_directory(str(source))
        if result.get("page_count", 0) == 0:
            raise BuildError(Problem(f"Pagefind found no article to index in {source.name}", hint=HINT))
        await index.write_files(output_path=str(written))
        await index.delete_index()  # frees the process's memory for the next bundle
    task = None
    try:
        while queue:
            source, written = queue.pop(0)
            written_all.append(written)
            task = asyncio.ensure_future(work(source, written))
            done, _ = await asyncio.wait({task, died}, return_when=asyncio.FIRST_COMPLETED)
            if task not in done:
                raise BuildError(Problem(f"the Pagefind indexer stopped unexpectedly (exit code {backend.returncode})", hint=HINT))
            try:
                task.result()
            except BuildError:
                raise
            except Exception as exc:
                raise BuildError(Problem(f"the Pagefind indexer failed: {exc}", hint=HINT)) from None
            # Pagefind answers before its last writes reach the disk, and drops those still queued
            # when it exits: so every file is checked complete (and waited for) before it is let go.
            await _until_complete(written)
        backend.stdin.close()
        try:
            await asyncio.wait_for(asyncio.shield(died), timeout=120)
        except asyncio.TimeoutError:
            raise BuildError(Problem("the Pagefind indexer did not finish writing within 2 minutes", hint=HINT)) from None
        if backend.returncode != 0:
            raise BuildError(Problem(f"the Pagefind indexer exited with code {backend.returncode}", hint=HINT))
        for written in written_all:
            incomplete = _incomplete(written, set())
            if incomplete:
                raise BuildError(Problem(f"the Pagefind indexer left {len(incomplete)} incomplete files, e.g. {incomplete[0]}", str(written), hint=HINT))
    finally:
        pending = [t for t in (task, died, service._poll_task) if t is not None]
        for waiting in pending:
            waiting.cancel()
        if backend.returncode is None:  # stopped early (an error, a stop signal): nothing of its output is kept
            backend.kill()
            await backend.wait()
        await asyncio.gather(*pending, return_exceptions=True)  # collected, so nothing is logged


async def _until_complete(written: Path, timeout: float = 120.0) -> None:
    import asyncio
    checked: set[Path] = set()
    waited = 0.0
    while _incomplete(written, checked):
        if waited >= timeout:
            raise BuildError(Problem(f"the Pagefind indexer did not finish writing {written} within {timeout:.0f} s", str(written), hint=HINT))
        await asyncio.sleep(0.05)
        waited += 0.05


def _incomplete(folder: Path, checked: set[Path]) -> list[str]:
    """Files not (yet) whole: Pagefind's index files are gzip, so a short one fails its length
    and checksum; its two scripts end in a known way (its UI files are deleted unread). Files
    found whole go into `checked`."""
    missing = [] if (folder / "pagefind-entry.json").is_file() else ["pagefind-entry.json"]
    for path in sorted(folder.rglob("*")):
        if path in checked or not path.is_file() or path.name in UNUSED_ASSETS:
            continue
        data = path.read_bytes()
        try:
            if data[:2] == b"\x1f\x8b":
                gzip.decompress(data)
                whole = True
            elif path.name == "pagefind-entry.json":
                whole = isinstance(json.loads(data), dict)
            elif path.name in ("pagefind.js", "pagefind-worker.js"):
                whole = data.rstrip().endswith((b"};", b"})();"))
            else:
                whole = bool(data)
        except (OSError, EOFError, ValueError, zlib.error):
            whole = False
        if whole:
            checked.add(path)
        else:
            missing.append(path.relative_to(folder).as_posix())
    return missing
