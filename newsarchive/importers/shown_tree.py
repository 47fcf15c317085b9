"""A page's tree made to read as a browser shows it, before trafilatura reads it.

trafilatura takes text as the source writes it; three habits of real pages then lose or
change words that a reader sees:
- a hard-wrapped paragraph keeps its line breaks, and a line break in trafilatura's Markdown
  ends a paragraph (one paragraph became ten, and repeated lines were then dropped);
- its precision setting deletes an element that shows no text (an icon's `<span>`, the
  `<span>` around an inline formula's image, an empty advertisement `<div>`) together with
  the text that follows it, and a `<span class="link">` inside a sentence with its words;
- it resolves a link against the site's root ("#note-1" → "https://host#note-1"), and unescapes
  its whole output, so "?a=1&region=us" came out "?a=1®ion=us";
- text written straight before or after a nested block (`…to clear.<div>The mayor…`) is glued
  to the block's words ("clear.The mayor"), which a browser shows on a line of their own;
- trafilatura deletes every `<time>` with its words ("The ILO met on <time>Friday</time> in Geneva"
  came out "met on in Geneva"), and a `<br>` inside a heading cut it in two (a heading and a paragraph);
- an inline quotation (`<q>`), which a browser shows between quotation marks, lost its marks and
  cut its paragraph in two;
- with links kept, a link whose words are all emphasised (`<a><em>HBO Go</em></a> <em>and</em>`)
  loses its address and the space after it ("HBO Goand"), and an empty anchor (`<h3><a id=x></a>
  Title</h3>`) empties the heading it stands in.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from . import br_paragraphs

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PREFORMATTED = frozenset({"pre", "code", "textarea", "listing", "xmp", "plaintext"})
# the elements trafilatura's precision setting deletes, with the text after them, when empty (its CUT_EMPTY_ELEMS)
_EMPTY_CUT = ("article", "b", "blockquote", "dd", "div", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "li",
              "main", "p", "pre", "q", "section", "span", "strong")


def collapse_spaces(tree) -> None:
    """Runs of spaces and line breaks inside a text become one space, as a browser shows them
    (not in `<pre>` and the like). Whitespace-only texts are left as they are: trafilatura reads
    them as layout."""
    inside = {d for e in tree.iter(*_PREFORMATTED) for d in e.iterdescendants()}  # not each element's ancestors: 10x faster
    for element in tree.iter():
        if element in inside:
            continue
        if element.tail and not element.tail.isspace():
            element.tail = _HTML_SPACE.sub(" ", element.tail)
        if element.text and not element.text.isspace() and isinstance(element.tag, str) and element.tag not in _PREFORMATTED:
            element.text = _HTML_SPACE.sub(" ", element.text)


def unwrap_empty(tree) -> None:
    """An element that shows no text and is followed by text loses its tags (its children stay)."""
    for element in list(tree.iter(*_EMPTY_CUT)):
        if element.tail and not element.tail.isspace() and element.getparent() is not None \
                and not "".join(element.itertext()).strip():
            element.drop_tag()


_BLOCK_CLASS = re.compile(r"(?:^|\s)(?:link|bottom\S*|\S*bottom)(?=\s|$)")


def keep_words_of_sentences(tree) -> None:
    """A `<span>` inside a sentence loses the class and style that trafilatura's precision setting
    discards as page furniture (a "link" or "bottom" class, a border): `en la <span class="link">
    <a>eliminación de los abusos</a></span>, tomando…` lost the words of the link."""
    for span in tree.iter("span"):
        parent = span.getparent()
        if parent is None or not _in_sentence(span, parent):
            continue
        classes = span.get("class") or ""
        if _BLOCK_CLASS.search(classes):
            span.set("class", _BLOCK_CLASS.sub(" ", classes).strip())
        if _BLOCK_CLASS.search(span.get("id") or ""):
            del span.attrib["id"]
        if "border" in (span.get("style") or ""):
            del span.attrib["style"]


def _in_sentence(element, parent) -> bool:
    """Words on either side of the element, in the same parent."""
    if element.tail and element.tail.strip():
        return True
    previous = element.getprevious()
    return bool(((previous.tail if previous is not None else parent.text) or "").strip())


_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figure", "footer", "form", "h1", "h2",
                     "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "ul"})


def separate_blocks(tree) -> None:
    """Words written right before or after a nested block get a space between them and the block's
    words: trafilatura joins them ("clear.The mayor") where a browser starts a new line."""
    for element in tree.iter(*_BLOCKS):
        parent = element.getparent()
        if parent is None:
            continue
        previous = element.getprevious()
        before = previous.tail if previous is not None else parent.text
        if before and not before[-1].isspace():
            if previous is not None:
                previous.tail = before + " "
            else:
                parent.text = before + " "
        if element.tail and not element.tail[0].isspace():
            element.tail = " " + element.tail


def keep_time_words(tree) -> None:
    """A `<time>`'s words move after it, where trafilatura keeps them; the element stays, empty, with
    its `datetime` (its words as one when it has none), which htmldate still reads."""
    for element in tree.iter("time"):
        if len(element) or not (element.text or "").strip():
            continue
        if not element.get("datetime"):
            element.set("datetime", element.text.strip())
        element.tail, element.text = element.text + (element.tail or ""), None


def join_heading_lines(tree) -> None:
    """A heading's `<br>` is a space: the heading stays one line."""
    for heading in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        for line_break in list(heading.iter("br")):
            line_break.tail = " " + (line_break.tail or "")
            line_break.drop_tag()


