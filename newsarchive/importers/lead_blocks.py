"""The article's lead (standfirst) that trafilatura's precision setting drops: the paragraph or two
between the headline and the first paragraph both settings keep ("Penalties for those who refuse to
self-isolate are to be increased…", Evening Standard; "Piogge, temporali e nevicate previste…", La
Stampa). The balanced setting keeps it; `extract._filled` puts it back in front."""
from __future__ import annotations

from .markdown_words import LINK, STRUCTURE, plain_text

LEAD_MIN_CHARS = 60  # a sentence of prose, not a date line, a byline or a kicker
LEAD_MAX_BLOCKS = 2
LINKED_MAX = 0.2  # share of a lead's characters in links: more is a teaser's or a menu's


def lead(before_first_shared: list[str]) -> list[str]:
    """The prose blocks right before the first block precision kept, at most `LEAD_MAX_BLOCKS`, nearest
    first taken; none past a heading, a list, a table, a short line or a block of links."""
    found: list[str] = []
    for block in reversed(before_first_shared):
        if len(found) == LEAD_MAX_BLOCKS or not _prose(block):
            break
        found.insert(0, block)
    return found


def _prose(block: str) -> bool:
    if block.startswith("#") or STRUCTURE.match(block):
        return False
    text = plain_text(block).strip()
    linked = sum(len(m.group("title")) for m in LINK.finditer(block))
    return len(text) >= LEAD_MIN_CHARS and linked <= LINKED_MAX * len(text)
