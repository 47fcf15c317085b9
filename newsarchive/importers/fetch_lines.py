"""Lines of a page that change at every fetch of an unchanged article: "Updated 5 minutes ago",
"il y a 2 heures", "12 comments", "3 min read". Extraction keeps them when the site writes them
as a paragraph of the article, so two captures of one text would differ by them alone; captures
are compared without them (captures.text_key), while the text kept is the text as captured.

A line is one only when all of it is so: at most 8 words, made of parts (split at "·", "|",
"•", "—") each a relative time (dateparser's relative-time parser, in the article's language
and English: "vor 2 Stunden", "hace 3 horas", "منذ 5 دقائق"), after at most two label words
("Updated", "Last updated:"), or a count of comments, views, shares or reading minutes.
"""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

MAX_WORDS = 8
_PARTS = re.compile(r"\s+[·•|—–]\s+|\s*\|\s*")
_COUNT = re.compile(r"\d[\d.,\u00a0 ]*[kKmM]?\s+(?:comments?|views?|shares?|reads?|likes?|replies|reactions?|"
                    r"min(?:ute)?s?\s+read|commentaires?|kommentare?|comentarios?|commenti|reacties)\.?", re.I)
_MARKUP = re.compile(r"[*_`#>]+|\[|\]\([^)]*\)")
_SETTINGS = {"PARSERS": ["relative-time"], "RELATIVE_BASE": datetime(2000, 1, 1)}  # any base: only "is it one" is asked


@lru_cache(maxsize=4096)
def is_fetch_line(block: str, lang: str = "") -> bool:
    """True for a paragraph that is only a relative time or a counter (see the module's text),
    read in the article's language `lang` and in English (guessing among all languages costs
    ~100 ms a line, one language ~1 ms)."""
    text = " ".join(_MARKUP.sub(" ", block).split())
    if not text or len(text.split()) > MAX_WORDS or not re.search(r"\w", text):
        return False
    parts = [part.strip(" :,.") for part in _PARTS.split(text)]
    return all(part and (_COUNT.fullmatch(part) or _relative_time(part, _languages(lang))) for part in parts)


def _languages(lang: str) -> tuple[str, ...]:
    primary = lang.replace("_", "-").split("-")[0].strip().lower()
    return (primary, "en") if primary and primary != "en" else ("en",)


def _relative_time(part: str, languages: tuple[str, ...]) -> bool:
    try:
        import dateparser
    except ImportError:  # importing pages needs trafilatura's extras, which bring it
        return False
    words = part.split()
    for label in range(min(3, len(words))):
        rest = " ".join(words[label:]).strip(" :,")
        if not rest:
            continue
        try:
            found = dateparser.parse(rest, settings=_SETTINGS, languages=list(languages))
        except ValueError:  # a language dateparser does not know: English alone
            found = dateparser.parse(rest, settings=_SETTINGS, languages=["en"]) if languages != ("en",) else None
        except Exception:  # dateparser raises on some inputs it half reads
            continue
        if found is not None:
            return True
    return False
