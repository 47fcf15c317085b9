"""What every importer returns: plain data that the writer turns into front-matter files.

An input gives one `ImportedArticle`, a `Skipped` (counted, not an error: a crawl's
404s, redirects, index pages…) or a `Problem` naming the file (an error unless the
user passes --keep-going).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Caption:
    text: str
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class ReadAlso:
    """A "read also" entry as the input gave it; the writer links it to an article when a title matches."""
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class LeadImage:
    url: str  # as the page names it (absolute)
    alt: str | None = None
    caption: Caption | None = None


@dataclass(frozen=True, slots=True)
class EarlierVersion:
    """An earlier text of a page captured several times (captures.py), written under `versions:`."""
    captured: str  # UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    title: str
    body: str  # Markdown


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    origin: str  # the input as the user knows it: a file, or "crawl.warc.gz: URL"
    identity: str  # sha256 of the input's bytes (a WARC record's payload): same input, same article
    title: str
    date: str  # ISO 8601 as found: YYYY-MM-DD or with time and offset
    body: str  # Markdown
    lang: str
    section: str | None = None
    source: str | None = None
    source_url: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    captions: tuple[Caption, ...] = ()
    read_also: tuple[ReadAlso, ...] = ()
    lead_image: LeadImage | None = None
    draft: bool = False
    captured: str = ""  # WARC-Date of the capture: the newest capture of a URL wins
    captured_url: str = ""  # the crawled URL: one article per URL across every WARC of the import
    date_source: str = ""  # where the date came from: jsonld, meta, htmldate, text, dateline, --date ("meta (Unix time)")
    warnings: tuple[str, ...] = ()  # said about this input (a refused date or term), the article still imported
    aliases: tuple[str, ...] = ()  # its old paths on this site, kept with --keep-paths (kept_paths.py)
    translations: tuple[str, ...] = ()  # its other languages' addresses, as its head declares them (translation_keys.py)
    provenance: tuple[tuple[str, str], ...] = ()  # (key, value) written under `provenance:` (importers/provenance.py)
    versions: tuple[EarlierVersion, ...] = ()  # earlier texts of the same URL, oldest first (captures.py)


@dataclass(frozen=True, slots=True)
class Skipped:
    origin: str
    reason: str  # a short plural-free label counted in the summary: "not found (404)", "redirect"…


@dataclass(frozen=True)
class ImportSettings:
    """The command line's choices; `lang` overrides what inputs say, the others only fill gaps."""
    default_lang: str
    date: str | None = None
    lang: str | None = None
    source: str | None = None
    section: str | None = None
    drafts: bool = False
    slug_style: str = "auto"  # terms are de-duplicated by the slug the site gives them


def title_key(title: str) -> str:
    """Titles compare after NFKC, case folding and collapsing every kind of space (scrapes mix
    no-break and plain spaces before ! ? :)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()
