"""The people of a byline, without what real pages write around them.

Found importing public benchmark pages (ScrapingHub's, trafilatura's, Readability's): a byline
"STEVE PEOPLES, AP National Political Writer" split at its comma gave the job title as a second
author; "Brenda Goodman, MA" a degree; "Victor Tangermann, Futurism" the site; "Analysis by
Chris Cillizza", "View all posts by Daniel Lemire" the words before the name; "Joe Wee Monday,
February 4" the date; "admin" and "Username" the CMS's account; "lefigaro.fr" the site's host, "View
Profile" a card's label, "Design: Maxim Tkachuk" the site's credits (found sweeping the pool of 7,972 pages). Each becomes an author page,
so they are taken out here; a name alone is never dropped for what it is not known to be.
"""
from __future__ import annotations

import re

from ..slugs import slugify_text

_ROLE = re.compile(r"\b(?:writer|editor|editor-at-large|correspondent|reporter|staff|bureau|contributor|columnist|"
                   r"analyst|producer|photographer|business|news|international|associated press|gmbh|inc|ltd|llc|"
                   r"professor|profesor|profesorius|professeur|professore|universit\w*)\b", re.I)  # "…universiteto … profesorius"
_CREDENTIAL = re.compile(r"[A-Z]{2,4}|Ph\.?\s?D\.?|M\.?D\.?|Jr\.?|Sr\.?")
_DATE_WORD = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july|"
                        r"august|september|october|november|december", re.I)
_TRAILING_WEEKDAY = re.compile(r"\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\Z", re.I)
_WORDS_THEN_BY = re.compile(r"\A(?:[^\W\d_]+\s+){1,4}by\s+(?=\S)", re.I)  # "Analysis by …", "View all posts by …"
_CAPS_NAME_THEN_AGENCY = re.compile(r"\A((?:[A-Z][A-Z'’.-]+\s+)+[A-Z][A-Z'’.-]+)\s+[A-Z][a-z]")  # "ERIC TUCKER Associated Press"
_CREDIT_WORD = re.compile(r"\A(?:text|texte|texto|testo|текст|autor|autorin|author|auteur|autore)\s*:?\s+(?=\S)", re.I)  # "Текст Венера Ерофеева", "Autor Monika Bolliger"
_COMPANY = re.compile(r"\b(?:gmbh|inc|ltd|llc)\b\.?", re.I)  # "Süddeutsche.de GmbH, Munich, Germany": an address
_ACCOUNTS = frozenset({"admin", "administrator", "username", "user", "webmaster", "root", "jdadmin",
                       "name", "your name", "full name", "view profile", "profile"})  # a form's or a card's label
_HOST_NAME = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,6}|[A-Z]{2,6})")  # "lefigaro.fr", "BIOLOG.PL"; not "O.Henry"


def is_credential(word: str) -> bool:
    """'MA', 'PhD', 'Jr.': what follows a name's comma without being a given name."""
    return bool(_CREDENTIAL.fullmatch(word.strip()))


def cleaned(names: list[str], source: str | None) -> list[str]:
    """`names` as split from the page's byline (the first is the byline's own start), each trimmed of
    "… by" and a trailing weekday; roles, degrees, dates, the site's own name and CMS accounts left out."""
    site = slugify_text(source or "", "auto")
    kept: list[str] = []
    for index, name in enumerate(names):
        name = _TRAILING_WEEKDAY.sub("", _WORDS_THEN_BY.sub("", _CREDIT_WORD.sub("", name.strip()))).strip()
        caps = _CAPS_NAME_THEN_AGENCY.match(name)
        if caps and len(names) > 1:
            name = caps.group(1)
        if re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+/\S*|\S+@[\w-]+(?:\.[\w-]+)+", name) or _HOST_NAME.fullmatch(name):
            continue  # a profile's address, an e-mail address, the site's host name ("CBSNews.com" in meta author)
        if ":" in name:  # the site's credits ("Web architecture: Volkova Dasha", "Design: …"): a role, not a byline
            continue
        if not name or name.casefold() in _ACCOUNTS or any(ch.isdigit() for ch in name) or _DATE_WORD.fullmatch(name):
            continue
        if index > 0 and (_ROLE.search(name) or _CREDENTIAL.fullmatch(name)):
            continue
        kept.append(name)
        if index == 0 and _COMPANY.search(name):
            break
    if len(kept) > 1 and site:
        kept = [n for n in kept if slugify_text(n, "auto") != site] or kept
    return kept
