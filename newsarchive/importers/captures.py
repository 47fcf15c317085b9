"""Several captures of one URL → one article with its earlier versions (newsarchive/versions.py).

A crawl (or several) may hold a page many times. Captures are put in time order and compared
by their extracted text (title and body, spaces normalised): a run of captures with the same
text is one version, dated by the first capture that showed it (the current text keeps the
newest capture, its provenance). The others are counted as duplicate captures.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from ..dates import utc_stamp
from .extract import LINK
from .fetch_lines import is_fetch_line
from .model import EarlierVersion, ImportedArticle, Skipped

_SPACE = re.compile(r"\s+")
_EMPHASIS = re.compile(r"(?<!\\)(?:(?<=\S)[*_]+|[*_]+(?=\S))")  # a run of * or _ touching a word (not a "* " list mark)


def capture_time(value: str) -> datetime | None:
    """A WARC-Date ('2021-05-15T10:30:00Z', fractions allowed, or 14 digits) as UTC, to the
    second (versions are told apart by the second); None when unreadable."""
    moment = capture_instant(value)
    return moment.replace(microsecond=0) if moment is not None else None


def capture_instant(value: str) -> datetime | None:
    """A WARC-Date as UTC with its fraction of a second: which of two captures in one second came later."""
    text = (value or "").strip()
    try:
        if re.fullmatch(r"\d{14}", text):
            moment = datetime.strptime(text, "%Y%m%d%H%M%S")
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def utc_text(moment: datetime) -> str:
    return utc_stamp(moment)  # strftime's %Y does not pad years before 1000 on every platform


def url_key(url: str) -> str:
    """What captures of one page are grouped by. Crawls spell one page many ways: the scheme and
    host in any case, a default port (80, 443), a #fragment, http:// beside https://, a trailing
    slash or none, "www." before the host (a site moved to or from it between two crawls), tracking parameters (utm_source, fbclid… courlan's list, the one trafilatura
    uses) and query parameters in any order. The key leaves all of that out, so it is no URL to
    show (it has no scheme): https://WIRE.example:443/a/?utm_source=x#top is //wire.example/a.
    What tells two pages apart stays: the path's case, other parameters, a port of its own."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    if not parts.scheme or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = re.sub(r"^www\d*\.(?=.+\.)", "", parts.hostname)  # lower case already; "www." as the Wayback Machine's SURT leaves it out
    if ":" in host:
        host = f"[{host}]"
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host += f":{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    path = parts.path.rstrip("/") or "/"
    if scheme not in ("http", "https"):
        return urlunsplit((scheme, f"{userinfo}@{host}" if userinfo else host, path, parts.query, ""))
    return "//" + (f"{userinfo}@{host}" if userinfo else host) + path + (f"?{query}" if (query := _query_key(parts.query)) else "")


