"""The records a build that plans the site keeps for the next one (tables planned_pages,
shown_in and planned_articles of store.py), in one form for both readers: the edit path
(edit.py) renders from them the pages showing an edited article, and the signing path
(signing.py) compares them with a new plan to tell which pages changed.

- a page record: every page that shows articles by CARD or BODY (shown.shown_by_card), as
  planned (URL, template, items, pager data...), and which articles it shows that way. A LINK
  to an article needs no record: what a link shows is layout, and a layout change is no edit;
- an article record: what its card and page take from the rest of the site,
  views.card_links and views.around_record (other articles by source path, never a copy).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING

from .. import article_codec
from ..plan import NO_DATA, Page
from .shown import shown_by_card

if TYPE_CHECKING:
    from ..plan import Plan
    from ..site import Site
    from .store import BuildCache

_DATE = "__datetime__"


def keep_records(cache: BuildCache, site: Site, plan: Plan, layout_key: str) -> None:
    """Keep what this build planned, unless the records kept already belong to this layout."""
    if cache.records_key() == layout_key:
        return
    showing = [page for page in plan.pages if shown_by_card(page)]
    cache.store_records(
        layout_key,
        (page_to_json(page) for page in showing),
        ((path, number) for number, page in enumerate(showing) for path in shown_paths(page)),
        ((a.source_path, article_record(site, a)) for a in site.with_pages),
    )


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


def record_digest(text: str) -> bytes:
    """What signing.py compares a kept record by."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _encode(value):
    if isinstance(value, datetime):
        return {_DATE: article_codec.encode_datetime(value)}
    raise TypeError(f"cannot keep a {type(value).__name__} in a record")


def _decode(obj: dict):
    return article_codec.decode_datetime(obj[_DATE]) if len(obj) == 1 and _DATE in obj else obj
