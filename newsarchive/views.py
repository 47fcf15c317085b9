"""Plain data for templates: articles and terms as dicts, never the model objects.

`page_context` turns a planned Page into what its template receives: references to
articles become cards (metadata) and, on article pages and in feeds, bodies read from
the cache when the page renders, so bodies are never all held in memory.
"""
from __future__ import annotations

from typing import Callable

from markupsafe import Markup

from .config import Config
from .content import ARTICLE_SUFFIXES, Article, text_direction
from .site import TERM_FIELDS, Site, Term
from .urls import absolute_url, base_path, link, rewrite_urls, root_prefix


def article_card(article: Article, site: Site) -> dict:
    """What a listing shows of an article: metadata only, no body."""
    sections = _terms(article, site, "sections")
    sources = _terms(article, site, "sources")
    source = dict(sources[0], link=article.source_url) if sources else None
    image = site.image_urls.get(article.source_path)
    return {
        "title": article.title,
        "url": article.url,
        "date": article.date,
        "date_only": article.date_only,
        "updated": article.updated,
        "updated_date_only": article.updated_date_only,
        "lang": article.lang,
        "dir": article.dir,
        "summary": article.summary,
        "summary_in_body": article.summary_in_body,
        "tags": _terms(article, site, "tags"),
        "section": sections[0] if sections else None,
        "source": source,
        "source_url": article.source_url,
        "authors": _terms(article, site, "authors"),
        "image": {"url": image, "caption": article.image_caption, "credit": article.image_credit} if image else None,
        "word_count": article.word_count,
        "reading_minutes": max(1, round(article.word_count / 220)),
        "source_path": article.source_path,
        "extra": article.extra,
    }


def related_view(site: Site, source_path: str) -> list[dict]:
    return [
        {"title": r.title, "url": r.url, "lang": r.lang, "external": r.external}
        for r in site.related.get(source_path, ())
    ]


def term_view(term: Term) -> dict:
    return {"name": term.name, "slug": term.slug, "url": term.url, "kind": term.kind, "count": len(term.articles)}


def relink_body(body_html: str, url_by_source: dict[str, str], prefix: str, *, index_links: bool = False) -> str:
    """Write a body's site-absolute links from one page; links to .md files become those articles' URLs."""
    def convert(url: str) -> str:
        if not url.startswith("/") or url.startswith("//"):
            return url
        path, sep, fragment = url.partition("#")
        if path.endswith(ARTICLE_SUFFIXES) and path[1:] in url_by_source:
            url = url_by_source[path[1:]] + sep + fragment
        return link(url, prefix, index_links=index_links)
    return rewrite_urls(body_html, convert)


def page_context(page, site: Site, config: Config, site_data: dict, cards: dict[str, dict],
                 body_of: Callable[[str, str, bool], str]) -> dict:
    """Everything `page`'s template receives; `body_of(source_path, prefix, index_links)` gives
    an article's body with its links written from `prefix`."""
    lang = page.lang or config.language
    if page.link_mode == "absolute":
        prefix = config.base_url
    elif page.link_mode == "base_path":
        prefix = base_path(config.base_url)
    else:
        prefix = root_prefix(page.url)
    index_links = config.index_links and page.link_mode == "relative"
    info = {
        "url": page.url, "kind": page.kind, "title": page.title, "lang": lang, "dir": text_direction(lang),
        "canonical": absolute_url(page.url, config.base_url), "feed": page.feed,
        "link_prefix": prefix, "index_links": index_links,
    }
    context = {"site": site_data, "page": info, **page.data}
    if page.article:
        body = body_of(page.article, prefix, index_links)
        context["article"] = dict(cards[page.article], body=Markup(body), related=related_view(site, page.article))
    elif page.kind == "feed" and page.data.get("feed_content", "full") == "summary":
        context["entries"] = [cards[p] for p in page.items]
    elif page.kind == "feed":
        context["entries"] = [dict(cards[p], body=body_of(p, config.base_url, False)) for p in page.items]
    elif page.template == "listing.html":
        context["articles"] = [cards[p] for p in page.items]
    return context


def _terms(article: Article, site: Site, kind: str) -> list[dict]:
    if kind in site.term_index:
        return [{"name": t.name, "url": t.url} for t in site.terms_of(article, kind)]
    return [{"name": name, "url": None} for name in TERM_FIELDS[kind](article)]