def page_address(url: str) -> str:
    """The page's address as `source_url` shows it: without the #fragment ("#comments") and the
    tracking parameters url_key leaves out (utm_*, fbclid, gclid… courlan's list), the other
    parameters as written and in their order: https://wire.example/a?id=5&utm_source=x#top is
    https://wire.example/a?id=5."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    kept = [pair for pair in parts.query.split("&") if pair and not _is_tracking(unquote_plus(pair.partition("=")[0]))]
    return urlunsplit(parts._replace(query="&".join(kept), fragment=""))


def _is_tracking(name: str) -> bool:
    try:
        from courlan.clean import TRACKERS_RE
    except ImportError:  # importing pages needs trafilatura, which brings courlan
        return name.lower().startswith("utm_")
    return bool(TRACKERS_RE.search(name.lower()))


def _query_key(query: str) -> str:
    """The query without tracking parameters, sorted (courlan's rules); as given without courlan."""
    if not query:
        return ""
    try:
        from courlan.clean import clean_query
    except ImportError:  # importing pages needs trafilatura, which brings courlan
        return query
    try:
        return clean_query(query)
    except ValueError:
        return query


def text_key(article: ImportedArticle) -> str:
    """What two captures are compared by: the title and the body, spaces normalised, Markdown's
    emphasis marks left out (a word put in bold is markup, not a new text) and each link's
    address by its `url_key`: a page captured at http:// and at https://, or with a tracking
    parameter, makes its relative links absolute differently, and that is no new text. A paragraph
    that changes at every fetch ("Updated 5 minutes ago", "12 comments": fetch_lines.py) is left out."""
    blocks = [block for block in article.body.split("\n\n") if not is_fetch_line(block.strip(), article.lang or "")]
    return _text(article.title) + "\n" + _text("\n\n".join(blocks))


def _text(markdown: str) -> str:
    linked = LINK.sub(lambda m: f"[{m.group('title')}]({url_key(m.group('angled') or m.group('url'))})", markdown)
    return _SPACE.sub(" ", _EMPHASIS.sub("", linked)).strip()


def with_versions(captures: list[ImportedArticle]) -> tuple[ImportedArticle, list[Skipped]]:
    """The newest capture, carrying the earlier texts as versions (oldest first), and the other
    captures (a text repeated, a capture time that cannot be read) as duplicates."""
    timed = sorted(((capture_instant(c.captured), c) for c in captures),  # by the full WARC-Date: the order given does not matter
                   key=lambda tc: (tc[0] is not None, tc[0] or 0, tc[1].identity))
    newest = timed[-1][1]
    runs: list[tuple[datetime, ImportedArticle]] = []  # (first capture of a text, to the second; that capture)
    for instant, capture in timed:
        if instant is None or (runs and text_key(runs[-1][1]) == text_key(capture)):
            continue
        moment = instant.replace(microsecond=0)
        if runs and runs[-1][0] == moment:  # two texts in one second: versions are told apart by the second, the later wins
            runs.pop()
            if runs and text_key(runs[-1][1]) == text_key(capture):  # the later is the text before it again: one run
                continue
        runs.append((moment, capture))
    earlier = runs[:-1]
    kept = {id(newest)} | {id(capture) for _, capture in earlier}
    duplicates = [Skipped(capture.origin, "duplicate capture") for _, capture in timed if id(capture) not in kept]
    versions = tuple(EarlierVersion(utc_text(moment), capture.title, capture.body) for moment, capture in earlier)
    return replace(newest, versions=versions), duplicates


def version_lines(article: ImportedArticle, written: list[str]) -> list[str]:
    """The front-matter lines of the article's earlier versions, each body a literal block.
    The current text's capture time is `provenance.captured`; when the lines `written` so far
    hold no provenance, one with the URL and that time is added (the build needs it)."""
    if not article.versions:
        return []
    from .writer import yaml_text
    lines = []
    if not any(line.startswith("provenance:") for line in written):
        current = capture_time(article.captured)
        lines += ["provenance:", f"  url: {yaml_text(article.captured_url or article.source_url or '')}",
                  f"  captured: {utc_text(current)}" if current else ""]
        lines = [line for line in lines if line]
    lines.append("versions:")
    for version in article.versions:
        lines += [f"  - captured: {version.captured}", f"    title: {yaml_text(version.title)}", "    body: " + block_text(version.body, 6)]
    return lines


def block_text(text: str, indent: int) -> str:
    """A YAML literal block (`|-` then the lines indented) that reads back as exactly `text`
    (less its last line breaks); a quoted string when no block can carry it."""
    import yaml
    text = text.rstrip("\n")
    pad = " " * indent
    lines = text.split("\n")
    header = "|-" + (str(indent - 4) if lines and lines[0][:1] in (" ", "\t") else "")
    block = header + "".join("\n" + (pad + line if line else "") for line in lines)
    try:
        if yaml.safe_load(f"x:\n{' ' * (indent - 4)}- body: {block}") == {"x": [{"body": text}]}:  # as it sits in the file
            return block
    except yaml.YAMLError:
        pass
    from .writer import yaml_text
    return yaml_text(text)
