"""A later import brings new captures of a page the archive already holds: the article gains
versions (captures.py) instead of a second article being written beside it.

All texts, the file's (its versions and its current text, dated by `provenance.captured`) and
the new captures', are put in time order and runs of one text are one version, as in one crawl.
When the current text changes, the new capture's title, body, provenance and digest replace the
file's; every other front-matter line is kept as the file has it (the user's edits stay), and
the text the file had is kept whole, as a version, even if it was edited by hand: nothing is
lost, and the import says what it did. A file without a recorded capture time is left alone.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..content import ArticleProblems, decode_source, split_front_matter
from .captures import capture_time, text_key, url_key, utc_text
from .model import EarlierVersion, ImportedArticle

REPLACED = ("title", "imported_from", "provenance", "import_sha256")  # what the current text's capture decides


@dataclass(frozen=True)
class Update:
    source_path: str
    text: str | None  # the file's new text; None: left alone (see `said`)
    said: str


def imported_urls(items: list, values: dict) -> list[str]:
    """The crawled URLs an imported file stands for: provenance.url, the URL in imported_from, source_url."""
    urls = []
    for key, _, node in items:
        if key == "provenance" and isinstance(node, yaml.MappingNode):
            urls += [v.value for k, v in node.value if getattr(k, "value", None) == "url" and isinstance(v, yaml.ScalarNode)]
    origin = values.get("imported_from") or ""
    if ": http" in origin:
        urls.append(origin.split(": ", 1)[1])
    if values.get("source_url"):
        urls.append(values["source_url"])
    return [u.strip() for u in urls if u and u.strip()]


def plan_update(article: ImportedArticle, source_path: str, articles_dir: Path, rendered: str) -> Update | None:
    """The update of the file at `source_path` by `article` (its newest capture, with this run's
    earlier texts); `rendered` is the file import would write for it alone. None: nothing changes."""
    try:
        text = decode_source((articles_dir / source_path).read_bytes(), source_path)
        front, body, _ = split_front_matter(text, source_path)
        root = yaml.compose(front, Loader=yaml.SafeLoader)
        items = {k.value: (k, v) for k, v in root.value} if isinstance(root, yaml.MappingNode) else None
    except (OSError, ArticleProblems, yaml.YAMLError, AttributeError):
        items = None
    if not items or "title" not in items:
        return Update(source_path, None, f"a later capture of its page ({article.origin}) was not added: the file cannot be read as an article")
    provenance = items.get("provenance", (None, None))[1]
    stamp = next((v.value for k, v in provenance.value if getattr(k, "value", None) == "captured"), None) if isinstance(provenance, yaml.MappingNode) else None
    current_time = capture_time(stamp or "")
    if current_time is None:
        return Update(source_path, None, f"a later capture of its page ({article.origin}) was not added: the file records no "
                                         "capture time (provenance.captured); add it, or add the version by hand (README: Versions)")
    try:
        known = yaml.safe_load(yaml.serialize(items["versions"][1])) if "versions" in items else []
    except yaml.YAMLError:
        known = None
    if not isinstance(known, list) or not all(isinstance(v, dict) for v in known):
        return Update(source_path, None, f"a later capture of its page ({article.origin}) was not added: its 'versions' cannot be read")
    title = str(yaml.safe_load(yaml.serialize(items["title"][1])))
    mine = ImportedArticle("", "", title, "", body.strip("\n"), "")
    texts = [(capture_time(str(v.get("captured", ""))), 0, str(v.get("title") or title), str(v.get("body") or "").rstrip("\n")) for v in known]
    texts.append((current_time, 0, title, mine.body))
    texts += [(capture_time(v.captured), 1, v.title, v.body) for v in article.versions]
    texts.append((capture_time(article.captured), 2, article.title, article.body))
    if any(t[0] is None for t in texts):
        return Update(source_path, None, f"a later capture of its page ({article.origin}) was not added: a capture time cannot be read")
    newest = texts[-1]
    current_is_new = newest[0] > current_time
    current = newest if current_is_new else (current_time, 0, title, mine.body)
    runs: list[tuple] = []
    for moment, origin, version_title, version_body in sorted((t for t in texts if t[0] < current[0]), key=lambda t: (t[0], t[1])):
        if runs and _key(mine, runs[-1]) == _key(mine, (moment, origin, version_title, version_body)):
            continue
        if runs and runs[-1][0] == moment:  # one second, two texts: what the file holds stays
            if runs[-1][1] == 0:
                continue
            runs.pop()
        runs.append((moment, origin, version_title, version_body))
    if runs and _key(mine, runs[-1]) == _key(mine, current):  # the current text, first captured earlier: one version
        runs.pop()
    versions = [EarlierVersion(utc_text(m), t, b) for m, _, t, b in runs]
    changed = current_is_new and (_key(mine, current) != text_key(mine) or any(m >= current_time for m, *_ in runs))
    old = [(utc_text(texts[i][0]), texts[i][2], texts[i][3]) for i in range(len(known))]
    if not changed and old == [(v.captured, v.title, v.body) for v in versions]:
        return None
    lines = front.split("\n")
    spans = {key: _own_lines(lines, *_span(k, v, len(lines))) for key, (k, v) in items.items()}
    new_lines = _new_front(rendered)
    out: list[str] = []
    skip: set[int] = set()
    for key in ("versions", *(REPLACED if changed else ())):
        if key in spans:
            skip.update(range(*spans[key]))
    placed = False
    for number, line in enumerate(lines):
        if changed and not placed and "title" in spans and number == spans["title"][0]:
            out += new_lines.get("title", [])
        if number not in skip:
            out.append(line)
    if changed:
        out += [line for key in REPLACED[1:] for line in new_lines.get(key, [])]
    from .captures import version_lines
    out += version_lines(replace(article, versions=tuple(versions)), out)  # and the new capture's time, if no provenance says it
    new_body = (current[3] if changed else body).strip("\n")
    said = (f"updated: the text captured {utc_text(current[0])} ({article.origin}) is now the article; the text it had "
            f"(captured {utc_text(current_time)}, with any edit you made to it) is kept as a version" if changed
            else f"updated: {len(versions) - len(old)} earlier version(s) added from {article.origin}")
    return Update(source_path, "---\n" + "\n".join(line for line in out) + "\n---\n" + new_body + "\n", said)


def _key(blank: ImportedArticle, text: tuple) -> str:
    return text_key(replace(blank, title=text[2], body=text[3]))


def _span(key_node, value_node, count: int) -> tuple[int, int]:
    end = value_node.end_mark.line + (1 if value_node.end_mark.column > 0 else 0)
    return key_node.start_mark.line, min(max(end, key_node.start_mark.line + 1), count)


def _own_lines(lines: list[str], start: int, end: int) -> tuple[int, int]:
    """The span without the comment and blank lines after the value's last line: YAML counts them
    in the value, but they are the user's notes between keys, and stay where they are."""
    while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):  # at column 0: no block scalar's line
        end -= 1
    return start, end


