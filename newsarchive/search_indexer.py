"""Pagefind's indexer, driven over its service protocol: the bundles' files made in memory.

`pagefind --service` reads requests on stdin and answers on stdout, each a base64 JSON
message ended by a comma. The `pagefind` package's own client waits 0.1 s before reading
each answer (four answers a bundle: 0.4 s of a one-article edit's re-index) and lets
Pagefind write the files itself, answering before they are all on disk; so this module
speaks the protocol directly, reads each answer as it comes, and asks for the files
(GetFiles) instead: nothing is waited for on disk, and only the files a bundle needs are
written, once, in canonical order (search_canonical).

Pages are added one by one in the order given (AddFile, each answered before the next),
so Pagefind numbers them in that order whatever file system they are on.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

from .errors import BuildError, Problem

HINT = "check that the pinned 'pagefind' and 'pagefind-bin-extended' packages are installed (pip install -r requirements.txt), or set 'search: false'"
INDEX_CONFIG = {"keep_index_url": False, "write_playground": False}
ANSWER_LIMIT = 1 << 30  # one answer holds a whole bundle's files
ANSWER_SECONDS = 600.0  # an indexer silent this long is stuck: the build fails instead of waiting forever


class IndexerProcess:
    """One `pagefind --service` process; index() makes one bundle's files at a time."""

    def __init__(self, process):
        self._process = process
        self._last_id = 0

    @classmethod
    async def start(cls) -> IndexerProcess:
        import asyncio
        try:
            from pagefind.service import get_executable
        except ImportError:
            raise BuildError(Problem("search is on but the 'pagefind' package is not installed", hint=HINT)) from None
        executable = get_executable()
        if executable is None:
            raise BuildError(Problem("cannot start the Pagefind indexer: no pagefind binary found", hint=HINT))
        try:
            process = await asyncio.create_subprocess_exec(
                str(executable), "--service", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL, limit=ANSWER_LIMIT)
        except (OSError, ValueError) as exc:
            raise BuildError(Problem(f"cannot start the Pagefind indexer: {exc}", hint=HINT)) from None
        return cls(process)

    async def index(self, pages: list[tuple[str, bytes]]) -> dict[str, bytes]:
        """`pages`: (output path, bytes) of a bundle's article pages → Pagefind's files, path → bytes."""
        return await self._files([{"type": "AddFile", "file_path": rel, "url": None, "file_contents": data.decode("utf-8")}
                                  for rel, data in pages])

    async def index_records(self, records: list[tuple[str, str, str]]) -> dict[str, bytes]:
        """`records`: (URL, text, language) of pages given as text alone → Pagefind's files."""
        return await self._files([{"type": "AddRecord", "url": url, "content": content, "language": language}
                                  for url, content, language in records])

    async def _files(self, additions: list[dict]) -> dict[str, bytes]:
        index_id = (await self._ask({"type": "NewIndex", "config": INDEX_CONFIG}, "NewIndex"))["index_id"]
        for addition in additions:
            await self._ask({**addition, "index_id": index_id}, "IndexedFile")
        answer = await self._ask({"type": "GetFiles", "index_id": index_id}, "GetFiles")
        await self._ask({"type": "DeleteIndex", "index_id": index_id}, "DeleteIndex")  # frees its memory for the next bundle
        try:
            return {item["path"]: base64.b64decode(item["content"]) for item in answer["files"]}
        except (KeyError, TypeError, ValueError) as exc:
            raise BuildError(Problem(f"the Pagefind indexer sent files that cannot be read: {exc}", hint=HINT)) from None

    async def close(self) -> None:
        """Ends the process at once: it has written nothing (every file came back in an answer),
        so there is nothing to wait for (its own exit takes 0.1-0.3 s of a one-article edit)."""
        self.kill()
        await self._process.wait()

    def kill(self) -> None:
        if self._process.returncode is None:
            self._process.kill()

    async def _ask(self, payload: dict, expected: str) -> dict:
        import asyncio
        self._last_id += 1
        message = {"message_id": self._last_id, "payload": payload}
        process = self._process
        try:
            process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
            await process.stdin.drain()
            while True:
                raw = await asyncio.wait_for(process.stdout.readuntil(b","), ANSWER_SECONDS)
                answer = json.loads(base64.b64decode(raw[:-1]))
                if isinstance(answer, dict) and answer.get("message_id") in (self._last_id, None):
                    break
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
            try:
                await asyncio.wait_for(process.wait(), 5)
            except asyncio.TimeoutError:  # its output closed, yet it runs on
                self.kill()
                await process.wait()
            raise BuildError(Problem(f"the Pagefind indexer stopped unexpectedly (exit code {process.returncode})", hint=HINT)) from None
        except asyncio.TimeoutError:
            self.kill()
            raise BuildError(Problem(f"the Pagefind indexer gave no answer in {ANSWER_SECONDS:g} s; stopped", hint=HINT)) from None
        except (asyncio.LimitOverrunError, ValueError) as exc:
            raise BuildError(Problem(f"the Pagefind indexer sent an answer that cannot be read: {exc}", hint=HINT)) from None
        result = answer.get("payload") or {}
        if result.get("type") != expected:
            raise BuildError(Problem(f"the Pagefind indexer failed: {result.get('message') or result}", hint=HINT))
        return result


async def index_all(jobs: list[tuple[list[tuple[str, Path]], object]], concurrency: int) -> None:
    """`jobs`: (pages as (output path, file with its bytes), a callback given the bundle's
    files) for each bundle; `concurrency` processes take bundles from the queue one after
    the other (a process costs about as much to start as indexing a small bundle). A callback
    runs in a thread while its process indexes the next bundle: putting a bundle in canonical
    order and listing its words (Python's work) overlaps Pagefind's instead of idling it."""
    import asyncio
    queue = list(jobs)

    async def worker() -> None:
        indexer = await IndexerProcess.start()
        writing = None  # the callback of the last bundle, run in a thread while its process indexes the next
        try:
            while queue:
                pages, done = queue.pop(0)
                files = await indexer.index([(rel, _read(source)) for rel, source in pages])
                if writing is not None:
                    await writing  # one bundle's files waiting at most: the memory stays one bundle's
                writing = asyncio.ensure_future(asyncio.to_thread(done, files))
                del files
            if writing is not None:
                await writing
        except BaseException:
            indexer.kill()
            raise
        finally:
            if writing is not None:  # never leave a thread writing into a folder the caller may delete
                await asyncio.wait([writing])
                if not writing.cancelled():
                    writing.exception()  # retrieved: the error raised is the first one
            await indexer.close()
    results = await asyncio.gather(*(worker() for _ in range(min(concurrency, len(queue)))), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise BuildError(Problem(f"cannot read the page to index: {exc.strerror or exc}", str(source))) from None
