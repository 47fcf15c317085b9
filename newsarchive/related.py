"""Articles related by their tags, chosen without an editor, and each article's neighbours by date.

Pure: no I/O. An article's related articles are those sharing the most *rare* tags with it
(each shared tag weighs log(N / articles with that tag), so sharing "Port strike" says more
than sharing "Politics"), then the closest in date, then the file path, so the choice never
depends on the walk or the machine. The article itself and its hand-written `related`
entries are never suggested.

Cost stays near-linear: within one tag only the WINDOW articles nearest in date on each side
are candidates. A rare tag has fewer members than that, so it is seen whole; a common tag
weighs little anyway, and its nearest members are the ones the date tie-break would keep.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .content import Article
from .slugs import slugify_text

MOST = 5
FEWEST = 3
WINDOW = 20


@dataclass(frozen=True, slots=True)
class Neighbours:
    previous: str | None  # source path of the next older article
    next: str | None  # source path of the next newer article


def neighbours_by_date(articles: tuple[Article, ...]) -> dict[str, Neighbours]:
    """`articles` newest first, as the Site holds them."""
    paths = [a.source_path for a in articles]
    last = len(paths) - 1
    return {path: Neighbours(paths[i + 1] if i < last else None, paths[i - 1] if i > 0 else None)
            for i, path in enumerate(paths)}


@dataclass(frozen=True)
class Suggestions:
    """The related articles of every article, and a digest of everything they were chosen
    from: a build whose digest matches the last one's reuses them instead of choosing again."""
    key: str
    by_source: dict[str, tuple[str, ...]]


def suggestions_key(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str) -> str:
    """Everything the choice reads: order, dates, sections, tags, hand-written links, settings."""
    digest = hashlib.blake2b(repr((slug_style, MOST, FEWEST, WINDOW)).encode(), digest_size=16)
    for a in articles:
        digest.update(repr((a.source_path, a.date.timestamp(), a.section, a.tags, sorted(excluded.get(a.source_path, ())))).encode())
    return digest.hexdigest()


def remembered_or_new(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str,
                      remembered: Suggestions | None) -> Suggestions:
    key = suggestions_key(articles, excluded, slug_style)
    if remembered is not None and remembered.key == key:
        return remembered
    return Suggestions(key, suggest_related(articles, excluded, slug_style))


def read_suggestions(path: Path) -> Suggestions | None:
    """The last build's suggestions, or None (no file, or one that cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Suggestions(data["key"], {k: tuple(v) for k, v in data["by_source"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_suggestions(path: Path, suggestions: Suggestions) -> None:
    temporary = path.with_name(f"{path.name}.tmp{os.getpid()}")
    temporary.write_text(json.dumps({"key": suggestions.key, "by_source": suggestions.by_source}), encoding="utf-8")
    os.replace(temporary, path)


def suggest_related(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str,
                    most: int = MOST, fewest: int = FEWEST, window: int = WINDOW) -> dict[str, tuple[str, ...]]:
    """Source path → up to `most` related source paths, best first. `excluded` holds, per
    article, the source paths its front matter already links. An article sharing tags with
    fewer than `fewest` others is topped up with the nearest in date of its own section."""
    members: dict[str, list[int]] = defaultdict(list)  # tag slug → article indices, newest first
    position: list[dict[str, int]] = []  # per article: tag slug → its index in that tag's list
    slug_of: dict[str, str] = {}
    for index, article in enumerate(articles):
        mine = {}
        for name in article.tags:
            slug = slug_of.get(name)
            if slug is None:
                slug = slug_of[name] = slugify_text(name, slug_style)
            if slug not in mine:
                mine[slug] = len(members[slug])
                members[slug].append(index)
        position.append(mine)
    total = len(articles)
    weight = {slug: round(1e6 * math.log((total + 1) / len(items))) for slug, items in members.items()}  # integers: sums are exact
    sections: dict[str, list[int]] = defaultdict(list)
    section_position: list[int] = []
    for index, article in enumerate(articles):
        items = sections[article.section or ""]
        section_position.append(len(items))
        items.append(index)

    stamps = [a.date.timestamp() for a in articles]
    paths = [a.source_path for a in articles]
    result: dict[str, tuple[str, ...]] = {}
    for index, article in enumerate(articles):
        scores: dict[int, int] = {}
        get = scores.get
        for slug, at in position[index].items():
            items = members[slug]
            if len(items) < 2:
                continue
            w = weight[slug]
            for other in items[max(0, at - window): at + window + 1]:
                scores[other] = get(other, 0) + w
        scores.pop(index, None)
        skip = excluded.get(article.source_path, ())
        ranked = _best(scores, stamps[index], stamps, paths, skip, most)
        if len(ranked) < fewest and article.section:
            ranked += _nearest_in_section(index, sections[article.section], section_position[index], stamps,
                                          {*ranked, index}, skip, articles, fewest - len(ranked))
        if ranked:
            result[article.source_path] = tuple(articles[other].source_path for other in ranked)
    return result


def _best(scores: dict[int, int], me: float, stamps: list[float], paths: list[str], skip, most: int) -> list[int]:
    """The `most` highest scores, ties by closeness in date then path. Candidates are taken
    score by score from the top, so only the last group taken needs ordering by date."""
    by_score: dict[int, list[int]] = defaultdict(list)
    for other, score in scores.items():
        by_score[score].append(other)
    chosen: list[int] = []
    for score in sorted(by_score, reverse=True):
        group = [o for o in by_score[score] if paths[o] not in skip] if skip else by_score[score]
        wanted = most - len(chosen)
        chosen += heapq.nsmallest(wanted, group, key=lambda o: (abs(stamps[o] - me), paths[o]))
        if len(chosen) >= most:
            break
    return chosen


def _nearest_in_section(index: int, items: list[int], at: int, stamps: list[float], taken: set[int],
                        skip: set[str], articles: tuple[Article, ...], wanted: int) -> list[int]:
    """Up to `wanted` articles of the same section nearest in date, walking out from `at`."""
    me = stamps[index]
    nearby = items[max(0, at - wanted - len(taken) - len(skip)): at + wanted + len(taken) + len(skip) + 1]
    chosen = sorted((o for o in nearby if o not in taken and articles[o].source_path not in skip),
                    key=lambda o: (abs(stamps[o] - me), articles[o].source_path))
    return chosen[:wanted]
