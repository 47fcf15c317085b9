"""Output paths that cannot all be written, found before anything renders.

A page path may escape the output folder; two pages may share a path once compared as
macOS and Windows compare names (NFC, case folded: segments.path_key); a page may need a
folder where another page is a file (`slug: index.html` under a month listing's
`index.html`); or a page may fall inside a folder the build fills itself (pagefind/, _img/).
Each is a problem naming the page's origin: for an article, its source file, so
`--keep-going` leaves that article out and builds the rest.
"""
from __future__ import annotations

from . import urls
from .errors import BuildError, Problem
from .segments import path_key

_HINT = "give one of them another slug (front matter 'slug: …') or change the permalink pattern; a published URL should never be overwritten"


def check_output_paths(pages: list, reserved: tuple[str, ...] = ()) -> None:
    """Raise BuildError naming every page whose output path cannot be written; `reserved`
    are top-level folders the build writes itself. The paths are first compared by their
    hashes alone (a million of them as strings would be a few hundred megabytes); only pages
    whose hash was seen before are looked at closely."""
    problems = []
    seen: set[int] = set()
    again: set[str] = set()
    folders: dict[str, int] = {}  # folder keys that could also be a file's name (a '.' in the last segment) → first page
    owned = {path_key(name): name for name in reserved}
    dotless = {page.output_path.lower() for page in pages if "." not in page.output_path}  # `_redirects`: a file any folder name could be
    for index, page in enumerate(pages):
        output = page.output_path
        if urls.escapes_output(output):
            problems.append((index, Problem(f"the URL '{page.url}' would write outside the output folder", page.origin, hint="change the slug or the permalink pattern")))
            continue
        key = path_key(output) if not output.isascii() else output.lower()
        top, inside, _ = key.partition("/") if owned else ("", "", "")
        if inside and top in owned:
            problems.append((index, Problem(f"the URL '{page.url}' would be written inside {owned[top]}/, a folder the build fills itself",
                                            page.origin, hint="give it another slug (front matter 'slug: …') or change the permalink pattern")))
            continue
        if hash(key) in seen:
            again.add(key)
        seen.add(hash(key))
        if "." in key[:key.rfind("/")] or dotless:
            for folder in _dotted_folders(key, dotless):
                folders.setdefault(folder, index)
    for index, page in enumerate(pages if folders else ()):  # a file where another page needs a folder
        output = page.output_path
        other_index = folders.get(path_key(output) if not output.isascii() else output.lower())
        if other_index is not None:
            other = pages[other_index]
            article_side = other if other.kind == "article" else page
            problems.append((index, Problem(f"'{output}' ({page.origin}) is a file, but {other.origin} needs a folder of that name for '{other.output_path}'",
                                            article_side.origin, hint=_HINT)))
    if again:
        first: dict[str, object] = {}
        for index, page in enumerate(pages):
            output = page.output_path
            key = path_key(output) if not output.isascii() else output.lower()
            if key not in again or urls.escapes_output(output):
                continue
            if key in first:
                other = first[key]
                article_side = page if page.kind == "article" else other
                problems.append((index, Problem(f"two pages would be written to '{output}': {other.origin} and {page.origin}", article_side.origin, hint=_HINT)))
                continue
            first[key] = page
    if problems:
        raise BuildError([problem for _, problem in sorted(problems, key=lambda item: item[0])])


def _dotted_folders(key: str, dotless: set[str] = frozenset()):
    """The folders of a path whose name has a '.' or is one of the `dotless` files (only such a
    name can also be a page's file)."""
    parts = key.split("/")[:-1]
    for depth, part in enumerate(parts):
        folder = "/".join(parts[:depth + 1])
        if "." in part or folder in dotless:
            yield folder


def drop_url_collisions(articles: list) -> tuple[list, list[Problem], int]:
    """Two articles with one URL (compared after NFC and case folding) are both left out and
    named: neither silently wins."""
    by_path: dict[str, list] = {}
    for article in articles:
        by_path.setdefault(path_key(urls.output_path(article.url)), []).append(article)
    problems = []
    dropped = set()
    for group in by_path.values():
        if len(group) > 1:
            names = " and ".join(a.source_path for a in group)
            dropped.update(a.source_path for a in group)
            problems.append(Problem(
                f"{len(group)} articles would have the URL {group[0].url}: {names}", group[1].source_path, None,
                "give one of them another 'slug:' in its front matter; a published URL must not change or be overwritten",
            ))
    return [a for a in articles if a.source_path not in dropped], problems, len(dropped)
