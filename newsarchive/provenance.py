"""Where an article came from (`provenance:`) and the captions of its pictures (`captions:`),
read from the front matter and shaped for the article's page and its JSON-LD.

`provenance:` is a mapping written by `import` (or by hand): `url` (the original address),
`captured` (when that copy was taken, ISO 8601), `file` (the input's name, never an absolute
path), `record` (the WARC-Record-ID), `digest` (of the payload) and `extractor` (what turned
the page into text, with versions). Archives imported before it was written hold
`imported_from:` (the input as typed, often an absolute path on the importing machine): it is
read only to name the file and the URL (`crawl.warc.gz: https://…`), and never published.
Both are own fields of the article: only its own page shows them (docs/ARCHITECTURE.md).
"""
from __future__ import annotations

import posixpath
import re
from datetime import datetime, timezone, tzinfo
from typing import Callable

import yaml

from . import urlpolicy, yamltext
from .dates import range_problem, utc_stamp
from .errors import Problem
from .usertext import visible

KEYS = ("url", "captured", "file", "record", "digest", "extractor")
MAX_TEXT = 1000  # characters of one provenance or caption text; a longer one is no name or digest
_ABSOLUTE = re.compile(r"(/|~|[A-Za-z]:[\\/]|\\\\|file:)", re.I)  # file: a URI of a path on the importing machine
_LEGACY_CRAWL = re.compile(r"(?P<file>.+?\.warc(?:\.gz)?): (?P<url>https?://\S+)\Z", re.I)

Clean = Callable[[str, str, int | None], str]


def read_sources(nodes: dict, source_path: str, tz: tzinfo, clean: Clean, problems: list[Problem]) -> dict:
    """The `provenance` and `captions` fields of an Article from the front matter's nodes
    ({key: (value node, line)}); each problem names the file and the line."""
    fields: dict = {}
    if "provenance" in nodes:
        provenance = _read_provenance(*nodes["provenance"], source_path, tz, clean, problems)
        if provenance:
            fields["provenance"] = provenance
    elif "imported_from" in nodes:
        legacy = _from_imported_from(nodes["imported_from"][0], nodes.get("import_sha256", (None, None))[0])
        if legacy:
            fields["provenance"] = legacy
    if "captions" in nodes:
        fields["captions"] = _read_captions(*nodes["captions"], source_path, clean, problems)
    return fields


def _read_provenance(node, line: int, source_path: str, tz: tzinfo, clean: Clean, problems: list[Problem]) -> dict:
    if isinstance(node, yaml.ScalarNode) and yamltext.plain_value(node) is None:  # `provenance:` left empty
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem("'provenance' must be a mapping of url, captured, file, record, digest, extractor", source_path, line,
                                "write it as indented 'key: value' lines under 'provenance:'"))
        return {}
    try:
        items = yamltext.mapping_items(node)
    except yamltext.YamlSyntaxError as exc:
        problems.append(Problem(f"invalid 'provenance': {exc.message}", source_path, exc.line))
        return {}
    found: dict[str, str] = {}
    for key, key_node, value_node in items:
        at = yamltext.line_of(value_node)
        name = f"provenance.{key}"
        if key not in KEYS:
            problems.append(Problem(f"'{name}' is not a provenance key; it is left out", source_path, yamltext.line_of(key_node),
                                    "use url, captured, file, record, digest and extractor", severity="warning"))
            continue
        text = yamltext.scalar_text(value_node)
        if text is None:
            problems.append(Problem(f"'{name}' must be text, not a list or mapping", source_path, at))
            continue
        text = clean(text, name, at).strip()
        if not visible(text) or yamltext.plain_value(value_node) is None:
            continue
        if len(text) > MAX_TEXT:
            problems.append(Problem(f"'{name}' is longer than {MAX_TEXT} characters; it is left out", source_path, at, severity="warning"))
            continue
        if key == "url":
            why = urlpolicy.url_problem(text, web_only=True)
            if why:
                problems.append(urlpolicy.url_error(name, text, why, source_path, at))
                continue
        elif key == "captured":
            stamp = _capture_stamp(text, tz)
            if stamp is None:
                problems.append(Problem(f"'{name}' is not a date and time: '{text[:80]}'", source_path, at,
                                        "write it like 2021-05-15T10:30:00Z (ISO 8601, UTC) or 2021-05-15"))
                continue
            text = stamp
        elif key == "file":
            text = _file_name(text, name, source_path, at, problems)
        found[key] = text
    return {key: found[key] for key in KEYS if key in found}


