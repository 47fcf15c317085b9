"""The cache's form of an Article: its fields in order, as compact JSON (the cache key names
the format), and datetimes that keep their zone, so a cached article renders exactly like a
freshly parsed one."""
from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from .content import Article
from .corrections import Correction
from .frontmatter import Related
from .versions import Version

CACHE_FORMAT = 12  # the layout of article_to_json and the parse rules (4: bounded NFC slugs, dates in range; 5: aliases; 6: corrections; 7: status, reason; 8: translations; 9: provenance, captions; 10: versions; 11: embargo; 12: a same-day correction's last change no earlier than the article); part of the cache key
_FIELDS = tuple(f.name for f in fields(Article))
_DATES = tuple(_FIELDS.index(name) for name in ("date", "updated", "captured", "embargo"))
_VERSIONS = _FIELDS.index("versions")
_TUPLES = tuple(_FIELDS.index(name) for name in ("tags", "authors", "local_links", "local_link_lines", "aliases", "alias_lines", "captions"))
_RELATED = _FIELDS.index("related")
_CORRECTIONS = _FIELDS.index("corrections")
SUMMARY_FIELD = _FIELDS.index("summary")  # where article_to_json puts the summary


def article_to_json(article: Article) -> str:
    """The cache's form of an Article: its fields in order (the cache key names them).
    Datetimes keep their zone, so a cached article renders exactly like a freshly parsed one."""
    values = [getattr(article, name) for name in _FIELDS]
    for index in _DATES:
        values[index] = encode_datetime(values[index])
    values[_RELATED] = [[r.slug, r.title, r.url, r.line] for r in article.related]
    values[_CORRECTIONS] = [[encode_datetime(c.date), c.date_only, c.type, c.text, c.number, c.line] for c in article.corrections]
    values[_VERSIONS] = [[encode_datetime(v.captured), v.title, v.html, v.line] for v in article.versions]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def article_from_json(text: str) -> Article:
    values = json.loads(text)
    for index in _DATES:
        values[index] = decode_datetime(values[index])
    for index in _TUPLES:
        values[index] = tuple(values[index])
    values[_RELATED] = tuple(Related(*r) for r in values[_RELATED])
    values[_CORRECTIONS] = tuple(Correction(decode_datetime(c[0]), *c[1:]) for c in values[_CORRECTIONS])
    values[_VERSIONS] = tuple(Version(decode_datetime(v[0]), *v[1:]) for v in values[_VERSIONS])
    return Article(*values)


def encode_datetime(value: datetime | None) -> list | None:
    if value is None:
        return None
    zone = getattr(value.tzinfo, "key", None) or value.utcoffset().total_seconds()
    return [value.replace(tzinfo=None).isoformat(), zone, value.fold]


def decode_datetime(value: list | None) -> datetime | None:
    if value is None:
        return None
    wall, zone, fold = value
    return datetime.fromisoformat(wall).replace(tzinfo=_zone(zone), fold=fold)


@lru_cache(maxsize=1024)
def _zone(zone: str | float) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else timezone(timedelta(seconds=zone))


