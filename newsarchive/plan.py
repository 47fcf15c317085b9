"""The `Site` → every page to write: its URL, template and plain-data context.

Nothing is rendered or written here. Output paths are checked before anything else
happens: two pages with one path, or a path escaping the output folder, stop the build
with every offending file named.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from . import urls
from .config import Config
from .content import Article, text_direction
from .errors import BuildError, Problem
from .site import Site
from .views import article_card, article_view, relink_body, term_view

SITEMAP_LIMIT = 50_000


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: dict
    origin: str  # the article file, or what generated the page

    @property
    def output_path(self) -> str:
        return urls.output_path(self.url)


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    items: tuple


def paginate(items: tuple, per_page: int) -> list[Pager]:
    """At least one page, even for an empty listing, so every listing URL exists."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    return [Pager(n, len(chunks), tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]


def plan_pages(site: Site, config: Config) -> list[Page]:
    cards = {a.source_path: article_card(a, site) for a in site.articles}
    site_data = site_view(site, config)
    pages: list[Page] = []

    def context(url: str, kind: str, title: str | None, *, lang: str | None = None, dir_: str | None = None,
                feed: str | None = None, link_mode: str = "relative", **extra) -> dict:
        lang = lang or config.language
        page = {
            "url": url, "kind": kind, "title": title, "lang": lang,
            "dir": dir_ or text_direction(lang),
            "canonical": urls.absolute_url(url, config.base_url), "feed": feed,
            "link_prefix": _link_prefix(url, config, link_mode),
            "index_links": config.index_links and link_mode == "relative",
        }
        return {"site": site_data, "page": page, **extra}

    for article in site.articles:
        page_ctx = context(article.url, "article", article.title, lang=article.lang, dir_=article.dir)
        view = article_view(article, site, cards[article.source_path],
                            link_prefix=page_ctx["page"]["link_prefix"], index_links=page_ctx["page"]["index_links"])
        pages.append(Page(article.url, "article.html", dict(page_ctx, article=view), article.source_path))

    site_feed = urls.FEED_URL if config.feeds else None
    pages += listing_pages(urls.home_url(), site.articles, cards, config, context, kind="home", title=None, feed=site_feed, origin="home page")

    for kind, terms in site.taxonomies.items():
        index_url = urls.taxonomy_url(kind)
        pages.append(Page(index_url, "terms.html", context(index_url, "terms", None, taxonomy=kind, terms=[term_view(t) for t in terms]), f"{kind} index"))
        for term in terms:
            feed = urls.term_feed_url(kind, term.slug) if config.feeds and kind in ("tags", "sections") else None
            pages += listing_pages(term.url, term.articles, cards, config, context, kind="term", title=term.name,
                                   feed=feed, origin=f"{kind} page for '{term.name}'", term=term_view(term))

    if config.archives:
        years = [archive_year_view(y) for y in site.years]
        pages.append(Page(urls.archive_url(), "archive.html", context(urls.archive_url(), "archive", None, years=years), "archive page"))
        for year, view in zip(site.years, years):
            pages += listing_pages(year.url, year.articles, cards, config, context, kind="year", title=str(year.year),
                                   origin=f"archive of {year.year}", year=view, month=None)
            for month, month_view in zip(year.months, view["months"]):
                pages += listing_pages(month.url, month.articles, cards, config, context, kind="month", title=None,
                                       origin=f"archive of {month.year}-{month.month:02d}", year=view, month=month_view)

    pages.append(Page(urls.NOT_FOUND_URL, "404.html", context(urls.NOT_FOUND_URL, "404", None, link_mode="base_path"), "404 page"))
    pages += feed_pages(site, config, context)
    pages += sitemap_pages(pages, site, config, context)
    pages.append(Page(urls.ROBOTS_URL, "robots.txt", context(urls.ROBOTS_URL, "robots", None, link_mode="absolute"), "robots.txt"))
    check_output_paths(pages)
    return pages


def listing_pages(first_url: str, articles: tuple[Article, ...], cards: dict, config: Config, context, *,
                  kind: str, title: str | None, origin: str, feed: str | None = None, **extra) -> list[Page]:
    pages = []
    pagers = paginate(articles, config.per_page)
    for pager in pagers:
        url = urls.paged_url(first_url, pager.number)
        pager_view = {
            "number": pager.number, "total": pager.total,
            "first": first_url, "last": urls.paged_url(first_url, pager.total),
            "prev": urls.paged_url(first_url, pager.number - 1) if pager.number > 1 else None,
            "next": urls.paged_url(first_url, pager.number + 1) if pager.number < pager.total else None,
            "window": [{"number": n, "url": urls.paged_url(first_url, n)} for n in _window(pager.number, pager.total)],
            "count": len(articles),
        }
        ctx = context(url, kind, title, feed=feed, articles=[cards[a.source_path] for a in pager.items], pager=pager_view, **extra)
        pages.append(Page(url, "listing.html", ctx, origin if pager.number == 1 else f"{origin}, page {pager.number}"))
    return pages


