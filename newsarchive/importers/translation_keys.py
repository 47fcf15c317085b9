"""Imported pages that declare their translations → one shared `translation_key` (translations.py).

A page names its other languages in its head (`<link rel="alternate" hreflang="fr" href="…">`,
as Google asks of multilingual sites). The articles of one import run whose addresses are linked
so, and the articles already in the archive whose `source_url` is one of those addresses, are one
group: each new file gets the group's key, and an archive article without one gets it added to
its front matter. The key is an archive member's own when one has one (the alphabetically first),
else made from the group's first address, so importing the same pages again gives the same key.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from ..translations import Groups

MAX_DECLARED = 64  # alternates read per page: a page naming thousands would not be one story's languages
_KEY_LINE = re.compile(r"^translation_(key|of)\s*:", re.M)


def declared_translations(tree, base: str, own: tuple[str | None, ...], is_web) -> tuple[str, ...]:
    """The absolute addresses of the page's other languages (x-default and the page itself left out)."""
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        code, href = (link.get("hreflang") or "").strip(), (link.get("href") or "").strip()
        if "alternate" not in rel or not code or not href or code.lower() == "x-default":
            continue
        target = urldefrag(urljoin(base, href))[0]
        if is_web(target) and target not in own and target not in found:
            found.append(target)
        if len(found) >= MAX_DECLARED:
            break
    return tuple(found)


def group_keys(entries, archive: dict[str, tuple[str, str | None, str | None]],
               key_languages: dict[str, set[str]] | None = None) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """`entries`: (identity or None for one already in the archive, its addresses, declared
    translations, language); `archive`: source_url → (source path, its translation_key or None,
    its lang or None). Returns identity → key for the new articles in a group, and (source
    path, key) for the archive articles that must have the key added. A group holds one article
    per language (translations.py): a new one in a language the group has already gets no key.
    `key_languages`: translation_key → the languages of every archive article holding it (also
    those without a source_url, which no address reaches): a key is never given to an article,
    new or in the archive, whose language an article holding that key has already."""
    key_languages = key_languages or {}
    groups = Groups()
    root, join = groups.root, groups.join

    entries = [entry for entry in entries if entry[1]]
    # a declared address joins only when it is an article's (of this run or the archive): two stories
    # naming the same edition home pages (/es/, /de/) are not joined through them
    known = {url for _, addresses, _, _ in entries for url in addresses} | set(archive)
    for _, addresses, declared, _ in entries:
        for url in (*addresses, *(u for u in declared if u in known)):
            join(addresses[0], url)
    members: dict[str, list] = {}
    imported_now: set[str] = set()
    for identity, addresses, _, lang in entries:
        if identity and identity not in imported_now:
            imported_now.add(identity)
            members.setdefault(root(addresses[0]), []).append(("new", identity, addresses, lang))
            imported_now.update(addresses)
    for url in groups.members():
        if url in archive and url not in imported_now:  # an address imported again is no translation of itself
            members.setdefault(root(url), []).append(("archive", archive[url], (url,), archive[url][2]))
    keys: dict[str, str] = {}
    back: list[tuple[str, str]] = []
    for group in members.values():
        taken = {_language(item[3]) for item in group if item[0] == "archive" and item[3]}
        own = sorted(item[1][1] for item in group if item[0] == "archive" and item[1][1])
        holding = {_language(lang) for lang in key_languages.get(own[0], ())} if own else set()
        taken |= holding
        kept = []
        for item in sorted(group, key=lambda item: (item[0] == "new", item[2])):
            if item[0] == "archive" and not item[1][1] and item[3] and _language(item[3]) in holding:
                continue  # the key's group has this language already: this archive article stays alone
            if item[0] == "new" and item[3]:
                if _language(item[3]) in taken:
                    continue  # the group has this language already: this one stays alone
                taken.add(_language(item[3]))
            kept.append(item)
        group = kept
        paths = {item[1][0] for item in group if item[0] == "archive"}
        if sum(item[0] == "new" for item in group) + len(paths) < 2:
            continue  # one article alone (an archive article may be known by two addresses)
        own = sorted(item[1][1] for item in group if item[0] == "archive" and item[1][1])
        key = own[0] if own else "import-" + hashlib.sha256(min(u for item in group for u in item[2]).encode("utf-8")).hexdigest()[:16]
        keys.update((item[1], key) for item in group if item[0] == "new")
        back += sorted({(item[1][0], key) for item in group if item[0] == "archive" and not item[1][1]})
    return keys, tuple(back)


def _language(lang: str) -> str:
    return lang.replace("_", "-").lower()


def add_translation_key(articles_dir: Path, source_path: str, key: str) -> bool:
    """Add `translation_key:` as the front matter's last line of an archive article that has no
    translation_key nor translation_of (one written since is left alone). True when it changed."""
    from .writer import yaml_text
    target = articles_dir / source_path
    text = target.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in text[:8] else "\n"
    start = text.find("---" + newline)
    end = text.find(newline + "---", 3)
    if start not in (0, 1) or end < 0 or _KEY_LINE.search(text, 0, end):  # 1: after a byte-order mark
        return False
    temporary = target.with_name(f".{target.name}.import-{os.getpid()}")
    temporary.write_bytes((text[:end] + f"{newline}translation_key: {yaml_text(key)}" + text[end:]).encode("utf-8"))
    os.replace(temporary, target)
    return True
