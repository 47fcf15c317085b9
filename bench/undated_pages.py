"""Which pages of the pool an import finds no date in, without importing them all: every k-th page
of bench/real_pages.py's pool (as `import_scale.py --distinct N` picks them) goes through the import's
`parse_page`; those it refuses as undated are listed, with the count and the CPU seconds.

    .venv/bin/python bench/undated_pages.py --pool /work/data/pool --distinct 4000 [--jobs 2] [--list FILE] [--package-root DIR]

A page whose own metadata (JSON-LD, article:published_time, microdata) gives a plausible date is
counted as dated without extracting its text: parse_page takes that date first.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

CAPTURED = "2026-12-01T00:00:00Z"  # the pool's pages were saved before this: no date of theirs is later


def verdict(item: tuple[str, bytes]) -> tuple[str, str | None, str | None]:
    """(name, date or None, date_source or the refusal)."""
    from newsarchive.errors import Problem
    from newsarchive.importers import dates
    from newsarchive.importers.extract import load_tree
    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportSettings
    from newsarchive.importers.page_metadata import page_metadata
    name, data = item
    try:
        meta = page_metadata(load_tree(data.decode("utf-8", "replace")))
        quick = dates.choose(sorted(meta["dates"], key=lambda d: d[0] != "jsonld"), CAPTURED)
        if quick.date:
            return name, quick.date, quick.source
    except Exception:  # an unreadable page: parse_page says why
        pass
    try:
        result = parse_page(data, name, ImportSettings(default_lang="en"), captured=CAPTURED)
    except Exception as error:  # a defect of the import: counted and named, the run goes on
        return name, None, f"crash: {type(error).__name__}: {error}"
    if isinstance(result, Problem):
        return name, None, result.message
    return name, getattr(result, "date", None), getattr(result, "date_source", None)


def main() -> int:
    from real_pages import pool_pages
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--distinct", type=int, default=4000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", type=Path, help="write name, date, date_source (or refusal) per page, tab-separated")
    parser.add_argument("--package-root", type=Path, help="measure another checkout's newsarchive")
    args = parser.parse_args()
    if args.package_root:
        sys.path.insert(0, str(args.package_root))
    pages = pool_pages(args.pool)
    if args.distinct < len(pages):
        pages = pages[::len(pages) // args.distinct][:args.distinct]
    with ProcessPoolExecutor(args.jobs) as pool:
        verdicts = list(pool.map(verdict, pages, chunksize=16))
    undated = [v for v in verdicts if v[1] is None and "no publication date" in (v[2] or "")]
    sources: dict[str, int] = {}
    for _, date, source in verdicts:
        if date:
            sources[source] = sources.get(source, 0) + 1
    if args.list:
        args.list.write_text("".join(f"{n}\t{d or ''}\t{s or ''}\n" for n, d, s in verdicts), encoding="utf-8")
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    print(f"{len(pages)} pages: {len(undated)} undated; dated by {dict(sorted(sources.items()))}; "
          f"{cpu:.0f} CPU s; load {os.getloadavg()[0]:.1f}")
    for name, _, said in verdicts:
        if (said or "").startswith("crash"):
            print(f"{name}: {said}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
