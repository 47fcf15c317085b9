"""What an import records of where each article came from: the `provenance:` front-matter key
(read back, checked and shown by newsarchive/provenance.py).

`url` is the crawled address (a WARC's WARC-Target-URI; a saved page's canonical address),
`captured` the capture time in UTC (the WARC-Date; for a saved file its modification time,
the only time it holds), `file` the input's name relative to what was imported (never an
absolute path of the importing machine), `record` the WARC-Record-ID, `digest` the WARC's
payload digest (else the sha256 of the bytes read) and `extractor` the programs and versions
that turned the page into text.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata

from .. import __version__
from ..dates import utc_stamp

Pairs = tuple[tuple[str, str], ...]


@lru_cache(maxsize=4)
def extractor(kind: str) -> str:
    """'trafilatura 2.0.0; newsarchive 0.1.0' for pages, 'newsarchive 0.1.0' for scraped text."""
    own = f"newsarchive {__version__}"
    if kind == "text":
        return own
    try:
        return f"trafilatura {metadata.version('trafilatura')}; {own}"
    except metadata.PackageNotFoundError:
        return own


def capture_stamp(value: str | datetime | None) -> str:
    """A WARC-Date (fractions of a second allowed) or a file's time as 'YYYY-MM-DDTHH:MM:SSZ'; '' when unreadable."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return ""
        if value.tzinfo is None:  # WARC-Date is UTC by definition
            value = value.replace(tzinfo=timezone.utc)
    try:
        return utc_stamp(value.replace(microsecond=0))
    except (OverflowError, ValueError):
        return ""


def provenance(url: str | None, captured, name: str, identity: str, kind: str, record: str = "", digest: str = "") -> Pairs:
    """The provenance of one imported article, in the order it is written."""
    values = {"url": url or "", "captured": capture_stamp(captured), "file": name, "record": record.strip(),
              "digest": digest.strip() or f"sha256:{identity}", "extractor": extractor(kind)}
    return tuple((key, value) for key, value in values.items() if value)
