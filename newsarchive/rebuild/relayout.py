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
from typing import TYPE_CHECKING

from .shown import BODY, CARD, LINK, body_link_targets, dependencies, shown_by_card

if TYPE_CHECKING:
    from .store import BuildCache
    from .keys import Layout
    from ..plan import Page
    from ..site import Site


class Relayout:
    """Signs the pages (`sign`, given as plan_pages' `sign`), then keeps the records of the
    pages and articles that changed (`keep`) in place of edit_rebuild.keep_records, which
    would write every record again. The caller has checked that the frame and the
    /corrections/ link are the last build's, and that the records (cache.records_key()) are
    the last build's layout's."""

    def __init__(self, site: Site, build_key: str, layout: Layout, last: Layout, manifest: dict[str, tuple[str, str]],
                 cache: BuildCache):
        from ..views import around_record, card_links
        self.site, self.build_key, self.manifest, self.cache = site, build_key, manifest, cache
        previous = last.articles
        moved = {path for path, (_, digest) in layout.articles.items() if previous.get(path, ("", ""))[1] != digest}
        self.moved = moved | {path for path in previous if path not in layout.articles}
        recorded = dict(cache.article_record_digests())
        self.records: dict[str, str] = {}  # source path → its record, where it is not the kept one
        same_card: set[str] = set()
        for article in site.with_pages:
            path = article.source_path
            text = article_record(card_links(article, site), around_record(site, path))
            if recorded.pop(path, None) != _digest(text):
                self.records[path] = text
            elif path not in self.moved and previous.get(path, ("",))[0] == article.content_hash:
                same_card.add(path)
        self.records_gone = list(recorded)  # articles no longer built
        self.same_card = same_card
        self.same_body = {a.source_path for a in site.with_pages
                          if a.source_path in same_card and self.moved.isdisjoint(body_link_targets(a))}
        self.kept_pages = dict(cache.planned_page_numbers())  # record digest → page number
        self.new_pages: list[tuple[Page, str]] = []  # pages showing articles whose record is not kept, and the record

    def sign(self, pages: list[Page]) -> dict[str, str]:
        from .edit import page_to_json
        from ..plan import page_signatures
        site, manifest, kept = self.site, self.manifest, self.kept_pages
        self.new_pages, staying = [], set()
        to_sign = []
        for page in pages:
            if not shown_by_card(page):
                to_sign.append(page)
                continue
            text = page_to_json(page)
            number = kept.get(_digest(text))
            if number is None:
                self.new_pages.append((page, text))
            else:
                staying.add(number)
            if number is None or page.url not in manifest or not self._shown_unchanged(page):
                to_sign.append(page)
        self.pages_gone = [number for number in kept.values() if number not in staying]
        fresh = page_signatures(to_sign, site, self.build_key)
        return {p.url: fresh.get(p.url) or manifest[p.url][0] for p in pages}

    def _shown_unchanged(self, page: Page) -> bool:
        same_card, same_body, moved = self.same_card, self.same_body, self.moved
        for path, role in dependencies(page, self.site):
            if role == CARD and path not in same_card or role == BODY and path not in same_body \
                    or role == LINK and path is not None and path in moved:
                return False
        return True

    def keep(self, layout_key: str) -> None:
        """The records of this build: the kept ones that still hold, and the others written."""
        from .edit import page_from_json, shown_paths
        gone = self.cache.planned_pages(self.pages_gone)
        self.cache.update_records(
            layout_key,
            gone={number: shown_paths(page_from_json(text)) for number, text in gone.items()},
            pages=[(text, shown_paths(page)) for page, text in self.new_pages],
            articles=list(self.records.items()), articles_gone=self.records_gone)


def article_record(links: dict, around: dict) -> str:
    """An article's record as edit_rebuild.keep_records keeps it (and this module compares it)."""
    return json.dumps({"links": links, "around": around}, ensure_ascii=False, separators=(",", ":"))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def record_digest(text: str) -> bytes:
    """What cache.planned_page_numbers and cache.article_record_digests give for a kept record's text."""
    return _digest(text)
