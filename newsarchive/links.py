"""Links that last: the record of every URL the site has published, and what answers at a
URL whose page moved or went away.

The record (`published-urls.txt` beside config.yaml, meant to be committed) lists each URL
the site has published, with what it showed: the article's file, or the kind of page. A
build plans, for every recorded URL no page has any more, a redirect page to where that
page went (an article: its new URL; a tag, a month, page 7 of a listing: the closest page
still there), or, for an article whose file is gone, a notice saying it was removed.
`aliases:` in front matter add old URLs the record never saw (an old CMS's paths). Hosts
that can say 301 learn the same redirects from `_redirects`, `apache-redirects.conf` (or the
site's own `.htaccess`) and `nginx-redirects.conf` (hostfiles.py); every host serves the HTML
page at the old path.
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from . import urls
from .config import Config
from .corrections import FEED_KIND
from .errors import BuildError, Problem
from .segments import path_key
from .status import NOTICE

if TYPE_CHECKING:
    from .plan import Page

HEADER = (
    "# newsarchive: every URL this site has published, and what it showed (an article's file, or a kind of page).\n"
    "# Written by each build; commit it, so that an old URL redirects to its new place on every machine.\n"
    "# To let a removed article's URL say it was removed, leave its line; to give the URL up, delete the line.\n"
)
RECORDED_KINDS = frozenset({"article", "home", "terms", "term", "archive", "year", "month", "search", "feed", "corrections",
                            "version"})
RECORDED_AS = {FEED_KIND: "feed"}  # the corrections feed is a feed like the tags': gone, the host sends it to the site's feed
REDIRECT, GONE = "redirect", "gone"
_PAGED = re.compile(r"page/\d+/\Z")
_CANONICAL = re.compile(rb'<link rel="canonical" href="(https?://[^"<>]+)">')
_KEY_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}  # a file name may hold any of them
_PLAIN_URL = re.compile(r"[A-Za-z0-9/._~!$&'()*+,;=:@-]*")  # what urls.quote_path leaves as it is
_KEY_ESCAPED = re.compile(r"\\([\\nrt])")
HOST_FILE_NAMES = ("_redirects", ".htaccess", ".nojekyll", "nginx-redirects.conf", "apache-redirects.conf")  # hostfiles.py writes them at the root


@dataclass(frozen=True)
class Recorded:
    kind: str
    key: str  # the article's source path; "" for other pages
    line: int = 0


def read_record(config: Config, written: str | None = None) -> dict[str, Recorded]:
    """URL → what it showed; a damaged line is an error naming the file and line. `written`:
    the digest of the record the last build wrote (keep_record): the file still holding those
    bytes, its lines are taken as they are, unchecked (at 10⁵ articles a second's checking)."""
    path = config.url_record_path
    if path is None:
        return {}
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")  # a byte-order mark left by an editor is fine
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(Problem(f"cannot read the record of published URLs: {exc}", str(path),
                                 hint="restore it from version control, or delete it to start a new record")) from None
    if written is not None and hashlib.blake2b(data, digest_size=16).hexdigest() == written:
        return _as_written(text)
    record: dict[str, Recorded] = {}
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):  # not splitlines(): a file name may hold U+2028
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        url, _, rest = line.partition("\t")
        kind, _, key = rest.partition("\t")
        url = canonical_url(url)
        if not url.startswith("/") or url.startswith("//") or urls.escapes_output(urls.output_path(url)) or not kind \
                or any(part.startswith(".") for part in unquote(url).split("/")):  # a hidden file: .htaccess, .git/
            problems.append(Problem(f"not a recorded URL: '{line[:80]}'", str(path), number,
                                    "each line is a site path starting with '/', a tab, a kind of page and, for an article, a tab and its file"))
            continue
        record[url] = Recorded(kind, _KEY_ESCAPED.sub(lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m[1], m[1]), key), number)
    if problems:
        raise BuildError(problems)
    return record


def _as_written(text: str) -> dict[str, Recorded]:
    """A record a build wrote (keep_record), or read and checked (with --drafts it writes none):
    every line a URL, a kind and a key (escaped), each checked already."""
    record: dict[str, Recorded] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        url, _, rest = line.partition("\t")
        kind, _, key = rest.partition("\t")
        if "\\" in key:
            key = _KEY_ESCAPED.sub(lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m[1], m[1]), key)
        record[canonical_url(url)] = Recorded(kind, key, number)
    return record


def canonical_url(url: str) -> str:
    """A URL as the build writes it (NFC, percent-encoded), however a hand-edited line spells
    it: `/tags/café/`, `/old story/` and `/tags/caf%C3%A9/` are one URL each."""
    if _PLAIN_URL.fullmatch(url):  # nearly every line: nothing to decode or encode
        return url
    return urls.quote_path(unicodedata.normalize("NFC", unquote(url)))


