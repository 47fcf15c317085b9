"""Articles that are one story in several languages → translation groups, their links and hreflang.

An article joins a group with `translation_key:` (any text, the same in every member: Hugo's
translationKey), the primary way; `translation_of:` (a slug or a file path under articles/)
joins the group of the article it names, for a translation written after its original. Groups
are made of the published articles only (the site's collection: no draft, nothing left out of
the site), so a page never links to a page that is not there. A group holds one article per
language: a second one in a language, or a `translation_of` naming no published article, is an
error naming the file and line (with --keep-going the article stands alone).

`x-default` (the page for readers whose language no member has) is the member in the site's
language, else the oldest member (ties: by file path).
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from functools import lru_cache

from .content import Article
from .errors import Problem
from .urls import absolute_url

HINT_LANGUAGE = "a group holds one article per language: give one of them another translation_key (or lang)"



class Groups:
    """Which names end up in one group once pairs are joined (union-find); a group's root is
    its smallest name, so the result does not depend on the order of the joins."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def root(self, name: str) -> str:
        parent = self._parent
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(self, one: str, other: str) -> None:
        a, b = self.root(one), self.root(other)
        if a != b:
            self._parent[max(a, b)] = min(a, b)

    def members(self) -> list[str]:
        """Every name seen, in the order first seen."""
        return list(self._parent)

def hreflang(lang: str) -> str:
    """A language code as hreflang writes it (BCP 47: '-', not '_'), compared without case."""
    return lang.replace("_", "-")


def _same_language(lang: str) -> str:
    return hreflang(lang).lower()


def group_translations(articles: Iterable[Article]) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """Source path → every member's source path (itself included, by language), for the
    articles of a group of two or more; and the errors found. `articles`: the published ones."""
    articles = tuple(articles)
    declared = [a for a in articles if a.translation_key or a.translation_of]
    if not declared:
        return {}, []
    problems: list[Problem] = []
    groups = Groups()
    root, join = groups.root, groups.join

    first_with_key: dict[str, str] = {}
    for article in declared:
        root(article.source_path)
        if article.translation_key:
            join(article.source_path, first_with_key.setdefault(article.translation_key, article.source_path))
    targets = _targets(articles) if any(a.translation_of for a in declared) else {}
    for article in declared:
        if article.translation_of:
            target = _resolve(article, targets, problems)
            if target:
                root(target)
                join(article.source_path, target)

    by_source = {a.source_path: a for a in declared}
    components: dict[str, list[Article]] = {}
    for path in groups.members():
        member = by_source.get(path) or targets.get(path)  # a target without a key of its own is under its path
        components.setdefault(root(path), []).append(member)
    groups: dict[str, tuple[str, ...]] = {}
    for members in components.values():
        members = sorted(members, key=lambda a: (a.date.timestamp(), a.source_path))  # oldest first keeps its place
        kept: dict[str, Article] = {}
        for article in members:
            other = kept.setdefault(_same_language(article.lang), article)
            if other is not article:
                problems.append(Problem(
                    f"translation group has two articles in '{article.lang}': this one and {other.source_path}"
                    + (f" (line {other.translation_line})" if other.translation_line else "")
                    + "; this one is left out of the group",
                    article.source_path, article.translation_line, HINT_LANGUAGE))
        if len(kept) > 1:
            group = tuple(a.source_path for a in sorted(kept.values(), key=lambda a: (_same_language(a.lang), a.source_path)))
            groups.update((path, group) for path in group)
    return groups, sorted(problems, key=lambda p: (p.path, p.line or 0))


def _targets(articles: Iterable[Article]) -> dict[str, Article | list[Article]]:
    """Each published article under its file path (with and without the suffix), then under its
    slug where no path is spelled so (a list where a slug names several)."""
    by_path: dict[str, Article] = {}
    by_slug: dict[str, Article | list[Article]] = {}
    for article in articles:
        by_path[article.source_path] = by_path[posixpath.splitext(article.source_path)[0]] = article
        same = by_slug.setdefault(article.slug, article)
        if same is not article:
            by_slug[article.slug] = [*(same if isinstance(same, list) else [same]), article]
    return by_slug | by_path


