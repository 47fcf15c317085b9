"""The date of an imported article: the page's (or the text's) own date in whatever form it is
written, never a placeholder, and a record of where it came from (`date_source`).

Candidates are tried in order (the publisher's JSON-LD, meta tags and microdata, a date ending the title, then htmldate, then
`--date`); each is refused with a reason when it is not a real date (2021-13-45), is before
1800 (0001-01-01 is what CMSs write for "no date"), or is after the capture (the WARC-Date
or the file's time, a day of slack for time zones). The capture date only bounds; it is
never used as the date: an article is not published when it is crawled.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable, Iterable

from . import calendars

MIN_YEAR = 1800
SLACK = timedelta(days=1)  # a page's local date may run up to 14 hours ahead of UTC
WRITTEN_MAX_CHARS = 60  # a longer string is a sentence, not a date
# the offset as CMSs print it too: "+02:00", "+0200", "+02" (ISO 8601), " -0500" (after a space)
_ISO = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})(?P<rest>[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?"
                  r"(?P<offset> ?(?:Z|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?)(?![\d:]))?)?")
_ISO_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?Z?)?")  # "…+0400Z": a stray Z after the offset, as in the extended form
_OFFSET = re.compile(r" ?([+-]\d\d)(?::?(\d\d))?\Z")
_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{2})-?([1-7])")  # ISO 8601's week date, "2021-W19-6" (dateparser: 19 June)
_BAD_OFFSET = re.compile(r"[+-]\d\d(?::?\d\d)?(?![\d:])| [+-]\d\d:\d\d(?![\d:])")  # one _ISO refused (+25:00), not " -2021"
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
# a date that starts a text, whatever follows ("03.01.2012 19:37, ostatnia aktualizacja …", "2012年01月17日 17:39 来源："):
# dotted, it is day first in every language that writes it so (a year first is ISO's or East Asia's order)
_LEADING_DAY = re.compile(r"(?:(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})|(?P<cy>\d{4})\s*[年년]\s*(?P<cm>\d{1,2})\s*[月월]"
                          r"\s*(?P<cd>\d{1,2})\s*[日일])(?!\d)(?:\s*,?\s*(?:г\.|r\.|um|à|o)?\s*(?P<h>\d{1,2})[:h.](?P<mi>[0-5]\d)(?!\d))?")
_NUMERIC_DAY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?!\d)")
_YEAR_MONTH = re.compile(r"(?<!\d)\d{4}-\d{2}(?=-\d)")
EPOCH = date(1970, 1, 1)  # what a CMS writes for a timestamp of 0
_CLOCK = re.compile(r"\d{1,2}[:h.]\d\d")
# a Unix time: seconds (9 or 10 digits, 1973–2286) or milliseconds (12 or 13); 11 digits is neither for certain
_UNIX_TIME = re.compile(r"(?P<seconds>\d{9,10})(?:\.\d+)?|(?P<millis>\d{12,13})")
UNIX_TIME_SOURCE = " (Unix time)"  # what date_source adds: the page gave a number, read as UTC
_ZONE_NAME = re.compile(r" ?([A-Z]{2,5})\s*\Z")  # "2021-05-15 10:30 PST": the zone by its name, after an ISO time

Candidate = tuple[str, "str | None | Callable[[], str | None]"]  # (source, value or a function finding it)


@dataclass(frozen=True, slots=True)
class DateChoice:
    date: str | None  # ISO 8601 as written: YYYY-MM-DD, or with time and offset
    source: str | None  # jsonld, meta, microdata, title, htmldate, text, dateline, --date
    refused: tuple[str, ...] = ()  # one sentence per refused candidate, e.g. "0001-01-01 (jsonld) is before 1800: a placeholder"

    def reasons(self) -> str:
        return "; ".join(self.refused)


def choose(candidates: Iterable[Candidate], captured: str | datetime | None = None,
           languages: tuple[str, ...] | None = None, new_year_written: Callable[[int], bool] | None = None) -> DateChoice:
    """The first candidate that is a real, plausible date; the refused ones say why. `languages`:
    those dateparser reads written dates in (date_languages.for_page; None: all). `new_year_written(year)`:
    whether the page writes 1 January of that year, which htmldate's 1 January then means."""
    upper, today = capture_bound(captured), datetime.now(timezone.utc)
    refused: list[str] = []
    refused_months: set[str] = set()
    ambiguous_days: set[str] = set()  # both readings of "05/06/2021", which htmldate reads again one way
    for source, value in candidates:
        if callable(value):
            value = value()
        if not value or not str(value).strip():
            continue
        iso, reason = normalize(str(value), languages)
        if iso is not None:  # --date is the user's word: bounded by 1800, not by the file's time
            reason = implausible(iso, None if source == "--date" else upper)
        if reason is None and source != "--date" and implausible(iso, today) is not None:  # a capture dated 2099, or none
            reason = f"is after today ({today.date().isoformat()}): not a publication date"
        if reason is None and source == "htmldate" and iso[4:10] == "-01-01" and not (new_year_written and new_year_written(int(iso[:4]))):
            reason = "is 1 January alone: htmldate's guess from a year (a copyright line, a broken date), not a day"
        if reason is None and source == "htmldate" and iso[7:10] == "-01" and iso[:7] in refused_months:
            reason = f"is the 1st of a month whose refused date ({iso[:7]}-…) htmldate cut to the month, not a day"
        if reason is None and source == "htmldate" and iso[:10] in ambiguous_days:
            reason = "is one reading of a date refused as ambiguous: htmldate's guess of which way round"
        if reason is None:
            return DateChoice(iso, source + (UNIX_TIME_SOURCE if _UNIX_TIME.fullmatch(str(value).strip()) else ""), tuple(refused))
        refused.append(f"{_shown(str(value))} ({source}) {reason}")
        refused_months.update(m.group(0) for m in _YEAR_MONTH.finditer(str(value)))
        ambiguous_days.update(_readings(str(value)))
    return DateChoice(None, None, tuple(refused))


