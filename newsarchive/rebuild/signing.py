"""Which pages depend on what changed: how a build that plans the site signs its pages without
digesting every page again (a third of a one-article rebuild, though an edit changes only the
pages that show the edited article).

A page's signature (plan.page_signatures) digests its own planned data and the role digests
of the (article, role) pairs it shows (shown.dependencies). So it is the manifest's when the
manifest holds the page and every pair it shows is unchanged:
- CARD: the same file (content hash) and the same layout digest, and the same article record
  (records.py: its terms as shown, its image, its "read also" links, neighbours, suggestions
  and translations);
- BODY: as CARD, and its body links to no article file that moved, came or went;
- LINK: the same file and layout digest.
When the layout key is the last build's (keys.site_layout: order, URLs, titles, dates, terms,
images, suggestions, the render key), nothing moved and the article records, made from the
layout, hold: only content hashes are compared. When it is not (an article added, removed,
retitled, moved in time), each article's record is compared with the kept one, and each page
showing articles with its kept record (a page the records do not hold, like the sitemap and
the term indexes, is signed anew); `keep` then writes only the records that changed. A doubt
costs a digest, never a stale page.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from .records import article_record, page_from_json, page_to_json, record_digest, shown_paths
from .shown import BODY, CARD, LINK, body_link_targets, dependencies, shown_by_card

if TYPE_CHECKING:
    from ..plan import Page
    from ..site import Site
    from .keys import Layout
    from .store import BuildCache


def signer(site: Site, build_key: str, layout: Layout, last: Layout | None, manifest: dict[str, tuple[str, str]],
           cache: BuildCache | None = None) -> Callable[[list[Page]], dict[str, str]]:
    """The pages' signatures, the manifest's where the page cannot have changed. After a layout
    change that takes the kept records (`cache`: the caller checked that they are the last
    build's, under the same frame and /corrections/ link); without them every page is digested."""
    if last is None or not manifest or (last.key != layout.key and cache is None):
        from ..plan import page_signatures
        return lambda pages: page_signatures(pages, site, build_key)
    return Signing(site, build_key, layout, last, manifest, cache if last.key != layout.key else None).sign


class Signing:
    """Signs the pages (`sign`, given as plan_pages' `sign`); after a layout change (`cache`
    given), keeps the records of the pages and articles that changed (`keep`)."""

    def __init__(self, site: Site, build_key: str, layout: Layout, last: Layout, manifest: dict[str, tuple[str, str]],
                 cache: BuildCache | None = None):
        self.site, self.build_key, self.manifest, self.cache = site, build_key, manifest, cache
        previous = last.articles
        changed = {path for path, (content_hash, _) in layout.articles.items() if previous.get(path, ("",))[0] != content_hash}
        self.moved: set[str] = set()
        self.records: dict[str, str] = {}  # source path → its record, where it is not the kept one
        self.records_gone: list[str] = []  # articles no longer built
        self.kept_pages: dict[bytes, int] = {}  # page record digest → page number
        self.new_pages: list[tuple[Page, str]] = []  # pages showing articles whose record is not kept, and the record
        self.pages_gone: list[int] = []
        if cache is not None:
            self.moved = {path for path, (_, digest) in layout.articles.items() if previous.get(path, ("", ""))[1] != digest}
            self.moved |= {path for path in previous if path not in layout.articles}
            recorded = {path: record_digest(text) for path, text in cache.article_record_rows()}
            for article in site.with_pages:
                text = article_record(site, article)
                if recorded.pop(article.source_path, None) != record_digest(text):
                    self.records[article.source_path] = text
            self.records_gone = list(recorded)
            self.kept_pages = {record_digest(text): number for number, text in cache.page_record_rows()}
        self.link_changed = changed | self.moved
        self.card_changed = self.link_changed | self.records.keys()
        self.body_changed = self.card_changed | ({a.source_path for a in site.with_pages if not self.moved.isdisjoint(body_link_targets(a))}
                                                 if self.moved else set())

    def sign(self, pages: list[Page]) -> dict[str, str]:
        from ..plan import page_signatures
        manifest, kept = self.manifest, self.kept_pages
        self.new_pages, staying, to_sign = [], set(), []
        for page in pages:
            if self.cache is not None:  # the plan moved: a page is the last one only if its record is kept
                if not shown_by_card(page):
                    to_sign.append(page)
                    continue
                text = page_to_json(page)
                number = kept.get(record_digest(text))
                if number is None:
                    self.new_pages.append((page, text))
                    to_sign.append(page)
                    continue
                staying.add(number)
            if page.url not in manifest or self._shows_changed(page):
                to_sign.append(page)
        self.pages_gone = [number for number in kept.values() if number not in staying]
        fresh = page_signatures(to_sign, self.site, self.build_key)
        return {p.url: fresh.get(p.url) or manifest[p.url][0] for p in pages}

    def _shows_changed(self, page: Page) -> bool:
        card, body, link = self.card_changed, self.body_changed, self.link_changed
        for path, role in dependencies(page, self.site):
            if role == CARD and path in card or role == BODY and path in body or role == LINK and path in link:
                return True
        return False

    def keep(self, layout_key: str) -> None:
        """The records of this build: the kept ones that still hold, and the others written."""
        gone = self.cache.planned_pages(self.pages_gone)
        self.cache.update_records(
            layout_key,
            gone={number: shown_paths(page_from_json(text)) for number, text in gone.items()},
            pages=[(text, shown_paths(page)) for page, text in self.new_pages],
            articles=list(self.records.items()), articles_gone=self.records_gone)
