"""Plain data for templates: articles and terms as dicts, never the model objects.

`page_context` turns a planned Page into what its template receives: references to
articles become cards (metadata) and, on article pages and in feeds, bodies read from
the cache when the page renders, so bodies are never all held in memory.
"""
from __future__ import annotations

import html
import re
from typing import Callable, Mapping
from urllib.parse import unquote

from markupsafe import Markup

from . import corrections
from . import translations
from .config import Config
from .content import ARTICLE_SUFFIXES, Article, text_direction
from .images import ImageInfo, picture_view
from .news_sitemap import news_language
from .provenance import provenance_view
from .rebuild.shown import card_values, link_view, linked_articles
from .site import TERM_FIELDS, Site, Term
from .urls import absolute_url, base_path, link, rewrite_urls, root_prefix


def article_card(article: Article, site: Site) -> dict:
    """What a listing shows of an article: metadata only, no body (declared in shown.py)."""
    return card_view(article, card_links(article, site), site.image_info)


def card_links(article: Article, site: Site) -> dict:
    """What an article's card takes from the rest of the site: its terms as shown (name and
    URL) and where its lead image resolved to. Plain data, so a rebuild can keep it (rebuild/edit.py)."""
    return {kind: _terms(article, site, kind) for kind in TERM_FIELDS} | {"image": site.image_urls.get(article.source_path)}


def card_view(article: Article, links: dict, image_info: Callable[[str | None], ImageInfo | None]) -> dict:
    """The card of `article`, given its `card_links`."""
    sections = links["sections"]
    sources = links["sources"]
    source = dict(sources[0], link=article.source_url) if sources else None
    image = links["image"]
    info = image_info(image)
    return {
        **card_values(article),
        "tags": links["tags"],
        "section": sections[0] if sections else None,
        "source": source,
        "authors": links["authors"],
        "image": {"url": image, "caption": article.image_caption, "credit": article.image_credit, **image_sizes(info)} if image else None,
        "reading_minutes": max(1, round(article.word_count / 220)),
        "provenance": provenance_view(article.provenance),
    }


def image_sizes(info: ImageInfo | None) -> dict:
    """The versions of a local image for templates; None values for one images.py could not read."""
    if info is None:
        return {"width": None, "height": None, "picture": None, "thumb": None, "og": None}
    if info.og is None:  # SVG: its own size, shown as it is
        return {"width": info.width, "height": info.height, "picture": None, "thumb": None, "og": None}
    return {
        "width": info.width, "height": info.height,
        "picture": picture_view(info, "display"), "thumb": picture_view(info, "thumbs"),
        "og": {"url": info.og.url, "width": info.og.width, "height": info.og.height},
    }


_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
BODY_IMAGE_SIZES = "(min-width: 46rem) 42rem, 100vw"


def responsive_images(body_html: str, images: dict[str, ImageInfo], prefix: str) -> str:
    """A body's local images (site-absolute src) as <picture>: WebP and own-format widths,
    width and height, loaded lazily (the lead image is above them)."""
    if "<img" not in body_html:
        return body_html

    def srcset(items: list[dict]) -> str:
        return ", ".join(f"{link(v['url'], prefix)} {v['width']}w" for v in items)

    def replace(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(0)))
        info = images.get(unquote(html.unescape(attrs.get("src", "")).partition("#")[0]))
        if info is None or "srcset" in attrs:
            return match.group(0)
        if info.og is None:  # SVG: width and height only
            if "width" in attrs or "height" in attrs:
                return match.group(0)
            return match.group(0)[:-1].rstrip("/ ") + f' width="{info.width}" height="{info.height}" loading="lazy" decoding="async">'
        view = picture_view(info, "display")
        alt = attrs.get("alt", "")
        source = f'<source type="image/webp" srcset="{html.escape(srcset(view["webp"]))}" sizes="{BODY_IMAGE_SIZES}">' if view["webp"] else ""
        return (f'<picture>{source}<img src="{html.escape(view["src"])}" srcset="{html.escape(srcset(view["fallback"]))}" '
                f'sizes="{BODY_IMAGE_SIZES}" width="{view["width"]}" height="{view["height"]}" alt="{alt}"'
                + (f' title="{attrs["title"]}"' if "title" in attrs else "") + ' loading="lazy" decoding="async"></picture>')
    return _IMG.sub(replace, body_html)


