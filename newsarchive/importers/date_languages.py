"""The languages dateparser reads a page's written dates in: the page's own (and the user's
`--lang`, the archive's language, and English, the language of most CMS date formats), then
the 20 languages most pages are written in (dateparser's own order), for the pages whose
declaration lies: a Spanish page of a template that says `<html lang="en">` ("Viernes, 22 de
Abril de 2022") keeps its date.

dateparser given no language tries each of the ~200 it knows on every string, and a string that
is no date in any of them (most of what `dates.written_in_page` tries) costs all of them: about
16 times the time of a parse in two languages, 4 times that in the 22 or so read here; the first such parse in a process loads every
language's data (seconds). htmldate's extensive search sends text to one dateparser made for
every language; `htmldate_reading` hands it one made for the page's languages for the length of
a call. A page that declares no language is read in all of them, as before: nothing tells which
ones it could be in.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

# htmldate's own settings for its dateparser (htmldate.extractors.get_external_parser), languages aside
HTMLDATE_DATEPARSER_SETTINGS = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"], "PREFER_DATES_FROM": "past",
                                "PREFER_LOCALE_DATE_ORDER": True, "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}

ALWAYS = "en"
COMMON = 20  # the first languages of dateparser's language_order (by how many pages are written in each)


def for_page(declared: str | None, user: str | None, archive: str | None) -> tuple[str, ...] | None:
    """dateparser's language codes for a page that declares `declared` (a BCP 47 tag), or None
    (every language) when neither the page nor the user names one."""
    if not declared and not user:
        return None
    order = _order()
    chosen: list[str] = []
    for tag in (user, declared, archive, ALWAYS):
        for code in _codes(tag or ""):
            if code in order and code not in chosen:
                chosen.append(code)
    return tuple(chosen + [code for code in order[:COMMON] if code not in chosen])


def _codes(tag: str) -> list[str]:
    """"pt-BR" → ["pt-BR", "pt"]; "zh-Hans-CN" → ["zh-Hans-CN", "zh-Hans", "zh"] (dateparser knows some of each)."""
    parts = tag.replace("_", "-").split("-")
    parts[0] = parts[0].lower()
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1) if parts[0]]


@lru_cache(maxsize=1)
def _order() -> tuple[str, ...]:
    from dateparser.data.languages_info import language_order
    return tuple(language_order)


@contextmanager
def htmldate_reading(languages: tuple[str, ...] | None):
    """htmldate reads written dates in `languages` only, inside the `with` (all of them for None).
    Its cache of parsed strings is emptied before and after: a string read in one page's languages
    must not give its date to a page in others (the same page gives the same date whatever came before)."""
    try:
        from htmldate import extractors
        original, cached = extractors.get_external_parser, extractors.try_date_expr.cache_clear
    except (ImportError, AttributeError):  # another htmldate: it reads every language, as before
        original = None
    if not languages or original is None:
        yield
        return
    cached()
    extractors.get_external_parser = lambda: _htmldate_parser(languages)
    try:
        yield
    finally:
        extractors.get_external_parser = original
        cached()


@lru_cache(maxsize=16)
def _htmldate_parser(languages: tuple[str, ...]):
    from dateparser import DateDataParser
    return DateDataParser(languages=list(languages), settings=HTMLDATE_DATEPARSER_SETTINGS)