_QUOTES = ("\u201c", "\u201d"), ("\u2018", "\u2019")  # a quotation inside a quotation takes the single marks


def quotation_marks(tree) -> None:
    """An inline quotation's words between the quotation marks a browser shows, its tags dropped."""
    for quote in reversed(list(tree.iter("q"))):  # the innermost first
        opening, closing = _QUOTES[sum(1 for _ in quote.iterancestors("q")) % 2]
        quote.text = opening + (quote.text or "")
        last = quote[-1] if len(quote) else None
        if last is not None:
            last.tail = (last.tail or "") + closing
        else:
            quote.text += closing
        quote.drop_tag()


QUOTE_MARK = "\u27e6q\u27e7"  # "⟦q⟧": trafilatura drops unprintable marks, and writes a quotation's paragraphs as plain ones
_QUOTE_MARKS = re.compile(f"(?:{re.escape(QUOTE_MARK)})+")


LIST_MARK = "\u27e6l\u27e7"  # "⟦l⟧": trafilatura writes a list inside a list item as items of the outer list
SHOWN_NESTING = 16  # deeper quotations and lists are written at this level: a build refuses past max_nesting (64)
_NESTED_ITEM = re.compile(rf"(?P<marker>[-*+]|\d+[.)]) (?P<marks>(?:{re.escape(LIST_MARK)})+)")


def mark_quotations(tree) -> list[tuple[object, str | None]]:
    """Each paragraph of a `<blockquote>` starts with one QUOTE_MARK per quotation it is in, and each
    item of a list inside a list item with one LIST_MARK per list it is nested in, which `quotation_lines`
    turns into Markdown's "> " and indentation once trafilatura is done: it drops both, and a quotation
    read as the article's own words changes who said them. Returns what `unmark_quotations` needs."""
    marked = []
    for element in tree.iter("p", "blockquote", "li"):
        if element.tag == "li":
            depth = sum(1 for _ in element.iterancestors("li"))
            mark = LIST_MARK
        else:
            depth = sum(1 for _ in element.iterancestors("blockquote")) + (element.tag == "blockquote")
            mark = QUOTE_MARK if element.tag == "p" or (element.text or "").strip() else ""
        if depth and mark:
            marked.append((element, element.text))
            element.text = mark * min(depth, SHOWN_NESTING) + (element.text or "").lstrip()
    return marked


def unmark_quotations(marked: list[tuple[object, str | None]]) -> None:
    for element, text in marked:
        element.text = text


