"""The rebuild graph: which pages show which articles, and in which role (shown.py), kept by
every build that plans the site and asked by every rebuild that does not sign every page.

What a plan keeps (store.py), under its layout key (keys.site_layout):
- table `shows`: page → (article, role), every page's `shown.dependencies`;
- per page showing articles, its plan (the Page as planned: URL, template, items, data...);
- per article, its record: what its card and page take from the rest of the site
  (views.card_links, views.around_record: other articles by source path, never a copy),
  beside the content hash and layout digest keys.py keeps for it.

Both ways of rebuilding ask the one table the same question, `cache.shown_on(articles, roles)`:
- an edit of text alone (edit.py) renders, from their plans and records, the pages showing
  an edited article's card or body, without loading or planning the archive;
- a build that plans (`Signing`) gives a page the manifest's signature unless it shows a
  changed (article, role): CARD, its file, layout digest or record changed; BODY, as CARD, or
  its body links to an article file that moved, came or went; LINK, its file or layout digest.
  With the layout key as recorded, the plans and records are this plan's and only content
  hashes can differ. When it is not (an article added, removed, retitled, moved in time),
  each page's plan is compared with the kept one, a page whose plan changed (or that shows no
  article, like the sitemap and the term indexes) is signed anew, and `keep` writes only the
  plans, rows and records that changed. A doubt costs a digest, never a stale page.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING

from .. import article_codec
from ..plan import NO_DATA, Page
from .shown import BODY, CARD, LINK, body_link_targets, dependencies, shown_by_card

if TYPE_CHECKING:
    from ..plan import Plan
    from ..site import Site
    from .keys import Layout
    from .store import BuildCache

_DATE = "__datetime__"


def keep_graph(cache: BuildCache, site: Site, plan: Plan, layout_key: str) -> None:
    """Keep this plan's graph whole, unless the one kept already belongs to this layout."""
    if cache.records_key() != layout_key:
        showing = [page for page in plan.pages if shown_by_card(page)]
        cache.store_graph(layout_key, ((page.url, page_to_json(page)) for page in showing),
                          (row for page in showing for row in shows_rows(page, site)),
                          ((a.source_path, article_record(site, a)) for a in site.with_pages), whole=True)


class Signing:
    """Signs the pages (`sign`, given as plan_pages' `sign`) by the graph `cache` keeps for the
    `last` layout; after a layout change, keeps the plans, rows and records that changed (`keep`)."""

    def __init__(self, site: Site, build_key: str, layout: Layout, last: Layout, manifest: dict[str, tuple[str, str]],
                 cache: BuildCache, suggested_before: dict[str, tuple[str, ...]] | None = None):
        self.site, self.build_key, self.manifest, self.cache = site, build_key, manifest, cache
        self.replan = last.key != layout.key
        previous = last.articles
        changed = {path for path, (content_hash, _) in layout.articles.items() if previous.get(path, ("",))[0] != content_hash}
        moved: set[str] = set()
        self.records: dict[str, str] = {}  # source path → its record, where it is not the kept one
        self.kept_plans: dict[str, bytes] = {}  # URL → digest of its kept plan
        self.plans: list[tuple[Page, str]] = []  # pages whose plan or rows change, and their plan
        self.plans_gone: list[str] = []
        self.moved: set[str] = set()
        if self.replan:
            moved = {path for path, (_, digest) in layout.articles.items() if previous.get(path, ("", ""))[1] != digest}
            moved |= {path for path in previous if path not in layout.articles}
            self.records = changed_records(site, cache, moved, previous, suggested_before)
            self.moved = moved
            self.kept_plans = {url: _digest(text) for url, text in cache.page_plans()}
        card = changed | moved | self.records.keys()
        body = card | ({a.source_path for a in site.with_pages if not moved.isdisjoint(body_link_targets(a))} if moved else set())
        self.changed = {*cache.shown_on(changed | moved, (LINK,)), *cache.shown_on(card, (CARD,)), *cache.shown_on(body, (BODY,))}

    def sign(self, pages: list[Page]) -> dict[str, str]:
        from ..plan import PageSigner, page_signatures  # looked up when called (tests/test_relayout.py watches it)
        manifest, kept, to_sign, staying = self.manifest, self.kept_plans, [], set()
        self.plans = []
        for page in pages:
            if self.replan:  # the plan moved: a page is the last one only if its plan is kept
                if not shown_by_card(page):
                    to_sign.append(page)
                    continue
                # an article's own page is planned from its layout fields alone (plan.plan_pages), the
                # config being as the last build had it (Books.signer): unmoved, its plan is the kept one
                own = page.kind == "article" and page.article not in self.moved and page.url in kept
                text = None if own else page_to_json(page)
                if text is not None and kept.get(page.url) != _digest(text):
                    self.plans.append((page, text))
                    to_sign.append(page)
                    continue
                staying.add(page.url)
                if page.article in self.records:  # what its page links to may have changed
                    self.plans.append((page, text or page_to_json(page)))
            if page.url not in manifest or page.url in self.changed:
                to_sign.append(page)
        self.plans_gone = [url for url in kept if url not in staying]
        self.signer = PageSigner(self.site, self.build_key)  # its role digests stamp the kept cards (fragments.py)
        fresh = page_signatures(to_sign, self.site, self.build_key, self.signer)
        return {p.url: fresh.get(p.url) or manifest[p.url][0] for p in pages}

    def keep(self, layout_key: str) -> None:
        """The graph of this build: the kept one where it still holds, and the rest written."""
        if self.replan:
            plans = [(url, None) for url in self.plans_gone] + [(page.url, text) for page, text in self.plans]
            self.cache.store_graph(layout_key, plans, (row for page, _ in self.plans for row in shows_rows(page, self.site)),
                                   self.records.items(), whole=False)


