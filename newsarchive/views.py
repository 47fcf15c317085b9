"""Plain data for templates: articles and terms as dicts, never the model objects."""
from __future__ import annotations

from markupsafe import Markup

from .content import ARTICLE_SUFFIXES, Article
from .markup import rewrite_urls
from .site import TERM_FIELDS, Site, Term
from .urls import link


def article_card(article: Article, site: Site) -> dict:
    """What a listing shows of an article: metadata only, no body."""
    sections = _terms(article, site, "sections")
    sources = _terms(article, site, "sources")
    source = dict(sources[0], link=article.source_url) if sources else None
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
        "tags": _terms(article, site, "tags"),
        "section": sections[0] if sections else None,
        "source": source,
        "source_url": article.source_url,
        "authors": _terms(article, site, "authors"),
        "image": {"url": article.image, "caption": article.image_caption, "credit": article.image_credit} if article.image else None,
        "word_count": article.word_count,
        "reading_minutes": max(1, round(article.word_count / 220)),
        "source_path": article.source_path,
        "extra": article.extra,
    }


def article_view(article: Article, site: Site, card: dict, *, link_prefix: str, index_links: bool) -> dict:
    """An article page's data: its card plus the body (links written from this page) and "read also"."""
    related = [
        {"title": r.title, "url": r.url, "lang": r.lang, "external": r.external}
        for r in site.related.get(article.source_path, ())
    ]
    body = relink_body(article.body_html, site.url_by_source, link_prefix, index_links=index_links)
    return dict(card, body=Markup(body), related=related)


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


def term_view(term: Term) -> dict:
    return {"name": term.name, "slug": term.slug, "url": term.url, "kind": term.kind, "count": len(term.articles)}


def _terms(article: Article, site: Site, kind: str) -> list[dict]:
    if kind in site.term_index:
        return [{"name": t.name, "url": t.url} for t in site.terms_of(article, kind)]
    return [{"name": name, "url": None} for name in TERM_FIELDS[kind](article)]
