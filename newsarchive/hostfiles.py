"""What static hosts need beside the pages: `.nojekyll` (GitHub Pages would otherwise run
Jekyll, which drops every folder whose name starts with '_', such as the image versions in
_img/), the redirects in each host's own form, and the host files a site keeps in its
static/ folder (`.well-known/`, `CNAME`, `_headers`…).

`_redirects` (Netlify, Cloudflare Pages) and `.htaccess` (Apache) from the site's static/
are merged with the generated ones, the site's own rules first, so they win. The build
writes an `.htaccess` only when the site keeps one in static/: one on a server may hold
rules (access control) that a deploy must never replace unasked; the Apache rules are in
apache-redirects.conf otherwise, as nginx's are in nginx-redirects.conf.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from . import urls
from .config import Config
from .errors import BuildError, Problem

HIDDEN_HOST_FILES = frozenset({".nojekyll", ".well-known", ".htaccess"})  # published from static/ though their names start with '.'
MERGED = frozenset({"_redirects", ".htaccess"})  # made by the build, the site's own rules first
MADE_HOST_FILES = MERGED | {".nojekyll", "_headers"}  # _headers: memento.py (versions.site_pages)  # a site's own copies are read (merged), never copied over the build's
NGINX = "nginx-redirects.conf"
APACHE = "apache-redirects.conf"
_REGEX_SPECIAL = re.compile(r"[.^$*+?()\[\]{}|\\]")
_NETLIFY_SPECIAL = re.compile(r"\*|/:")  # a splat or a placeholder in _redirects, not a character of a path


def host_pages(config: Config, rules: list[tuple[str, str]], gone: list[str] = ()) -> list:
    """`.nojekyll`, and the redirect files when there are redirects or the site has its own
    `_redirects`/`.htaccess` (site-absolute `rules`, old → new). `gone`: the URLs of withdrawn
    articles' notices (status.py), which Netlify and nginx answer with 410 Gone, the notice as
    the page; Cloudflare Pages and Apache have no such rule, and serve the notice with 200."""
    base = urls.base_path(config.base_url)
    gone = [base + url[1:] for url in gone]
    moves = [(base + old[1:], base + new[1:].replace("$", "%24")) for old, new in rules]  # '$' in a target: a variable or a backreference
    own = {name: own_text(config.static_dirs, name) for name in MERGED}
    pages = [_text_page("/.nojekyll", "GitHub Pages: serve folders starting with '_' (no Jekyll)", "")]
    if moves or gone or own["_redirects"]:
        lines = [f"{old} {new} 301" for old, new in moves if not _NETLIFY_SPECIAL.search(old + new)]  # the HTML page answers there
        lines += [f"{url} {_page_file(url)} 410!" for url in gone if not _NETLIFY_SPECIAL.search(url)]
        pages.append(_text_page("/_redirects", "redirects for Netlify and Cloudflare Pages", _merged(own["_redirects"], lines)))
    apache = [f'RedirectMatch 301 "^{_apache_pattern(old)}$" "{_quoted(new)}"' for old, new in moves]
    if own[".htaccess"]:  # the site keeps its own: the rules join it (never an .htaccess the host had, unasked)
        pages.append(_text_page("/.htaccess", "redirects for Apache", _merged(own[".htaccess"], apache)))
    if apache:
        pages.append(_text_page("/" + APACHE, "redirects for Apache (Include it, or copy it into .htaccess)",
                                "# newsarchive: Include this file in your Apache configuration, or put its lines in the site's static/.htaccess.\n"
                                + "".join(line + "\n" for line in apache)))
    if moves or gone:
        exact = [(unquote(old), new) for old, new in moves] + [(unquote(old) + "index.html", new) for old, new in moves if old.endswith("/")]
        places: dict[str, str] = {}
        for place, new in exact:  # nginx refuses a location given twice (/a/index.html recorded beside /a/): the first wins
            places.setdefault(place, new)
        lines = [f'location = "{_quoted(place)}" {{ return 301 "{_quoted(new)}"; }}' for place, new in places.items()]
        lines += [_nginx_gone(url) for url in gone if url.endswith("/") and unquote(url) not in places]  # a folder: its index.html answers
        pages.append(_text_page("/" + NGINX, "redirects for nginx (include it in the server block)",
                                "# newsarchive: include this file inside your nginx server { } block.\n" + "".join(line + "\n" for line in lines)))
    return pages


def _nginx_gone(url: str) -> str:
    """nginx's 410 for a notice's folder, the notice as the page. error_page reads '$' in its
    URI as a variable, and nginx has no escape for it (a percent-encoded '%24' names no file):
    a path with '$' gets the bare 410, without the notice."""
    place = f'location = "{_quoted(unquote(url))}"'
    if "$" in unquote(url):
        return place + " { return 410; }"
    return place + f' {{ error_page 410 "{_quoted(unquote(_page_file(url)))}"; return 410; }}'


def _page_file(url: str) -> str:
    """The file a page's URL is served from (a folder's index.html)."""
    return url + "index.html" if url.endswith("/") else url


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
                return path.read_text(encoding="utf-8-sig")  # a byte-order mark would become part of the first rule
            except (OSError, UnicodeDecodeError) as exc:  # never leave the site's own rules out in silence
                why = "is not UTF-8" if isinstance(exc, UnicodeDecodeError) else f"cannot be read: {exc.strerror or exc}"
                raise BuildError(Problem(f"{name} {why}", str(path), hint="save it as UTF-8 text; its rules go first in the published file")) from None
    return ""


def _apache_pattern(path: str) -> str:
    """Apache matches the decoded path: /a%20b/x.html → ^/a b/x\\.html$ (a folder's
    index.html too). Apache reads '\\\\' and '\\"' inside the quotes as one character, so a
    backslash or a quote of the path is written \\x5c or \\x22, which the regex reads alike."""
    pattern = _REGEX_SPECIAL.sub(lambda m: r"\x5c" if m[0] == "\\" else "\\" + m[0], unquote(path))
    if path.endswith("/"):
        pattern += r"(index\.html)?"
    return pattern.replace('"', r"\x22").replace("\r", "").replace("\n", "")


def _quoted(text: str) -> str:
    """Text inside "…" in nginx files and an Apache target: backslashes and quotes escaped
    (both read '\\\\' as one backslash, nginx '\\t' as a tab), line breaks dropped."""
    return text.replace("\r", "").replace("\n", "").replace("\\", "\\\\").replace('"', '\\"')