def _capture_stamp(text: str, tz: tzinfo) -> str | None:
    """A capture time as UTC 'YYYY-MM-DDTHH:MM:SSZ' (a date alone is its midnight in `tz`), or None."""
    from .frontmatter import parse_date  # frontmatter imports this module
    try:
        value, _ = parse_date(text.replace("z", "Z"), tz)
    except ValueError:
        return None
    if range_problem(value):
        return None
    return utc_stamp(value)


def _file_name(text: str, name: str, source_path: str, line: int, problems: list[Problem]) -> str:
    """The input's name as given to `import` (relative to what was imported); an absolute path
    (a private detail of the importing machine) is cut to its last part, with a warning."""
    if _ABSOLUTE.match(text) or "\\" in text or "/../" in f"/{text}/":
        base = posixpath.basename(text.replace("\\", "/").rstrip("/")) or "?"
        problems.append(Problem(f"'{name}' is an absolute path or leaves its folder; only its name '{base}' is kept and published",
                                source_path, line, "write the file's name, or its path inside the folder you imported", severity="warning"))
        return base
    return text


def _from_imported_from(node, digest_node) -> dict:
    """An archive imported before `provenance` existed: its file's name (and the page's URL, for a
    crawl's "crawl.warc.gz: URL"), never the path it was imported from."""
    text = (yamltext.scalar_text(node) or "").strip() if node is not None else ""
    if not text or any(c in text for c in "\x00\n\r"):
        return {}
    crawl = _LEGACY_CRAWL.match(text)
    file_path, url = (crawl.group("file"), crawl.group("url")) if crawl else (text, None)
    legacy: dict[str, str] = {}
    if url and not urlpolicy.url_problem(url, web_only=True):
        legacy["url"] = url
    base = posixpath.basename(file_path.replace("\\", "/").rstrip("/"))
    if base and visible(base) and len(base) <= MAX_TEXT:
        legacy["file"] = base
    digest = (yamltext.scalar_text(digest_node) or "").strip() if digest_node is not None else ""
    if re.fullmatch(r"[0-9a-f]{64}", digest):
        legacy["digest"] = f"sha256:{digest}"
    return legacy


def _read_captions(node, line: int, source_path: str, clean: Clean, problems: list[Problem]) -> tuple[dict, ...]:
    """`captions:` as import writes it (a list of {text, credit}); a plain text entry is a caption alone."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    captions = []
    for item in items:
        at = yamltext.line_of(item)
        entry: dict[str, str | None] = {}
        if isinstance(item, yaml.ScalarNode):
            entry = {"text": item.value if yamltext.plain_value(item) is not None else None}
        elif isinstance(item, yaml.MappingNode):
            try:
                pairs = yamltext.mapping_items(item)
            except yamltext.YamlSyntaxError as exc:
                problems.append(Problem(f"invalid 'captions' entry: {exc.message}", source_path, exc.line))
                continue
            unknown = [key for key, _, _ in pairs if key not in ("text", "credit")]
            values = {key: yamltext.scalar_text(value) for key, _, value in pairs if key in ("text", "credit")}
            if unknown or any(v is None for v in values.values()):
                problems.append(Problem("each 'captions' entry must be a text, or {text, credit} holding texts; it is left out", source_path, at,
                                        f"unexpected key '{unknown[0]}'" if unknown else None, severity="warning"))
                continue
            entry = values
        else:
            problems.append(Problem("each 'captions' entry must be a text, or {text, credit}; it is left out", source_path, at, severity="warning"))
            continue
        shown = {}
        for key in ("text", "credit"):
            value = clean(entry.get(key) or "", f"captions.{key}", at).strip()
            if visible(value):
                shown[key] = value[:MAX_TEXT]
        if shown:
            captions.append({"text": shown.get("text"), "credit": shown.get("credit")})
    return tuple(captions)


def provenance_view(provenance: dict | None) -> dict | None:
    """What the article's page shows: the provenance with `captured` as a UTC datetime."""
    if not provenance:
        return None
    view = dict(provenance)
    if "captured" in view:
        view["captured"] = datetime.fromisoformat(view["captured"].replace("Z", "+00:00")).astimezone(timezone.utc)
    return view
