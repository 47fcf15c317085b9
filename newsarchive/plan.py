"""The `Site` → every page to write: URL, template, and what its content depends on.

Pages are planned without rendering anything: a `Page` holds small data plus references
(source paths) to the articles it shows; views.py expands them when the page renders.
Each page gets a signature of everything its output depends on, so an incremental build
renders only pages whose signature changed. Output paths are checked here: two pages
with one path, or a path escaping the output folder, stop the build with every
offending file named.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Callable, NamedTuple

from . import corrections, news_sitemap, search, translations, urls
from .rebuild.store import FILENAME as CACHE_FILE
from .cards import Cards
from .collisions import check_output_paths
from .config import Config
from .content import text_direction
from .site import Site
from .images import OUTPUT_FOLDER as IMAGES_FOLDER, info_digest
from .rebuild.shown import dependencies, role_digest, role_digests
from .status import WITHDRAWN, notice_page, off_sitemap
from .versions import site_pages as version_site_pages, versions_data, withdrawn
from .views import term_view

SITEMAP_LIMIT = 50_000
RESERVED_FOLDERS = (IMAGES_FOLDER,)  # top-level folders the build fills itself (and search.FOLDER with search)
NO_DATA: Mapping = MappingProxyType({})


class SitemapEntry(NamedTuple):
    url: str
    lastmod: datetime | None
    alternates: tuple = ()  # (hreflang, site-absolute URL) of its translations, itself and x-default (translations.py)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    template: str
    kind: str
    origin: str  # the article file, or what generated the page
    title: str | None = None
    lang: str | None = None  # None: the site's language
    feed: str | None = None
    link_mode: str = "relative"  # relative | base_path (404.html) | absolute (feeds, sitemap)
    article: str | None = None  # source path, on article pages
    items: tuple[str, ...] = ()  # source paths of the articles listed, in order
    data: Mapping = field(default_factory=lambda: NO_DATA)  # small plain values for the template (one shared empty one)

    @property
    def output_path(self) -> str:
        return urls.output_path(self.url)


@dataclass(frozen=True)
class Plan:
    pages: list[Page]
    cards: Cards  # source path → card view, shared by every listing
    signatures: dict[str, str]  # url → signature
    corrections_url: str | None = None  # the footer's link to /corrections/, when the site has corrections (corrections.py)


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    items: tuple


def paginate(items: tuple, per_page: int) -> list[Pager]:
    """At least one page, even for an empty listing, so every listing URL exists."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    return [Pager(n, len(chunks), tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]


def plan_pages(site: Site, config: Config, *, build_key: str = "",
               sign: Callable[[list[Page]], dict[str, str]] | None = None,
               more: Callable[[list[Page]], list[Page]] | None = None) -> Plan:
    """Every page of the site; `build_key` (generator, config, templates) enters every signature.
    `sign` gives the pages' signatures instead of digesting them all (rebuild/keys.py); `more`
    adds the pages made from all the others (redirects and host files: links.py, hostfiles.py)."""
    by_source = {a.source_path: a for a in site.with_pages}
    lastmods: dict[str, tuple[float, datetime]] = {}  # asked once per page an article is listed on (~10 each)

    def lastmod(source_path: str) -> tuple[float, datetime]:
        known = lastmods.get(source_path)
        if known is None:
            changed = by_source[source_path].updated or by_source[source_path].date
            known = lastmods[source_path] = (changed.timestamp(), changed)
        return known
    pages: list[Page] = []
    for article in site.with_pages:
        if article.status == WITHDRAWN:
            pages.append(notice_page(article, config))
            continue
        pages.append(Page(
            article.url, "article.html", "article", article.source_path, title=article.title, lang=article.lang,
            article=article.source_path, data=versions_data(article) if article.versions and not withdrawn(article) else NO_DATA,
        ))
    pages += version_site_pages(site.with_pages, config, Page)  # an unlisted article's too: its page links them

    pages += listing_pages(urls.home_url(), site.articles, config, kind="home", title=None,
                           feed=urls.FEED_URL if "site" in config.feeds else None, origin="home page")
    for kind, terms in site.taxonomies.items():
        views = [term_view(t) for t in terms]
        pages.append(Page(urls.taxonomy_url(kind), "terms.html", "terms", f"{kind} index", data={"taxonomy": kind, "terms": views}))
        for term, view in zip(terms, views):
            feed = urls.term_feed_url(kind, term.slug) if kind in config.feeds else None
            pages += listing_pages(term.url, term.articles, config, kind="term", title=term.name, feed=feed,
                                   origin=f"{kind} page for '{term.name}'", term=view)

    if config.archives:
        years = [archive_year_view(y) for y in site.years]
        pages.append(Page(urls.archive_url(), "archive.html", "archive", "archive page",
                          data={"years": years, "total": len(site.articles)}))
        for year, view in zip(site.years, years):
            pages += listing_pages(year.url, year.articles, config, kind="year", title=str(year.year),
                                   origin=f"archive of {year.year}", year=view, month=None)
            for month, month_view in zip(year.months, view["months"]):
                pages += listing_pages(month.url, month.articles, config, kind="month", title=None,
                                       origin=f"archive of {month.year}-{month.month:02d}", year=view, month=month_view)

    if config.search:
        pages.append(Page(urls.SEARCH_URL, "search.html", "search", "search page",
                          data={"languages": language_names({a.lang for a in site.articles}, config.language)}))
    from .corrections_pages import correction_pages  # it plans with this module's Page
    pages += correction_pages(site, config)
    pages.append(Page(urls.NOT_FOUND_URL, "404.html", "404", "404 page", link_mode="base_path"))
    pages += feed_pages(site, config, lastmod)
    pages += sitemap_pages(off_sitemap(pages, site.off_list), lastmod,
                           translations.sitemap_alternates(site.translations, by_source, config.language))
    if config.news_sitemap:
        pages.append(Page(news_sitemap.URL, "news_sitemap.xml", "news-sitemap", "Google News sitemap", link_mode="absolute",
                          items=news_sitemap.recent_articles(site.articles)))
    pages.append(Page(urls.ROBOTS_URL, "robots.txt", "robots", "robots.txt", link_mode="absolute"))
    if more:
        pages += more(pages)
    check_output_paths(pages, reserved=RESERVED_FOLDERS + ((search.FOLDER,) if config.search else ()))
    return Plan(pages, Cards(site, config.cache_dir / CACHE_FILE, by_source), sign(pages) if sign else page_signatures(pages, site, build_key),
                corrections.page_url(site.articles))


