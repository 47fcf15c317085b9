"""What static hosts need beside the pages: `.nojekyll` (GitHub Pages would otherwise run
Jekyll, which drops every folder whose name starts with '_', such as the image versions in
_img/), the redirects in each host's own form, and the host files a site keeps in its
static/ folder (`.well-known/`, `CNAME`, `_headers`…).

`_redirects` (Netlify, Cloudflare Pages) and `.htaccess` (Apache) from the site's static/
are merged with the generated ones, the site's own rules first, so they win.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from . import urls
from .config import Config

HIDDEN_HOST_FILES = frozenset({".nojekyll", ".well-known", ".htaccess"})  # published from static/ though their names start with '.'
MERGED = frozenset({"_redirects", ".htaccess"})  # made by the build, the site's own rules first
MADE_HOST_FILES = MERGED | {".nojekyll"}  # a site's own copies are read (merged), never copied over the build's
NGINX = "nginx-redirects.conf"
_REGEX_SPECIAL = re.compile(r"[.^$*+?()\[\]{}|\\]")


def host_pages(config: Config, rules: list[tuple[str, str]]) -> list:
    """`.nojekyll`, and the redirect files when there are redirects or the site has its own
    `_redirects`/`.htaccess` (site-absolute `rules`, old → new)."""
    base = urls.base_path(config.base_url)
    moves = [(base + old[1:], base + new[1:]) for old, new in rules]
    own = {name: own_text(config.static_dirs, name) for name in MERGED}
    pages = [_text_page("/.nojekyll", "GitHub Pages: serve folders starting with '_' (no Jekyll)", "")]
    if moves or own["_redirects"]:
        lines = [f"{old} {new} 301" for old, new in moves]
        pages.append(_text_page("/_redirects", "redirects for Netlify and Cloudflare Pages", _merged(own["_redirects"], lines)))
    if moves or own[".htaccess"]:
        lines = [f'RedirectMatch 301 "^{_apache_pattern(old)}$" "{_quoted(new)}"' for old, new in moves]
        pages.append(_text_page("/.htaccess", "redirects for Apache", _merged(own[".htaccess"], lines)))
    if moves:
        lines = [f'location = "{_quoted(unquote(old))}" {{ return 301 "{_quoted(new)}"; }}' for old, new in moves]
        lines += [f'location = "{_quoted(unquote(old))}index.html" {{ return 301 "{_quoted(new)}"; }}' for old, new in moves if old.endswith("/")]
        pages.append(_text_page("/" + NGINX, "redirects for nginx (include it in the server block)",
                                "# newsarchive: include this file inside your nginx server { } block.\n" + "".join(line + "\n" for line in lines)))
    return pages


def _text_page(url: str, origin: str, text: str):
    from .plan import Page  # not at import: the up-to-date check imports this module, and needs no planning
    return Page(url, "plain.txt", "host-file", origin, link_mode="absolute", data={"text": text})


def _merged(own: str, lines: list[str]) -> str:
    generated = "".join(line + "\n" for line in lines)
    if not own:
        return generated
    return own + ("" if own.endswith("\n") else "\n") + ("# newsarchive: redirects of URLs this site has published\n" + generated if generated else "")


def own_text(static_dirs: tuple[Path, ...], name: str) -> str:
    """The site's own copy of a merged host file (the first static folder that has it)."""
    for folder in static_dirs:
        path = folder / name
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return ""
    return ""


def _apache_pattern(path: str) -> str:
    """Apache matches the decoded path: /a%20b/x.html → ^/a b/x\\.html$ (a folder's
    index.html too); inside the quotes only a quote is escaped."""
    pattern = _REGEX_SPECIAL.sub(r"\\\g<0>", unquote(path))
    if path.endswith("/"):
        pattern += r"(index\.html)?"
    return _quoted(pattern)


def _quoted(text: str) -> str:
    """Text inside "…" in .htaccess and nginx files: quotes escaped, line breaks dropped."""
    return text.replace("\r", "").replace("\n", "").replace('"', '\\"')
