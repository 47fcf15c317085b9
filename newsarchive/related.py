"""Articles related by their tags, chosen without an editor, and each article's neighbours by date.

Pure: no I/O. An article's related articles are those sharing the most *rare* tags with it
(each shared tag weighs log(N / articles with that tag), N the power of two above the article
count, so sharing "Port strike" says more than sharing "Politics"), then the closest in date, then the file path, so the choice never
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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Callable

from .content import Article
from .slugs import slugify_text

MOST = 5
FEWEST = 3
WINDOW = 20
CHOICE = 2  # the way of choosing: a build that remembers another's choices chooses all anew (2: weight_scale)


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
    from: a build whose digest matches the last one's reuses them instead of choosing again.
    `inputs` is that everything, per article, so a build whose digest differs chooses again
    only for the articles an edit can have changed (see `affected`)."""
    key: str
    by_source: dict[str, tuple[str, ...]]
    inputs: tuple[tuple, ...] | Callable[[], tuple] = ()  # as read back, a function that reads them: see read_suggestions

    def read_inputs(self) -> tuple:
        return self.inputs() if callable(self.inputs) else self.inputs


def suggestions_key(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str) -> str:
    """Everything the choice reads: order, dates, sections, tags, hand-written links, settings."""
    digest = hashlib.blake2b(repr((slug_style, MOST, FEWEST, WINDOW, CHOICE)).encode(), digest_size=16)
    for a in articles:
        digest.update(repr((a.source_path, a.date.timestamp(), a.section, a.tags, sorted(excluded.get(a.source_path, ())))).encode())
    return digest.hexdigest()


def suggestion_inputs(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str) -> tuple[tuple, ...]:
    """Per article: (source path, date stamp, section, tag slugs, excluded paths); the settings first."""
    slug_of: dict[str, str] = {}
    rows: list[tuple] = [(slug_style, MOST, FEWEST, WINDOW, CHOICE)]
    for a in articles:
        slugs: dict[str, None] = {}
        for name in a.tags:
            slug = slug_of.get(name)
            if slug is None:
                slug = slug_of[name] = slugify_text(name, slug_style)
            slugs[slug] = None
        rows.append((a.source_path, a.date.timestamp(), a.section or "", tuple(slugs), tuple(sorted(excluded.get(a.source_path, ())))))
    return tuple(rows)


def affected(old: tuple[tuple, ...], new: tuple[tuple, ...], settled: Callable[[str], bool] = lambda path: False) -> list[int] | None:
    """Indices (into the new articles) whose suggestions may differ between two inputs, or None
    when all may (articles kept moved or changed date, other settings, or a tag weight's scale
    changed: `weight_scale`). With order and dates alike, an article's choice reads only its own
    row, the member lists of its tags, the weight scale and its section's list; so beyond the
    changed and added rows, only articles holding a tag some changed, added or removed row
    gained or lost, or in a section one joined or left, whose choice was topped up from its
    section (`settled(path)`: its remembered choice held more than FEWEST, so it was not)."""
    if old[:1] != new[:1] or weight_scale(len(old) - 1) != weight_scale(len(new) - 1):
        return None
    old_rows = {row[0]: row for row in old[1:]}
    new_paths = {row[0] for row in new[1:]}
    kept_old = [row[:2] for row in old[1:] if row[0] in new_paths]
    kept_new = [row[:2] for row in new[1:] if row[0] in old_rows]
    if kept_old != kept_new:  # an article kept moved in the order or changed date
        return None
    tags: set[str] = set()
    sections: set[str] = set()
    rows = set()
    for i in range(1, len(new)):
        before = old_rows.get(new[i][0])
        if before == new[i]:
            continue
        rows.add(i)
        if before is None:  # added
            tags |= set(new[i][3])
            sections |= {new[i][2]} - {""}
        else:
            tags |= set(before[3]) ^ set(new[i][3])
            if before[2] != new[i][2]:
                sections |= {before[2], new[i][2]} - {""}
    for row in old[1:]:
        if row[0] not in new_paths:  # removed
            tags |= set(row[3])
            sections |= {row[2]} - {""}
    if tags or sections:
        rows |= {i for i in range(1, len(new)) if not tags.isdisjoint(new[i][3])
                 or (new[i][2] in sections and not settled(new[i][0]))}
    return sorted(i - 1 for i in rows)


def weight_scale(count: int) -> int:
    """What a tag's weight divides (log(scale / its articles)): the power of two above the
    article count, not the count itself, so that an article added or removed changes no weight
    (and no other article's choice through it) unless the count crosses a power of two."""
    return 2 ** max(1, count.bit_length())


