"""`import --keep-paths`: an outlet moving its own back catalogue into the archive keeps its
old URLs. An imported page's address (the one it was captured at, and its canonical one) is
kept as an `aliases:` entry when its host is the site's own (base_url's) or one named with
--site-host, so the old link redirects to the article (links.py).
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

from ..urls import alias_problem


def site_hosts(base_url: str, extra: list[str] | None) -> frozenset[str]:
    """Host names whose paths are this site's: base_url's, and those given (with or without www.)."""
    hosts = {urlsplit(base_url).hostname or ""} | {h.strip().lower().rstrip(".") for h in extra or () if h.strip()}
    return frozenset(h for host in hosts if host for h in (host, host.removeprefix("www."), "www." + host.removeprefix("www.")))


def kept_paths(addresses: list[str | None], hosts: frozenset[str], base_path: str) -> tuple[tuple[str, ...], list[str]]:
    """The aliases to keep for a page found at `addresses`, and a warning for each address on
    the site's host that cannot be kept (outside base_url's path, a query string, a bad path)."""
    aliases: list[str] = []
    warnings: list[str] = []
    for address in addresses:
        if not address:
            continue
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in hosts:
            continue
        if parts.query:
            warnings.append(f"--keep-paths: {address} has a query string, which a static host cannot answer; not kept")
            continue
        path = unquote(parts.path or "/")
        if not path.startswith(base_path):
            warnings.append(f"--keep-paths: {address} lies outside the site's path {base_path}; not kept")
            continue
        alias = "/" + path[len(base_path):]
        why = alias_problem(alias) if alias != "/" else "is the site's home page"
        if why:
            warnings.append(f"--keep-paths: the path of {address} {why}; not kept")
        elif alias not in aliases:
            aliases.append(alias)
    return tuple(aliases), warnings
