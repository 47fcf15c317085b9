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

import codecs
import hashlib
import re
from collections import Counter

from ..errors import Problem
from ..usertext import visible
from . import dates, markers
from .decode import decode_page
from .markdown_text import escape_paragraph
from .model import Caption, ImportedArticle, ImportSettings, ReadAlso

SECTION_MAX_CHARS = 40
SECTION_MAX_WORDS = 4
TITLE_MAX_CHARS = 200
_FINAL_PUNCTUATION = tuple(".!?:;,…")


def _utf16_by_bom(data: bytes) -> str | None:
    """A text saved as UTF-16 with its byte-order mark (Windows Notepad's "Unicode") is unambiguous."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec)
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_text(data: bytes, origin: str, settings: ImportSettings, captured=None) -> ImportedArticle | Problem:
    """`captured`: the file's time, after which no date in it can be."""
    try:
        text = _utf16_by_bom(data) or data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = decode_page(data).encoding  # the hint names what the bytes look like, not always latin1
        guess = "latin1" if guess in ("utf-8", "cp1252") else guess.upper()
        return Problem(f"not valid UTF-8: byte 0x{data[exc.start]:02X} at line {line}", origin, line,
                       f"re-save the file as UTF-8 (e.g. `iconv -f {guess} -t utf-8 FILE`)")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)  # a NUL or a DOS end-of-file mark: every build would warn about it
    # a line of zero-width spaces shows nothing: blank (as a title, the build refused it as empty)
    lines = [(number, line.strip()) for number, line in enumerate(text.split("\n"), 1) if line.strip() and visible(line)]
    if not lines:
        return Problem("the file is empty", origin, None, "an article needs at least a title line and a paragraph of text")

    leading_date = None  # a scraper's "2021-05-15" / "Saturday 15 May 2021" above the title: the date, not a section
    if len(lines) >= 3 and dates.is_date_line(lines[0][1]) and not dates.is_date_line(lines[1][1]):
        leading_date = lines[0][1]
        lines = lines[1:]
    section = None
    if len(lines) >= 2 and _is_section(lines[0][1]) and _is_title(lines[1][1]) and not dates.is_date_line(lines[1][1]):
        section = lines[0][1]
        lines = lines[1:]
    title_line, title = lines[0]
    rest = lines[1:]

    captions: list[Caption] = []
    while rest and (found := _caption(rest)):
        captions.append(found)
        rest = rest[1:]

    date_line = leading_date
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
        elif date_line is None and not paragraphs and dates.is_date_line(line):
            date_line = line
        else:
            paragraphs.append(escape_paragraph(line))
    if not paragraphs:
        return Problem(f"only a title ('{_short(title)}') and no text", origin, title_line,
                       "an article needs at least one paragraph after its title")
    votes.pop(None, None)
    votes.pop("", None)
    lang = settings.lang or (votes.most_common(1)[0][0] if votes else None) or settings.default_lang
    dated = _date(date_line, paragraphs, lang, settings, captured)
    if isinstance(dated, Problem):
        return Problem(dated.message, origin, None, dated.hint)
    date, date_source, warnings = dated
    if date_line is not None and warnings:  # a refused date line stays as the text it is
        paragraphs.insert(0, escape_paragraph(date_line))
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
        date_source=date_source,
        warnings=warnings,
    )


def _date(date_line: str | None, paragraphs: list[str], lang: str, settings: ImportSettings, captured):
    """(date, date_source, warnings) or a Problem: the text's own date line, else `--date`; a
    "samedi 15 mai" in the text dates it when --date gives only the year, and is checked against
    a full --date (a wrong weekday is a warning)."""
    text = "\n".join(paragraphs[:6])
    given = settings.date
    choice = dates.choose([("text", date_line)], captured)
    warnings = tuple(f"date refused: {reason}" for reason in choice.refused)
    if choice.date:
        return choice.date, "text", warnings
    if given and len(given) == 4:
        named, warning = dates.weekday_check(text, lang, given)
        if named:
            return named, "text", warnings
        return Problem(f"no date in the file, and --date {given} gives only the year"
                       + (f" ({warning})" if warning else " (no 'weekday day month' in the text)"), None, None,
                       "give the whole date with --date YYYY-MM-DD")
    if given:
        _, warning = dates.weekday_check(text, lang, given)
        return given, "--date", warnings + ((warning,) if warning else ())
    refused = f" ({choice.reasons()})" if choice.refused else ""
    return Problem(f"no date with a year in the file{refused}", None, None,
                   "give one with --date YYYY-MM-DD (the date every file of this import without its own date gets)")


def _caption(rest: list[tuple[int, str]]) -> Caption | None:
    """The first line as a caption, when its credit is one: a picture word or © always; a bare
    '(AFP)' only when a longer line follows (a lead ending in its agency's name is the text's
    longest line so far, a caption describes a picture in fewer words than the lead)."""
    line = rest[0][1]
    found = markers.caption(line)
    if found is None or not markers.credit_named(line) or len(rest) < 2:
        return None
    if markers.bare_credit(line) and len(rest[1][1]) <= len(found.text):
        return None
    return found


def _is_section(line: str) -> bool:
    return (len(line) <= SECTION_MAX_CHARS and len(line.split()) <= SECTION_MAX_WORDS
            and not line.endswith(_FINAL_PUNCTUATION) and markers.caption(line) is None
            and markers.read_also(line) is None and markers.is_share(line) is None and markers.source_line(line) is None)


def _is_title(line: str) -> bool:
    """A title is short and is not a sentence ending in a full stop ('…' and '...' are fine)."""
    return (len(line) <= TITLE_MAX_CHARS and not (line.endswith(".") and not line.endswith("..."))
            and markers.caption(line) is None and markers.read_also(line) is None)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