def language_names(codes: set[str], shown_in: str) -> dict[str, str]:
    """Each article language's name in the site's language, for the search page's language filter."""
    from .i18n import babel_locale
    names = {}
    for code in sorted(codes):
        locale = babel_locale(code)
        name = locale.get_display_name(babel_locale(shown_in)) if locale.language == code.split("-")[0].lower() else None
        names[code.lower()] = name[:1].upper() + name[1:] if name else code
    return names


def listing_pages(first_url: str, articles: tuple, config: Config, *, kind: str, title: str | None,
                  origin: str, feed: str | None = None, **data) -> list[Page]:
    pages = []
    for pager in paginate(articles, config.per_page):
        url = urls.paged_url(first_url, pager.number)
        pages.append(Page(
            url, "listing.html", kind, origin if pager.number == 1 else f"{origin}, page {pager.number}",
            title=title, feed=feed, items=tuple(a.source_path for a in pager.items),
            data=ListingData(data, first_url, pager.number, pager.total, len(articles)),
        ))
    return pages


class ListingData(Mapping):
    """A listing page's template data: `data` plus its pager view, the view made each time
    it is read. Made up front, the pager's links would hold more memory than the page's
    list of articles (a million-article archive has a quarter of a million listing pages)."""

    __slots__ = ("_data", "_first", "_number", "_total", "_count")

    def __init__(self, data: dict, first_url: str, number: int, total: int, count: int):
        self._data, self._first, self._number, self._total, self._count = data, first_url, number, total, count

    def pager(self) -> dict:
        first, number, total = self._first, self._number, self._total
        return {
            "number": number, "total": total,
            "first": first, "last": urls.paged_url(first, total),
            "prev": urls.paged_url(first, number - 1) if number > 1 else None,
            "next": urls.paged_url(first, number + 1) if number < total else None,
            "window": [{"number": n, "url": urls.paged_url(first, n)} for n in _window(number, total)],
            "count": self._count,
        }

    def __getitem__(self, key: str):
        return self.pager() if key == "pager" else self._data[key]

    def __iter__(self):
        yield from (key for key in self._data if key != "pager")
        yield "pager"

    def __len__(self) -> int:
        return len(self._data) + ("pager" not in self._data)

    def __repr__(self) -> str:  # what page signatures digest: the same text as the dict it stands for
        return repr(dict(self._data, pager=self.pager()))

    def __reduce__(self):
        return ListingData, (self._data, self._first, self._number, self._total, self._count)


def _window(current: int, total: int, width: int = 2) -> list[int]:
    """Page numbers worth a link: first, last and a few around the current one."""
    return sorted({1, total} | set(range(max(1, current - width), min(total, current + width) + 1)))


def archive_year_view(year) -> dict:
    return {
        "year": year.year, "url": year.url, "count": year.count,
        "months": [{"year": m.year, "month": m.month, "url": m.url, "count": len(m.articles)} for m in year.months],
    }


def feed_pages(site: Site, config: Config, lastmod: Callable[[str], tuple[float, datetime]]) -> list[Page]:
    """The site's feed carries `feed_content`, the tags' and sections' `term_feed_content`
    (full bodies or summaries: see the README's "Feeds")."""
    feeds = []
    if "site" in config.feeds:
        feeds.append((urls.FEED_URL, config.title, urls.home_url(), site.articles, "site feed", config.feed_content))
    for kind in ("tags", "sections"):
        if kind in config.feeds:
            for term in site.taxonomies.get(kind, ()):
                feeds.append((urls.term_feed_url(kind, term.slug), f"{term.name} · {config.title}", term.url, term.articles,
                              f"feed of {kind} '{term.name}'", config.term_feed_content))
    pages = []
    for feed_url, title, alternate, articles, origin, content in feeds:
        newest = tuple(a.source_path for a in articles[: config.feed_entries])
        updated = max(map(lastmod, newest))[1] if newest else EPOCH
        pages.append(Page(feed_url, "feed.xml", "feed", origin, title=title, link_mode="absolute", items=newest,
                          data={"feed_title": title, "alternate": alternate, "updated": updated, "feed_content": content}))
    return pages


