"""Raw scraped text (the shape scrapers store: section, title, captions, lead, body, trailer)
→ `ImportedArticle`. Pure: bytes in, article or problem out.

The shape, line by line (blank lines do not matter):

    TV                                   ← section: a short first line (optional)
    Commandant en chef … contacte …      ← title
    US Rep. … in Washington, DC. (AFP photo)    ← caption lines, each ending in a credit
    Le commandant … ©Tasnim/Archives
    Le commandant en chef … à Gaza.      ← lead, then body paragraphs (one per line)
    Lire aussi : La Résistance …         ← "read also" → related
    Partager Cet Article                 ← share line, dropped
    SOURCE: FRENCH PRESS TV              ← source

Nothing is guessed: no year in the text means the date must come from --date.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import datetime

from ..errors import Problem
from . import markers
from .markdown_text import escape_paragraph
from .model import Caption, ImportedArticle, ImportSettings, ReadAlso

SECTION_MAX_CHARS = 40
SECTION_MAX_WORDS = 4
TITLE_MAX_CHARS = 200
_ISO_DATE_LINE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?)?")
_FINAL_PUNCTUATION = tuple(".!?:;,…")


def parse_text(data: bytes, origin: str, settings: ImportSettings) -> ImportedArticle | Problem:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Problem(f"not valid UTF-8: byte 0x{data[exc.start]:02X} at line {line}", origin, line,
                       "re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 FILE`)")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [(number, line.strip()) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        return Problem("the file is empty", origin, None, "an article needs at least a title line and a paragraph of text")

    section = None
    if len(lines) >= 2 and _is_section(lines[0][1]) and _is_title(lines[1][1]):
        section = lines[0][1]
        lines = lines[1:]
    title_line, title = lines[0]
    rest = lines[1:]

    captions: list[Caption] = []
    while rest and (found := markers.caption(rest[0][1])):
        captions.append(found)
        rest = rest[1:]

    date = None
    paragraphs: list[str] = []
    read_also: list[ReadAlso] = []
    source = None
    votes: Counter = Counter()
    for number, line in rest:
        if (entry := markers.read_also(line)) is not None:
            votes[entry[0]] += 1
            read_also.append(ReadAlso(entry[1]))
        elif (lang := markers.is_share(line)) is not None:
            votes[lang] += 1
        elif source is None and (found_source := markers.source_line(line)) is not None:
            votes[found_source[0]] += 1
            source = found_source[1]
        elif date is None and not paragraphs and _ISO_DATE_LINE.fullmatch(line) and _is_real_date(line):
            date = line.replace(" ", "T", 1) if len(line) > 10 else line
        else:
            paragraphs.append(escape_paragraph(line))
    if not paragraphs:
        return Problem(f"only a title ('{_short(title)}') and no text", origin, title_line,
                       "an article needs at least one paragraph after its title")
    date = date or settings.date
    if not date:
        return Problem("no date with a year in the file", origin, None,
                       "give one with --date YYYY-MM-DD (the date every file of this import without its own date gets)")
    votes.pop(None, None)
    votes.pop("", None)
    lang = settings.lang or (votes.most_common(1)[0][0] if votes else None) or settings.default_lang
    return ImportedArticle(
        origin=origin,
        identity=hashlib.sha256(data).hexdigest(),
        title=title,
        date=date,
        body="\n\n".join(paragraphs) + "\n",
        lang=lang,
        section=section or settings.section,
        source=source or settings.source,
        captions=tuple(captions),
        read_also=tuple(read_also),
        draft=settings.drafts,
    )


def _is_section(line: str) -> bool:
    return (len(line) <= SECTION_MAX_CHARS and len(line.split()) <= SECTION_MAX_WORDS
            and not line.endswith(_FINAL_PUNCTUATION) and markers.caption(line) is None
            and markers.read_also(line) is None and markers.is_share(line) is None and markers.source_line(line) is None)


def _is_title(line: str) -> bool:
    """A title is short and is not a sentence ending in a full stop ('…' and '...' are fine)."""
    return (len(line) <= TITLE_MAX_CHARS and not (line.endswith(".") and not line.endswith("..."))
            and markers.caption(line) is None and markers.read_also(line) is None)


def _is_real_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