def _new_front(rendered: str) -> dict[str, list[str]]:
    """The front-matter lines of each top-level key of the file import would write."""
    front = rendered.split("\n---\n", 1)[0].removeprefix("---\n")
    lines = front.split("\n")
    root = yaml.compose(front, Loader=yaml.SafeLoader)
    return {k.value: lines[slice(*_span(k, v, len(lines)))] for k, v in root.value}


def write_update(articles_dir: Path, update: Update) -> None:
    """Replace the file in one step (a temporary file beside it, renamed over it)."""
    prepared = prepare_update(articles_dir, update)
    try:
        os.replace(prepared.temporary, prepared.target)
    except OSError:
        prepared.temporary.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class PreparedUpdate:
    """An update written beside its file, ready to be renamed over it; `old`: the file's bytes, to undo it."""
    update: Update
    target: Path
    temporary: Path
    old: bytes


def prepare_update(articles_dir: Path, update: Update) -> PreparedUpdate:
    """Write the update's temporary file (what a full disk, a read-only folder or a permission
    refuses is refused here, before any file of the import is placed)."""
    target = articles_dir / update.source_path
    old = target.read_bytes()
    temporary = target.with_name(f".{target.name}.import-{os.getpid()}")
    try:
        temporary.write_bytes(update.text.encode("utf-8"))
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return PreparedUpdate(update, target, temporary, old)


def discard_updates(prepared: list[PreparedUpdate]) -> None:
    for item in prepared:
        item.temporary.unlink(missing_ok=True)


def commit_updates(prepared: list[PreparedUpdate], keep_going: bool) -> tuple[list[PreparedUpdate], list[tuple[PreparedUpdate, OSError]]]:
    """Rename each prepared update over its file; (done, failures). Without keep_going, a failure
    puts the files already replaced back as they were: then no update was written."""
    done, failures = [], []
    for item in prepared:
        try:
            os.replace(item.temporary, item.target)
        except OSError as exc:
            failures.append((item, exc))
            if not keep_going:
                break
            continue
        done.append(item)
    if failures and not keep_going:
        discard_updates(prepared)
        for item in done:
            undo = item.temporary
            try:
                undo.write_bytes(item.old)
                os.replace(undo, item.target)
            except OSError:
                undo.unlink(missing_ok=True)
        done = []
    return done, failures


def plan_updates(entries: list, index, spool, articles_dir: Path) -> tuple[list[Update], list, int]:
    """(updates, the entries still to place as new articles, how many changed nothing): an entry
    whose crawled URL is an imported article's, and which is not that very input, updates it."""
    from .writer import render_file
    updates, rest, unchanged = [], [], 0
    for entry in entries:
        path = index.urls.get(url_key(entry.url)) if entry.url else None
        if path is None and entry.identity not in index.identities and _held_elsewhere(entry, spool, index, articles_dir):
            unchanged += 1  # the same text, imported from another address of the page (editions.py)
            continue
        if path is None or entry.identity in index.identities:
            rest.append(entry)
            continue
        article = spool.get(entry.ref)
        update = plan_update(article, path, articles_dir, render_file(article, index.slug_of.get(path, ""), [], None))
        if update is None:
            unchanged += 1
        else:
            updates.append(update)
    return updates, rest, unchanged


def _held_elsewhere(entry, spool, index, articles_dir: Path) -> bool:
    """The archive holds this text already, imported from the page's canonical address or from
    one of the addresses it declares as alternates (a regional edition, editions.py)."""
    paths = {index.urls.get(url_key(url)) for url in (entry.source_url, *entry.translations) if url} - {None}
    if not paths:
        return False
    wanted = text_key(spool.get(entry.ref))
    for path in sorted(paths):
        try:
            text = decode_source((articles_dir / path).read_bytes(), path)
            front, body, _ = split_front_matter(text, path)
            title = yaml.safe_load(front).get("title")
        except (OSError, ArticleProblems, yaml.YAMLError, AttributeError):
            continue
        if isinstance(title, str) and text_key(ImportedArticle("", "", title, "", body.strip("\n"), "")) == wanted:
            return True
    return False
