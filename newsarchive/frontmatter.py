"""Front matter → the fields of an Article: each key read as the user typed it, checked,
and every problem named with its file and line (the contract is DESIGN.md's "Front matter")."""
from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, tzinfo

import yaml

from . import corrections, limits, urlpolicy, yamltext
from .dates import range_problem
from .provenance import read_sources
from .embargo import read_embargo
from .errors import Problem
from .filepolicy import IMAGE_SUFFIXES
from .segments import nfc, typed_segment_problem
from .status import read_status
from .slugs import article_slug, slugify_text
from .urls import alias_problem, segment_problem
from .versions import read_versions
from .usertext import balance_bidi, clean_text, forbidden_warning, visible

KNOWN_KEYS = frozenset({
    "title", "date", "updated", "slug", "tags", "section", "source", "source_url", "author",
    "lang", "summary", "image", "image_caption", "image_credit", "related", "draft", "aliases",
    "corrections", "status", "reason",
    "translation_key", "translation_of",
    "provenance", "imported_from",  # provenance.py; imported_from (older imports) is never published
    "versions",
    "embargo",
})
_LANG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*\Z")
_OFFSET_SPACE = re.compile(r"(\d)\s+(Z|[+-]\d\d(:?\d\d)?)\Z")
_URL = re.compile(r"(https?:)?//", re.I)
_WEB_URL = re.compile(r"https?://[^/\s]", re.I)


@dataclass(frozen=True, slots=True)
class Related:
    """One "read also" entry as written: a slug to resolve, or a title with or without a URL."""
    slug: str | None = None
    title: str | None = None
    url: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class LoadContext:
    """The settings parsing depends on; nothing about other files, so a parse can be cached
    by the file's content alone."""
    permalink: str
    default_lang: str
    tz: tzinfo
    slug_style: str
    max_article_bytes: int = limits.DEFAULT_MAX_ARTICLE_BYTES
    max_nesting: int = limits.DEFAULT_MAX_NESTING
    max_article_seconds: float = limits.DEFAULT_MAX_ARTICLE_SECONDS


class ArticleProblems(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def parse_date(text: str, tz: tzinfo) -> tuple[datetime, bool]:
    """ISO 8601 date or datetime; naive times take `tz`; an explicit offset is kept as written."""
    text = _OFFSET_SPACE.sub(r"\1\2", text.strip())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = datetime.fromisoformat(text)
        return day.replace(tzinfo=tz), True
    if not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}", text):
        raise ValueError(text)
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value, False


