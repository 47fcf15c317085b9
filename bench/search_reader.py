"""A reader's first search on a built site, in Chromium: the time from opening
/search/?q=… (fresh browser context, empty cache) to the first results shown, and the bytes
and requests the page fetched for it (counted by the local server). Not part of `make test`.

    .venv/bin/python bench/search_reader.py SITE_DIR "query one" "query two" ...
"""
from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
import time
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


def first_search(site: Path, queries: list[str]) -> list[dict]:
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
                counted.clear()
                started = time.perf_counter()
                page.goto(f"{base}search/?q={quote(query)}")
                page.wait_for_function("q => document.getElementById('na-search').dataset.done === q", arg=query, timeout=120_000)
                shown = time.perf_counter() - started
                results = page.locator(".na-search-result-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
                index = [(path, n) for path, n in counted if "/pagefind/" in path]
                rows.append({"query": query, "first_results_s": round(shown, 3), "results_shown": len(results),
                             "first_result": results[0] if results else None,
                             "index_requests": len(index), "index_bytes": sum(n for _, n in index),
                             "all_requests": len(counted), "all_bytes": sum(n for _, n in counted)})
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return rows


def main() -> None:
    site, *queries = sys.argv[1:]
    print("load:", Path("/proc/loadavg").read_text().split()[:3])
    for row in first_search(Path(site), queries):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
