"""Plain scraped text → Markdown that renders back to exactly that text.

A scraped paragraph may start with '#', '1.' or '>' or hold '*', '_' or '<b>': unescaped,
Markdown would turn them into headings, lists or (sanitized away) HTML, and text would be lost.
"""
from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]{}])")


def escape_paragraph(text: str) -> str:
    """One paragraph of plain text as Markdown, on one line."""
    text = text.strip().replace("\n", " ").replace("\t", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    if text[:1] in ("#", ">", "-", "+", "|"):
        text = "\\" + text if text[0] != "|" else "&#124;" + text[1:]
    number = re.match(r"(\d+)([.)])(\s|\Z)", text)
    if number:
        text = f"{number.group(1)}\\{number.group(2)}{text[number.end(2):]}"
    return text


_ATX = re.compile(r"(#{1,6})([ \t]+\S.*)\Z")
_ITEM_HEADING = re.compile(r"^([ \t]*(?:[-*+]|\d+[.)])[ \t]+)#{1,6}[ \t]+(?=\S)", re.M)  # "- ## 1/50 Gallery caption"


def even_headings(blocks: list[str]) -> list[str]:
    """A page's subheadings under the article's title (the page's one h1): the body's levels
    renumbered from 2 in their order of depth, never more than one deeper than the heading
    before, so a page that jumps from h1 to h3 (or has h1s in its text) reads in order."""
    # a heading in a list item (a gallery's captions) becomes its text: a list item is no section,
    # and the validator counts its level between the body's own headings
    blocks = [block if block.startswith("```") else _ITEM_HEADING.sub(r"\1", block) for block in blocks]
    levels = sorted({len(m.group(1)) for block in blocks for line in block.split("\n") if (m := _ATX.match(line))})
    if not levels:
        return blocks
    rank = {level: index + 2 for index, level in enumerate(levels)}
    previous = 1
    result = []
    for block in blocks:
        lines = []
        for line in block.split("\n"):
            match = _ATX.match(line)
            if match:
                previous = min(rank[len(match.group(1))], previous + 1, 6)
                line = "#" * previous + match.group(2)
            lines.append(line)
        result.append("\n".join(lines))
    return result


TITLE_WORDS_MAX = 20  # "## Comments", "#### Get the day's big stories + fun stuff you love like mock drafts, picks and power rankings."


def without_trailing_headings(blocks: list[str]) -> list[str]:
    """A heading that ends the body heads nothing: the title of a comment section, a newsletter box
    or a "related" list that the extraction left out ("## Comments" on real pages). Only a short
    title with no link goes ("## Page Inspector Examine the HTML… [Learn more](…)" is a section
    whose text sits in its heading); and none goes from a body whose headings stand over what the
    text does not hold (a heading over each image: "## Test Case 1", "## Test Case 2" and no text)."""
    end = len(blocks)
    while end > 1 and _is_bare_title(blocks[end - 1]):
        end -= 1
    before = blocks[:end]
    if end == len(blocks) or all(_ATX.match(b) for b in before) or _has_empty_section(before):
        return blocks
    return before


def _is_bare_title(block: str) -> bool:
    match = _ATX.match(block)
    return bool(match) and "\n" not in block and "](" not in block and len(match.group(2).split()) <= TITLE_WORDS_MAX


def _has_empty_section(blocks: list[str]) -> bool:
    """A heading directly followed by another of its level or above: the page's sections head images or widgets."""
    levels = [len(m.group(1)) if (m := _ATX.match(b)) and "\n" not in b else None for b in blocks]
    return any(a is not None and b is not None and b <= a for a, b in zip(levels, levels[1:]))


# a paragraph of three or more rule characters ("---", "* * *", "==="), as trafilatura writes it (escaped or not)
_DIVIDER = re.compile(r"(?:\\?[-*_=+~#])(?:[ ]*\\?[-*_=+~#]){2,}")
_DIVIDER_ESCAPES = {"=": "&#61;", "~": "&#126;"}  # Python-Markdown has no backslash escape for these


def is_divider(line: str) -> bool:
    """A paragraph that is a row of dashes, stars or equals signs: the reader saw it as text."""
    return bool(_DIVIDER.fullmatch(line))


def divider_as_text(line: str) -> str:
    """"---" → "\\-\\-\\-": the dashes the page showed, not a Markdown rule nor a front-matter marker."""
    return "".join(_DIVIDER_ESCAPES.get(c, c if c == " " else "\\" + c) for c in line.replace("\\", ""))