def read_front_matter(front: str, source_path: str, ctx: LoadContext) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []

    def error(message: str, line: int | None, hint: str | None = None) -> None:
        problems.append(Problem(message, source_path, line, hint))

    try:
        root = yamltext.compose(front, first_line=2)
        if root is None:
            raise ArticleProblems([Problem("the front matter is empty", source_path, 2, "add at least 'title: …' and 'date: YYYY-MM-DD'")])
        if not yamltext.is_mapping(root):
            raise ArticleProblems([Problem("the front matter must be 'key: value' lines", source_path, 2)])
        items = yamltext.mapping_items(root)
    except yamltext.YamlSyntaxError as exc:
        raise ArticleProblems([Problem(
            f"invalid YAML in the front matter: {exc.message}", source_path,
            exc.line,
            "quote values that contain ': ' or start with [ { * & ! % @ `",
        )]) from None

    nodes = {key: (value, yamltext.line_of(key_node)) for key, key_node, value in items}
    fields: dict = {}

    def clean(value: str, key: str, line: int | None) -> str:
        value, removed = clean_text(value)
        if removed:
            problems.append(forbidden_warning(f"'{key}'", removed, source_path, line))
        return value

    def url_field(key: str, **policy) -> str | None:
        value = text_field(key)
        why = value and urlpolicy.url_problem(value, **policy)
        if why:
            problems.append(urlpolicy.url_error(key, value, why, source_path, nodes[key][1]))
            return None
        return value

    def text_field(key: str, required: bool = False) -> str | None:
        if key not in nodes:
            if required:
                error(f"'{key}' is missing", 2, f"add a line '{key}: …' to the front matter")
            return None
        node, line = nodes[key]
        value = yamltext.scalar_text(node)
        if value is None:
            error(f"'{key}' must be text, not a list or mapping", line)
            return None
        value = clean(value, key, line).strip()
        if not visible(value) or (not required and yamltext.plain_value(node) is None):
            if required:
                error(f"'{key}' is empty", line, f"write the {key} after '{key}: '")
            return None
        return value

    def list_field(key: str) -> tuple[list[str], int]:
        """A YAML list of scalars or one comma-separated string, as typed."""
        node, line = nodes[key]
        if isinstance(node, yaml.SequenceNode):
            values = []
            for item in node.value:
                text = yamltext.scalar_text(item)
                if text is None:
                    error(f"each entry of '{key}' must be text", yamltext.line_of(item))
                elif text.strip():
                    values.append(clean(text, key, yamltext.line_of(item)).strip())
            return [v for v in values if visible(v)], line
        text = yamltext.scalar_text(node)
        if text is None:
            error(f"'{key}' must be a list or a comma-separated text", line)
            return [], line
        parts = (balance_bidi(part).strip() for part in clean(text, key, line).split(","))  # each part its own text
        return [part for part in parts if visible(part)], line

    title = text_field("title", required=True)
    if title:
        fields["title"] = title

    for key, only_key in (("date", "date_only"), ("updated", "updated_date_only")):
        if key not in nodes:
            if key == "date":
                error("'date' is missing", 2, "add a line like 'date: 2024-05-01' or 'date: 2024-05-01T09:30:00+02:00'")
            continue
        raw = text_field(key, required=key == "date")
        if raw is None:
            continue
        try:
            fields[key], fields[only_key] = parse_date(raw, ctx.tz)
        except ValueError:
            error(f"'{key}' is not a date: '{raw}'", nodes[key][1], "write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional offset like +02:00")
            continue
        outside = range_problem(fields[key])
        if outside:
            del fields[key]
            error(f"'{key}' {raw} {outside}", nodes[key][1], "check the year and the offset")
    if "updated" in fields and "date" in fields and fields["updated"] < fields["date"]:  # feeds and JSON-LD would say it changed before it appeared
        problems.append(Problem(f"'updated' {nodes['updated'][0].value} is before 'date' {nodes['date'][0].value}; it is left out",
                                source_path, nodes["updated"][1], "check the two dates (updated is when the article last changed)", severity="warning"))
        del fields["updated"], fields["updated_date_only"]
    if "corrections" in nodes:  # after the dates: a correction is checked against the article's date, and may be its last change
        fields["corrections"] = corrections.read_corrections(
            *nodes["corrections"], source_path, fields.get("date"), fields.get("date_only", False),
            lambda text: parse_date(text, ctx.tz), clean, problems)
        fields["updated"], fields["updated_date_only"] = corrections.latest_change(
            fields.get("date"), fields.get("updated"), fields.get("updated_date_only", False), fields["corrections"])

    slug_text = text_field("slug")
    if slug_text is not None:
        why = segment_problem(slug_text) or typed_segment_problem(slug_text)
        if why:
            error(f"slug '{slug_text}' {why}", nodes["slug"][1], "use one word or words joined by '-', e.g. 'port-strike'")
        else:
            fields["slug"] = nfc(slug_text)
    elif title:
        stem = posixpath.splitext(posixpath.basename(source_path))[0]
        fields["slug"] = article_slug(title, stem, ctx.slug_style)

    lang = text_field("lang") or ctx.default_lang
    if not _LANG.match(lang):
        error(f"'lang' is not a language code: '{lang}'", nodes["lang"][1], "use a code such as en, fr, ar or pt-BR")
    fields["lang"] = lang

    if "tags" in nodes:
        values, _ = list_field("tags")
        seen: set[str] = set()
        tags = []
        for tag in values:
            key = slugify_text(tag, ctx.slug_style)
            if key not in seen:
                seen.add(key)
                tags.append(tag)
        fields["tags"] = tuple(tags)

    for key in ("section", "source", "summary", "image_caption", "image_credit"):
        value = text_field(key)
        if value:
            fields[key] = value

    source_url = text_field("source_url")
    if source_url:
        why = urlpolicy.url_problem(source_url, web_only=True)
        if not _WEB_URL.match(source_url):
            error(f"'source_url' must be a web address starting with https:// or http://, not '{source_url}'", nodes["source_url"][1])
        elif why:
            problems.append(urlpolicy.url_error("source_url", source_url, why, source_path, nodes["source_url"][1]))
        else:
            fields["source_url"] = source_url

    if "author" in nodes:
        fields["authors"] = tuple(list_field("author")[0]) if isinstance(nodes["author"][0], yaml.SequenceNode) else tuple(filter(None, [text_field("author")]))

    image = url_field("image", mailto=False)
    if image and not _URL.match(image) and not image.lower().endswith(IMAGE_SUFFIXES):
        error(f"'image' {image!r} is not an image file: its name must end in " + ", ".join(IMAGE_SUFFIXES), nodes["image"][1],
              "give a JPEG, PNG, WebP, GIF, AVIF or SVG file, or an https:// address")
    elif image:
        fields["image"], fields["image_line"] = image, nodes["image"][1]

    if "related" in nodes:
        fields["related"] = tuple(_read_related(nodes["related"][0], source_path, problems, clean))

    if "aliases" in nodes:
        fields["aliases"], fields["alias_lines"] = _read_aliases(nodes["aliases"][0], source_path, problems)

    for key in ("translation_key", "translation_of"):  # translations.py groups them
        value = text_field(key)
        if value:
            fields[key], fields["translation_line"] = value, nodes[key][1]
    if "versions" in nodes:  # rendered and checked against the current text in content.py (versions.py)
        fields["versions"] = read_versions(nodes["versions"][0], nodes["versions"][1], source_path, ctx.tz, problems)

    if "draft" in nodes:
        raw = (text_field("draft") or "").lower()
        if raw in ("true", "yes"):
            fields["draft"] = True
        elif raw not in ("false", "no", ""):
            error(f"'draft' must be true or false, not '{raw}'", nodes["draft"][1])

    read_status(text_field, nodes, fields, problems, source_path)  # takedowns (status.py)
    fields.update(read_sources(nodes, source_path, ctx.tz, clean, problems))
    if "embargo" in nodes:  # embargo.py; an embargo that cannot be read is an error, never ignored
        raw = text_field("embargo")
        if raw is not None or yamltext.scalar_text(nodes["embargo"][0]) is not None:  # a list was refused by text_field
            fields["embargo"], found = read_embargo(raw, nodes["embargo"][1], fields.get("date"), lambda text: parse_date(text, ctx.tz), source_path)
            problems += found

    extra = {}
    for key, (node, line) in nodes.items():
        if key not in KNOWN_KEYS:
            try:
                extra[key] = _cleaned(yamltext.to_python(node), lambda text, key=key, line=line: clean(text, key, line))
            except yamltext.YamlSyntaxError as exc:
                error(f"'{key}': {exc.message}", line)
            else:  # read whole within to_python's budget, so walking it is bounded too
                problems.extend(urlpolicy.extra_url_problems(key, node, source_path, line))
    fields["extra"] = extra
    return fields, problems


