"""Slugs for titles and terms: never empty, the same text always gives the same slug."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from slugify import slugify


@lru_cache(maxsize=65536)
def slugify_text(text: str, style: str = "ascii") -> str:
    """URL segment for `text`; falls back to letters of any script, then to a short hash."""
    slug = word_slug(text, style)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] if text.strip() else ""
    return slug


def word_slug(text: str, style: str = "ascii") -> str:
    """The slug made of the text's own letters and digits; "" when it has none ("!!!", emoji)."""
    slug = slugify(text, allow_unicode=style == "unicode")
    if not slug and style != "unicode":
        slug = slugify(text, allow_unicode=True)
    return slug
