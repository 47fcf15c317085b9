"""Tables that lay a page out, read as the blocks they hold, not as a table of data.

Sites of the 1990s and 2000s (the pages an archive of old news is made of) put their navigation
in one cell and the article in the next. trafilatura keeps a table as a table: the article came
out as one Markdown row, `| Home News Sport | **Headline** May 15, 2001 The port… |`, the menu
in the first cell and every paragraph run together in the second. A table is a layout when it
holds another table, says `role="presentation"`, or has a cell holding paragraphs (two blocks,
or two line breaks, and 60 words): its rows and cells become `<div>`s, as readability treats them.
A table of data (short cells, figures) stays a table.
"""
from __future__ import annotations

_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")
_CELLS = ("td", "th")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "form", "article", "section"})
CELL_WORDS = 60  # words in one cell with two blocks or line breaks: prose, not a datum


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
