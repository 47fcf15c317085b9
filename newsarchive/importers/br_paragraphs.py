"""Text written straight into a `<div>`, its paragraphs separated only by `<br>`s,
made into `<p>`s before trafilatura reads the page, as a browser shows it: Blogger's and old
CMSs' posts are written so. trafilatura reads such loose text and each link in it as separate
pieces and drops the space between them: "Their <a>5th generation parts</a> were just
announced" came out "Their" and "[5th generation parts](…)were just announced", and a link
whose text ends a sentence stood alone on a line. Readability does the same (its "DIV with
BRs" becomes paragraphs).
"""
from __future__ import annotations

# what a browser shows inside a line of text (HTML's phrasing content)
PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img",
                      "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
                      "tt", "u", "var", "wbr"})

_CONTAINERS = ("div", "section", "article")
_CELLS = ("td", "th")
_PICTURES = ("img", "picture", "video", "iframe", "object", "embed")  # not a table cell, nor inside one: trafilatura reads a <p> there as a table's text
MIN_WORDS = 50  # loose words in the container: a post, not a box of links or a footer


def wrap_loose_text(tree) -> None:
    """Each container that holds a `<br>` as a direct child and words outside any block of its own
    gets each run of text and inline elements between `<br>`s wrapped in a `<p>`."""
    for container in list(tree.iter(*_CONTAINERS)):
        if not _has_loose_text(container):
            continue
        _wrap_runs(container)


def _has_loose_text(container) -> bool:
    """A post's text: at least `MIN_WORDS` words outside any child element, two `<br>`s, and a link inside a
    line of that text (where trafilatura loses the space; without one, its reading is left as it is: wrapping
    a footer's or a byline's box in `<p>`s made it look like the article)."""
    if next(container.iterancestors(*_CELLS), None) is not None:
        return False  # a 2008 layout table's cell: trafilatura then read the page's whole table as the text (L3S-GN1 TMCnet)
    children = [c for c in container if isinstance(c.tag, str)]
    if sum(c.tag == "br" for c in children) < 2:
        return False
    if not any(c.tag == "a" and (c.tail or "").strip() and "".join(c.itertext()).strip() for c in children):
        return False
    return len(" ".join([container.text or ""] + [c.tail or "" for c in container]).split()) >= MIN_WORDS


def _wrap_runs(container) -> None:
    parent_maker = container.makeelement
    leading = container.text
    items = list(container)
    container.text = None
    new_children: list = []
    paragraph = None

    def start_paragraph(text: str | None):
        nonlocal paragraph
        paragraph = parent_maker("p", {})
        paragraph.text = text
        new_children.append(paragraph)

    if leading and leading.strip():
        start_paragraph(leading)
    for child in items:
        container.remove(child)
        inline = isinstance(child.tag, str) and child.tag in PHRASING and child.tag != "br"
        if inline or not isinstance(child.tag, str):  # comments and processing instructions go along
            if paragraph is None:
                start_paragraph(None)
            paragraph.append(child)
            continue
        tail, child.tail = child.tail, None
        new_children.append(child)
        paragraph = None
        if tail and tail.strip():
            start_paragraph(tail)
    for child in new_children:
        if child.tag == "br":
            continue  # the paragraphs now separate the lines
        container.append(child)
    for p in list(container.iter("p")):
        if p.getparent() is container and not "".join(p.itertext()).strip() and next(p.iter("img"), None) is None:
            container.remove(p)


def wrap_text_after_paragraphs(tree) -> None:
    """Words written after a `</p>` and before the next block (a crosshead in a `<span>` between two
    paragraphs, loose text) get a `<p>` of their own, the line a browser shows them on: trafilatura with
    links kept drops the text after a paragraph that holds a link or emphasis ("'Don't burn out'", a BBC
    crosshead, lost). Not in a table cell (see `_CONTAINERS`)."""
    for paragraph in list(tree.iter("p")):
        parent = paragraph.getparent()
        if parent is None or parent.tag == "p" or next(paragraph.iterancestors(*_CELLS), None) is not None:
            continue
        if not "".join(paragraph.itertext()).strip() and next(paragraph.iter(*_PICTURES), None) is not None:
            continue  # words after a paragraph that only shows a picture: its caption (<span class="newsCaption">)
        run, sibling = [], paragraph.getnext()
        while sibling is not None and isinstance(sibling.tag, str) and sibling.tag in PHRASING and sibling.tag != "br" \
                and all(not isinstance(d.tag, str) or d.tag in PHRASING for d in sibling.iterdescendants()):
            run.append(sibling)  # not a <span class="paywall"> holding the next paragraphs: ABC's article, nested in a <p>
            sibling = sibling.getnext()
        if not (paragraph.tail or "").strip() and not any("".join(e.itertext()).strip() or (e.tail or "").strip() for e in run):
            continue
        words = paragraph.makeelement("p", {})
        words.text, paragraph.tail = paragraph.tail, None
        for element in run:
            words.append(element)
        paragraph.addnext(words)