def _readings(value: str) -> set[str]:
    """Both days an all-number date may be ("05/06/2021": 5 June or 6 May), as YYYY-MM-DD."""
    days = set()
    for match in _NUMERIC_DAY.finditer(value):
        year = re.search(r"\d{2,4}(?!\d)", value[match.end(2) + 1:match.end()]).group()
        year = year if len(year) == 4 else ("20" if int(year) < 70 else "19") + year
        first, second = int(match.group(1)), int(match.group(2))
        days |= {f"{year}-{month:02d}-{day:02d}" for month, day in ((first, second), (second, first)) if month <= 12 and day <= 31}
    return days


def normalize(value: str, languages: tuple[str, ...] | None = None) -> tuple[str | None, str | None]:
    """(ISO text as written, None) or (None, why not). ISO forms keep their own offset (+0200 →
    +02:00) and no invented time; other written forms ("November 19, 2019, 07:47 PM EST",
    "Tue, 19 Nov 2019 19:47:00 -0500", "15 mai 2021") are read with dateparser."""
    value = calendars.in_common_era(" ".join(value.split()))
    unix = _UNIX_TIME.fullmatch(value)
    if unix:  # "1577836800", "1577836800000": a CMS's timestamp, in UTC
        seconds = int(unix.group("seconds")) if unix.group("seconds") else int(unix.group("millis")) // 1000
        return datetime.fromtimestamp(seconds, timezone.utc).isoformat(), None
    basic = _ISO_BASIC.fullmatch(value)  # "20180619T055000+0900" (Nikkei's JSON-LD): the same date, ISO 8601's basic form
    if basic:
        value = "{}-{}-{}".format(*basic.group(1, 2, 3)) + (
            "T{}:{}:{}".format(basic.group(4), basic.group(5), basic.group(6) or "00") + (basic.group(7) or "") if basic.group(4) else "")
    week = _ISO_WEEK.fullmatch(value)
    if week:
        try:
            return date.fromisocalendar(*map(int, week.groups())).isoformat(), None
        except ValueError:
            return None, "is not a real date"
    match = _ISO.match(value)
    if match and match.group("rest") and not match.group("offset") and _BAD_OFFSET.match(value, match.end()):
        return None, "is not a real time"
    if match:
        try:
            day = date.fromisoformat(match.group("day"))
        except ValueError:
            return None, "is not a real date"
        rest = match.group("rest")
        if not rest:
            return day.isoformat(), None
        zone = _ZONE_NAME.match(value, match.end()) if not match.group("offset") else None
        if zone:  # dateparser knows the names (EST, PST, CEST, UTC…); else the day alone
            moment = _dateparser_read(value, languages)
            if moment is None or moment.tzinfo is None or moment.date() != day:
                return day.isoformat(), None
            return moment.replace(microsecond=0).isoformat(), None
        text = re.sub(r"\.\d+", "", match.group(0)).replace(" ", "T", 1)
        text = _OFFSET.sub(lambda m: f"{m.group(1)}:{m.group(2) or '00'}", text) if not text.endswith("Z") else text.replace(" Z", "Z")
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None, "is not a real time"
        if moment.tzinfo is None and text.endswith("T00:00:00"):  # htmldate's form of a bare day
            return text[:10], None
        return text, None
    if len(value) > WRITTEN_MAX_CHARS or not _YEAR.search(value):
        return None, "is not a date with a year"
    leading = _LEADING_DAY.match(value)
    if leading:
        return _leading_day(leading)
    numbers = _NUMERIC_DAY.search(value)
    if numbers and numbers.group(1) != numbers.group(2) and int(numbers.group(1)) <= 12 and int(numbers.group(2)) <= 12:
        return None, "is ambiguous (day and month could be either way round)"
    moment = _dateparser_read(value, languages)
    if moment is None:
        return None, "is not a full date (day, month and year)"
    if moment.year < MIN_YEAR:  # checked again by implausible(); isoformat of year 1 would read as 0001
        return None, f"is before {MIN_YEAR}: a placeholder, not a publication date"
    if not _CLOCK.search(value):
        return moment.date().isoformat(), None
    return moment.replace(microsecond=0).isoformat(), None


