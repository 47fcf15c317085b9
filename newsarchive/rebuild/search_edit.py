"""The search index after an edit of articles' text alone (edit.py): the bundles
holding a page whose bytes changed are indexed again, nothing else is planned or read.

An edit leaves every article's URL, language and date as they were (its layout), so the
bundles are those of the last build that planned the site (search.plan_bundles, a pure
function of the articles' layout). That build keeps the bundles' members, bundle name →
article URLs, in the cache folder (PLAN_FILE). An edit takes a bundle's members from there
only when they give, with the last build's page digests, the very signature the output's
pagefind/bundles.json holds for that bundle: so a members file left by a build that failed
later, by other settings or by another Pagefind is never trusted (the normal rebuild runs).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import search
from ..urls import output_path

PLAN_FILE = "search-bundles.json"


@dataclass(frozen=True)
class SearchPlan:
    """The last build's bundles, in bundles.json's order: name → (URLs, signature)."""
    bundles: dict[str, tuple[tuple[str, ...], str]]
    bundle_of: dict[str, str]  # article URL → its bundle's name
    version: str  # Pagefind's


def keep_plan(cache_dir: Path, bundles: list[search.Bundle], bundle_size: int) -> None:
    """Keep the bundles' members for the next edit (written only when they changed)."""
    data = json.dumps({"format": search.FORMAT, "bundle_size": bundle_size,
                       "bundles": [[b.name, list(b.urls)] for b in bundles]},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path = cache_dir / PLAN_FILE
    try:
        if path.is_file() and path.read_bytes() == data:
            return
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{PLAN_FILE}.{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:  # only an edit's shortcut is lost: the next edit plans the site
        path.unlink(missing_ok=True)


def read_plan(cache_dir: Path, output_dir: Path, bundle_size: int) -> SearchPlan | None:
    """The last build's bundles, or None when the members file or the output's listing is
    missing, of another format or bundle size, or the two do not name the same bundles."""
    try:
        kept = json.loads((cache_dir / PLAN_FILE).read_bytes())
        listing = json.loads((output_dir / search.BUNDLES_FILE).read_bytes())
        if kept["format"] != search.FORMAT or listing["format"] != search.FORMAT or kept["bundle_size"] != bundle_size:
            return None
        if [name for name, _ in kept["bundles"]] != [b["name"] for b in listing["bundles"]]:
            return None
        bundles = {b["name"]: (tuple(urls), b["signature"])
                   for (_, urls), b in zip(kept["bundles"], listing["bundles"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return SearchPlan(bundles, {url: name for name, (urls, _) in bundles.items() for url in urls}, search.pagefind_version())


def reindex(plan: SearchPlan, cache, output_dir: Path, rendered: dict[str, tuple[str, bool]],
            page_files: dict[str, str]) -> search.Indexed | None:
    """Index again the bundles holding a page whose bytes changed (`rendered`: URL →
    (digest, written); `page_files`: output path → the temporary file with its new
    bytes); None when a bundle's members cannot be trusted (then the normal rebuild runs)."""
    changed = {plan.bundle_of[url] for url, (_, written) in rendered.items() if written and url in plan.bundle_of}
    signatures = {}
    for name in changed:
        urls, listed = plan.bundles[name]
        digests = {url: digest for url, (_, digest, _) in cache.planned_pages(urls).items()}
        if len(digests) != len(urls) or search.bundle_signature(urls, digests, plan.version) != listed:
            return None
        digests |= {url: rendered[url][0] for url in urls if url in rendered}
        signatures[name] = search.bundle_signature(urls, digests, plan.version)
    bundles = [search.Bundle(name, tuple(map(output_path, urls)), signatures.get(name, listed), urls)
               for name, (urls, listed) in plan.bundles.items()]
    return search.index_site(output_dir, output_dir, bundles, page_files, True, 1)
