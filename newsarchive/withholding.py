"""The files a build does not publish: those only held-back articles use.

Two kinds of article are held back with their files: embargoed ones (embargo.py: not built
until the embargo passes) and withdrawn ones (status.py: a notice page only). One rule of
use serves both, in one pass: a held-back article uses its body's links to files under
articles/, its lead image and, when it is a page bundle (`…/slug/index.md`), every file of
its folder; a published article uses its body's links, its lead image, its earlier
versions' bodies' links and its "read also" URLs. What held-back articles use and no
published one does is withheld, with the image versions made of those files alone.
"""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Iterable
from urllib.parse import unquote

if TYPE_CHECKING:
    from .content import Article
    from .site import RelatedLink, Site


def published_files(files: list, held: Iterable[Article], site: Site, asset_paths: frozenset[str],
                    static_paths: frozenset[str], infos: dict) -> list:
    """`files` (the SourceFiles to publish: article files and image versions, by output path)
    less those withheld for `held` (embargoed) articles and the site's withdrawn ones."""
    from .status import WITHDRAWN
    held = [*held, *(a for a in site.off_list if a.status == WITHDRAWN)]
    if not held:
        return files
    published = (a for a in site.with_pages if a.status != WITHDRAWN)
    withheld = withheld_files(held, published, asset_paths, static_paths, infos, site.related)
    return [f for f in files if f.source_path not in withheld] if withheld else files


def withheld_files(held: Iterable[Article], published: Iterable[Article], asset_paths: frozenset[str],
                   static_paths: frozenset[str], infos: dict,
                   related: dict[str, tuple[RelatedLink, ...]] | None = None) -> frozenset[str]:
    """Output paths not to publish: files under articles/ only `held` articles use, and the
    image versions (`infos`: site path → ImageInfo) made of those alone."""
    from .images import version_paths
    theirs = set().union(*(files_of_held(article, asset_paths, static_paths) for article in held))
    if not theirs:
        return frozenset()
    for article in published:
        theirs -= files_used(article, asset_paths, static_paths, (related or {}).get(article.source_path, ()))
    made = set().union(*(version_paths(infos[f"/{path}"]) for path in theirs if f"/{path}" in infos))
    kept = set().union(*(version_paths(info) for key, info in infos.items() if key.lstrip("/") not in theirs))
    return frozenset(theirs | (made - kept))


def files_of_held(article: Article, asset_paths: frozenset[str], static_paths: frozenset[str]) -> set[str]:
    """The files under articles/ a held-back article takes with it: those it uses, and every
    file of its folder when it is a page bundle."""
    found = files_used(article, asset_paths, static_paths) & asset_paths
    folder, name = posixpath.split(article.source_path)
    if folder and posixpath.splitext(name)[0] == "index":
        found |= {path for path in asset_paths if path.startswith(folder + "/")}
    return found


def files_used(article: Article, asset_paths: frozenset[str], static_paths: frozenset[str],
               related: tuple[RelatedLink, ...] = ()) -> set[str]:
    """The site paths (unquoted, no leading slash) an article shows: its body's links, its lead
    image, its earlier versions' bodies' links and `related` ("read also") URLs."""
    from .site import resolve_image
    from .urls import rewrite_urls
    found = {unquote(link).partition("#")[0].lstrip("/") for link in article.local_links}
    image = article.image and resolve_image(article.image, article.source_path, asset_paths, static_paths)
    if _local(image):
        found.add(unquote(image).lstrip("/"))
    found |= {_site_path(link.url) for link in related if _local(link.url)}

    def collect(url: str) -> str:
        if _local(url):
            found.add(_site_path(url))
        return url
    for version in article.versions or ():
        rewrite_urls(version.html, collect)
    return found


def _local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


def _site_path(url: str) -> str:
    path = unquote(url.partition("#")[0].partition("?")[0])
    path = path.removesuffix("index.html") if path.endswith("/index.html") else path
    return path.lstrip("/")
