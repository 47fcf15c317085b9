"""The boilerplate lines scrapers leave in article text, in the languages of the archive.

Each marker says which language it is written in, so the lines of a file can tell its
language when the command line does not. No-break and thin spaces before ':' count as spaces;
the text after the marker is kept exactly as written.
"""
from __future__ import annotations

import re

from .model import Caption, title_key

READ_ALSO = {
    "fr": ("lire aussi", "lire également", "à lire aussi", "à lire également", "voir aussi"),
    "en": ("read more", "read also", "also read", "see also", "related"),
    "es": ("leer también", "lea también", "lee también", "ver también", "te puede interesar"),
    "ar": ("اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ ايضا", "إقرأ ايضا"),
    # seen on Fundus's news pages of 40 countries ("**Les også: [Tone Damli …](…)**" of Nettavisen)
    "de": ("lesen sie auch", "auch interessant", "mehr zum thema"),
    "it": ("leggi anche",),
    "pt": ("leia também", "veja também"),
    "nl": ("lees ook",),
    "no": ("les også",),
    "da": ("læs også",),
    "sv": ("läs också",),
    "pl": ("czytaj też", "czytaj także"),
    "ru": ("читайте также",),
}
SHARE = {
    "fr": ("partager cet article",),
    "en": ("share this article",),
    "es": ("compartir este artículo", "comparte este artículo"),
    "ar": ("شارك هذا المقال", "شارك المقال"),
}
SOURCE = {None: ("source",), "es": ("fuente",), "ar": ("المصدر",)}  # "SOURCE" is French and English alike

_COLON = r"\s*[:：]\s*"
_READ_ALSO = re.compile(
    "(?:" + "|".join(re.escape(m) for ms in READ_ALSO.values() for m in sorted(ms, key=len, reverse=True)) + ")" + _COLON + r"(?P<title>\S.*)",
    re.I,
)
_SOURCE = re.compile("(?:" + "|".join(re.escape(m) for ms in SOURCE.values() for m in ms) + ")" + _COLON + r"(?P<name>\S.{0,79})", re.I)
_LANG_OF = {title_key(m): lang for table in (READ_ALSO, SHARE, SOURCE) for lang, ms in table.items() for m in ms}
_SHARE_KEYS = frozenset(title_key(m) for ms in SHARE.values() for m in ms)
_PAREN_CREDIT = re.compile(r"\s*\((?P<credit>[^()]{1,60})\)\s*\Z")
_COPY_CREDIT = re.compile(r"\s*©\s*(?P<credit>[^©]{1,60}?)\s*\Z")
# the word saying "this is a credit" around the name: the site shows its own "Photo:" before it
_CREDIT_MARKER = re.compile(r"\A(?:photos?|foto|fotos|credit|crédit|image)\s*[:：]\s*|\s+(?:photos?|foto)\s*\Z", re.I)


def read_also(line: str) -> tuple[str, str] | None:
    """(marker language, title) for a "read also" line."""
    line = line.strip()
    match = _READ_ALSO.fullmatch(line)
    if not match:
        return None
    marker = title_key(line[: match.start("title")].rstrip().rstrip(":：").rstrip())
    return _LANG_OF.get(marker), match.group("title").strip()


def is_share(line: str) -> str | None:
    """The marker's language for a share line ("" when it has none), else None."""
    key = title_key(line)
    return _LANG_OF.get(key, "") if key in _SHARE_KEYS else None


def source_line(line: str) -> tuple[str | None, str] | None:
    """(marker language, source name) for `SOURCE: X` / `FUENTE: X` / `المصدر: X`."""
    line = line.strip()
    match = _SOURCE.fullmatch(line)
    if not match or match.group("name").rstrip().endswith("."):
        return None
    marker = title_key(line[: match.start("name")].rstrip().rstrip(":：").rstrip())
    return _LANG_OF.get(marker), match.group("name").strip()


def caption(line: str) -> Caption | None:
    """A caption line ends with its credit: `(AFP photo)`, `(Photo : AFP)`, `(أ ف ب)`, `©Tasnim/Archives`."""
    text = line.strip()
    for pattern in (_PAREN_CREDIT, _COPY_CREDIT):
        match = pattern.search(text)
        if match and len(match.group("credit").split()) <= 6:
            rest = text[: match.start()].strip()
            if rest:
                return Caption(rest, credit_name(match.group("credit")))
    return None


def credit_named(line: str) -> bool:
    """The line's credit says it is one: a picture word ('AFP photo', 'Foto: EFE'), a ©, or a bare
    agency-like name ('(AFP)', '(أ ف ب)': no digits, each Latin word capitalised) — not an aside
    such as '(up from 2.6% in March)'."""
    text = line.strip()
    if _COPY_CREDIT.search(text):
        return True
    match = _PAREN_CREDIT.search(text)
    if match is None:
        return False
    credit = match.group("credit").strip()
    if _CREDIT_MARKER.search(credit):
        return True
    return not re.search(r"[\d%]", credit) and all(not word[0].isalpha() or not word[0].islower() for word in credit.split())


def bare_credit(line: str) -> bool:
    """A credit without a picture word or ©: '(AFP)' ends a wire lead as often as a caption."""
    match = _PAREN_CREDIT.search(line.strip())
    return match is not None and not _COPY_CREDIT.search(line.strip()) and not _CREDIT_MARKER.search(match.group("credit").strip())


def credit_name(credit: str) -> str:
    """'Photo: AFP', 'Photo : Tasnim', 'AFP photo' → the name alone ('AFP', 'Tasnim'); kept whole
    when nothing but the marker is there."""
    name = _CREDIT_MARKER.sub("", credit.strip()).strip()
    return name or credit.strip()
