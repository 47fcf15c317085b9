"""Loaded articles → the `Site`: newest-first order, taxonomies, date archive, "read also".

Pure: no I/O. Terms compare by slug, so `Gaza`, `gaza` and `GAZA` are one tag.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .content import Article
from .errors import Problem, warning
from .slugs import slugify_text
from .urls import month_url, term_url, year_url

TERM_FIELDS = {
    "tags": lambda a: a.tags,
    "sections": lambda a: (a.section,) if a.section else (),
    "sources": lambda a: (a.source,) if a.source else (),
    "authors": lambda a: a.authors,
}


@dataclass(frozen=True)
class Term:
    kind: str
    name: str
    slug: str
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class RelatedLink:
    title: str
    url: str | None  # site-absolute for archive articles, absolute for outside links, None for text only
    lang: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Site:
    articles: tuple[Article, ...]
    taxonomies: dict[str, tuple[Term, ...]]  # only the kinds the config builds pages for
    years: tuple[YearArchive, ...]
    related: dict[str, tuple[RelatedLink, ...]]  # by source_path
    url_by_source: dict[str, str]
    term_index: dict[str, dict[str, Term]]  # kind → slug → Term
    slug_style: str = "auto"
    problems: tuple[Problem, ...] = ()

    def terms_of(self, article: Article, kind: str) -> tuple[Term, ...]:
        """The article's terms of one kind, in the order it lists them; () when that kind has no pages."""
        index = self.term_index.get(kind, {})
        slugs = dict.fromkeys(slugify_text(name, self.slug_style) for name in TERM_FIELDS[kind](article))
        return tuple(index[slug] for slug in slugs if slug in index)


def assemble_site(articles: list[Article], *, taxonomies: tuple[str, ...], slug_style: str) -> Site:
    ordered = tuple(sorted(articles, key=lambda a: a.sort_key))
    problems: list[Problem] = []
    by_slug: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        by_slug[article.slug].append(article)
        by_slug[article.source_path].append(article)
    built = {kind: build_terms(ordered, kind, slug_style) for kind in taxonomies}
    return Site(
        articles=ordered,
        taxonomies=built,
        years=build_archive(ordered),
        related={a.source_path: resolve_related(a, by_slug, problems) for a in ordered if a.related},
        url_by_source={a.source_path: a.url for a in ordered},
        term_index={kind: {t.slug: t for t in terms} for kind, terms in built.items()},
        slug_style=slug_style,
        problems=tuple(problems),
    )


def build_terms(articles: tuple[Article, ...], kind: str, slug_style: str) -> tuple[Term, ...]:
    """Terms of one taxonomy sorted by name; each shown in its most used spelling."""
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        for name in TERM_FIELDS[kind](article):
            slug = slugify_text(name, slug_style)
            if not members[slug] or members[slug][-1] is not article:
                members[slug].append(article)
            spellings[slug][name] += 1
    terms = []
    for slug, items in members.items():
        name = min(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        terms.append(Term(kind, name, slug, term_url(kind, slug), tuple(items)))
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug)))


def build_archive(articles: tuple[Article, ...]) -> tuple[YearArchive, ...]:
    """Years and months as written in each article's own offset, newest first."""
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in articles:
        months[(article.date.year, article.date.month)].append(article)
    years: dict[int, list[MonthArchive]] = defaultdict(list)
    for (year, month) in sorted(months, reverse=True):
        years[year].append(MonthArchive(year, month, month_url(year, month), tuple(months[(year, month)])))
    return tuple(YearArchive(year, year_url(year), tuple(ms)) for year, ms in years.items())


def resolve_related(article: Article, by_slug: dict[str, list[Article]], problems: list[Problem]) -> tuple[RelatedLink, ...]:
    """"Read also" entries → titles and URLs; a slug that matches nothing is a warning."""
    links = []
    for entry in article.related:
        if entry.slug:
            matches = by_slug.get(entry.slug, [])
            if not matches:
                problems.append(warning(
                    f"related article '{entry.slug}' not found", article.source_path, entry.line,
                    "use the slug of an article in the archive, or {title: …, url: …} for an outside link",
                ))
                if entry.title:
                    links.append(RelatedLink(entry.title, entry.url, external=bool(entry.url)))
                continue
            if len(matches) > 1:
                problems.append(warning(
                    f"related slug '{entry.slug}' matches {len(matches)} articles ({', '.join(m.source_path for m in matches)}); linking the newest",
                    article.source_path, entry.line, "give the file path instead, e.g. 2021/port-strike.md",
                ))
            target = matches[0]
            links.append(RelatedLink(entry.title or target.title, target.url, target.lang))
        else:
            links.append(RelatedLink(entry.title or "", entry.url, external=bool(entry.url)))
    return tuple(links)
