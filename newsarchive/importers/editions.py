"""One article published at several addresses → one imported article.

News sites publish the same story at an address per region (vice.com/en_us/… and /en_uk/…,
uk.finance.yahoo.com beside finance.yahoo.com, cnet.com/au/…) and declare them to each other
as `hreflang` alternates (en-US, en-GB, en-AU); a crawler that follows those links captures
the same text several times, each address once. These are no translations and no versions: the
captures of one import run that are tied by such links, or share a canonical address, and show
the same text (captures.text_key) are one article. The one kept is the capture whose address is
its own canonical one, else the first address in sorted order; the others are counted as
"same text at another address".
"""
from __future__ import annotations

from ..translations import Groups
from .captures import text_key, url_key

REASON = "same text at another address"


def one_per_text(entries: list, spool) -> tuple[list, list]:
    """(the entries kept, Skipped for the others), in the order given."""
    from .model import Skipped
    groups = Groups()
    linked = [entry for entry in entries if entry.url or entry.source_url]
    for entry in linked:
        own = [url_key(u) for u in (entry.url, entry.source_url) if u]
        for address in (*own, *(url_key(u) for u in entry.translations)):
            groups.join(own[0], address)
    by_group: dict[str, list] = {}
    for entry in linked:
        by_group.setdefault(groups.root(url_key(entry.url or entry.source_url)), []).append(entry)
    dropped: set[int] = set()
    for members in by_group.values():
        if len(members) < 2:
            continue
        by_text: dict[str, list] = {}
        for entry in members:
            by_text.setdefault(text_key(spool.get(entry.ref)), []).append(entry)
        for same in by_text.values():
            if len(same) < 2:
                continue
            kept = min(same, key=lambda e: (url_key(e.url or e.source_url) != url_key(e.source_url or e.url), e.url, e.origin))
            dropped.update(id(entry) for entry in same if entry is not kept)
    return ([entry for entry in entries if id(entry) not in dropped],
            [Skipped(entry.origin, REASON) for entry in entries if id(entry) in dropped])