def sitemap_pages(pages: list[Page], lastmod: Callable[[str], tuple[float, datetime]],
                  alternates: Callable[[str], tuple] = lambda path: ()) -> list[Page]:
    """sitemap.xml lists every HTML page (an article with its translations' hreflang alternates);
    past 50,000 URLs it becomes an index of numbered sitemaps."""
    entries = []
    for page in pages:
        if page.template.endswith(".html") and page.kind not in ("404", "version"):  # a version is frozen, not for search engines
            shown = [page.article] if page.article else page.items
            entries.append(SitemapEntry(page.url, max(map(lastmod, shown))[1] if shown else None,
                                        alternates(page.article) if page.article else ()))
    if len(entries) <= SITEMAP_LIMIT:
        return [Page(urls.SITEMAP_URL, "sitemap.xml", "sitemap", "sitemap", link_mode="absolute", data={"entries": entries})]
    parts = [entries[i:i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)]
    result = [
        Page(f"/sitemap-{n}.xml", "sitemap.xml", "sitemap", f"sitemap part {n}", link_mode="absolute", data={"entries": part})
        for n, part in enumerate(parts, start=1)
    ]
    index = [SitemapEntry(f"/sitemap-{n}.xml", max((e.lastmod for e in part if e.lastmod), default=None))
             for n, part in enumerate(parts, start=1)]
    result.append(Page(urls.SITEMAP_URL, "sitemap_index.xml", "sitemap", "sitemap index", link_mode="absolute", data={"sitemaps": index}))
    return result


class _PerArticle(dict):
    """Source path → one derived value, each made the first time a page asks (a rebuild
    signing a handful of pages digests a handful of articles)."""

    def __init__(self, by_source: dict, make: Callable):
        super().__init__()
        self._by_source, self._make = by_source, make

    def __missing__(self, source_path: str):
        value = self[source_path] = self._make(self._by_source[source_path])
        return value


def page_signatures(pages: list[Page], site: Site, build_key: str, signer: PageSigner | None = None) -> dict[str, str]:
    """A digest of everything a page's bytes depend on: its own data, and the role digest of
    each article it shows in each role (shown.py); an article's page adds its "read also"
    links and its body's images. `signer` keeps the role digests it makes (for the kept cards' stamps)."""
    sign = signer or PageSigner(site, build_key)
    return {page.url: sign(page) for page in pages}


class PageSigner:
    """page_signatures one page at a time, each article's role digests made once: what a
    render worker signs its pages with when every page renders anyway (publish.py)."""

    def __init__(self, site: Site, build_key: str):
        self.site = site
        self.by_source = {a.source_path: a for a in site.with_pages}
        self.build_key = f"{build_key}\x1f{corrections.page_url(site.articles)}"  # every page's footer links to /corrections/ when there is one
        self.digests = _PerArticle(self.by_source, lambda a: role_digests(a, site))

    def __call__(self, page: Page) -> str:
        site, by_source, digests = self.site, self.by_source, self.digests
        parts = [self.build_key, page.url, page.template, page.kind, page.origin, page.title, page.lang, page.feed,
                 page.link_mode, "" if page.data is NO_DATA else repr(page.data)]
        parts += [role_digest(role, by_source[path], digests[path]) if path else "-" for path, role in dependencies(page, site)]
        if page.article:
            parts.append(repr(site.related[page.article]) if page.article in site.related else "")
            if site.images:
                parts += [info_digest(site.image_info(url)) for url in by_source[page.article].local_links]
        return _digest("\x1f".join(map(str, parts)))


class Unsigned(dict):
    """The signatures of a plan whose every page renders anyway (a cold build, a template
    change): none yet, the render workers make them with `sign` (publish.py)."""

    def __init__(self, sign: PageSigner):
        super().__init__()
        self.sign = sign


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def site_view(config: Config, corrections_url: str | None = None) -> dict:
    """What every template sees as `site`: settings, so adding an article changes no page through it;
    and the /corrections/ page's URL when the site has one (corrections.page_url: in every signature)."""
    return {
        "title": config.title, "description": config.description, "language": config.language,
        "dir": text_direction(config.language), "base_url": config.base_url, "author": config.author,
        "taxonomies": list(config.taxonomies), "archives": config.archives, "feeds": bool(config.feeds),
        "feed": urls.FEED_URL if "site" in config.feeds else None, "extra": config.extra,
        "news_sitemap": news_sitemap.URL if config.news_sitemap else None,
        "search": urls.SEARCH_URL if config.search else None, "corrections": corrections_url,
    }