def _window(current: int, total: int, width: int = 2) -> list[int]:
    """Page numbers worth a link: first, last and a few around the current one."""
    numbers = {1, total} | set(range(max(1, current - width), min(total, current + width) + 1))
    return sorted(numbers)


def archive_year_view(year) -> dict:
    return {
        "year": year.year, "url": year.url, "count": year.count,
        "months": [{"year": m.year, "month": m.month, "url": m.url, "count": len(m.articles)} for m in year.months],
    }


def feed_pages(site: Site, config: Config, context) -> list[Page]:
    if not config.feeds:
        return []
    feeds = [(urls.FEED_URL, config.title, urls.home_url(), site.articles, "site feed")]
    for kind in ("tags", "sections"):
        for term in site.taxonomies.get(kind, ()):
            feeds.append((urls.term_feed_url(kind, term.slug), f"{term.name} · {config.title}", term.url, term.articles, f"feed of {kind} '{term.name}'"))
    pages = []
    for feed_url, title, alternate, articles, origin in feeds:
        newest = articles[: config.feed_entries]
        entries = [_feed_entry(a, site, config) for a in newest]
        updated = max((e["updated"] or e["date"] for e in entries), default=datetime(1970, 1, 1, tzinfo=timezone.utc))
        ctx = context(feed_url, "feed", title, link_mode="absolute", feed_title=title, alternate=alternate, entries=entries, updated=updated)
        pages.append(Page(feed_url, "feed.xml", ctx, origin))
    return pages


def _feed_entry(article: Article, site: Site, config: Config) -> dict:
    card = article_card(article, site)
    return dict(card, body=relink_body(article.body_html, site.url_by_source, config.base_url))


def sitemap_pages(pages: list[Page], site: Site, config: Config, context) -> list[Page]:
    """sitemap.xml lists every HTML page; past 50,000 URLs it becomes an index of numbered sitemaps."""
    entries = []
    for page in pages:
        if not page.template.endswith(".html") or page.url == urls.NOT_FOUND_URL:
            continue
        entries.append({"url": page.url, "lastmod": _lastmod(page)})
    if len(entries) <= SITEMAP_LIMIT:
        return [Page(urls.SITEMAP_URL, "sitemap.xml", context(urls.SITEMAP_URL, "sitemap", None, link_mode="absolute", entries=entries), "sitemap")]
    parts = [entries[i:i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)]
    result = []
    for number, part in enumerate(parts, start=1):
        url = f"/sitemap-{number}.xml"
        result.append(Page(url, "sitemap.xml", context(url, "sitemap", None, link_mode="absolute", entries=part), f"sitemap part {number}"))
    index = [{"url": f"/sitemap-{n}.xml", "lastmod": max((e["lastmod"] for e in part if e["lastmod"]), default=None)} for n, part in enumerate(parts, start=1)]
    result.append(Page(urls.SITEMAP_URL, "sitemap_index.xml", context(urls.SITEMAP_URL, "sitemap", None, link_mode="absolute", sitemaps=index), "sitemap index"))
    return result


def _lastmod(page: Page) -> datetime | None:
    ctx = page.context
    if "article" in ctx:
        return ctx["article"]["updated"] or ctx["article"]["date"]
    articles = ctx.get("articles")
    if articles:
        return max(a["updated"] or a["date"] for a in articles)
    return None


def check_output_paths(pages: list[Page]) -> None:
    """Refuse pages that would escape the output folder or share a path (compared as case-insensitive
    file systems do, so a build on macOS never overwrites one article with another)."""
    problems = []
    seen: dict[str, Page] = {}
    for page in pages:
        output = page.output_path
        if urls.escapes_output(output):
            problems.append(Problem(f"the URL '{page.url}' would write outside the output folder", page.origin, hint="change the slug or the permalink pattern"))
            continue
        key = output.casefold()
        if key in seen:
            other = seen[key]
            article_side = page if page.template == "article.html" else other
            problems.append(Problem(
                f"two pages would be written to '{output}': {other.origin} and {page.origin}", article_side.origin,
                hint="give one of them another slug (front matter 'slug: …') or change the permalink pattern; a published URL should never be overwritten",
            ))
            continue
        seen[key] = page
    if problems:
        raise BuildError(problems)


def site_view(site: Site, config: Config) -> dict:
    return {
        "title": config.title, "description": config.description, "language": config.language,
        "dir": text_direction(config.language), "base_url": config.base_url, "author": config.author,
        "taxonomies": list(site.taxonomies), "archives": config.archives, "feeds": config.feeds,
        "feed": urls.FEED_URL if config.feeds else None, "extra": config.extra,
        "article_count": len(site.articles),
    }


def _link_prefix(url: str, config: Config, link_mode: str) -> str:
    if link_mode == "absolute":
        return config.base_url
    if link_mode == "base_path":
        return urls.base_path(config.base_url)
    return urls.root_prefix(url)
