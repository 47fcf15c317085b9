"""A date a reader sees at the top of the story and nowhere in its metadata: the line under the
headline ("Published on 3 March 2020", "Von Anna Roe | 03. März 2020, 14:05", "Posted: March 3rd,
2020") or a dateline opening the text ("WASHINGTON, March 3, 2020 — The Senate…").

Only the short texts between the headline and the story's first long paragraph, and that paragraph's
first words, are read: a date in the middle of the story is what it tells of, not when it was written.
Read with dateparser in the page's languages (date_languages.py) through dates.normalize.
"""
from __future__ import annotations

import re

from . import calendars, dates

_SKIPPED = "ancestor::script or ancestor::style or ancestor::nav or ancestor::footer or ancestor::noscript or ancestor::aside"
_STORY_START = 160  # a text this long is the story's first paragraph
_DATELINE = 90  # the first characters of that paragraph a dateline is in
_PIECES = 40  # short texts read after the headline at most
_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
_CLOCK_AFTER = re.compile(r"(?:,?\s*(?:at|à|um|alle|a las|в|om)?\s*\d{1,2}[:h.]\d\d(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5}\b)?)?")
_WORD_START = re.compile(r"(?<!\w)\w")
_LABEL_CHARS = 32  # what a date line holds beside the date: "Published on Tuesday,", "By Jane Roe |"
_LINE_END = re.compile(r"[\s.]*\Z|\s*[|·•,;(–—-]")
_DATELINE_END = re.compile(r"\s*(?:[—–:]|-\s|\(|/)")


def top_of_story_date(tree, languages: tuple[str, ...] | None = None) -> str | None:
    """The first full date (day, month and year) written under the page's headline or opening its text."""
    for text, story_start in _top_texts(tree):
        text = calendars.in_common_era(text)  # as _date_in read it: the date is found in that text
        found = _date_in(text, languages)
        if not found or found not in text:
            continue
        if story_start:  # the story's first words:
            after = text[text.index(found) + len(found):]  # a dateline ends at a dash or a colon ("…, 2020 — The")
            if text.index(found) <= _DATELINE // 2 and _DATELINE_END.match(after):
                return found
        elif len(text) - len(found) <= _LABEL_CHARS and _LINE_END.match(text[text.index(found) + len(found):]):
            return found  # "Published on …", "By Jane Roe | …": a line that is the date, not "I was born … at"
    return None


def _top_texts(tree) -> list[tuple[str, bool]]:
    """The texts from the headline (the first `<h1>`, else the article's or the body's start) to the
    story's first long paragraph, whose first words end the list; neighbours joined too, for a date
    split into elements ("<span>3</span> <span>March 2020</span>"); each with whether it opens the story."""
    start = next(iter(tree.xpath("//body//h1")), None)
    if start is None:
        start = next(iter(tree.xpath("//article | //main | //body")), None)
    if start is None:
        return []
    nodes = start.xpath(f".//text()[not({_SKIPPED})] | following::text()[not({_SKIPPED})]")
    pieces: list[str] = []
    story = None
    for node in nodes:
        text = " ".join(str(node).split())
        if not text:
            continue
        if len(text) >= _STORY_START:
            story = text[:_DATELINE]
            break
        pieces.append(text)
        if len(pieces) >= _PIECES:
            break
    joined = [f"{a} {b}" for a, b in zip(pieces, pieces[1:]) if not _YEAR.search(a) and _YEAR.search(b)]
    return [(t, False) for t in (*pieces, *joined)] + ([(story, True)] if story else [])


def _date_in(text: str, languages: tuple[str, ...] | None) -> str | None:
    """The longest written date ending at a year of `text` (with a time after it), read whole."""
    text = calendars.in_common_era(text)
    for year in _YEAR.finditer(text):
        end = _CLOCK_AFTER.match(text, year.end()).end()
        window_start = max(0, year.start() - 32)
        for word in _WORD_START.finditer(text, window_start, year.start() + 1):
            candidate = text[word.start():end].strip(" ,.;:|-–—(")
            if re.search(r"[|()]", candidate):  # "No 8|May|2002", "30(3), March 2005": an issue's number, not a day
                continue
            iso, _ = dates.normalize(candidate, languages)
            if iso is not None:
                return candidate
    return None
