"""Two kinds of damaged saved pages whose text is in the file, read anyway.

- A page that does not start like HTML (no `<html>` or doctype in its first bytes, as CleanEval's
  pages wrapped in `<text id=… title=…>`, or a fragment saved alone): trafilatura's loader refuses
  it as "not valid HTML" when the parser finds no `<head>`, although a browser shows it. It is
  read when it holds an HTML element; a file that holds none is refused, saying so.
- A `<title>` that is never closed (a page cut or garbled where its title was: `<title>BBC SPORTi
  library-->`, eight L3S-GN1 pages): the parser takes the rest of the file as the title's text, and
  a browser shows a blank page. The title is read as its first line, the rest up to the next tag left
  out (a browser shows none of it), and the import says so in a warning.
A link's address holding white space (a line separator "&#8232;" in a Slashdot "submit" link) is read as a browser
reads it: tabs and line breaks removed, other white space percent-encoded; trafilatura's Markdown link broke at it.
Also: control characters (a DOS end-of-file mark, `&#26;`, in a CleanEval page; `&#8` without its ";" in a
link) are read as spaces, as a browser shows them; the parser keeps them, and lxml then refused to set any
text holding one (a traceback).
"""
from __future__ import annotations

import re
from urllib.parse import quote

_SPACE = re.compile(r"\s")
_TAB_OR_BREAK = re.compile(r"[\t\n\r]")
_HTML_ELEMENT = re.compile(r"<(?:html|head|body|title|meta|p|div|span|br|a|table|tr|td|pre|h[1-6]|ul|ol|li|img|font|"
                           r"center|form|article|section|main|blockquote|b|i|em|strong)[\s/>]", re.I)
# a control character, written as itself or as a character reference ("&#26;", "&#x1A;"; browsers read one
# without its ";" too: "&#8..." in a comment cut short)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01])(?![0-9]);?"
                      r"|&#[xX]0*(?:[0-8bBcC]|[eEfF]|1[0-9a-fA-F])(?![0-9a-fA-F]);?")
_TITLE_START = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_END = re.compile(r"</title\s*>", re.I)
UNCLOSED_TITLE = "its <title> is never closed (a browser shows the page blank): read as its first line, the page after it as text"
NO_ELEMENT = "not an HTML page: it holds no HTML element (a text file is imported under a .txt name)"


def link_addresses_as_browsers_read_them(tree) -> None:
    """Links' and images' addresses with no white space inside (WHATWG URL parsing: tabs and line
    breaks dropped, the rest percent-encoded): "[Slashdot](<http://…story=BBC presenter…" ended where
    the address held a U+2028, and the rest of its paragraph was lost."""
    for element in tree.iter("a", "img"):
        for name in ("href", "src"):
            value = (element.get(name) or "").strip()
            if _SPACE.search(value):
                element.set(name, _SPACE.sub(lambda m: quote(m.group(0)), _TAB_OR_BREAK.sub("", value)))


def without_control_characters(text: str) -> str:
    return _CONTROL.sub(" ", text)


def has_element(text: str) -> bool:
    """An HTML element somewhere in the text: a browser would show it as a page."""
    return bool(_HTML_ELEMENT.search(text))


def as_html_document(text: str) -> str:
    """The text with an `<html>` start in front, so that trafilatura's loader reads it as a page."""
    return "<html>" + text


def unclosed_title(text: str) -> bool:
    start = _TITLE_START.search(text)
    return start is not None and _TITLE_END.search(text, start.end()) is None


def with_title_closed(text: str) -> str:
    """An unclosed `<title>` ended at its first line, what follows up to the next tag left out (a browser
    shows none of it; in the pages met it is the garbled rest of a script)."""
    start = _TITLE_START.search(text)
    if start is None or _TITLE_END.search(text, start.end()) is not None:
        return text
    tag = text.find("<", start.end())
    tag = len(text) if tag < 0 else tag
    line_end = text.find("\n", start.end(), tag)
    return text[:tag if line_end < 0 else line_end] + "</title>" + text[tag:]
