"""Slugs for titles and terms: never empty, the same text always gives the same slug.

Three styles: `ascii` transliterates everything to a-z0-9 (اقتصاد → qtsd); `unicode`
keeps every letter (grève → grève); `auto`, the default, strips accents from Latin
letters as French and Spanish URLs customarily do (grève → greve) and keeps the
letters of other scripts, which transliteration would make unreadable (اقتصاد → اقتصاد).

Transliteration loses what tells two words of another script apart (many Arabic words
become `qtsd`), so an `ascii` term slug made from letters of a non-Latin script ends in a
digest of the text's unicode slug: distinct words get distinct pages, and the slug depends on
the text alone, never on which other terms exist, so a published URL never changes.
Every slug is a portable path segment (segments.py): bounded, NFC, no reserved name.
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from .segments import portable, text_digest

STYLES = ("auto", "ascii", "unicode")


@lru_cache(maxsize=65536)
def slugify_text(text: str, style: str = "auto") -> str:
    """URL segment for `text`; falls back to letters of any script, then to a short hash."""
    slug = word_slug(text, style)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] if text.strip() else ""
    elif style == "ascii" and slug.isascii() and _transliterated(text):
        slug = f"{slug}-{text_digest(slugify(text, allow_unicode=True))}"
    return portable(slug, text=text) if slug else slug


def article_slug(title: str, stem: str, style: str = "auto", *, limit: int = 255) -> str:
    """An article's default slug: from its title, else its file name, else a digest; within `limit` bytes."""
    slug = word_slug(title, style) or word_slug(stem, style) or slugify_text(title, style)
    return portable(slug, text=title, limit=limit)


def _transliterated(text: str) -> bool:
    """True when the text has letters of a script other than Latin, which `ascii` can only approximate."""
    return any(char.isalpha() and char > "\x7f" and "LATIN" not in unicodedata.name(char, "") for char in text)


def word_slug(text: str, style: str = "auto") -> str:
    """The slug made of the text's own letters and digits; "" when it has none ("!!!", emoji)."""
    if style == "auto":
        return slugify(_latin_to_ascii(text), allow_unicode=True)
    slug = slugify(text, allow_unicode=style == "unicode")
    if not slug and style != "unicode":
        slug = slugify(text, allow_unicode=True)
        if style == "ascii":  # a capital unidecode does not know may have a small letter it does (Ɑ → ɑ → a)
            slug = slugify(slug) or slug
    return slug


def word_slug_with_marks(text: str, style: str = "auto") -> str:
    """`word_slug` keeping the vowel signs and viramas of Thai, Devanagari, Tamil… (python-slugify's
    legacy pipeline takes them for separators: ผู้ว่า → ผ-ว-า). For the importer only: an imported
    article carries its slug, so no slug of an existing article or term, nor its URL, changes."""
    if style == "ascii":
        return word_slug(text, style)
    return slugify(_latin_to_ascii(text) if style == "auto" else text, allow_unicode=True, algorithm="modern")


def slugify(text: str, **options) -> str:
    """python-slugify's, imported when a slug is first made: a build that finds the site up to
    date (config.py reads STYLES) makes none."""
    from slugify import slugify as made
    return made(text, **options)


def _latin_to_ascii(text: str) -> str:
    from text_unidecode import unidecode
    return "".join(
        unidecode(char) if char > "\x7f" and "LATIN" in unicodedata.name(char, "") else char
        for char in unicodedata.normalize("NFKC", text)
    )
