"""The one rule for every URL the archive's inputs put into a page, feed, sitemap or JSON-LD.

Published: http and https addresses, mailto addresses, and paths on the site (relative or
starting with one '/'). Anything else (javascript:, data:, vbscript:, file:, tel:, a scheme
hidden by entities, spaces, tabs, newlines or mixed case, a '//host' without a scheme, a
backslash a browser reads as '/') is refused, as a browser would read the text, not as it
is typed: leading and trailing spaces and control characters are what the URL parser drops,
tabs and newlines inside are what it deletes, and HTML entities are what a page decodes.

Front matter: `url_problem` is asked for every URL field (source_url, image, "read also"
url, and extra keys named like a URL: `website`, `logo_url`, `provenance: {url}`…); a
refused one is an error naming the file and line, so `--keep-going` skips that article.
Bodies: the sanitizer (markup.py) drops a refused href/src and the build warns where it was.
Config values that produce URLs are checked by config.py (base_url, permalink).
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import yaml

from . import yamltext
from .errors import Problem

SCHEMES = frozenset({"http", "https", "mailto"})
ALLOWED = "only http://, https:// and mailto: addresses or paths on this site are published"
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL_KEY = re.compile(r"(?:^|[_-])(?:url|urls|uri|link|links|href|src|website|homepage|image|images|logo)\Z", re.I)


def url_problem(url: str, *, relative: bool = True, mailto: bool = True, web_only: bool = False) -> str | None:
    """Why `url` may not be published, or None when it may. `relative`: a path on the site
    is accepted; `mailto`: so is a mailto: address; `web_only`: only http(s) addresses."""
    for form in dict.fromkeys((url, html.unescape(url))):
        why = _problem(form, relative=relative and not web_only, mailto=mailto and not web_only)
        if why:
            return why
    return None


def _problem(url: str, *, relative: bool, mailto: bool) -> str | None:
    text = url.strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f")
    squeezed = text.replace("\t", "").replace("\n", "").replace("\r", "")
    head = re.split(r"[/?#\\]", squeezed, maxsplit=1)[0]
    if ":" in head:
        found = _SCHEME.match(head)
        scheme = found.group(1).lower() if found and found.end() == head.index(":") + 1 else None
        if scheme is None or scheme not in SCHEMES or (scheme == "mailto" and not mailto):
            shown = head.split(":", 1)[0][:20]
            return f"uses the scheme '{shown}:' ({ALLOWED})" if scheme else f"has a ':' in its first part, which a browser may read as a scheme ({ALLOWED})"
    if _CONTROL.search(url.strip()):
        return "holds a control character (a tab, newline or other invisible character)"
    if "\\" in text:
        return "holds a backslash, which browsers read as '/'; write '/'"
    if ":" in head:
        if scheme in ("http", "https") and not _host(text):
            return f"has no host after '{scheme}://'"
        return None
    if text.startswith("//"):
        return "starts with '//', a link to another host without a scheme; write https://…"
    if not relative:
        return f"is not a full address ({'an https:// or mailto: address' if mailto else 'write https://…'})"
    return None


def _host(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return None
    return parts.hostname if url[len(parts.scheme) + 1:].startswith("//") else None


def extra_url_problems(key: str, node, source_path: str, line: int | None) -> list[Problem]:
    """Problems of the URLs in an extra front-matter key (and in the keys nested under it) whose
    name says it holds one: `website`, `logo_url`, `provenance: {url: …}`, `links: […]`."""
    problems: list[Problem] = []
    _walk(key, node, source_path, line, _URL_KEY.search(key) is not None, problems)
    return problems


def _walk(key: str, node, source_path: str, line: int | None, is_url: bool, problems: list[Problem]) -> None:
    if isinstance(node, yaml.ScalarNode):
        value = yamltext.scalar_text(node)
        if is_url and value and value.strip():
            why = url_problem(value)
            if why:
                problems.append(url_error(key, value, why, source_path, yamltext.line_of(node) or line))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(key, item, source_path, line, is_url, problems)
    elif isinstance(node, yaml.MappingNode):
        try:
            items = yamltext.mapping_items(node)
        except yamltext.YamlSyntaxError:
            return  # reported where the extra value is read
        for name, _, value in items:
            _walk(f"{key}.{name}", value, source_path, line, _URL_KEY.search(str(name)) is not None, problems)


def url_error(key: str, value: str, why: str, source_path: str, line: int | None) -> Problem:
    shown = value if len(value) <= 80 else value[:77] + "…"
    return Problem(f"'{key}' {shown!r} {why}", source_path, line,
                   "write an https:// address or a path on this site, or remove the value")


def extra_urls(value, key: str = "extra", is_url: bool = False):
    """(key, why) for each refused URL in plain data (a config's `extra`) under keys named like a URL."""
    if isinstance(value, str):
        why = url_problem(value) if is_url and value.strip() else None
        if why:
            yield key, why
    elif isinstance(value, list):
        for item in value:
            yield from extra_urls(item, key, is_url)
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from extra_urls(item, f"{key}.{name}", is_url or _URL_KEY.search(str(name)) is not None)
