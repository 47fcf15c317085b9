"""Slugs for titles and terms: never empty, the same text always gives the same slug.

Three styles: `ascii` transliterates everything to a-z0-9 (اقتصاد → qtsd); `unicode`
keeps every letter (grève → grève); `auto`, the default, strips accents from Latin
letters as French and Spanish URLs customarily do (grève → greve) and keeps the
letters of other scripts, which transliteration would make unreadable (اقتصاد → اقتصاد).
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from slugify import slugify
from text_unidecode import unidecode

STYLES = ("auto", "ascii", "unicode")


@lru_cache(maxsize=65536)
def slugify_text(text: str, style: str = "auto") -> str:
    """URL segment for `text`; falls back to letters of any script, then to a short hash."""
    slug = word_slug(text, style)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] if text.strip() else ""
    return slug


def word_slug(text: str, style: str = "auto") -> str:
    """The slug made of the text's own letters and digits; "" when it has none ("!!!", emoji)."""
    if style == "auto":
        return slugify(_latin_to_ascii(text), allow_unicode=True)
    slug = slugify(text, allow_unicode=style == "unicode")
    if not slug and style != "unicode":
        slug = slugify(text, allow_unicode=True)
    return slug


def _latin_to_ascii(text: str) -> str:
    return "".join(
        unidecode(char) if char > "\x7f" and "LATIN" in unicodedata.name(char, "") else char
        for char in unicodedata.normalize("NFKC", text)
    )
