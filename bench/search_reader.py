"""A reader's first search on a built site, in Chromium: the time from opening
/search/?q=… (fresh browser context, empty cache) to the first results shown (those of each
language's newest bundles: `dataset.shown`) and to all results shown (`dataset.done`), and the
bytes, requests and bundles the page fetched by then (counted by the local server; a bundle is
one pagefind-entry.json). Not part of `make test`.

    .venv/bin/python bench/search_reader.py SITE_DIR "query one" "query two" ... [--head N]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    counted: list  # (path, bytes) of each answer, shared by the server's threads

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.counted.append((self.path, len(data)))


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
            "bundles": sum(1 for path, _ in index if "pagefind-entry.json" in path)}


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
                started = time.perf_counter()
                page.goto(f"{base}search/?q={quote(query)}")
                page.wait_for_function("q => document.getElementById('na-search').dataset.shown === q", arg=query, timeout=120_000)
                first = time.perf_counter() - started
                at_first = list(counted)
                first_results = links(page)
                page.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query, timeout=300_000)
                shown = time.perf_counter() - started
                results = links(page)
                rows.append({"query": query, "first_results_s": round(first, 3), "all_results_s": round(shown, 3),
                             "results_shown": len(results), "first_result": results[0] if results else None,
                             "first_page_kept": first_results == results,
                             "at_first": figures(at_first), "at_all": figures(counted)})
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
