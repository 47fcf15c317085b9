"""What search adds to a build: cold, no-change and one-edit builds of the synthetic corpus,
with `search: true` (at a given `search_bundle_size`) and with `search: false`, plus the
index size. Not part of `make test`.

    .venv/bin/python bench/search.py --n 1000 --work /tmp/search-bench [--bundle-size 2000 ...]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def run(python: str, config: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([python, str(REPO / "build.py"), "--config", str(config), "--profile"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(done.stdout + done.stderr)
    stages = {name: float(sec) for name, sec in re.findall(r"(\w+) (\d+\.\d+) s", done.stdout.split("stages:")[-1])} if "stages:" in done.stdout else {}
    return {"wall": round(wall, 2), "search": stages.get("search", 0.0), "line": done.stdout.splitlines()[0]}


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--bundle-size", type=int, nargs="+", default=[0])
    parser.add_argument("--python", default=str(REPO / ".venv/bin/python"))
    parser.add_argument("--edits", type=int, default=3, help="one-article edits in a row, each timed")
    parser.add_argument("--no-off", action="store_true", help="skip the search: false run")
    parser.add_argument("--reader", action="store_true", help="also time a reader's first searches in Chromium (bench/search_reader.py)")
    parser.add_argument("--keep", action="store_true", help="keep the built sites (to time readers again with bench/search_reader.py)")
    args = parser.parse_args()
    corpus = args.work / f"corpus-{args.n}"
    if not (corpus / "articles").is_dir():
        subprocess.run([args.python, str(HERE / "corpus.py"), "--n", str(args.n), "--out", str(corpus / "articles")], check=True, capture_output=True)
    print("load average at start:", Path("/proc/loadavg").read_text().split()[:3])
    results = {}
    for label, settings in [("off", "search: false\n")] * (not args.no_off) + [(f"bundles of {b}" if b else "automatic bundles", f"search: true\nsearch_bundle_size: {b}\n") for b in args.bundle_size]:
        site = args.work / f"site-{args.n}-{label.replace(' ', '-')}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(corpus, site)
        (site / "config.yaml").write_text("title: Bench\nbase_url: https://example.org/\n" + settings, encoding="utf-8")
        row = {"cold": run(args.python, site / "config.yaml"), "no-change": run(args.python, site / "config.yaml")}
        sources = sorted((site / "articles").rglob("*.md"))
        victim = sources[len(sources) // 2]
        row["edits"] = []
        for n in range(args.edits):
            victim.write_text(victim.read_text(encoding="utf-8") + f"\nOne more sentence, appended for the benchmark ({n + 1}).\n", encoding="utf-8")
            row["edits"].append(run(args.python, site / "config.yaml") | {"load": Path("/proc/loadavg").read_text().split()[0]})
        if args.reader and (site / "_site/pagefind").is_dir():
            from search_reader import first_search
            titles = [re.search(r'^title: "(.*)"$', sources[i].read_text(encoding="utf-8"), re.M).group(1) for i in (len(sources) // 3, len(sources) // 5)]
            row["reader"] = first_search(site / "_site", [titles[0], titles[1].split()[0]])
        if (site / "_site/pagefind").is_dir():
            row["index_bytes"] = size(site / "_site/pagefind")
            row["bundles"] = len(json.loads((site / "_site/pagefind/bundles.json").read_text())["bundles"])
        results[label] = row
        print(label, json.dumps(row), "load:", Path("/proc/loadavg").read_text().split()[:3], flush=True)
        if not args.keep:
            shutil.rmtree(site, ignore_errors=True)
    (args.work / f"search-{args.n}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
