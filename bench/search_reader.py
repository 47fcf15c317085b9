"""A reader's first search on a built site, in Chromium: the time from opening
/search/?q=… (fresh browser context, empty cache) to the first results shown (those of each
language's newest bundles: `dataset.shown`) and to all results shown (`dataset.done`), as the page
itself times them (performance.now()), and the bytes, requests and bundles the server had sent by
then (a bundle is one pagefind-entry.json). Not part of `make test`.

    .venv/bin/python bench/search_reader.py SITE_DIR "query one" "query two" ... [--head N]
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    counted: list  # (path, bytes, time sent) of each answer, shared by the server's threads

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.counted.append((self.path, len(data), time.time()))


# Marks the moment (ms since the navigation began) the first results and the whole results are shown;
# the files the server had sent by then are counted (Pagefind fetches from a worker: not in the page's resource timing).
MARKS = """
new MutationObserver(() => {
  const box = document.getElementById('na-search');
  if (!box) return;
  const now = () => ({t: performance.now()});
  if (box.dataset.shown && !window.naFirst) window.naFirst = now();
  if (box.dataset.done && !window.naAll) window.naAll = now();
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-shown', 'data-done']});
"""


def with_head(head: int, route) -> None:
    answer = route.fetch()
    body = answer.text().replace('id="na-search"', f'id="na-search" data-head-bundles="{head}"', 1)
    route.fulfill(response=answer, body=body)


def links(page) -> list[str]:
    return page.locator(".na-search-result-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def figures(counted: list) -> dict:
    """Requests and bytes of the index (pagefind/), of everything, and the bundles loaded."""
    index = [(path, n) for path, n in counted if "/pagefind/" in path]
    return {"index_requests": len(index), "index_bytes": sum(n for _, n in index),
            "all_requests": len(counted), "all_bytes": sum(n for _, n in counted),
            "bundles": sum(1 for path, _ in index if "pagefind-entry.json" in path),
            "bytes_by_kind": {kind: sum(n for path, n in index if file_kind(path) == kind) for kind in sorted({file_kind(p) for p, _ in index})}}


def file_kind(path: str) -> str:
    """bundles.json, the word directory, Pagefind's code (js, wasm), word index chunks, entry and meta, fragments, filters."""
    path = path.split("?")[0]
    if path.endswith("/bundles.json"):
        return "bundles.json"
    if "/pagefind/words/" in path:
        return "directory"
    for ending, kind in ((".pf_index", "chunks"), (".pf_fragment", "fragments"), (".pf_filter", "filters"), (".pf_meta", "entry+meta"),
                         ("pagefind-entry.json", "entry+meta"), (".js", "code"), (".pagefind", "code")):
        if path.endswith(ending):
            return kind
    return "other"


def first_search(site: Path, queries: list[str], head: int | None = None) -> list[dict]:
    """`head`: the bundles a language's first results come from (the search page's data-head-bundles;
    None: the page's own setting; a number above the bundle count: every bundle at once)."""
    from playwright.sync_api import sync_playwright
    counted: list = []
    handler = type("Handler", (CountingHandler,), {"counted": counted})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                if head is not None:
                    page.route("**/search/?*", partial(with_head, head))
                counted.clear()
                page.add_init_script(MARKS)
                page.goto(f"{base}search/?q={quote(query)}")
                page.wait_for_function("q => document.getElementById('na-search').dataset.shown === q", arg=query, timeout=120_000)
                first_results = links(page)
                page.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query, timeout=300_000)
                results = links(page)
                marks = page.evaluate("() => ({first: window.naFirst, all: window.naAll, origin: performance.timeOrigin})")
                by = lambda mark: [(path, n) for path, n, at in counted if at * 1000 <= marks["origin"] + mark["t"]]  # noqa: E731
                rows.append({"query": query, "first_results_s": round(marks["first"]["t"] / 1000, 3), "all_results_s": round(marks["all"]["t"] / 1000, 3),
                             "results_shown": len(results), "first_result": results[0] if results else None,
                             "results_digest": hashlib.blake2b("\n".join(results).encode("utf-8"), digest_size=6).hexdigest(),
                             "first_page_kept": first_results == results,
                             "at_first": figures(by(marks["first"])), "at_all": figures(by(marks["all"]))})
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="+")
    parser.add_argument("--head", type=int, help="bundles a language's first results come from (default: the page's own)")
    args = parser.parse_args()
    print("load:", Path("/proc/loadavg").read_text().split()[:3])
    for row in first_search(args.site, args.queries, args.head):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
