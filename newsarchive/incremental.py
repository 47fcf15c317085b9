"""What a rebuild may skip: the pages whose signature cannot have changed.

Digesting every page's inputs (plan.page_signatures) was a third of a one-article rebuild,
though an edit changes only the pages that show the edited article. So each build records
a *layout key* and the content hash of every article it built. The layout key digests all
that pages take from articles other than through their cards and bodies: order, URLs,
titles, dates, terms, images, "read also" links and suggestions, plus the build key
(generator, config, templates). An article's card and body are fixed by its content hash.
So when the next build's layout key is the same, a page showing none of the articles
whose hash changed has the signature the manifest holds, and only the others are digested.
Any doubt (no record, another layout, a page the manifest lacks) digests the page.
"""
from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Callable

from .content import Article
from .images import info_digest
from .plan import Page, page_signatures
from .site import Site

CARD_ONLY_FIELDS = frozenset({
    "content_hash", "summary", "summary_in_body", "word_count", "source_url", "image_line", "image_caption",
    "image_credit", "updated_date_only", "extra", "local_links", "local_link_lines",
})  # what only the article's own card and page show: its content hash stands for them
LAYOUT_FIELDS = tuple(f.name for f in fields(Article) if f.name not in CARD_ONLY_FIELDS)


@dataclass(frozen=True)
class Layout:
    """What the last build recorded: its layout key and each built article's content hash."""
    key: str
    hashes: dict[str, str]

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "hashes": self.hashes}, ensure_ascii=False)

    @staticmethod
    def from_json(text: str | None) -> "Layout | None":
        try:
            data = json.loads(text) if text else None
            return Layout(data["key"], dict(data["hashes"])) if data else None
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def site_layout(site: Site, build_key: str) -> Layout:
    digest = hashlib.blake2b(build_key.encode(), digest_size=16)
    for article in site.articles:
        digest.update(repr([getattr(article, name) for name in LAYOUT_FIELDS]).encode())
    digest.update(repr([sorted(site.image_urls.items()), site.suggestions_key,
                        sorted((url, info_digest(info)) for url, info in site.images.items())]).encode())
    return Layout(digest.hexdigest(), {a.source_path: a.content_hash for a in site.articles})


def signer(site: Site, build_key: str, layout: Layout, last: Layout | None,
           manifest: dict[str, tuple[str, str]]) -> Callable[[list[Page]], dict[str, str]]:
    """The pages' signatures, the manifest's where the page cannot have changed (see above)."""
    if last is None or last.key != layout.key or not manifest:
        return lambda pages: page_signatures(pages, site, build_key)
    changed = {path for path, content_hash in layout.hashes.items() if last.hashes.get(path) != content_hash}

    def shows_changed(page: Page) -> bool:
        if page.article:
            around = site.neighbours.get(page.article)
            shown = [page.article, *site.suggested.get(page.article, ())]
            if around:
                shown += [around.previous, around.next]
            if not changed.isdisjoint(shown):
                return True
        return not changed.isdisjoint(page.items)

    def sign(pages: list[Page]) -> dict[str, str]:
        fresh = page_signatures([p for p in pages if p.url not in manifest or shows_changed(p)], site, build_key)
        return {p.url: fresh.get(p.url) or manifest[p.url][0] for p in pages}
    return sign


@contextmanager
def collector_paused(rebuilding: bool):
    """A rebuild reads every article and plans every page from the cache, making objects that
    all live to the end of the build, and parses next to nothing: the cyclic collector's walks
    over them (a sixth of a one-article rebuild at 10⁴ articles) find no garbage. A cold build
    keeps the collector, since parsing does leave some (see pipeline._frozen_afterwards)."""
    if not rebuilding or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
