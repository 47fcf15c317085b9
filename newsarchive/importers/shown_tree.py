"""A page's tree made to read as a browser shows it, before trafilatura reads it.

trafilatura takes text as the source writes it; three habits of real pages then lose or
change words that a reader sees:
- a hard-wrapped paragraph keeps its line breaks, and a line break in trafilatura's Markdown
  ends a paragraph (one paragraph became ten, and repeated lines were then dropped);
- its precision setting deletes an element that shows no text (an icon's `<span>`, the
  `<span>` around an inline formula's image, an empty advertisement `<div>`) together with
  the text that follows it;
- it resolves a link against the site's root ("#note-1" → "https://host#note-1"), and unescapes
  its whole output, so "?a=1&region=us" came out "?a=1®ion=us".
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PREFORMATTED = frozenset({"pre", "code", "textarea", "listing", "xmp", "plaintext"})
# the elements trafilatura's precision setting deletes, with the text after them, when empty (its CUT_EMPTY_ELEMS)
_EMPTY_CUT = ("article", "b", "blockquote", "dd", "div", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "li",
              "main", "p", "pre", "q", "section", "span", "strong")


def collapse_spaces(tree) -> None:
    """Runs of spaces and line breaks inside a text become one space, as a browser shows them
    (not in `<pre>` and the like). Whitespace-only texts are left as they are: trafilatura reads
    them as layout."""
    for element in tree.iter():
        if any(a.tag in _PREFORMATTED for a in element.iterancestors()):
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


def prepare(tree, url: str | None) -> list[tuple[object, str]]:
    """All of the above; returns `resolve_links`' record for `restore_links`."""
    collapse_spaces(tree)
    unwrap_empty(tree)
    return resolve_links(tree, url)