def _leading_day(found: re.Match) -> tuple[str | None, str | None]:
    """The day (and time) a dotted or CJK date starting the text gives, whatever words follow it."""
    year, month, day = (found.group("y", "m", "d") if found.group("y") else found.group("cy", "cm", "cd"))
    try:
        day_iso = date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None, "is not a real date"
    if found.group("h") is None or int(found.group("h")) > 23:
        return day_iso, None
    return f"{day_iso}T{int(found.group('h')):02d}:{found.group('mi')}:00", None


def implausible(iso: str, upper: datetime | None) -> str | None:
    """Why an ISO date cannot be the publication date, or None."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return "is not a real date"
    if moment.year < MIN_YEAR:
        return f"is before {MIN_YEAR}: a placeholder, not a publication date"
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else None  # "1970-01-01T01:00:00+01:00" is timestamp 0 too
    if (moment.date() == EPOCH and moment.hour == moment.minute == 0) or (utc and utc.date() == EPOCH and utc.hour == utc.minute == 0):
        return "is the Unix epoch (timestamp 0): a placeholder, not a publication date"
    if upper is not None:
        latest = upper + SLACK
        if moment.tzinfo is None:
            late = moment.date() > latest.date()
        else:
            late = moment > latest
        if late:
            return f"is after the capture ({upper.date().isoformat()}): not a publication date"
    return None


def capture_bound(captured: str | datetime | None) -> datetime | None:
    """The capture time as an aware UTC datetime (a WARC-Date, or a file's time), or None."""
    if captured is None or captured == "":
        return None
    if isinstance(captured, datetime):
        return captured if captured.tzinfo else captured.replace(tzinfo=timezone.utc)
    try:
        moment = datetime.fromisoformat(captured.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


FILE_TIME_PLACEHOLDER_BEFORE = datetime(1980, 1, 3, tzinfo=timezone.utc)  # the Unix epoch, the DOS/zip one (1980-01-01 local)


def file_time(path: str) -> datetime | None:
    """The file's modification time: when it was saved, after which its page cannot be dated.
    None for a placeholder: archives without times (tar --mtime=@0, zips) leave 1970 or 1980."""
    try:
        moment = datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc)
    except (OSError, OverflowError, ValueError):
        return None
    return None if moment < FILE_TIME_PLACEHOLDER_BEFORE else moment


def htmldate_params(captured, extensive: bool) -> dict:
    """htmldate's settings: the date as written (with its offset), none after the capture."""
    params = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": extensive,
              "min_date": f"{MIN_YEAR}-01-01"}
    upper = min(filter(None, (capture_bound(captured), datetime.now(timezone.utc))))  # a WARC-Date of 2099 is no bound
    params["max_date"] = (upper + SLACK).date().isoformat()
    return params


