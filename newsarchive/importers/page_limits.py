"""What a browser shows and libxml2's default limits would cut: pages saved by SingleFile or
"Save Page WE" inline every picture as a `data:` address (one photo is megabytes; libxml2 stops
at an attribute of 10 MB), and page builders nest text under hundreds of `<div>`s (libxml2 stops
at a depth of 256). Everything after either point was lost, and the page refused as "no text".
"""
from __future__ import annotations

import re

INLINE_DATA_MAX_CHARS = 65_536  # an inline picture is not text: above this, its bytes are left out
DEPTH_LIMIT = 255  # libxml2's nesting limit without its "huge" option
HUGE_DEPTH_LIMIT = 2047  # and with it: past 2,048 levels it stops reading, even "huge"
TEXT_LIMIT = 10_000_000  # libxml2's longest text without "huge": a longer paragraph made the whole page empty
FLAT_DEPTH = 512  # Blink's parser nests no deeper: further elements go beside each other, their text shown
# a data: address in a quoted attribute, longer than the bound: its scheme and type are kept
_BIG_DATA_ADDRESS = re.compile(r"""(["'])(data:[\w/+.-]*)[;,][^"'<>]{%d,}\1""" % INLINE_DATA_MAX_CHARS)


def without_big_inline_data(html: str) -> str:
    """The page with each inline `data:` address over the bound replaced by an empty one of its type."""
    if len(html) < INLINE_DATA_MAX_CHARS:
        return html
    return _BIG_DATA_ADDRESS.sub(lambda m: f"{m.group(1)}{m.group(2)},{m.group(1)}", html)


def over_text_limit(html: str) -> bool:
    """The page may hold a text longer than libxml2 reads without its "huge" option."""
    return len(html) * 4 > TEXT_LIMIT and len(html.encode("utf-8", "surrogatepass")) > TEXT_LIMIT


def reached_depth_limit(tree, limit: int = DEPTH_LIMIT) -> bool:
    """The parser stopped at its nesting limit (what came after is missing from the tree)."""
    from lxml import etree

    depth = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth >= limit:
            return True
    return False


def deep_tree(html: str):
    """The page parsed as trafilatura's loader does, without libxml2's depth limit."""
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                        remove_pis=True, huge_tree=True)
    return fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)


def flattened(html: str) -> str:
    """The page with the start tags (and their end tags) that would nest past `FLAT_DEPTH` left out, text
    and all else kept: what a browser shows of a page nested deeper than libxml2 reads even "huge" (10,000
    <div>s, or thousands of unclosed <font>s), whose text past that depth was lost (redteam7)."""
    from html.parser import HTMLParser

    pieces: list[str] = []
    stack: list[str] = []

    class Flattener(HTMLParser):
        def handle_starttag(self, tag, attrs):
            void = tag in _VOID
            if void or len(stack) < FLAT_DEPTH:
                pieces.append(self.get_starttag_text())
                if not void:
                    stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            pieces.append(self.get_starttag_text())

        def handle_endtag(self, tag):
            if tag in stack:
                while stack.pop() != tag:
                    pass
                pieces.append(f"</{tag}>")

        def handle_data(self, data):
            pieces.append(data)

        def handle_entityref(self, name):
            pieces.append(f"&{name};")

        def handle_charref(self, name):
            pieces.append(f"&#{name};")

        def handle_comment(self, data):
            pieces.append(f"<!--{data}-->")

        def handle_decl(self, decl):
            pieces.append(f"<!{decl}>")

    flattener = Flattener(convert_charrefs=False)
    flattener.feed(html)
    flattener.close()
    return "".join(pieces)


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
