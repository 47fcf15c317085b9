"""Card fragments kept from one build to the next, so a listing page whose window moved (a new
article shifts one card along every page of each listing it joins) is joined from cards
rendered before instead of rendering each card's macro again.

A `{% cache key %}` block (templates.FragmentCache) whose key's first part is an article's
URL stands for that article's card: within a build the key alone names the fragment; across
builds it is kept while the render key (code, config, templates) and the article's CARD
digest (shown.card_digest) are the same. One row per (URL, rest of the key and link prefix),
the last rendering only, so the file holds about one card per article and language shown.

The fragments live in their own SQLite file beside the build cache (`.cache/fragments.sqlite`),
written by the build process alone after rendering (the forked renderers read it, and hand
their new fragments back); it is only an accelerator: an unreadable file is deleted and built
again, and a row is used only when its stamp is the card's digest now.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from markupsafe import Markup

from .shown import card_digest
from .readonly import ReadOnlyConnection
from .store import remove_database, rows_for

FILENAME = "fragments.sqlite"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE fragments (url TEXT NOT NULL, slot TEXT NOT NULL, stamp TEXT NOT NULL, html TEXT NOT NULL, PRIMARY KEY (url, slot));
"""
LISTING_KINDS = frozenset({"home", "term", "year", "month"})
_READ = "SELECT url, slot, stamp, html FROM fragments WHERE url IN ({})"


class KeptFragments:
    """The card fragments of the last builds under one render key. `prepare(urls)` reads the rows
    of one page's cards at once; `get` answers from them; `made` collects what this process
    rendered, for `store` in the build process."""

    def __init__(self, folder: Path, render_key: str, site, read: bool = True, digests=None):
        self.path = folder / FILENAME
        self._site = site
        self._by_url: dict | None = None
        self._stamps: dict[str, str] = {}  # URL → the article's CARD digest, made once per process
        self._digests = digests  # source path → role digests (shown.role_digests), made by the signer, or None
        self._ahead: dict[tuple[str, str], tuple[str, str]] = {}
        self._reader = ReadOnlyConnection(self.path)
        self.made: list[tuple[str, str, str, str]] = []
        self.nothing_to_read = True
        if not self._start(render_key):
            self._discard()  # unreadable: made again, empty
            self._start(render_key)
        self.nothing_to_read = self.nothing_to_read or not read

    def _start(self, render_key: str) -> bool:
        """Open (or make) the file in the build process; another render key's rows go."""
        try:
            db = self._writer()
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'fragments'").fetchone():
                db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key = 'render'").fetchone()
            if row is None or row[0] != render_key:
                with db:
                    db.execute("DELETE FROM fragments")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('render', ?)", (render_key,))
            self.nothing_to_read = db.execute("SELECT 1 FROM fragments LIMIT 1").fetchone() is None
            db.close()
            return True
        except sqlite3.DatabaseError:
            self.nothing_to_read = True
            return False

    def _writer(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(self.path, timeout=30)

    def _discard(self) -> None:
        remove_database(self.path)

    def is_card(self, url) -> bool:
        """Whether `url` is an article's (a key starting with it stands for its card)."""
        if self._by_url is None:
            self._by_url = {a.url: a for a in self._site.with_pages}
        return type(url) is str and url in self._by_url

    def _stamp(self, url: str) -> str:
        stamp = self._stamps.get(url)
        if stamp is None:
            article = self._by_url[url]
            if self._digests is not None:
                stamp = self._digests[article.source_path][:16].hex()  # its CARD part: shown.card_digest
            else:
                stamp = card_digest(article, self._site).hex()
            self._stamps[url] = stamp
        return stamp

    def can_read(self, page) -> bool:
        """Whether `page` is a listing whose cards may be read back (views.page_context makes its `articles` of cards)."""
        return not self.nothing_to_read and page.template == "listing.html" and page.kind in LISTING_KINDS and bool(page.items)

    def prepare(self, urls: Iterable[str]) -> None:
        """Read the kept fragments of these articles' cards (one page's) in one query."""
        try:
            self._ahead = {(url, slot): (stamp, html) for url, slot, stamp, html in rows_for(self._reader(), _READ, urls)}
        except sqlite3.DatabaseError:
            self._ahead = {}

    def get(self, url: str, slot: str) -> Markup | None:
        """The kept fragment for this card and slot when its card is as it was, else None."""
        row = self._ahead.get((url, slot))
        if row is None or row[0] != self._stamp(url):
            return None
        return Markup(row[1])

    def keep(self, url: str, slot: str, html: str) -> None:
        self.made.append((url, slot, self._stamp(url), str(html)))

    def take(self) -> list[tuple[str, str, str, str]]:
        """What this process rendered since the last call (a renderer sends it back with its pages)."""
        made, self.made = self.made, []
        return made

    def store(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Write the fragments the renderers made (in the build process)."""
        if not rows:
            return
        try:
            db = self._writer()
            with db:
                db.executemany("INSERT OR REPLACE INTO fragments VALUES (?, ?, ?, ?)", rows)
            db.close()
        except sqlite3.DatabaseError:
            self._discard()

    def close(self) -> None:
        self._reader.close()
        self._ahead = {}

    def __getstate__(self) -> dict:
        return dict(self.__dict__, _ahead={}, made=[])


class CardInWaiting(dict):
    """A listing's card that holds only its URL until anything else of it is asked: the URL is
    what a kept fragment is found by, so a card read back is never made (nor its summary read).
    Whatever else a template asks of it (a key, iteration, `in`, its length) makes it whole first."""

    __slots__ = ("_make",)

    def __init__(self, url: str, make):
        super().__init__(url=url)
        self._make = make

    def _whole(self) -> None:
        if self._make is not None:
            make, self._make = self._make, None
            dict.update(self, make())

    def __missing__(self, key):
        if self._make is None:  # whole already: a key no card has
            raise KeyError(key)
        self._whole()
        return dict.__getitem__(self, key)

    def __getattr__(self, name):  # Jinja asks the attribute before the key: none is an attribute
        raise AttributeError(name)


def _whole_first(name: str):
    method = getattr(dict, name)

    def call(self, *args, **kwargs):
        self._whole()
        return method(self, *args, **kwargs)
    call.__name__ = name
    return call


for _name in ("__iter__", "__len__", "__contains__", "__eq__", "__ne__", "__repr__", "__reversed__", "__or__", "__ror__",
              "get", "keys", "items", "values", "copy", "pop", "popitem", "setdefault", "update", "__delitem__", "__setitem__"):
    setattr(CardInWaiting, _name, _whole_first(_name))


class CardsInWaiting:
    """What a listing page's template gets for `cards[path]` while kept fragments can be read:
    a CardInWaiting made whole from the build's Cards only when its fragment is not kept."""

    def __init__(self, cards):
        self._cards = cards

    def __getitem__(self, source_path: str) -> dict:
        made = dict.get(self._cards, source_path)  # made already for another page: as it is
        if made is not None:
            return made
        return CardInWaiting(self._cards.articles[source_path].url, lambda: self._cards[source_path])
