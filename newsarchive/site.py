"""Loaded articles → the `Site`: newest-first order, taxonomies, date archive, "read also".

Pure: no I/O. Terms compare by slug, so `Gaza`, `gaza` and `GAZA` are one tag.
"""
from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

from .content import ARTICLE_SUFFIXES, Article
from .errors import Problem, warning
from .images import ImageInfo
from .related import Neighbours, Suggestions, neighbours_by_date, remembered_or_new
from .slugs import slugify_text
from .status import WITHDRAWN, related_to_withdrawn, split_listed, unlink_withdrawn, withdrawn_paths
from .translations import group_translations, is_translation_problem
from .urls import month_url, quote_path, term_url, year_url

_URL = re.compile(r"(https?:)?//", re.I)

TERM_FIELDS = {
    "tags": lambda a: a.tags,
    "sections": lambda a: (a.section,) if a.section else (),
    "sources": lambda a: (a.source,) if a.source else (),
    "authors": lambda a: a.authors,
}


@dataclass(frozen=True, slots=True)
class Term:
    kind: str
    name: str
    slug: str
    url: str
    articles: tuple[Article, ...]
    shown: dict = field(init=False, repr=False, compare=False)  # what a card shows of it: one dict, read by every card

    def __post_init__(self) -> None:
        object.__setattr__(self, "shown", {"name": self.name, "url": self.url})


@dataclass(frozen=True, slots=True)
class MonthArchive:
    year: int
    month: int
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class YearArchive:
    year: int
    url: str
    months: tuple[MonthArchive, ...]  # newest first

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a for m in self.months for a in m.articles)

    @property
    def count(self) -> int:
        return sum(len(m.articles) for m in self.months)


@dataclass(frozen=True, slots=True)
class RelatedLink:
    title: str
    url: str | None  # site-absolute for archive articles, absolute for outside links, None for text only
    lang: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Site:
    articles: tuple[Article, ...]  # the published ones: every listing, feed, sitemap and index reads these
    taxonomies: dict[str, tuple[Term, ...]]  # only the kinds the config builds pages for
    years: tuple[YearArchive, ...]
    related: dict[str, tuple[RelatedLink, ...]]  # by source_path
    url_by_source: dict[str, str]
    term_index: dict[str, dict[str, Term]]  # kind → slug → Term
    term_by_name: dict[str, dict[str, Term]] = field(default_factory=dict)  # kind → every spelling used → Term
    image_urls: dict[str, str] = field(default_factory=dict)  # source_path → lead image, site-absolute or a URL
    slug_style: str = "auto"
    problems: tuple[Problem, ...] = ()
    suggested: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source_path → related by tags (related.py)
    suggestions_key: str = ""
    suggestion_inputs: tuple = ()  # what the suggestions were chosen from (related.py), kept for the next build
    neighbours: dict[str, Neighbours] = field(default_factory=dict)  # source_path → older and newer article
    images: dict[str, ImageInfo] = field(default_factory=dict)  # unquoted site path → sizes and versions (images.py)
    off_list: tuple[Article, ...] = ()  # withdrawn and unlisted: their own page only (status.py)

    @property
    def with_pages(self) -> tuple[Article, ...]:
        """Every article that gets a page: the published ones, then the withdrawn and unlisted."""
        return self.articles + self.off_list if self.off_list else self.articles
    translations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source_path → its group, itself included (translations.py)

    def image_info(self, url: str | None) -> ImageInfo | None:
        return image_info(self.images, url)

    def terms_of(self, article: Article, kind: str) -> tuple[Term, ...]:
        """The article's terms of one kind, in the order it lists them; () when that kind has no pages."""
        by_name = self.term_by_name.get(kind)
        if not by_name:
            return ()
        names = TERM_FIELDS[kind](article)
        if len(names) == 1:
            term = by_name.get(names[0])
            return (term,) if term else ()
        return tuple({term.slug: term for term in (by_name[name] for name in names if name in by_name)}.values())


def image_info(images: dict[str, ImageInfo], url: str | None) -> ImageInfo | None:
    """The sizes and versions of the local image at `url` (as written in a page), if any."""
    return images.get(unquote(url)) if url and images else None


