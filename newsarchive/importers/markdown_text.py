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