def related_view(site: Site, source_path: str) -> list[dict]:
    return [
        {"title": r.title, "url": r.url, "lang": r.lang, "external": r.external}
        for r in site.related.get(source_path, ())
    ]


def around_record(site: Site, source_path: str) -> dict:
    """What an article's page shows of other articles, as plain data an edit rebuild can keep
    (rebuild/edit.py): its "read also" links, and the source paths of the older and newer
    article and of the suggested ones (related.py)."""
    previous, next_, *suggested = linked_articles(site, source_path)
    record = {"related": related_view(site, source_path), "previous": previous, "next": next_, "suggested": suggested}
    if source_path in site.translations:  # its other languages (translations.py); most articles have none
        record["translations"] = [path for path in site.translations[source_path] if path != source_path]
    return record


def around_view(record: dict, articles: Mapping[str, Article]) -> dict:
    """An `around_record` as the article's page shows it: each other article by its link view
    (shown.LINK_FIELDS, read off it: no card is made)."""
    def brief(path: str | None) -> dict | None:
        return None if path is None else link_view(articles[path])
    return {"related": record["related"], "previous": brief(record["previous"]), "next": brief(record["next"]),
            "suggested": [brief(path) for path in record["suggested"]],
            "translations": [brief(path) for path in record.get("translations", ())]}


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


def page_context(page, around: Callable[[str], dict], config: Config, site_data: dict, cards: dict[str, dict],
                 body_of: Callable[[str, str, bool], str]) -> dict:
    """Everything `page`'s template receives; `around(source_path)` gives what an article's
    page shows of other articles (`around_view`), `body_of(source_path, prefix, index_links)`
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
        context["article"] = dict(cards[page.article], body=Markup(body), **around(page.article))
        context["article"].update(translations.page_view(context["article"], config.language, config.base_url))
    elif page.kind in ("version", "timemap", "headers"):  # versions.py
        from .i18n import translate
        from .versions import page_view
        context.update(page_view(page, cards, config, prefix, index_links, body_of, lambda key: translate(key, lang, config.translations)))
    elif page.kind == "feed" and page.data.get("feed_content", "full") == "summary":
        context["entries"] = [cards[p] for p in page.items]
    elif page.kind == "feed":
        context["entries"] = [dict(cards[p], body=body_of(p, config.base_url, False)) for p in page.items]
    elif page.kind == "news-sitemap":
        context["entries"] = [dict(cards[p], news_language=news_language(cards[p]["lang"])) for p in page.items]
    elif page.kind in (corrections.KIND, corrections.FEED_KIND):
        context["entries"] = corrections.entries_view(page.data["entries"], cards)
    elif page.template == "listing.html":
        context["articles"] = [cards[p] for p in page.items]
    return context


def _terms(article: Article, site: Site, kind: str) -> list[dict]:
    """The article's terms of one kind as its card shows them. Terms come from the published
    articles alone: an unlisted article's term that no published one has gets no page, so
    its own page names it without a link (status.py)."""
    if kind not in site.term_index:
        return [{"name": name, "url": None} for name in TERM_FIELDS[kind](article)]
    found = site.terms_of(article, kind)
    names = TERM_FIELDS[kind](article)
    if article.status == "published" or len(found) == len(names):
        return [t.shown for t in found]
    by_name, shown = site.term_by_name.get(kind, {}), {}
    for name in names:
        term = by_name.get(name)
        shown.setdefault(term.slug if term else "\x00" + name, term.shown if term else {"name": name, "url": None})
    return list(shown.values())