def lasting_pages(pages: list[Page], articles: Iterable, record: dict[str, Recorded], exists: Callable[[str], bool],
                  files: Iterable[str] = ()) -> list[Page]:
    """Redirect and notice pages for every URL that would break: aliases first, then every
    recorded URL no page has any more. `exists(source_path)`: an article file is there, built
    or not (a draft or a file with errors keeps its URL unplanned, and gets no notice).
    `files`: output paths of the files copied (static/, articles/), which answer where they are."""
    from .plan import Page  # not at import: the up-to-date check reads the record's digest and plans nothing
    live = {page.url: page for page in pages}
    disk: dict[str, Page] = {}

    def on_disk(url: str) -> Page | str | None:  # the page or file at that path, as macOS and Windows compare names
        if not disk:
            disk.update((path_key(page.output_path), page) for page in pages)
            disk.update((path_key(path), f"the file {path}") for path in files)
        return disk.get(path_key(urls.output_path(url)))
    url_of = {a.source_path: a.url for a in articles}
    problems: list[Problem] = []
    planned: dict[str, Page] = {}
    claimed: dict[str, str] = {}  # the aliases' pages: path as compared on disk → URL

    for article in articles:
        for alias, line in zip(article.aliases, article.alias_lines):
            url = alias_url(alias)
            there, key = on_disk(url), path_key(urls.output_path(url))
            twice = key in claimed and planned[claimed[key]].origin == f"alias of {article.source_path}"
            if url == article.url or twice or (isinstance(there, Page) and there.article == article.source_path):
                continue  # the article's own URL (in another case), or an alias written twice
            recorded = record.get(url)
            why = _alias_place_problem(url) or next((f"needs a folder where {_what(on_disk(folder))} is" for folder in _folders(url)
                                                     if on_disk(folder) is not None), None)
            if why:
                problems.append(Problem(f"alias '{alias}' {why}", article.source_path, line, "remove the alias or correct it"))
            elif there is not None:
                problems.append(Problem(f"alias '{alias}' is already the URL of {_what(there)}", article.source_path, line,
                                        "remove the alias; a page that is there cannot redirect"))
            elif recorded is not None and recorded.kind == "article" and recorded.key != article.source_path and recorded.key in url_of:
                problems.append(Problem(f"alias '{alias}' was published for {recorded.key} (now at {url_of[recorded.key]})",
                                        article.source_path, line, "remove the alias, so the old URL keeps leading to the article it was published for"))
            elif key in claimed:
                problems.append(Problem(f"alias '{alias}' is claimed by {planned[claimed[key]].origin.removeprefix('alias of ')} too",
                                        article.source_path, line, "give each old URL to one article only"))
            else:
                planned[url] = _redirect(url, article.url, f"alias of {article.source_path}")
                claimed[key] = url

    for url, recorded in record.items():
        there = live.get(url) or (on_disk(url) if url not in planned else None)  # a slug's case changed, a file put there
        if there is not None or url in planned or recorded.kind == "feed":
            owner = there.article or there.origin if isinstance(there, Page) and there.kind in ("article", NOTICE) else None
            if owner and recorded.kind == "article" and recorded.key != owner and recorded.key in url_of:
                problems.append(Problem(
                    f"the URL {url} was published for {recorded.key} (now at {url_of[recorded.key]}); {owner} would take it over",
                    owner, None,
                    "give this article another slug, so the old URL can keep leading to the article it was published for",
                ))
            continue
        key = path_key(urls.output_path(url))
        if key in claimed:  # two recorded spellings of one file (a slug's case changed twice): one page, a host rule each
            first = planned.get(claimed[key])
            if first is not None and first.kind == REDIRECT and not first.origin.startswith("alias of "):
                planned[first.url] = replace(first, data={**first.data, "also": (*first.data.get("also", ()), url)})
            continue
        claimed[key] = url
        if recorded.kind == "version" and recorded.key in url_of:  # its article moved, or the version was dated earlier
            from .versions import text_then
            planned[url] = _redirect(url, text_then(url, url_of[recorded.key], live), f"old URL of a version of {recorded.key}")
            continue
        if recorded.kind in ("article", "version"):
            if recorded.key in url_of:
                planned[url] = _redirect(url, url_of[recorded.key], f"old URL of {recorded.key}")
            elif not exists(recorded.key):
                planned[url] = Page(url, "gone.html", GONE, f"removed article {recorded.key}", data={"was": recorded.key})
            continue
        planned[url] = _redirect(url, closest_page(url, recorded.kind, live), f"old {recorded.kind} page")
    if problems:
        raise BuildError(problems)
    return [planned[url] for url in sorted(planned)]


def alias_url(alias: str) -> str:
    """The URL an alias stands for, written as typed or percent-encoded; a last segment with
    no '.' is a folder (/old/story → /old/story/), as static hosts serve it."""
    path = unicodedata.normalize("NFC", unquote(alias))
    if path.endswith("/index.html"):  # the folder's page itself: /old/ and /old/index.html are one file
        path = path.removesuffix("index.html")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return urls.quote_path(path)


def _what(there) -> str:
    return there if isinstance(there, str) else there.origin


