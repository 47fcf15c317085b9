"""What a page shows of the articles it lists or links to, declared once.

A page depends on articles in one of three roles (`dependencies(page, site)` gives them,
in order, for every page the plan makes):
- CARD: the article's card, CARD_FIELDS plus its terms and lead image as the site resolved
  them (views.card_view): listings, feeds, the news sitemap, and the article's own page;
- BODY: its rendered body: its own page, and feeds. Its links to other articles' files
  (`[bravo](b.md)`) are written as those articles' URLs when the page renders, so the
  BODY digest is the content hash plus the URL each such link resolves to (none when the
  article is not built): the article linked to appearing, moving or going away changes
  the pages showing this body;
- LINK: a link to it, LINK_FIELDS (views.link_view): the older and the newer article, the
  suggested ones and its translations (hreflang) on an article's page.

Each article has one digest per role (`role_digests`). Everything else follows from this
module: the views templates receive (views.card_view, views.link_view), a page's signature
(plan.page_signatures digests its dependencies' role digests), the rebuild graph (graph.py
keeps every page's dependencies in one table: both rebuild paths ask it which pages show what
changed), and which of an article's fields are *layout* fields, whose change re-plans the
site (`layout_fields`): STRUCTURAL_FIELDS, what planning itself reads, and LINK_FIELDS, since
an edit rebuild renders only the pages showing an edited article's card or body. To show one
more field of each listed article, add it to CARD_FIELDS; of each linked one, to LINK_FIELDS.
Nothing else (tests/test_shown.py).
"""
from __future__ import annotations

import hashlib
from dataclasses import fields
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING

from ..content import ARTICLE_SUFFIXES, Article
from ..images import info_digest

if TYPE_CHECKING:
    from ..plan import Page
    from ..site import Site

CARD, BODY, LINK = "card", "body", "link"

CARD_FIELDS = ("title", "url", "date", "date_only", "updated", "updated_date_only", "lang", "dir", "summary",
               "summary_in_body", "source_url", "word_count", "source_path", "provenance", "captions", "extra", "status",
               "corrections")  # and its image's caption and credit
LINK_FIELDS = ("title", "url", "lang", "dir", "date", "date_only")
# What planning reads of an article (its URL, place in the order, terms, image, "read also",
# status): a change of one of them re-plans the site.
STRUCTURAL_FIELDS = ("source_path", "title", "date", "date_only", "slug", "url", "lang", "updated", "tags", "section",
                     "source", "authors", "image", "related", "draft", "aliases",
                     "corrections",  # they decide the /corrections/ pages (corrections_pages.py)
                     "status", "reason",
                     "translation_key", "translation_of", "translation_line",  # the line a group's error names
                     "versions", "captured", "embargo")


def layout_fields() -> tuple[str, ...]:
    """The Article fields whose change re-plans the site: the structural ones and those a link shows."""
    layout = set(STRUCTURAL_FIELDS) | set(LINK_FIELDS)
    return tuple(f.name for f in fields(Article) if f.name in layout)


def own_fields() -> frozenset[str]:
    """The Article fields only the article's own card and page show (its content hash stands for them)."""
    return frozenset(f.name for f in fields(Article)) - set(layout_fields())


@lru_cache(maxsize=4)
def _getter(names: tuple[str, ...]) -> attrgetter:
    return attrgetter(*names)


def layout_values(article: Article) -> tuple:
    return _getter(layout_fields())(article)


def link_view(article: Article) -> dict:
    """What a link to `article` shows (the older and newer article, the suggested ones)."""
    return {name: getattr(article, name) for name in LINK_FIELDS}


def card_values(article: Article) -> dict:
    """The fields of the article's card that are its own (views.card_view adds what the site resolved)."""
    return {name: getattr(article, name) for name in CARD_FIELDS}


def linked_articles(site: Site, source_path: str) -> list[str | None]:
    """The articles an article's page links to: the older, the newer (None when there is
    none), then the suggested ones."""
    around = site.neighbours.get(source_path)
    return [around.previous if around else None, around.next if around else None, *site.suggested.get(source_path, ())]


def shown_by_card(page: Page) -> list[tuple[str, str]]:
    """A page's CARD and BODY dependencies: the planned page alone tells them (no site needed)."""
    if page.article:
        return [(page.article, CARD), (page.article, BODY)]
    if page.kind in ("feed", "version"):  # a version's page compares it with the current body
        return [(path, role) for path in page.items for role in (CARD, BODY)]
    return [(path, CARD) for path in page.items]


def dependencies(page: Page, site: Site) -> list[tuple[str | None, str]]:
    """Every (source path, role) the page shows, in order; a missing neighbour is (None, LINK)."""
    shown = shown_by_card(page)
    if page.article:
        shown += [(path, LINK) for path in linked_articles(site, page.article)]
        shown += [(path, LINK) for path in site.translations.get(page.article, ()) if path != page.article]  # its other languages
    return shown


def role_digests(article: Article, site: Site) -> bytes:
    """32 bytes: the CARD digest (its file, which fixes every field given the config, and what
    the rest of the site decides for it: its image's URL and its terms' shown names), then the
    LINK digest; 16 more, the BODY digest, when its body links to articles' files (else the
    BODY digest is the content hash). Bytes, not text: a million articles' digests are held
    at once while pages are signed."""
    link = repr([getattr(article, name) for name in LINK_FIELDS])
    linked = body_link_targets(article)
    body = _digest_bytes("\x1f".join([article.content_hash, *(site.url_by_source.get(path) or "-" for path in linked)])) if linked else b""
    return card_digest(article, site) + _digest_bytes(link) + body


def card_digest(article: Article, site: Site) -> bytes:
    """16 bytes: the CARD digest alone (what a kept card fragment is stamped with, rebuild/fragments.py)."""
    names = [t.name for kind in site.term_index for t in site.terms_of(article, kind)]
    image = site.image_urls.get(article.source_path, "")
    return _digest_bytes("\x1f".join([article.content_hash, image, info_digest(site.image_info(image)), *names]))


def body_link_targets(article: Article) -> list[str]:
    """The source paths of the article files its body links to, as views.relink_body reads them."""
    return [link[1:] for link in article.local_links if link.startswith("/") and link.endswith(ARTICLE_SUFFIXES)]


def role_digest(role: str, article: Article, digests: bytes) -> str:
    """One role's digest, given the article's `role_digests`."""
    if role == BODY:
        return digests[32:].hex() if len(digests) > 32 else article.content_hash
    return (digests[:16] if role == CARD else digests[16:32]).hex()


def _digest_bytes(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
