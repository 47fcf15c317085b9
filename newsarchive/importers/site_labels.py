"""The site's name as its address spells it: "techcrunch" of https://www.techcrunch.com/…, "bbc" of
news.bbc.co.uk, "müller" of xn--mller-kva.de. Titles lose the segment that names the site; page
titles, whole titles and the home link's name all ask this one function."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# the labels before the site's own name that say which edition or device, not which site
_EDITION_PREFIXES = frozenset({"www", "m", "amp", "edition", "mobile"})
# a country's second level under which sites register (bbc.co.uk, abc.net.au, asahi.co.jp, folha.com.br)
_SECOND_LEVELS = frozenset({"co", "com", "net", "org", "gov", "gob", "ac", "edu", "ne", "or", "go", "nic", "ltd", "plc", "mil", "info", "biz", "nom", "sch"})


def site_label(url: str | None) -> str | None:
    """The label of the registered name, in the script a reader sees; None for an address with no
    host, one label only ("localhost"), or an IP address, none of which names a site."""
    try:
        host = (urlsplit(url or "").hostname or "").rstrip(".")
    except ValueError:  # "http://[bad": no host urllib can read
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = [_readable(label) for label in host.split(".") if label]
    while labels and labels[0] in _EDITION_PREFIXES and len(labels) > 2:
        labels.pop(0)
    if len(labels) < 2:
        return None
    suffix = 2 if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVELS else 1
    return labels[-1 - suffix] if len(labels) > suffix else None  # "co.uk" alone is no site


def _readable(label: str) -> str:
    """"xn--mller-kva" → "müller": the name as the page's title writes it."""
    if label.startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label