def _folders(url: str) -> list[str]:
    """The folders a page at `url` is written in, each as the URL of a file of that name."""
    parts = url.split("/")[1:-1]
    return ["/" + "/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _alias_place_problem(url: str) -> str | None:
    """Why an alias's page cannot be written where its (decoded) URL says, or None."""
    path = unquote(url)
    parts = path.split("/")
    if urls.escapes_output(urls.output_path(url)) or any(p.startswith(".") for p in parts):
        return "must not hold '.' or '..' segments or hidden names, even percent-encoded"
    if any(c < " " or c == "\x7f" for c in path):
        return "must not hold control characters, even percent-encoded"
    if path_key(parts[1]) in {"_img", "pagefind"} and len(parts) > 2:
        return f"is inside {parts[1]}/, a folder the build fills itself"
    if path_key(parts[1]) in HOST_FILE_NAMES:
        return "is a file the build writes for web hosts"
    return None


def _redirect(url: str, target: str, origin: str) -> Page:
    from .plan import Page
    return Page(url, "redirect.html", REDIRECT, origin, data={"target": target})


def closest_page(url: str, kind: str, live: dict[str, Page]) -> str:
    """Where a listing that is gone sends its readers: its first page, then the nearest page
    above it (a tag → the tag index, a month → its year), then the archive, then home."""
    path = _PAGED.sub("", url) if _PAGED.search(url) else url
    candidates = [path] if path != url else []
    parts = path.rstrip("/").split("/")
    candidates += ["/".join(parts[:n]) + "/" for n in range(len(parts) - 1, 1, -1)]
    if kind in ("year", "month"):
        candidates.append(urls.archive_url())
    return next((c for c in candidates if c in live and live[c].kind not in (REDIRECT, GONE)), urls.home_url())


def new_record(record: dict[str, Recorded], pages: list[Page]) -> dict[str, Recorded]:
    """The record after this build: every URL it had, with live pages' lines brought up to date."""
    result = dict(record)
    for page in pages:
        if page.kind in RECORDED_AS:
            result[page.url] = Recorded(RECORDED_AS[page.kind], "")
        elif page.kind in RECORDED_KINDS:
            result[page.url] = Recorded(page.kind, page.article or (page.items[0] if page.kind == "version" else ""))
        elif page.kind == NOTICE:  # a withdrawn article's URL stays its own (status.py)
            result[page.url] = Recorded("article", page.origin)
        elif page.kind == REDIRECT and page.origin.startswith("alias of ") and page.url not in result:
            result[page.url] = Recorded("article", page.origin.removeprefix("alias of "))
    return result


def record_text(record: dict[str, Recorded]) -> str:
    lines = [f"{url}\t{r.kind}\t{_escaped(r.key)}".rstrip("\t") for url, r in sorted(record.items())]
    return HEADER + "".join(line + "\n" for line in lines)


def _escaped(key: str) -> str:
    """A file name on one line of the record (read_record undoes it)."""
    return re.sub(r"[\\\n\r\t]", lambda m: _KEY_ESCAPES[m[0]], key)


def keep_record(config: Config, record: dict[str, Recorded], pages: list[Page]) -> str | None:
    """Write the record after a build (only when it changed, atomically); its digest as now on disk."""
    path = config.url_record_path
    if path is None:
        return None
    text = record_text(new_record(record, pages)).encode("utf-8")
    try:
        if not path.is_file() or path.read_bytes() != text:
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(text)
            os.replace(temporary, path)
    except OSError as exc:
        raise BuildError(Problem(f"cannot write the record of published URLs: {exc.strerror or exc}", str(path),
                                 hint="make the folder of config.yaml writable, or set url_record: false")) from None
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def host_redirects(pages: list[Page], record: dict[str, Recorded]) -> list[tuple[str, str]]:
    """(old URL, new URL) for every redirect a host can answer with a 301: the redirect pages,
    and feeds that are gone (sent to the site's feed, when it has one)."""
    rules = [(url, p.data["target"]) for p in pages if p.kind == REDIRECT for url in (p.url, *p.data.get("also", ()))]
    live = {p.url for p in pages if p.kind not in (REDIRECT, GONE, NOTICE)}
    if urls.FEED_URL in live:
        rules += [(url, urls.FEED_URL) for url, r in record.items() if r.kind == "feed" and url not in live]
    return sorted(rules)


def redirect_of(page: bytes) -> str | None:
    """Where a built redirect page (templates/redirect.html) leads, as an absolute URL; None
    for any other file. For targets that store a redirect per object (S3's website redirect
    metadata, which answers with a 301)."""
    if len(page) > 4096 or b'http-equiv="refresh"' not in page or b'<meta name="robots" content="noindex">' not in page:
        return None
    match = _CANONICAL.search(page)
    return ascii_url(html.unescape(match.group(1).decode("utf-8"))) if match else None


def ascii_url(url: str) -> str:
    """The URL as an HTTP header can carry it: a host in any script as IDNA (bücher.example →
    xn--bcher-kva.example), any other non-ASCII character percent-encoded."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_host = quote(host)
        netloc = parts.netloc.replace(host, ascii_host) if host in parts.netloc else parts.netloc.lower().replace(host, ascii_host)
        url = urlunsplit(parts._replace(netloc=netloc))
    return quote(url, safe="".join(chr(c) for c in range(33, 127)))
