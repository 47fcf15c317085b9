"""The site-wide /corrections/ pages (paginated like every listing, newest correction first)
and their Atom feed, planned from the published articles' corrections (corrections.py).

A page lists each article it shows by card (shown.CARD_FIELDS holds `corrections`), so an
edited article's corrections page is rendered again; which corrections a page holds is its
own data (a (source path, index) pair each), in its signature. A change of any correction
re-plans the site (`corrections` is a structural field: it decides these pages).
"""
from __future__ import annotations

from datetime import datetime

from . import urls
from .config import Config
from .corrections import FEED_KIND, FEED_URL, KIND, PAGE_URL, site_entries
from .i18n import translate
from .plan import EPOCH, ListingData, Page, paginate
from .site import Site


def correction_pages(site: Site, config: Config) -> list[Page]:
    """The /corrections/ pages and feed; none when no published article has a correction."""
    entries = site_entries(site.articles)
    if not entries:
        return []
    title = translate("corrections", config.language, config.translations)
    feed = FEED_URL if config.feeds else None
    pages = []
    for pager in paginate(entries, config.per_page):
        pages.append(Page(
            urls.paged_url(PAGE_URL, pager.number), "corrections.html", KIND,
            "corrections page" if pager.number == 1 else f"corrections page, page {pager.number}",
            title=title, feed=feed, items=tuple(dict.fromkeys(path for path, _ in pager.items)),
            data=ListingData({"entries": pager.items}, PAGE_URL, pager.number, pager.total, len(entries)),
        ))
    if feed:
        newest = entries[: config.feed_entries]
        by_source = {a.source_path: a for a in site.articles}
        updated: datetime = max((by_source[path].corrections[index].date for path, index in newest), default=EPOCH)
        pages.append(Page(FEED_URL, "corrections_feed.xml", FEED_KIND, "corrections feed", title=title, link_mode="absolute",
                          items=tuple(dict.fromkeys(path for path, _ in newest)),
                          data={"entries": newest, "updated": updated, "feed_title": f"{title} · {config.title}"}))
    return pages
