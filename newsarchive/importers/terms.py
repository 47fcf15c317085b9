"""Tags, section, authors and source of an imported article as the site can use them: keyword lists split,
duplicates (by the slug the site compares tags with) dropped, and over-long terms refused with
a warning naming the page: a 300-character "tag" is a sentence a CMS put in the wrong field,
and its folder name would break the build ("File name too long").
"""
from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from ..slugs import slugify_text
from . import bylines
from .model import ImportedArticle

TERM_MAX_CHARS = 80
TERMS_MAX = 50  # tags (or authors) of one page: 5,000 keywords made a build write 10,015 pages for one article
# commas and semicolons of every script: "港口、罢工，工会", "غزة، حماس؛ إيران"
_LIST_SEPARATORS = re.compile(r"\s*[,;|\u3001\uff0c\uff1b\u060c\u061b]\s*")
# a CMS's own flags among the keywords: "autoplay_video", "channel_other", "section: Article", "type: News"
_CMS_FLAG = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+|(?i:section|type|channel|template|layout|format)\s*:.*"
                       r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # and a UUID
_CMS_FIELD = re.compile(r"[^\W\d_][\w ]{0,30}:\s+\S.*")  # "Day: Friday", "WC: 1000-1999", "NLP Category: Politics"
_CMS_CODE = re.compile(r"[A-Z0-9]+(?:[:_-][A-Z0-9]+)*")  # no lower case, no space
_BYLINE = re.compile(r"^(?:by|par|por|von|door|от|بقلم)\s*:?\s+", re.IGNORECASE)
_AUTHOR_JOINS = re.compile(r"\s*(?:;|\||,|&|\band\b|\bet\b|\by\b|\bund\b|\bog\b|\boch\b|و)\s+|,(?=[^\W\d_])", re.IGNORECASE)  # "Maya Gebeily,Anthony Deutsch"
_AUTHOR_FOLDERS = {"author", "authors", "autor", "autores", "auteur", "auteurs", "autore", "people", "staff", "profile",
                   "profiles", "by", "writer", "writers", "journalist", "journalists", "contributor", "contributors", "team"}
# "Doe, Jane" / "van Dijk, Anna M.": one surname, a comma, one given name (and an initial); not
# "Jane Doe, John Roe" (two people), "Goodman, MA" (a degree) or "Ana, By Pedro"
_NAME_WORD = r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*"
_LAST_COMMA_FIRST = re.compile(rf"(?P<last>(?:(?:de|da|van|von|der|del|la|le)\s+)*{_NAME_WORD}),\s*"
                               rf"(?P<first>[^\W\d_][^\W\d_A-Z]+(?:-[^\W\d_][^\W\d_A-Z]+)?(?:\s+[^\W\d_]\.)?)")
_NAME_SLUG = re.compile(r"[^\W\d_]+(?:[-_.][^\W\d_]+)+|[^\W\d_]{2,}")


# markup a CMS left, escaped, in a term ("&lt;b&gt;Politics&lt;/b&gt;"): a script's or style's words go with it
_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)|</?[A-Za-z][^<>]*>", re.I | re.S)


def without_markup(term: str | None) -> str | None:
    """The term's words without HTML tags (None when nothing else is left): a section named
    "<svg onload=…>" is a page's markup, not a section."""
    if term is None or "<" not in term:
        return term
    return " ".join(_MARKUP.sub(" ", term).split()) or None


def tidy(article: ImportedArticle, slug_style: str = "auto") -> ImportedArticle:
    """The article with its terms split, de-duplicated and bounded; what was dropped is in `warnings`."""
    warnings: list[str] = []
    article = _unmarked(article)
    title_slug = slugify_text(article.title, slug_style)  # a CMS that gives the headline as its keyword
    tags = tuple(t for t in _unique(_bounded(split_list(article.tags), "tag", warnings), slug_style)
                 if slugify_text(t, slug_style) != title_slug and not _CMS_FLAG.fullmatch(t))
    codes = [t for t in tags if _CMS_CODE.fullmatch(t)]
    fields = [t for t in tags if _CMS_FIELD.fullmatch(t)]
    if len(fields) >= 3:  # one "Brexit: the deal" is a tag; three "Key: value" tags are a CMS's fields
        warnings.append(f"tags dropped: {len(fields)} fields of the publisher's system ({', '.join(fields[:3])}, …)")
        tags = tuple(t for t in tags if t not in fields)
    if len(codes) >= 8 and 2 * len(codes) > len(tags):  # Reuters' "MTVID", "CYCS08", "RSBI:HUMAN-RIGHTS", … : a CMS's codes
        warnings.append(f"tags dropped: {len(codes)} codes of the publisher's system ({', '.join(codes[:3])}, …)")
        tags = tuple(t for t in tags if t not in codes)
    tags = _at_most(tags, "tags", warnings)
    section = article.section
    if section is not None:
        section = " ".join(section.split()) or None
        listed = split_list([section]) if section else []
        if len(listed) > 1 and len(listed[0]) <= TERM_MAX_CHARS and _is_list(section, listed, slug_style):
            warnings.append(f"section was a list of {len(listed)}; the first, {listed[0]!r}, was kept")
            section = listed[0]
        elif section and len(section) > TERM_MAX_CHARS:
            warnings.append(_too_long("section", section))
            section = None
    authors = _at_most(_unique(_bounded(bylines.cleaned(split_authors(article.authors), article.source), "author", warnings), slug_style),
                       "authors", warnings)
    source = article.source
    if source is not None and len(source) > TERM_MAX_CHARS:  # the site's name is a term too (/sources/…/)
        warnings.append(_too_long("source", source))
        source = None
    if (tags, section, authors, source) == (article.tags, article.section, article.authors, article.source) and not warnings:
        return article
    return replace(article, tags=tags, section=section, authors=authors, source=source, warnings=article.warnings + tuple(warnings))