def htmldate_extensive(tree, captured, languages: tuple[str, ...] | None = None) -> str | None:
    """htmldate's extensive search (dates written in the text, "November 19, 2019, 07:47 PM
    EST"), on a copy: htmldate prunes the tree it is given. `languages`: as in `choose`."""
    import copy
    from htmldate import find_date

    from .date_languages import htmldate_reading
    from .extraction_runs import quiet_dateutil
    try:
        with htmldate_reading(languages), quiet_dateutil():
            return find_date(copy.deepcopy(tree), **htmldate_params(captured, extensive=True))
    except Exception:  # htmldate raises several kinds on odd markup; the page is then undated
        return None


def written_in_page(tree, limit: int = 400, languages: tuple[str, ...] | None = None) -> str | None:
    """The first short text of the page's body that is a full date once the words before its
    first digit are left out ("Опубликовано 12 апреля 2019 г.", "Publié le 3 mars 2020 à 14h05"):
    for the languages htmldate does not read."""
    for index, text in enumerate(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")):
        if index >= limit:
            return None
        text = calendars.in_common_era(" ".join(str(text).split()))
        start = re.search(r"\d", text)
        if start is None or len(text) > WRITTEN_MAX_CHARS or not _YEAR.search(text):
            continue
        iso, _ = normalize(text[start.start():], languages)
        if iso is not None:
            return text[start.start():]
    return None


_JANUARY = (r"(?<!\w)(?:jan(?:uary|vier|uar|eiro|uari|v)?|jänner|enero|ene|gennaio|genn|stycznia|styczeń|ledna|leden|"
            r"января|январь|янв|січня|ιανουαρίου|ocak|tammikuuta)\.?")
_FIRST = r"(?<!\d)0?1(?:st|er|º|\.)?"


def writes_new_year(tree, year: int) -> bool:
    """The page's text writes 1 January of `year` ("Jan 1, 2008", "1er janvier 2008", "01.01.2008",
    "2008年1月1日"): htmldate's 1 January is then the page's day, not its guess from a copyright year."""
    text = " ".join(" ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")).split())
    return re.search(rf"{_FIRST}\s*(?:de\s+)?{_JANUARY},?\s*(?:de\s+)?{year}(?!\d)|{_JANUARY}\s*{_FIRST},?\s*{year}(?!\d)"
                     rf"|(?<!\d){year}\s*[-/.]\s*0?1\s*[-/.]\s*0?1(?!\d)|(?<![\d.])0?1\s*[-/.]\s*0?1\s*[-/.]\s*{year}(?!\d)"
                     rf"|(?<!\d){year}\s*[年년]\s*0?1\s*[月월]\s*0?1\s*[日일]", text, re.I) is not None


# "… | DW | 28.04.2023", "… - 2021-05-15": the day the page's own title gives, day first when dotted
_TITLE_DATE = re.compile(r"\s[|–—·•-]\s+(?:(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d))\s*\Z")


def title_date(*titles: str | None) -> str | None:
    """The date written after the last separator of the page's title or og:title, as YYYY-MM-DD: a
    site that dates its page there (DW) means that page; htmldate may take a teaser's date instead."""
    for title in titles:
        match = _TITLE_DATE.search(" ".join((title or "").split()))
        if match:
            year, month, day = (match.group("y", "m", "d") if match.group("y") else match.group("iy", "im", "id"))
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return None


