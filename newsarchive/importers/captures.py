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

from ..dates import utc_stamp
from .model import EarlierVersion, ImportedArticle, Skipped

_SPACE = re.compile(r"\s+")


def capture_time(value: str) -> datetime | None:
    """A WARC-Date ('2021-05-15T10:30:00Z', fractions allowed, or 14 digits) as UTC; None when unreadable."""
    text = (value or "").strip()
    try:
        if re.fullmatch(r"\d{14}", text):
            moment = datetime.strptime(text, "%Y%m%d%H%M%S")
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)


def utc_text(moment: datetime) -> str:
    return utc_stamp(moment)  # strftime's %Y does not pad years before 1000 on every platform


def text_key(article: ImportedArticle) -> str:
    """What two captures are compared by: the title and the body, spaces normalised."""
    return _SPACE.sub(" ", article.title).strip() + "\n" + _SPACE.sub(" ", article.body).strip()


def with_versions(captures: list[ImportedArticle]) -> tuple[ImportedArticle, list[Skipped]]:
    """The newest capture, carrying the earlier texts as versions (oldest first), and the other
    captures (a text repeated, a capture time that cannot be read) as duplicates."""
    timed = sorted(((capture_time(c.captured), c) for c in captures), key=lambda tc: (tc[0] is not None, tc[0] or 0, tc[1].identity))
    newest = timed[-1][1]
    runs: list[tuple[datetime, ImportedArticle]] = []  # (first capture of a text, that capture)
    for moment, capture in timed:
        if moment is None or (runs and text_key(runs[-1][1]) == text_key(capture)):
            continue
        if runs and runs[-1][0] == moment:  # two texts in one second: versions are told apart by the second, the later wins
            runs[-1] = (moment, capture)
        else:
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