def _unmarked(article: ImportedArticle) -> ImportedArticle:
    terms = (tuple(t for t in map(without_markup, article.tags) if t), without_markup(article.section),
             tuple(a for a in map(without_markup, article.authors) if a), without_markup(article.source))
    if terms == (article.tags, article.section, article.authors, article.source):
        return article
    return replace(article, tags=terms[0], section=terms[1], authors=terms[2], source=terms[3])


def _is_list(section: str, parts: list[str], slug_style: str) -> bool:
    """A section is one name: "general-news,trials,…", "Smart News, Smart News Science" (a
    breadcrumb) and "A; B" are lists; "Arts, Culture" may be one name and is kept."""
    keys = [slugify_text(p, slug_style) for p in parts]
    nested = any(a != b and a and a in b for a in keys for b in keys) or len(set(keys)) < len(keys)
    return (len(section) > TERM_MAX_CHARS or len(parts) > 2 or nested or bool(re.search(r"[;|]|,\S", section)))


def split_list(values) -> list[str]:
    """Keyword lists joined with commas, semicolons or pipes become one term each."""
    terms: list[str] = []
    for value in values:
        for part in _LIST_SEPARATORS.split(str(value)):
            part = " ".join(part.split())
            if part:
                terms.append(part)
    return terms


def split_authors(values) -> list[str]:
    """"By Jane Doe and John Roe" → Jane Doe, John Roe; an author page URL → the name its path
    spells (…/author/jane-doe/ → Jane Doe), or nothing when it spells none."""
    names: list[str] = []
    for value in values:
        value = " ".join(str(value).split())
        value = re.sub(r"\s+https?://\S+$", "", value)  # "The Washington Times https://www.washingtontimes.com"
        if re.match(r"(?i)https?://", value):
            name = _name_from_url(value)
            if name:
                names.append(name)
            continue
        inverted = _LAST_COMMA_FIRST.fullmatch(_BYLINE.sub("", value))
        first = inverted.group("first") if inverted else ""
        if first[:1].isupper() and not bylines.is_credential(first):  # "Doe, Jane": one person
            names.append(f"{inverted.group('first')} {inverted.group('last')}")
            continue
        parts = (_BYLINE.sub("", n.strip(" .,;")) for n in _AUTHOR_JOINS.split(_BYLINE.sub("", value)))
        names += [n for n in parts if n]  # "Ana, By Pedro": each name loses its own "By"
    return names


def _name_from_url(url: str) -> str | None:
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    if len(segments) < 2 or segments[-2].lower() not in _AUTHOR_FOLDERS:
        return None  # a profile.php?id=… or a home page spells no name
    last = re.sub(r"\.\w{2,5}$", "", segments[-1])
    if not _NAME_SLUG.fullmatch(last):
        return None
    return " ".join(part[:1].upper() + part[1:] for part in re.split(r"[-_.]", last) if part)


def _bounded(terms: list[str], kind: str, warnings: list[str]) -> list[str]:
    kept = []
    for term in terms:
        if len(term) > TERM_MAX_CHARS:
            warnings.append(_too_long(kind, term))
        else:
            kept.append(term)
    return kept


def _unique(terms: list[str], slug_style: str) -> tuple[str, ...]:
    seen: set[str] = set()
    kept = []
    for term in terms:
        key = slugify_text(term, slug_style)
        if key and key not in seen:
            seen.add(key)
            kept.append(term)
    return tuple(kept)


def _at_most(terms: tuple[str, ...], kinds: str, warnings: list[str]) -> tuple[str, ...]:
    if len(terms) > TERMS_MAX:
        warnings.append(f"{kinds} dropped: {len(terms) - TERMS_MAX} past the first {TERMS_MAX} ({terms[TERMS_MAX]!r}, …)")
    return terms[:TERMS_MAX]


def _too_long(kind: str, term: str) -> str:
    return f"{kind} dropped: {len(term)} characters (at most {TERM_MAX_CHARS}): {term[:40]!r}…"
