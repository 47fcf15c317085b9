"""Text from the archive made fit for every place it is shown: XML-safe and bidi-balanced.

One function, `clean_text`, applied where front matter is read (content.py) and to the summary
taken from a body, so every later use (page, <title>, card, feed, sitemap, JSON-LD) gets the
same clean text:
- characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; U+FFFE,
  U+FFFF; lone surrogates) are removed: one of them in a title would make every feed and
  sitemap listing it unreadable. The caller warns, naming the file and line.
- bidirectional controls are balanced: an embedding or override (U+202A-U+202E) left open is
  closed with U+202C, an isolate (U+2066-U+2068) with U+2069, and a closer without an opener
  is removed. An unclosed U+202E in a title would otherwise reverse what follows it wherever
  the title is shown, in text that cannot hold markup (the <title> element, feed titles).
  The templates also isolate each piece of user text (<bdi>, dir="auto").
`xml_safe` is the last guard on every XML file rendered (render.py), for text that does not
come from an article (config, translations, theme).
"""
from __future__ import annotations

import re
import unicodedata

from .errors import Problem

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
PDF, PDI = "\u202c", "\u2069"


def clean_text(text: str) -> tuple[str, str]:
    """(text without what XML forbids and with its bidi controls balanced, the forbidden
    characters removed) — the second is empty when nothing was removed."""
    removed = ""
    if XML_FORBIDDEN.search(text):
        removed = "".join(XML_FORBIDDEN.findall(text))
        text = XML_FORBIDDEN.sub("", text)
    if BIDI_CONTROLS.search(text):
        text = balance_bidi(text)
    return text, removed


def balance_bidi(text: str) -> str:
    """Close every embedding, override and isolate left open, drop every closer that closes
    nothing; a new line (a new paragraph for the bidi algorithm) closes what is open."""
    return "\n".join(_balance_line(line) for line in text.split("\n")) if "\n" in text else _balance_line(text)


def _balance_line(line: str) -> str:
    out: list[str] = []
    open_: list[str] = []
    for char in line:
        if char in _EMBEDDINGS or char in _ISOLATES:
            open_.append(char)
        elif char == PDF:
            if not open_ or open_[-1] not in _EMBEDDINGS:
                continue  # closes nothing (or would close across an isolate)
            open_.pop()
        elif char == PDI:
            if not any(c in _ISOLATES for c in open_):
                continue
            while open_[-1] not in _ISOLATES:  # a PDI ends the embeddings opened inside its isolate
                open_.pop()
                out.append(PDF)
            open_.pop()
        out.append(char)
    out.extend(PDI if c in _ISOLATES else PDF for c in reversed(open_))
    return "".join(out)


def describe(removed: str) -> str:
    """'U+000B, U+001B' for the warning."""
    shown = list(dict.fromkeys(f"U+{ord(c):04X}" for c in removed))
    return ", ".join(shown[:5]) + (", …" if len(shown) > 5 else "")


def xml_safe(text: str) -> str:
    return XML_FORBIDDEN.sub("", text) if XML_FORBIDDEN.search(text) else text


def forbidden_warning(what: str, removed: str, source_path: str, line: int | None) -> Problem:
    return Problem(f"{what} holds characters XML cannot carry ({describe(removed)}); they are left out of the site",
                   source_path, line, "remove the invisible control characters (often pasted from another program)", "warning")


def without_forbidden(body: str, body_line: int, source_path: str, problems: list, what: str) -> str:
    """`body` without what XML forbids (it is published in feeds too), and a warning at the first line holding one."""
    first = XML_FORBIDDEN.search(body)
    removed = "".join(XML_FORBIDDEN.findall(body))
    problems.append(forbidden_warning(what, removed, source_path, body_line + body.count("\n", 0, first.start())))
    return XML_FORBIDDEN.sub("", body)


_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # Hangul fillers and the blank braille pattern: letters that draw nothing


def visible(text: str) -> bool:
    """Whether `text` shows anything: a title or tag of only format characters (bidi controls,
    zero-width and tag characters, U+FEFF), spaces, combining marks or blank letters is empty."""
    return any(char not in _BLANK_LETTERS and unicodedata.category(char)[0] not in "CZM" for char in text)
