"""A page whose own dates name different years: JSON-LD `datePublished` 2019, `article:published_time`
2021. One is taken (dates.choose's order); the warning names both, so the user can check which the
page means, and says why that one."""
from __future__ import annotations

from . import dates

_WHY = {
    "jsonld": "the Article's own JSON-LD datePublished comes first (article:published_time is often the last republication)",
    "meta": "article:published_time comes before the page's other dates",
    "microdata": "the page's itemprop=datePublished comes before the dates read from its title and text",
    "title": "the date ending the page's title comes before the dates read from its text",
}
_NAMES = {"jsonld": "JSON-LD datePublished", "meta": "article:published_time", "microdata": "itemprop=datePublished",
          "title": "the title's date", "htmldate": "the date htmldate reads on the page", "text": "the date written in the text"}


def year_disagreement(choice: dates.DateChoice, candidates: list[tuple[str, str | None]],
                      languages: tuple[str, ...] | None = None, captured=None) -> str | None:
    """The warning when another of the page's dates (`candidates`: source and value) names a year other
    than the taken date's, or None. A value that is no date, or a placeholder (0001-01-01, after the
    capture), was refused already and is not compared."""
    if not choice.date or not choice.source:
        return None
    taken = choice.source.split(" ")[0]
    for source, value in candidates:
        if not value or source == taken:
            continue
        iso, _ = dates.normalize(str(value), languages)
        if iso and iso[:4] != choice.date[:4] and dates.implausible(iso, dates.capture_bound(captured)) is None:
            why = _WHY.get(taken, "the page's other dates were refused")
            return (f"the page's dates disagree on the year: {_NAMES.get(taken, taken)} says {choice.date}, "
                    f"{_NAMES.get(source, source)} says {str(value).strip()}; took {choice.date}: {why}")
    return None
