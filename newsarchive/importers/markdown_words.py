"""The words a reader sees in a Markdown block: what the import compares blocks by (captions,
leads, read-also lines) and what its link pattern is. Its own module so the modules that
extract.py calls can use it without importing extract.py back."""
from __future__ import annotations

import re

# [text](<url>) as trafilatura writes links, or [text](url) with balanced parentheses; the text may hold
# escaped brackets (a footnote's "[\[1\]](#cite_note-1)"), not bare ones, and an escaped "\[" starts no link:
# so a scan stops at the next bracket (from each '[' to the end, 10,000 of them took 37 s: redteam7)
LINK = re.compile(r"(?<!\\)\[(?P<title>(?:\\.|[^\[\]\\])*)\]\((?:<(?P<angled>[^>\s]*)>|(?P<url>(?:[^()\s]|\([^()\s]*\))+))\)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
STRUCTURE = re.compile(r"\||[-*+] |\d+[.)] |> |```")
# not an escaped "\*"; a span holds no other unescaped "**" (or "*"), as Markdown pairs each closer with the
# nearest opener: a scan from every star to the end made "*a " × 10,000 take a minute (redteam7)
_EMPHASIS = re.compile(r"(?<!\\)\*\*(?=\S)((?:\\.|[^*\\]|\*(?!\*))+?)(?<=[^\s\\])\*\*"
                       r"|(?<!\\)\*(?=\S)((?:\\.|[^*\\])+?)(?<=[^\s\\])\*")
_TABLE_ROW = re.compile(r"^\|.*\|[ \t]*$", re.M)  # a Markdown table's row, as trafilatura writes tables
_TABLE_RULE = re.compile(r"[\s|:-]*")
_CELL_BAR = re.compile(r"(?<!\\)\|")
_WORD = re.compile(r"\w+")


def plain_text(markdown: str) -> str:
    """Markdown → the words a reader sees: links by their text, no heading, list, quotation or emphasis marks."""
    text = LINK.sub(lambda m: m.group("title"), markdown)
    text = _TABLE_ROW.sub(_table_cells, text)
    text = re.sub(r"^(?:#{1,6}\s+|[-*]\s+|\d+\.\s+|(?:> ?)+)", "", text, flags=re.M)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return _ESCAPED.sub(r"\1", text).replace("&lt;", "<")  # "&lt;" is how a "<" of the text is written (_angle_escaped)


def _table_cells(row: re.Match) -> str:
    """A table row's cells as words ("| Port | Tonnage |" → "Port Tonnage"); its rule row goes."""
    line = row.group()
    return "" if _TABLE_RULE.fullmatch(line) else " ".join(cell.strip() for cell in _CELL_BAR.split(line) if cell.strip())


def text_key(block: str) -> str:
    """A block's words, case-folded, one space apart: blocks that read alike compare equal."""
    return " ".join(_WORD.findall(plain_text(block).casefold()))
