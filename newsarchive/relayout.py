"""Signing the pages after a change of the site's layout (an article added, removed, retitled,
moved in time), without digesting every page again.

incremental.signer reuses the manifest's signatures only while the layout key holds; any
structural change (a new article is one) used to sign all pages anew, a third of a new
article's rebuild. Yet a page's signature (plan.page_signatures) is a digest of its own
planned data and its dependencies' role digests (shown.py), so it is the manifest's when:
- the frame (generator, config, templates, files) and the /corrections/ link are the last build's;
- the page, as planned, is the one the last build recorded (edit_rebuild.keep_records keeps
  every page showing articles: its URL, template, items, pager data...);
- each article it shows by CARD has the same file (content hash) and the same record (its terms
  as shown, its image, its "read also" links, neighbours, suggestions and translations: the
  article records of edit_rebuild.keep_records), and by BODY also links to no article file
  that moved or came or went; each it links to (LINK) has the same layout digest.
Every other page (one the records do not hold, like the sitemap and the term indexes, or one
that fails a test) is signed anew, so a doubt costs a digest, never a stale page.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Callable

from .shown import BODY, CARD, LINK, body_link_targets, dependencies, shown_by_card

if TYPE_CHECKING:
    from .cache import BuildCache
    from .incremental import Layout
    from .plan import Page
    from .site import Site


def relayout_signer(site: Site, build_key: str, layout: Layout, last: Layout, manifest: dict[str, tuple[str, str]],
                    cache: BuildCache) -> Callable[[list[Page]], dict[str, str]]:
    """The pages' signatures, the manifest's for every page the tests above show unchanged.
    The caller has checked that the frame and the /corrections/ link are the last build's,
    and that the records (cache.records_key()) are the last build's layout's."""
    from .edit_rebuild import page_to_json
    from .plan import page_signatures
    from .views import around_record, card_links
    previous = last.articles
    moved = {path for path, (_, digest) in layout.articles.items() if previous.get(path, ("", ""))[1] != digest}
    moved |= {path for path in previous if path not in layout.articles}
    recorded = {path: text for path, text in cache.article_record_digests()}
    same_card: set[str] = set()
    for article in site.with_pages:
        path = article.source_path
        if path in moved or previous.get(path, ("",))[0] != article.content_hash:
            continue
        if recorded.get(path) == _digest(article_record(card_links(article, site), around_record(site, path))):
            same_card.add(path)
    same_body = {a.source_path for a in site.with_pages if a.source_path in same_card and moved.isdisjoint(body_link_targets(a))}
    kept_pages = set(cache.planned_page_digests())

    def unchanged(page: Page) -> bool:
        if page.url not in manifest or not shown_by_card(page) or _digest(page_to_json(page)) not in kept_pages:
            return False
        for path, role in dependencies(page, site):
            if role == CARD and path not in same_card or role == BODY and path not in same_body \
                    or role == LINK and path is not None and path in moved:
                return False
        return True

    def sign(pages: list[Page]) -> dict[str, str]:
        fresh = page_signatures([p for p in pages if not unchanged(p)], site, build_key)
        return {p.url: fresh.get(p.url) or manifest[p.url][0] for p in pages}
    return sign


def article_record(links: dict, around: dict) -> str:
    """An article's record as edit_rebuild.keep_records keeps it (and this module compares it)."""
    return json.dumps({"links": links, "around": around}, ensure_ascii=False, separators=(",", ":"))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def record_digest(text: str) -> bytes:
    """What cache.planned_page_digests and cache.article_record_digests give for a kept record's text."""
    return _digest(text)
