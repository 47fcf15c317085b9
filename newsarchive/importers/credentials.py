"""Addresses without their user name and password. A crawl of a protected site (a paywall, a
staging server) made with `https://editor:secret@host/…` as its seed keeps that address in
WARC-Target-URI, and pages link with it; what the importer writes is published, so no address
it writes ever carries the `user:password@` part, nor a character no URL holds."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit


def without_credentials(url: str | None) -> str | None:
    """`url` without the user information of its authority; anything else is kept as written."""
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if not parts.netloc or "@" not in parts.netloc:
        return url
    userinfo = parts.netloc.rpartition("@")[0]
    if "\\" in userinfo or any(ord(c) < 0x21 or c == "\x7f" for c in userinfo):
        # a browser ends the authority at a backslash ("https://site.example\\@evil.example/" is
        # site.example's): no host can be told, so the address is left for the checks that refuse it
        return url
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, parts.fragment))


def had_credentials(url: str | None) -> bool:
    return bool(url) and without_credentials(url) != url


_URL_ATTRIBUTES = ("href", "src", "content", "srcset", "data-src", "cite", "action", "poster")


def strip_credentials(tree) -> None:
    """Every address the parsed page holds (links, canonical, og:url, images…) without its
    credentials, before the extraction libraries read them (trafilatura names the site after
    the canonical address's host, user:password included)."""
    for element in tree.iter():
        attributes = getattr(element, "attrib", None)
        if not attributes:
            continue
        for name in _URL_ATTRIBUTES:
            value = attributes.get(name)
            if value and "@" in value and "//" in value:
                attributes[name] = " ".join(without_credentials(part) or part for part in value.split(" ")) if name == "srcset" else without_credentials(value)


# not a backslash: a browser reads it as "/", so "host\\@evil.example" encoded would name evil.example as the host
_NOT_IN_URLS = re.compile(r"[\x00-\x20\"<>^`{|}\x7f]")


def encoded_url(url: str | None) -> str | None:
    """`url` with the characters no URL holds (a space, a quote, angle brackets…) percent-encoded, as a
    browser sends them: a canonical link "…/x?\"><script>…" was published as an href the HTML
    validator refuses (escaped, so harmless, but no address). A fragment holds no second "#"
    (163.com's "….html#from=relevant#xwwzy_35"): it is written %23."""
    if url and url.count("#") > 1:
        address, _, fragment = url.partition("#")
        url = address + "#" + fragment.replace("#", "%23")
    if not url or not _NOT_IN_URLS.search(url):
        return url
    return _NOT_IN_URLS.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)
