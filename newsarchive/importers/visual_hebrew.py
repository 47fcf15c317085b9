"""Visual Hebrew (a page declared ISO-8859-8, not ISO-8859-8-I) → text in logical order.

Such pages store each line as it is displayed, left to right, and browsers show them without
bidi reordering. The archive stores text in logical order (the order it is read and typed in),
so every line holding Hebrew is turned around: its characters reversed, mirrored brackets
swapped, and the left-to-right runs inside it (numbers, Latin words) put back the right way.
Only text between tags and the values of text attributes (`content`, `alt`, `title`) change.
"""
from __future__ import annotations

import re

_HEBREW = re.compile(r"[\u0590-\u05ff]")
_MIRRORED = str.maketrans("()[]{}<>", ")(][}{><")
# a left-to-right run: Latin letters and digits, with the spaces and marks between them
_LTR_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .,:/%'&+-]*[A-Za-z0-9])?")
_TEXT = re.compile(r"(<(?:script|style)\b.*?</(?:script|style)\s*>|<!--.*?-->)|"
                   r"(<[^>]*>)|([^<]+)", re.S | re.I)
_ATTRIBUTE = re.compile(r"""(\b(?:content|alt|title)\s*=\s*)("[^"]*"|'[^']*')""", re.I)


def line_in_logical_order(line: str) -> str:
    """One displayed line (left to right) → the same line as it is read."""
    if not _HEBREW.search(line):
        return line
    turned = line[::-1].translate(_MIRRORED)
    return _LTR_RUN.sub(lambda m: m.group(0)[::-1].translate(_MIRRORED), turned)


def _text_in_logical_order(text: str) -> str:
    return "\n".join(line_in_logical_order(line) for line in text.split("\n"))


def _tag_in_logical_order(tag: str) -> str:
    return _ATTRIBUTE.sub(lambda m: m.group(1) + m.group(2)[0] + _text_in_logical_order(m.group(2)[1:-1]) + m.group(2)[0], tag)


def page_in_logical_order(html: str) -> str:
    """The page's text runs and text attributes in logical order; markup, scripts and styles as they are."""
    def turn(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        if match.group(2):
            return _tag_in_logical_order(match.group(2))
        return _text_in_logical_order(match.group(3))
    return _TEXT.sub(turn, html)
