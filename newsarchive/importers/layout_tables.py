"""Tables that lay a page out, read as the blocks they hold, not as a table of data.

Sites of the 1990s and 2000s (the pages an archive of old news is made of) put their navigation
in one cell and the article in the next. trafilatura keeps a table as a table: the article came
out as one Markdown row, `| Home News Sport | **Headline** May 15, 2001 The port… |`, the menu
in the first cell and every paragraph run together in the second. A table is a layout when it
holds another table, says `role="presentation"`, or has a cell holding paragraphs (two blocks,
or two line breaks, and 60 words): its rows and cells become `<div>`s, as readability treats them.
A table of data (short cells, figures) stays a table. Only a page whose text came out as a table row
of prose is read so: unwrapping every layout table of L3S-GN1's 2008 pages let their menus into the
text of 53 pages (one lost its article), where trafilatura had found it in the table.
"""
from __future__ import annotations

import re

_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")
_CELLS = ("td", "th")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "form", "article", "section"})
CELL_WORDS = 60  # words in one cell with two blocks or line breaks: prose, not a datum


_CELL = re.compile(r"(?<!\\)\|")
ROW_WORDS = 40  # words in one cell of a Markdown row: a paragraph, not a datum


def has_layout_table(tree) -> bool:
    return any(_is_layout(table) for table in tree.iter("table"))


def prose_in_a_row(blocks) -> bool:
    """A Markdown table row of the extracted text holds a paragraph in one of its cells."""
    return any(len(cell.split()) >= ROW_WORDS for block in blocks for line in block.split("\n")
               if line.startswith("|") for cell in _CELL.split(line))


def unwrap_layout_tables(tree) -> None:
    """Every layout table's own rows and cells (not those of a table of data inside it) become `<div>`s."""
    for table in list(tree.iter("table")):
        if table.tag != "table" or not _is_layout(table):
            continue
        own = [e for e in table.iter(*_PARTS) if e is table or _table_of(e) is table]
        for element in own:
            element.tag = "div"
            for name in ("width", "valign", "align", "colspan", "rowspan", "cellpadding", "cellspacing", "border"):
                element.attrib.pop(name, None)


def _table_of(element):
    return next(element.iterancestors("table"), None)


def _is_layout(table) -> bool:
    if (table.get("role") or "").strip().lower() in ("presentation", "none"):
        return True
    if any(e is not table for e in table.iter("table")):
        return True
    for cell in table.iter(*_CELLS):
        if _table_of(cell) is not table:
            continue
        children = [c for c in cell if isinstance(c.tag, str)]
        blocks = sum(1 for c in children if c.tag in _BLOCKS)
        breaks = sum(1 for c in cell.iter("br"))
        if (blocks >= 2 or breaks >= 2) and len(" ".join(cell.itertext()).split()) >= CELL_WORDS:
            return True
    return False


def readable_data_tables(tree) -> None:
    """A table of data read as its Markdown table can show it: its `<caption>` a paragraph before it
    (trafilatura wrote it as a first row, and the table got two header rules), a list in a cell its
    items on one line, between semicolons (trafilatura left the cell empty: the items were lost)."""
    for table in list(tree.iter("table")):
        if _is_layout(table) or table.getparent() is None:
            continue
        for caption in [c for c in table.iter("caption") if _table_of(c) is table]:
            caption.tail, caption.tag = None, "p"
            table.addprevious(caption)
        for cell in [c for c in table.iter(*_CELLS) if _table_of(c) is table]:
            for listed in [e for e in cell.iter("ul", "ol") if _table_of(e) is table]:
                items = [li for li in listed if li.tag == "li"]
                for n, item in enumerate(items):
                    item.tag = "span"
                    item.tail = ("; " if n < len(items) - 1 else " ") + (item.tail or "").strip()
                listed.tag = "span"
