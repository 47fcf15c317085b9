"""What a browser shows and libxml2's default limits would cut: pages saved by SingleFile or
"Save Page WE" inline every picture as a `data:` address (one photo is megabytes; libxml2 stops
at an attribute of 10 MB), and page builders nest text under hundreds of `<div>`s (libxml2 stops
at a depth of 256). Everything after either point was lost, and the page refused as "no text".
"""
from __future__ import annotations

import re

INLINE_DATA_MAX_CHARS = 65_536  # an inline picture is not text: above this, its bytes are left out
DEPTH_LIMIT = 255  # libxml2's nesting limit without its "huge" option
# a data: address in a quoted attribute, longer than the bound: its scheme and type are kept
_BIG_DATA_ADDRESS = re.compile(r"""(["'])(data:[\w/+.-]*)[;,][^"'<>]{%d,}\1""" % INLINE_DATA_MAX_CHARS)


def without_big_inline_data(html: str) -> str:
    """The page with each inline `data:` address over the bound replaced by an empty one of its type."""
    if len(html) < INLINE_DATA_MAX_CHARS:
        return html
    return _BIG_DATA_ADDRESS.sub(lambda m: f"{m.group(1)}{m.group(2)},{m.group(1)}", html)


def reached_depth_limit(tree) -> bool:
    """The parser stopped at its nesting limit (what came after is missing from the tree)."""
    from lxml import etree

    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= DEPTH_LIMIT:
            return True
    return False


def deep_tree(html: str):
    """The page parsed as trafilatura's loader does, without libxml2's depth limit."""
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                        remove_pis=True, huge_tree=True)
    return fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