def _cleaned(value, clean):
    """Every text of an extra key's value through `clean` (XML-safe, bidi balanced): a theme may
    publish any of them (the default one shows `image_alt`)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_cleaned(item, clean) for item in value]
    if isinstance(value, dict):
        return {name: _cleaned(item, clean) for name, item in value.items()}
    return value


def _read_aliases(node, source_path: str, problems: list[Problem]) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    """Old URLs of this site (paths such as /old/cms/story.html) that redirect to the article."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    aliases, lines = [], []
    for item in items:
        line = yamltext.line_of(item)
        text = yamltext.scalar_text(item) if isinstance(item, yaml.ScalarNode) else None
        if text is None:
            problems.append(Problem("each entry of 'aliases' must be a path such as /old/path.html", source_path, line))
            continue
        text = unicodedata.normalize("NFC", text.strip())
        why = alias_problem(text)
        if why:
            problems.append(Problem(f"alias '{text[:120]}' {why}", source_path, line))
        elif text not in aliases:
            aliases.append(text)
            lines.append(line)
    return tuple(aliases), tuple(lines)


def _read_related(node, source_path: str, problems: list[Problem], clean) -> list[Related]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    related = []
    for item in items:
        item_line = yamltext.line_of(item)
        if isinstance(item, yaml.ScalarNode):
            for slug in item.value.split(","):
                if slug.strip():
                    related.append(Related(slug=slug.strip(), line=item_line))
            continue
        if isinstance(item, yaml.MappingNode):
            try:
                entry = {k: yamltext.scalar_text(v) for k, _, v in yamltext.mapping_items(item)}
            except yamltext.YamlSyntaxError as exc:
                problems.append(Problem(f"invalid 'related' entry: {exc.message}", source_path, exc.line))
                continue
            unknown = sorted(set(entry) - {"title", "url", "slug"})
            if unknown or not (entry.get("title") or entry.get("slug")):
                problems.append(Problem(
                    "each 'related' entry must be a slug, {title, url} or {title}", source_path, item_line,
                    f"unexpected key '{unknown[0]}'" if unknown else "give at least a title",
                ))
                continue
            url = (entry.get("url") or "").strip() or None
            why = url and urlpolicy.url_problem(url)
            if why:
                problems.append(urlpolicy.url_error("related.url", url, why, source_path, item_line))
                continue
            title = clean(entry["title"], "related.title", item_line).strip() if entry.get("title") else None
            related.append(Related(slug=entry.get("slug"), title=title if title and visible(title) else None, url=url, line=item_line))
            continue
        problems.append(Problem("each 'related' entry must be a slug, {title, url} or {title}", source_path, item_line))
    return related