def remembered_or_new(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str,
                      remembered: Suggestions | None) -> Suggestions:
    key = suggestions_key(articles, excluded, slug_style)
    if remembered is not None and remembered.key == key:
        return remembered
    inputs = suggestion_inputs(articles, excluded, slug_style)
    only = _affected_or_all(remembered, inputs)
    if only is None:
        return Suggestions(key, suggest_related(articles, excluded, slug_style), inputs)
    chosen = dict(remembered.by_source)
    for index in only:
        chosen.pop(articles[index].source_path, None)
    chosen.update(suggest_related(articles, excluded, slug_style, only=only))
    return Suggestions(key, {a.source_path: chosen[a.source_path] for a in articles if a.source_path in chosen}, inputs)


def _affected_or_all(remembered: Suggestions | None, inputs: tuple[tuple, ...]) -> list[int] | None:
    """`affected`, or None (choose for all) when there is nothing to compare with or the
    remembered inputs are not what this version writes (a damaged or foreign file)."""
    if remembered is None:
        return None
    old = remembered.read_inputs()
    if not old:
        return None
    try:
        chosen = remembered.by_source
        return affected(_rows(old), inputs, lambda path: len(chosen.get(path, ())) > FEWEST)
    except (TypeError, IndexError):
        return None


def _rows(inputs) -> tuple[tuple, ...]:
    """Inputs as read back from JSON (lists) in the form suggestion_inputs makes (tuples);
    done only when they are compared, not at every read."""
    try:
        return tuple(tuple(tuple(x) if isinstance(x, list) else x for x in row) for row in inputs)
    except TypeError:
        return ()


def read_suggestions(path: Path, paths: Mapping[str, str] | None = None) -> Suggestions | None:
    """The last build's suggestions, or None (no file, or one that cannot be read). Their
    inputs are read only if asked for (by a build whose key differs): a build that reuses
    the suggestions would otherwise hold about half a kilobyte an article it never reads.
    `paths` gives back each source path as the build holds it already, so the suggestions
    hold no second copy of any (five or so an article)."""
    same = (paths or {}).get
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.loads(handle.readline())
        by_source = {same(k, k): tuple(same(p, p) for p in v) for k, v in data["by_source"].items()}
        inputs = tuple(data["inputs"]) if "inputs" in data else partial(_read_inputs, path)  # a file of an earlier version holds them in its one line
        return Suggestions(data["key"], by_source, inputs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _read_inputs(path: Path) -> tuple:
    """The second line of the suggestions file, or () (then every article's are chosen anew)."""
    try:
        with open(path, encoding="utf-8") as handle:
            handle.readline()
            return tuple(json.loads(handle.readline()))
    except (OSError, ValueError, TypeError):
        return ()


def write_suggestions(path: Path, suggestions: Suggestions) -> None:
    """Two lines of JSON: the key and the suggestions, then the inputs they were chosen from."""
    temporary = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:  # in pieces: at 10⁶ articles one string would be 0.3 GB
            handle.write(f'{{"key": {json.dumps(suggestions.key)}, "by_source": {{')
            _write_pieces(handle, (f"{json.dumps(path)}: {json.dumps(chosen)}" for path, chosen in suggestions.by_source.items()))
            handle.write("}}\n[")
            _write_pieces(handle, map(json.dumps, suggestions.read_inputs()))
            handle.write("]\n")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_pieces(handle, items, per_piece: int = 4096) -> None:
    """JSON texts joined by ", ", written some thousands at a time: json.dump writes an object
    in Python a token at a time (at 10⁵ articles seconds), json.dumps in C, but all at once."""
    separator = ""
    while piece := list(islice(items, per_piece)):
        handle.write(separator + ", ".join(piece))
        separator = ", "


def suggest_related(articles: tuple[Article, ...], excluded: dict[str, set[str]], slug_style: str,
                    most: int = MOST, fewest: int = FEWEST, window: int = WINDOW, only: list[int] | None = None) -> dict[str, tuple[str, ...]]:
    """Source path → up to `most` related source paths, best first. `excluded` holds, per
    article, the source paths its front matter already links. An article sharing tags with
    fewer than `fewest` others is topped up with the nearest in date of its own section.
    `only` limits the choosing to those indices (the rest of the site still counts)."""
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
    scale = weight_scale(len(articles))
    weight = {slug: round(1e6 * math.log(scale / len(items))) for slug, items in members.items()}  # integers: sums are exact
    sections: dict[str, list[int]] = defaultdict(list)
    section_position: list[int] = []
    for index, article in enumerate(articles):
        items = sections[article.section or ""]
        section_position.append(len(items))
        items.append(index)

    stamps = [a.date.timestamp() for a in articles]
    paths = [a.source_path for a in articles]
    result: dict[str, tuple[str, ...]] = {}
    for index in range(len(articles)) if only is None else only:
        article = articles[index]
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