def _resolve(article: Article, targets: dict, problems: list[Problem]) -> str | None:
    name = article.translation_of.strip().lstrip("/")
    found = targets.get(name) or (targets.get(name[len("articles/"):]) if name.startswith("articles/") else None)
    if found is None:
        problems.append(Problem(
            f"translation_of '{article.translation_of[:120]}' names no published article (no slug or file path matches; a draft is not published)",
            article.source_path, article.translation_line,
            "give the slug or the path under articles/ (e.g. 2021/05/qods.md) of the article this one translates, or share a translation_key"))
        return None
    if isinstance(found, list):
        problems.append(Problem(
            f"translation_of '{name[:120]}' matches {len(found)} articles ({', '.join(sorted(a.source_path for a in found)[:5])})",
            article.source_path, article.translation_line, "give the file path instead, e.g. 2021/05/qods.md"))
        return None
    if found.source_path == article.source_path:
        problems.append(Problem(f"translation_of '{name[:120]}' names this article itself", article.source_path, article.translation_line,
                                "name the article this one translates"))
        return None
    return found.source_path


def x_default(members: Iterable[tuple[str, float, str]], site_language: str) -> str:
    """The member for every other language, of (lang, timestamp, key) triples: the one in the
    site's language, else the oldest (ties: by key)."""
    members = sorted(members, key=lambda m: (m[1], m[2]))
    wanted = _same_language(site_language)
    return next((m[2] for m in members if _same_language(m[0]) == wanted), members[0][2])


@lru_cache(maxsize=256)
def native_name(lang: str) -> str:
    """The language's name in itself ("Français", "العربية"), or the code when Babel knows none."""
    from .i18n import babel_locale
    locale = babel_locale(lang)
    if locale.language != _same_language(lang).split("-")[0]:
        return lang
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:]


def page_view(article: dict, site_language: str, base_url: str) -> dict:
    """What an article's page shows of its group, from its card and its members' link views
    (article["translations"]): the other languages (name in their own language) and the head's
    alternates, each member's absolute URL and x-default."""
    others = article.get("translations") or []
    if not others:
        return {"translations": [], "alternates": []}
    members = sorted([article, *others], key=lambda m: (_same_language(m["lang"]), m["url"]))
    default = x_default(((m["lang"], m["date"].timestamp(), m["url"]) for m in members), site_language)
    alternates = [{"hreflang": hreflang(m["lang"]), "href": absolute_url(m["url"], base_url)} for m in members]
    alternates.append({"hreflang": "x-default", "href": absolute_url(default, base_url)})
    shown = [dict(m, hreflang=hreflang(m["lang"]), name=native_name(m["lang"]))
             for m in sorted(others, key=lambda m: (_same_language(m["lang"]), m["url"]))]
    return {"translations": shown, "alternates": alternates}


def sitemap_alternates(groups: dict[str, tuple[str, ...]], by_source: dict[str, Article], site_language: str) -> Callable[[str], tuple]:
    """Source path → the (hreflang, site-absolute URL) pairs its sitemap entry carries (every
    member, itself included, then x-default); () outside a group."""
    def alternates(source_path: str) -> tuple:
        group = groups.get(source_path)
        if not group:
            return ()
        members = [by_source[path] for path in group]
        default = x_default(((a.lang, a.date.timestamp(), a.url) for a in members), site_language)
        pairs = sorted((hreflang(a.lang), a.url) for a in members)
        return (*pairs, ("x-default", default))
    return alternates


def is_translation_problem(problem: Problem) -> bool:
    """Whether a problem is group_translations' (an edit rebuild keeps them: groups are layout)."""
    return problem.message.startswith(("translation group has", "translation_of '"))