def quotation_lines(block: str) -> str:
    """A block with its QUOTE_MARKs as Markdown quotation marks at the start of its lines and its
    LIST_MARKs as the indentation of nested items, none elsewhere."""
    if QUOTE_MARK not in block and LIST_MARK not in block:
        return block
    lines = []
    for line in block.split("\n"):
        nested = _NESTED_ITEM.match(line)
        if nested:
            line = "    " * (len(nested.group("marks")) // len(LIST_MARK)) + nested.group("marker") + " " + line[nested.end():]
        marks = _QUOTE_MARKS.match(line)
        line = ("> " * (len(marks.group()) // len(QUOTE_MARK)) + line[marks.end():].lstrip()) if marks else line
        lines.append(line.replace(QUOTE_MARK, "").replace(LIST_MARK, ""))
    return "\n".join(lines)


_URL_SPACES = re.compile(r"[\t\n\r]")  # what a browser takes out of every address: "java&#9;script:" is javascript:


def resolve_links(tree, url: str | None) -> list[tuple[object, str]]:
    """Each link's address made absolute against the page's address (and its `<base href>`),
    its "&" written "&amp;" so that trafilatura's unescaping gives "&" back. Returns what
    `restore_links` needs to give the tree plain addresses again (read_also_links reads them)."""
    base = url or ""
    declared = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    if declared:
        base = urljoin(base, declared.strip())
    changed = []
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if _URL_SPACES.search(href):
            href = _URL_SPACES.sub("", href)
            link.set("href", href)
        if not href or href.lower().startswith(("javascript:", "data:")):
            continue
        try:
            target = urljoin(base, href) if base else href
        except ValueError:  # an address urllib cannot split ("http://[bad")
            continue
        changed.append((link, target))
        link.set("href", target.replace("&", "&amp;"))
    return changed


def restore_links(changed: list[tuple[object, str]]) -> None:
    for link, target in changed:
        link.set("href", target)


_FORMATTING = ("em", "i", "b", "strong", "u")
_PICTURES = ("img", "picture", "video", "iframe", "object", "embed")
# what a browser shows inside a line of text (br_paragraphs.PHRASING), and the blocks that are lines of text
_PHRASING = br_paragraphs.PHRASING
_LINES = _PHRASING | {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "figcaption", "blockquote"}


def plain_link_words(tree) -> None:
    """A link whose words are emphasised and that is followed by an emphasised word loses its own
    emphasis, its words kept: trafilatura would drop its address and the space after it
    (`<a><em>HBO Go</em></a> <em>and</em>` came out "HBO Goand").
    A link that shows nothing inside a line of text (a heading's `<a id=…></a>` anchor, a "#" icon) loses
    its tags: with links kept, trafilatura empties the heading it stands in, or makes the words after
    it its text. (Between blocks, such an anchor is left as it is: trafilatura reads it as a separator.)"""
    for link in list(tree.iter("a")):
        parent = link.getparent()
        if parent is None:
            continue
        if parent.tag in _LINES and not "".join(link.itertext()).strip() and next(link.iter(*_PICTURES), None) is None:
            link.drop_tag()  # its space and its tail stay: "located<a> </a>near"
            continue
        following = link.getnext()
        if following is not None and following.tag in _FORMATTING and not (link.tail or "").strip():
            for element in list(link.iter(*_FORMATTING)):
                if element is not link:
                    element.drop_tag()


_KEPT_JUMPS = ("li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6")  # a table of contents, a heading's own link


def drop_jump_links(tree) -> None:
    """A link to a place in the same page that stands alone between blocks ("Continue reading the main
    story", "Back to top", "Skip to comments": a reader's way around the page, hidden or not) is left out."""
    for link in list(tree.iter("a")):
        parent, href = link.getparent(), (link.get("href") or "").strip()
        if parent is None or parent.tag in _KEPT_JUMPS or parent.tag in br_paragraphs.PHRASING or not href.startswith("#") \
                or len(href) < 2:
            continue
        previous, following = link.getprevious(), link.getnext()
        if ((previous.tail if previous is not None else parent.text) or "").strip() or (link.tail or "").strip():
            continue  # words of a sentence around it
        if not any(e is not None and isinstance(e.tag, str) and e.tag in br_paragraphs.PHRASING and "".join(e.itertext()).strip()
                   for e in (previous, following)):
            link.drop_tree()


def prepare(tree, url: str | None) -> list[tuple[object, str]]:
    """All of the above but the quotations' marks; returns `resolve_links`' record for `restore_links`."""
    collapse_spaces(tree)
    separate_blocks(tree)
    keep_time_words(tree)
    join_heading_lines(tree)
    quotation_marks(tree)
    drop_jump_links(tree)
    br_paragraphs.wrap_loose_text(tree)
    br_paragraphs.wrap_text_after_paragraphs(tree)
    unwrap_empty(tree)
    keep_words_of_sentences(tree)
    plain_link_words(tree)
    return resolve_links(tree, url)
