"""The import's dates against htmldate's labelled evaluation pages (github.com/adbar/htmldate,
tests/eval_default.json and eval_mediacloud_2020.json: a page and its publication day each), side
by side with plain htmldate (`find_date(original_date=True, extensive_search=True)`) in the same run.

    .venv/bin/python bench/date_accuracy.py HTMLDATE_TESTS [--package-root DIR] [--list FILE]

HTMLDATE_TESTS is the repository's tests/ folder (`git archive HEAD tests | tar -x`). A page counts
as right when the day is the labelled one, wrong when another day, none when no date is given (the
import refuses the page). `--package-root` measures another checkout's newsarchive.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CAPTURED = "2026-12-01T00:00:00Z"


def judge(item: tuple[str, str, str]) -> tuple[str, str, str | None, str | None, str | None]:
    """(file, labelled day, import's day, its date_source, plain htmldate's day)."""
    from htmldate import find_date

    from newsarchive.errors import Problem
    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportSettings
    path, name, label = item
    data = Path(path).read_bytes()
    try:
        result = parse_page(data, name, ImportSettings(default_lang="en"), captured=CAPTURED)
    except Exception as error:  # a defect of the import: the page counts as undated, and is named
        print(f"{name}: crash: {type(error).__name__}: {error}", file=sys.stderr)
        result = Problem(str(error), name)
    ours = None if isinstance(result, Problem) else getattr(result, "date", None)
    try:
        plain = find_date(data.decode("utf-8", "replace"), original_date=True, extensive_search=True)
    except Exception:
        plain = None
    return name, label, ours[:10] if ours else None, None if isinstance(result, Problem) else result.date_source, plain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tests", type=Path)
    parser.add_argument("--package-root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.package_root))
    os.environ["PYTHONPATH"] = str(args.package_root)
    items = []
    for labels in ("eval_default.json", "eval_mediacloud_2020.json"):
        for url, entry in json.loads((args.tests / labels).read_text(encoding="utf-8")).items():
            for folder in ("cache", "eval", "test_set"):
                if (args.tests / folder / entry["file"]).is_file() and isinstance(entry.get("date"), str):
                    items.append((str(args.tests / folder / entry["file"]), entry["file"], entry["date"][:10]))
                    break
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(judge, items, chunksize=8))
    for who, index in (("import", 2), ("plain htmldate", 4)):
        right = sum(1 for r in rows if r[index] == r[1])
        none = sum(1 for r in rows if not r[index])
        print(f"{who:15} {len(rows)} pages: right {right} ({right / len(rows):.3f}), wrong {len(rows) - right - none}, none {none}")
    sources: dict[str, list[int]] = {}
    for r in rows:
        if r[2]:
            counts = sources.setdefault(str(r[3]).split(" ")[0], [0, 0])
            counts[0 if r[2] == r[1] else 1] += 1
    print("import's right/wrong by date_source:", {k: tuple(v) for k, v in sorted(sources.items())})
    if args.list:
        args.list.write_text("".join("\t".join(str(x) for x in r) + "\n" for r in rows), encoding="utf-8")
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    print(f"{cpu:.0f} CPU s; load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