def assemble_site(articles: list[Article], *, taxonomies: tuple[str, ...], slug_style: str,
                  asset_paths: frozenset[str] = frozenset(), static_paths: frozenset[str] = frozenset(),
                  images: dict[str, ImageInfo] | None = None, remembered: Suggestions | None = None,
                  base_url: str = "") -> Site:
    """`asset_paths` are the files under articles/ that are not articles, `static_paths` the theme's
    files; images and body links are checked against them here, not when an article is parsed,
    so a parsed article stays valid in the cache when other files come and go."""
    every = tuple(sorted(articles, key=lambda a: a.sort_key))
    ordered, off_list = split_listed(every)
    problems: list[Problem] = []
    built, term_index, term_by_name = {}, {}, {}
    for kind in taxonomies:
        terms, slug_of = _build_terms(ordered, kind, slug_style)
        built[kind] = terms
        term_index[kind] = {t.slug: t for t in terms}
        term_by_name[kind] = {name: term_index[kind][slug] for name, slug in slug_of.items()}
    url_by_source = {a.source_path: a.url for a in every}
    image_urls = {}
    for article in every:
        if article.image:
            resolved = resolve_image(article.image, article.source_path, asset_paths, static_paths)
            if resolved is None:
                problems.append(missing_image(article))
            else:
                image_urls[article.source_path] = resolved
        problems += check_body_links(article, url_by_source, asset_paths, static_paths)
    by_slug = articles_by_slug(every) if any(a.related for a in every) else {}
    gone = withdrawn_paths(off_list)
    related = {a.source_path: unlink_withdrawn(resolve_related(a, by_slug, problems), gone, base_url)
               for a in every if a.related and a.status != WITHDRAWN}
    del by_slug
    source_by_url = {a.url: a.source_path for a in ordered} if related else {}
    hidden = {a.source_path for a in off_list}  # not suggested, and suggested nothing
    linked = {path: {source_by_url[link.url] for link in links if link.url in source_by_url} for path, links in related.items()
              if path not in hidden}
    suggestions = remembered_or_new(ordered, linked, slug_style, remembered)
    translations, translation_problems = group_translations(ordered)  # of the published articles alone
    problems += translation_problems
    return Site(
        articles=ordered,
        taxonomies=built,
        years=build_archive(ordered),
        related=related,
        url_by_source=url_by_source,
        term_index=term_index,
        term_by_name=term_by_name,
        image_urls=image_urls,
        slug_style=slug_style,
        problems=tuple(problems),
        suggested=suggestions.by_source,
        suggestions_key=suggestions.key,
        suggestion_inputs=suggestions.inputs,
        neighbours=neighbours_by_date(ordered),
        images=images or {},
        off_list=off_list,
        translations=translations,
    )


def resolve_image(image: str, source_path: str, asset_paths: frozenset[str], static_paths: frozenset[str]) -> str | None:
    """A site-absolute path (or the URL as given) for a front-matter image, or None when missing."""
    if _URL.match(image):
        return image
    relative = image.lstrip("/")
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), image))
    for candidate, pool in ((beside, asset_paths), (relative, asset_paths), (relative, static_paths)):
        if candidate in pool:
            return quote_path("/" + candidate)
    return None


def missing_image(article: Article) -> Problem:
    return warning(f"image '{article.image}' not found (looked beside the article, in articles/ and in static/)",
                   article.source_path, article.image_line, "fix the path or put the file under articles/ or static/")


def check_body_links(article: Article, url_by_source: dict[str, str], asset_paths: frozenset[str], static_paths: frozenset[str]) -> list[Problem]:
    """Warnings for body links to files or articles that are not there (percent-encoded links, plain file names).
    Links that may be pages of the site (a folder, a name without extension) are checked
    once the pages are planned, by check_links_to_pages."""
    problems = []
    for link, line in _links_with_lines(article):
        path = unquote(link).lstrip("/")
        if path.endswith(ARTICLE_SUFFIXES):
            if path not in url_by_source:
                problems.append(warning(f"the body links to the article '{link}', which is not in the archive (or is a draft)",
                                        article.source_path, line, hint="fix the path; it is relative to this article's folder"))
        elif not (path in asset_paths or path in static_paths or _may_be_page(link, path)):
            problems.append(warning(f"the body links to '{link}', which is not a file under articles/ or static/",
                                    article.source_path, line, hint="fix the path; it is relative to this article's folder"))
    return problems


def check_links_to_pages(articles, pages, asset_paths: frozenset[str], static_paths: frozenset[str]) -> list[Problem]:
    """Warnings for body links to a folder or an extensionless name that is neither a file
    nor a page of the site (e.g. `<img src="x">`): `pages` holds every planned page's URL, unquoted."""
    problems = []
    for article in articles:
        for link, line in _links_with_lines(article):
            path = unquote(link).lstrip("/")
            if not _may_be_page(link, path) or path in asset_paths or path in static_paths:
                continue
            page = "/" + path
            if page in pages or page.rstrip("/") + "/" in pages or (page.endswith("/index.html") and page[:-10] in pages):
                continue
            problems.append(warning(f"the body links to '{link}', which is neither a file under articles/ or static/ nor a page of the site",
                                    article.source_path, line, hint="fix the path; it is relative to this article's folder"))
    return problems


