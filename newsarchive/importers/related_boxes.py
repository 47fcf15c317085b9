"""A saved page's "read also" box that trafilatura kept in the body → `related` entries.

trafilatura keeps such a box when it sits inside the article: a heading or a bold line that only
says "Auch interessant:", "Related", "Read more" followed by a list of links (found on real pages
of trafilatura's and Readability's test sets), or "[Related: Title]" on one line. The links become
`related` entries and the box leaves the body. When the box's links were left out by the
extraction, its title alone stays behind ("### Related" above the next paragraph): it is dropped.
A title followed by text with links of its own (a reading list with comments) is the author's, and kept.
"""
from __future__ import annotations

import re

from . import markers
from .model import title_key

# a box's title in the languages of the pages seen, besides markers.READ_ALSO's
BOX_TITLES = frozenset(title_key(t) for t in (
    *(m for ms in markers.READ_ALSO.values() for m in ms),
    "related articles", "related article", "related stories", "related story", "related post", "related posts", "related content", "related links", "more on this story", "more on this",
    "you may also like", "you might also like", "recommended", "recommended reading", "read next", "more stories",
    "auch interessant", "lesen sie auch", "mehr zum thema", "weiterlesen", "das könnte sie auch interessieren",
    "leggi anche", "leia também", "veja também", "leia mais", "lees ook", "czytaj także", "czytaj też",
    "читайте также", "см. также",
))
_DECORATION = re.compile(r"^(?:#{1,6}\s+|[>»▶►•]+\s*)|[*_]{1,3}|\\?[\[\]]")
_LINK = re.compile(r"\[(?P<text>[^\[\]]+)\]\((?:<(?P<angled>[^>\s]*)>|(?P<url>(?:[^()\s]|\([^()\s]*\))+))\)")
_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


def take_related(blocks: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The body's blocks without its "read also" boxes, and the (title, URL) of their links."""
    kept: list[str] = []
    related: list[tuple[str, str]] = []
    index = 0
    while index < len(blocks) and (leading := _teaser_list(blocks[index])):
        related += leading  # a list of other stories' links above the article's first words (El Mundo)
        index += 1
    while index < len(blocks):
        block = blocks[index]
        inline = _inline_entry(block)
        if inline:
            related.append(inline)
            index += 1
            continue
        if not _is_box_title(block):
            kept.append(block)
            index += 1
            continue
        links, end = [], index + 1
        while end < len(blocks) and (found := _links_only(blocks[end])):
            links += found
            end += 1
        following = blocks[index + 1] if index + 1 < len(blocks) else ""
        if links:
            related += links
            index = end
        elif not _LINK.search(following):  # the box's links were left out: its title alone
            index += 1
        else:
            kept.append(block)
            index += 1
    return kept, related


def _is_box_title(block: str) -> bool:
    if "\n" in block or len(block) > 60:
        return False
    text = _DECORATION.sub("", block).strip()
    return title_key(text.rstrip(" :：.…")) in BOX_TITLES


def _links_only(block: str) -> list[tuple[str, str]]:
    """Each line one link (a list item or a line of its own), else []."""
    found = []
    for line in block.split("\n"):
        rest = _ITEM.sub("", line.strip())
        match = _LINK.search(rest)
        if not match or _DECORATION.sub("", rest[:match.start()] + rest[match.end():]).strip(" .,;:-–—|"):
            return []
        found.append((_DECORATION.sub("", match.group("text")).strip(), match.group("angled") or match.group("url")))
    return found


KICKER_MAX_WORDS = 4


def _teaser_list(block: str) -> list[tuple[str, str]]:
    """A list of at least two items, each one link to another page, with at most a short kicker
    ("Crónica", "Mundial 2024") before it, else []. Links within the page (a table of contents) are no teasers."""
    lines = block.split("\n")
    if len(lines) < 2 or not all(_ITEM.match(line.strip()) for line in lines):
        return []
    found = []
    for line in lines:
        rest = _ITEM.sub("", line.strip())
        match = _LINK.search(rest)
        target = (match.group("angled") or match.group("url")) if match else ""
        before = _DECORATION.sub("", rest[:match.start()]).strip() if match else ""
        if not match or not re.match(r"https?://|/[^/]", target) or len(before.split()) > KICKER_MAX_WORDS \
                or _DECORATION.sub("", rest[match.end():]).strip(" .,;:-–—|"):
            return []
        found.append((_DECORATION.sub("", match.group("text")).strip(), target))
    return found


def _inline_entry(block: str) -> tuple[str, str] | None:
    """ "**[Related: [Title](url)]**" on one line."""
    if "\n" in block or len(block) > 400 or block.count("](") != 1:
        return None
    match = _LINK.search(block)
    outside = _DECORATION.sub("", block[:match.start()]).strip() if match else ""
    if not match or _DECORATION.sub("", block[match.end():]).strip(" .") or not outside.endswith((":", "：")):
        return None
    if title_key(outside.rstrip(" :：")) not in BOX_TITLES:
        return None
    return _DECORATION.sub("", match.group("text")).strip(), match.group("angled") or match.group("url")