def is_date_line(line: str) -> bool:
    """A line of scraped text that holds only a date with a year: `2021-05-15`, `15 mai 2021`,
    `May 15, 2021 10:30`, `Saturday 15 May 2021` (but not a sentence that mentions one)."""
    line = calendars.in_common_era(line.strip())
    if _ISO.fullmatch(line):
        return True
    if len(line) > WRITTEN_MAX_CHARS or not _YEAR.search(line) or line.endswith((".", "!", "?")):
        return False
    letters = [w for w in re.findall(r"[^\W\d_]+", line)]
    if len(letters) > 4:  # weekday, month, "at", a zone: a date line has few words
        return False
    return _dateparser_read(line) is not None


def weekday_check(text: str, lang: str, given: str) -> tuple[str | None, str | None]:
    """The first "weekday day month" the text names ("samedi 15 mai", "Saturday, May 15"), set in
    the year of `given` (`--date`, YYYY or YYYY-MM-DD): (that date, None) when it agrees, else
    (None or that date, a warning saying how `given` contradicts the text)."""
    mention = _first_weekday_mention(text, lang)
    if mention is None:
        return None, None
    shown, weekday, day, month = mention
    year = int(given[:4])
    try:
        named = date(year, month, day)
    except ValueError:
        return None, f"the text says {shown!r}, which is no day of {year}: is the year of --date right?"
    if named.weekday() != weekday:
        return None, (f"the text says {shown!r}, but {named.isoformat()} is a {_english_weekday(named)}: "
                      f"is the year of --date ({year}) right?")
    if len(given) == 10 and given != named.isoformat():
        given_day = date.fromisoformat(given)
        return named.isoformat(), (f"--date {given} (a {_english_weekday(given_day)}) contradicts the text, which says "
                                   f"{shown!r} ({_english_weekday(named)} {named.isoformat()})")
    return named.isoformat(), None


def _first_weekday_mention(text: str, lang: str) -> tuple[str, int, int, int] | None:
    pattern, weekdays, months = _weekday_pattern(lang.split("-")[0].split("_")[0].lower())
    if pattern is None:
        return None
    match = pattern.search(text)
    if match is None:
        return None
    month_name = (match.group("m1") or match.group("m2")).casefold()
    day = int(match.group("d1") or match.group("d2"))
    return " ".join(match.group(0).split()), weekdays[match.group("w").casefold()], day, months[month_name]


@lru_cache(maxsize=32)
def _weekday_pattern(lang: str):
    """Weekday and month names of the language (and English), from Babel's CLDR data."""
    from babel import Locale, UnknownLocaleError
    weekdays: dict[str, int] = {}
    months: dict[str, int] = {}
    for code in dict.fromkeys((lang, "en")):
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.days[context][width].items():
                    weekdays[name.casefold().rstrip(".")] = number
                for number, name in locale.months[context][width].items():
                    months[name.casefold().rstrip(".")] = number
    if not weekdays:
        return None, {}, {}
    w = "|".join(sorted(map(re.escape, weekdays), key=len, reverse=True))
    m = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?P<w>{w})\.?,?\s+(?:(?:the\s+)?(?P<d1>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:de\s+|of\s+)?(?P<m1>{m})"
                         rf"|(?P<m2>{m})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)(?!\w)(?!,?\s+\d{{4}})", re.IGNORECASE)
    return pattern, weekdays, months


def _english_weekday(day: date) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[day.weekday()]


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser
    return dateparser


def _dateparser_read(value: str, languages: tuple[str, ...] | None = None) -> datetime | None:
    """dateparser with a full date required (day, month and year): "May 2019" alone is no date."""
    try:
        return _dateparser().parse(value, languages=list(languages) if languages else None,
                                   settings={"STRICT_PARSING": True, "PREFER_DATES_FROM": "past"})
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return repr(value if len(value) <= 40 else value[:37] + "…")