def _may_be_page(link: str, path: str) -> bool:
    return link.endswith("/") or not posixpath.splitext(path)[1] or path.endswith("index.html")


def _links_with_lines(article: Article):
    lines = article.local_link_lines or (None,) * len(article.local_links)
    return zip(article.local_links, lines)


def build_terms(articles: tuple[Article, ...], kind: str, slug_style: str) -> tuple[Term, ...]:
    """Terms of one taxonomy sorted by name; each shown in its most used spelling."""
    return _build_terms(articles, kind, slug_style)[0]


def _build_terms(articles: tuple[Article, ...], kind: str, slug_style: str) -> tuple[tuple[Term, ...], dict[str, str]]:
    """The terms, and the slug of every spelling the articles use."""
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    slug_of: dict[str, str] = {}
    field_of = TERM_FIELDS[kind]
    for article in articles:
        for name in field_of(article):
            slug = slug_of.get(name)
            if slug is None:
                slug = slug_of[name] = slugify_text(name, slug_style)
            items = members[slug]
            if not items or items[-1] is not article:
                items.append(article)
            spellings[slug][name] += 1
    terms = []
    for slug, items in members.items():
        name = min(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        terms.append(Term(kind, name, slug, term_url(kind, slug), tuple(items)))
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug))), slug_of


def build_archive(articles: tuple[Article, ...]) -> tuple[YearArchive, ...]:
    """Years and months as written in each article's own offset, newest first."""
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in articles:
        months[(article.date.year, article.date.month)].append(article)
    years: dict[int, list[MonthArchive]] = defaultdict(list)
    for (year, month) in sorted(months, reverse=True):
        years[year].append(MonthArchive(year, month, month_url(year, month), tuple(months[(year, month)])))
    return tuple(YearArchive(year, year_url(year), tuple(ms)) for year, ms in years.items())


def articles_by_slug(ordered: tuple[Article, ...]) -> dict[str, Article | list[Article]]:
    """Each article under its slug and under its file path, newest first, for "read also"
    entries: a list only where one key names several articles (a list for each of a million
    articles would hold a quarter of a gigabyte while the site is assembled)."""
    by_key: dict[str, Article | list[Article]] = {}
    for article in ordered:
        for key in (article.slug, article.source_path):
            found = by_key.setdefault(key, article)
            if isinstance(found, list):
                found.append(article)
            elif found is not article:
                by_key[key] = [found, article]
    return by_key


def is_related_warning(problem: Problem) -> bool:
    """Whether a problem is one of resolve_related's or group_translations' (an edit rebuild keeps them: rebuild/edit.py)."""
    return problem.message.startswith(("related article '", "related slug '")) or is_translation_problem(problem)


def resolve_related(article: Article, by_slug: dict[str, Article | list[Article]], problems: list[Problem]) -> tuple[RelatedLink, ...]:
    """"Read also" entries → titles and URLs; a slug that matches nothing is a warning."""
    links = []
    for entry in article.related:
        if entry.slug:
            matches = by_slug.get(entry.slug, [])
            if not isinstance(matches, list):
                matches = [matches]
            if not matches:
                problems.append(warning(
                    f"related article '{entry.slug}' not found", article.source_path, entry.line,
                    "use the slug of an article in the archive, or {title: …, url: …} for an outside link",
                ))
                if entry.title:
                    links.append(RelatedLink(entry.title, entry.url, external=_outside(entry.url)))
                continue
            if len(matches) > 1:
                problems.append(warning(
                    f"related slug '{entry.slug}' matches {len(matches)} articles ({', '.join(m.source_path for m in matches)}); linking the newest",
                    article.source_path, entry.line, "give the file path instead, e.g. 2021/port-strike.md",
                ))
            target = matches[0]
            if target.status == WITHDRAWN:
                links += related_to_withdrawn(entry.title)
                continue
            links.append(RelatedLink(entry.title or target.title, target.url, target.lang))
        else:
            links.append(RelatedLink(entry.title or "", entry.url, external=_outside(entry.url)))
    return tuple(links)


def _outside(url: str | None) -> bool:
    """A "read also" URL that is not a path on this site (those are written relative, like every link of a page)."""
    return bool(url) and not (url.startswith("/") and not url.startswith("//"))