def changed_records(site: Site, cache: BuildCache, moved: set[str], previous: dict, suggested_before: dict | None) -> dict[str, str]:
    """Source path → record, of the articles whose record is not the kept one. With the frame as
    the last build had it (Books.signer), only these can differ: the moved ones (layout digest
    changed, added or removed) and, around them, their old and new older/newer neighbours and
    their old translations, the members of a term whose shown name or URL changed, and those
    whose suggestions differ from `suggested_before` (the last build's, None when not known:
    every one); and, always, those with "read also" links, translations, or no place in the
    listings (few). The rest keep theirs: an article whose file is unchanged shows the same
    terms, image and neighbours. A doubt (a record missing) compares every article."""
    kept = cache.article_records([*moved])
    if suggested_before is None or cache.record_count() != len(previous) or not {p for p in moved if p in previous} <= kept.keys():
        recorded = {path: _digest(text) for path, text in cache.article_records()}
        return {a.source_path: text for a in site.with_pages
                if recorded.get(a.source_path) != _digest(text := article_record(site, a))}
    present = {a.source_path: a for a in site.with_pages}
    candidates = set(path for path in moved if path in present)
    neighbours = site.neighbours
    for path in moved:
        if path in neighbours:
            candidates.update((neighbours[path].previous, neighbours[path].next))
        if path in kept:
            around = json.loads(kept[path])["around"]
            candidates.update((around["previous"], around["next"], *around.get("translations", ())))
    suggested = site.suggested
    candidates.update(path for path, chosen in suggested.items() if suggested_before.get(path) != chosen)
    candidates.update(path for path in suggested_before if path not in suggested)
    candidates.update(a.source_path for a in site.with_pages if a.related)
    candidates.update(site.translations)
    candidates.update(a.source_path for a in site.off_list)
    candidates.update(_members_of_renamed_terms(site, cache, moved, kept))
    candidates.discard(None)
    candidates &= present.keys()
    records = {path: article_record(site, present[path]) for path in candidates}
    recorded = cache.article_records(records)
    return {path: text for path, text in records.items() if recorded.get(path) != text}


def _members_of_renamed_terms(site: Site, cache: BuildCache, moved: set[str], kept: dict[str, str]) -> set[str]:
    """The articles of each term a moved article has or had whose card shows it otherwise now (its
    most used spelling changed): told by one member that did not move, the same for all of them."""
    by_url = {kind: {t.url: t for t in terms.values()} for kind, terms in site.term_index.items()}
    present = {a.source_path: a for a in site.with_pages if a.source_path in moved}
    terms = {}
    for path in moved:
        if path in present:
            terms.update(((kind, t.slug), t) for kind in site.term_index for t in site.terms_of(present[path], kind))
        if path in kept:
            for kind, shown in json.loads(kept[path])["links"].items():
                for entry in shown if kind in by_url else ():
                    term = by_url[kind].get(entry["url"])
                    if term is not None:
                        terms[(kind, term.slug)] = term
    members: set[str] = set()
    for term in terms.values():
        witness = next((a for a in term.articles if a.source_path not in moved), None)
        if witness is None:
            continue
        before = cache.article_records([witness.source_path]).get(witness.source_path)
        if before is None or json.loads(before)["links"] != json.loads(article_record(site, witness))["links"]:
            members.update(a.source_path for a in term.articles)
    return members


def shows_rows(page: Page, site: Site) -> list[tuple[str, str, str]]:
    """The page's rows of table `shows`: (source path, role, URL), each once."""
    return list(dict.fromkeys((path, role, page.url) for path, role in dependencies(page, site) if path is not None))


def shown_paths(page: Page) -> list[str]:
    """The articles whose card or body the page shows (shown.py), each once."""
    return list(dict.fromkeys(path for path, _ in shown_by_card(page)))


def article_record(site: Site, article) -> str:
    from ..views import around_record, card_links
    return json.dumps({"links": card_links(article, site), "around": around_record(site, article.source_path)},
                      ensure_ascii=False, separators=(",", ":"))


def around_paths(record: dict) -> list[str]:
    """The articles an article record's page links to (older, newer, suggested, translations)."""
    return [path for path in (record["previous"], record["next"], *record["suggested"], *record.get("translations", ())) if path is not None]


def page_to_json(page: Page) -> str:
    return json.dumps([page.url, page.template, page.kind, page.origin, page.title, page.lang, page.feed, page.link_mode,
                       page.article, page.items, None if page.data is NO_DATA else dict(page.data)],
                      ensure_ascii=False, separators=(",", ":"), default=_encode)


def page_from_json(text: str) -> Page:
    *head, items, data = json.loads(text, object_hook=_decode)
    return Page(*head, items=tuple(items), data=NO_DATA if data is None else data)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _encode(value):
    if isinstance(value, datetime):
        return {_DATE: article_codec.encode_datetime(value)}
    raise TypeError(f"cannot keep a {type(value).__name__} in a record")


def _decode(obj: dict):
    return article_codec.decode_datetime(obj[_DATE]) if len(obj) == 1 and _DATE in obj else obj
