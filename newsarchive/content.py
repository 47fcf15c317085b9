"""articles/**.md → `Article`: discovery, decoding, front matter and body.

`parse_article` is pure (text in, Article or problems out), so articles can be
loaded in parallel and cached by content hash.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import yaml

from . import limits, urlpolicy, yamltext
from .dates import range_problem
from .errors import Problem
from .filepolicy import IMAGE_SUFFIXES
from .segments import nfc, typed_segment_problem
from .slugs import article_slug, slugify_text
from .urls import alias_problem, article_url, segment_problem
from .usertext import XML_FORBIDDEN, balance_bidi, clean_text, forbidden_warning, without_forbidden

if TYPE_CHECKING:
    from .markup import MarkdownRenderer

ARTICLE_SUFFIXES = (".md", ".markdown")
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
KNOWN_KEYS = frozenset({
    "title", "date", "updated", "slug", "tags", "section", "source", "source_url", "author",
    "lang", "summary", "image", "image_caption", "image_credit", "related", "draft", "aliases",
})
_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*\Z")
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


@dataclass(frozen=True, slots=True)
class Article:
    source_path: str
    title: str
    date: datetime
    date_only: bool
    slug: str
    url: str
    lang: str
    summary: str | None  # None once loaded for a build: the card reads it from the cache (load.KeptArticles)
    summary_in_body: bool = False  # the summary is the body's own first paragraph
    content_hash: str = ""  # of the file's bytes: a changed file changes its pages
    updated: datetime | None = None
    updated_date_only: bool = False
    tags: tuple[str, ...] = ()
    section: str | None = None
    source: str | None = None
    source_url: str | None = None
    authors: tuple[str, ...] = ()
    image: str | None = None  # as written; site.image_urls holds where it resolved to
    image_line: int | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    related: tuple[Related, ...] = ()
    draft: bool = False
    word_count: int = 0
    local_links: tuple[str, ...] = ()
    local_link_lines: tuple[int | None, ...] = ()  # where each local link is written in the file
    aliases: tuple[str, ...] = ()  # old paths of this site that redirect here (links.py)
    alias_lines: tuple[int | None, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def dir(self) -> str:
        return text_direction(self.lang)

    @property
    def sort_key(self) -> tuple:
        """Newest first; ties broken by file so the order never depends on the walk."""
        return (-self.date.timestamp(), self.source_path)


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


@dataclass(frozen=True, slots=True)
class LoadResult:
    source_path: str
    article: Article | None
    problems: tuple[Problem, ...] = ()
    body: str = ""  # the rendered body HTML, kept apart so listings never hold it


class ArticleProblems(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def text_direction(lang: str) -> str:
    return "rtl" if lang.lower().replace("_", "-").split("-")[0] in RTL_LANGUAGES else "ltr"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_source(data: bytes, source_path: str) -> str:
    """UTF-8 (BOM allowed) with LF line ends; another encoding names the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ArticleProblems([Problem(
            f"not valid UTF-8: byte 0x{data[exc.start]:02X} at line {line}, column {column}",
            source_path, line,
            "re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 FILE`)",
        )]) from None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, source_path: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if not text.strip():
        raise ArticleProblems([Problem("the file is empty", source_path, 1, "an article starts with '---', its front matter (title, date…), then '---' and the text")])
    if lines[0].rstrip() != "---":
        raise ArticleProblems([Problem(
            "no front matter: the first line must be '---'", source_path, 1,
            "start the file with '---', then lines like 'title: …' and 'date: 2024-05-01', then '---' before the text",
        )])
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise ArticleProblems([Problem("the front matter opened on line 1 is never closed", source_path, 1, "add a line '---' after the last front-matter key")])


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


def parse_article(data: bytes, source_path: str, ctx: LoadContext, renderer: MarkdownRenderer) -> LoadResult:
    """Bytes of one article file → Article, with every problem found (errors make article None).
    A file too big, nested too deeply or too slow to convert is an error (limits.py), and so
    is one the Markdown converter fails on: no file can stop the build with an internal error."""
    too_big = limits.size_problem(len(data), source_path, ctx.max_article_bytes)
    if too_big:
        return LoadResult(source_path, None, (too_big,))
    try:
        text = decode_source(data, source_path)
        front, body, body_line = split_front_matter(text, source_path)
        removed: list[Problem] = []
        if XML_FORBIDDEN.search(front):  # raw, YAML would refuse them; escaped, they are left out per field
            front = without_forbidden(front, 2, source_path, removed, "the front matter")
        fields, problems = _read_front_matter(front, source_path, ctx)
        problems[:0] = removed
    except ArticleProblems as exc:
        return LoadResult(source_path, None, tuple(exc.problems))
    if any(p.is_error for p in problems):
        return LoadResult(source_path, None, tuple(problems))
    if XML_FORBIDDEN.search(body):
        body = without_forbidden(body, body_line, source_path, problems, "the text")
    too_deep = limits.nesting_problem(body, body_line, source_path, ctx.max_nesting)
    if too_deep:
        return LoadResult(source_path, None, (*problems, too_deep))
    try:
        with limits.time_limit(ctx.max_article_seconds):
            rendered = renderer.render(body, source_path=source_path, first_line=body_line)
    except limits.TooSlow:
        return LoadResult(source_path, None, (*problems, limits.too_slow_problem(source_path, ctx.max_article_seconds)))
    except RecursionError:
        return LoadResult(source_path, None, (*problems, Problem(
            "the body nests too deeply to convert", source_path, body_line, "flatten nested quotes, lists or brackets")))
    except Exception as exc:  # a converter bug met by this file: the file is named, the build goes on with --keep-going
        return LoadResult(source_path, None, (*problems, Problem(
            f"the Markdown converter failed on this body ({type(exc).__name__}: {exc})", source_path, body_line,
            "simplify the markup around the spot; please also report this file as a newsarchive bug")))
    for url, why, line in rendered.refused_links:
        problems.append(Problem(f"the body links to {url[:80]!r}, which {why}; the link is left out", source_path, line or body_line,
                                "write an https:// address or a path on this site", "warning"))
    if rendered.forbidden:
        problems.append(forbidden_warning("the text", rendered.forbidden, source_path, body_line))
    section = fields.get("section")
    slug = fields["slug"]
    first_paragraph = clean_text(rendered.first_paragraph)[0]
    article = Article(
        source_path=source_path,
        title=fields["title"],
        date=fields["date"],
        date_only=fields["date_only"],
        updated=fields.get("updated"),
        updated_date_only=fields.get("updated_date_only", False),
        slug=slug,
        url=article_url(
            ctx.permalink, date=fields["date"], slug=slug,
            section_slug=slugify_text(section, ctx.slug_style) if section else "articles", lang=fields["lang"],
        ),
        lang=fields["lang"],
        summary=fields.get("summary") or first_paragraph,
        summary_in_body=(fields.get("summary") or first_paragraph) == first_paragraph,
        content_hash=content_hash(data),
        tags=fields.get("tags", ()),
        section=section,
        source=fields.get("source"),
        source_url=fields.get("source_url"),
        authors=fields.get("authors", ()),
        image=fields.get("image"),
        image_line=fields.get("image_line"),
        image_caption=fields.get("image_caption"),
        image_credit=fields.get("image_credit"),
        related=fields.get("related", ()),
        draft=fields.get("draft", False),
        word_count=rendered.word_count,
        local_links=rendered.local_links,
        local_link_lines=rendered.local_link_lines,
        aliases=fields.get("aliases", ()),
        alias_lines=fields.get("alias_lines", ()),
        extra=fields.get("extra", {}),
    )
    return LoadResult(source_path, article, tuple(problems), rendered.html)


def _read_front_matter(front: str, source_path: str, ctx: LoadContext) -> tuple[dict, list[Problem]]:
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
        if not value or (not required and yamltext.plain_value(node) is None):
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
            return [v for v in values if v], line
        text = yamltext.scalar_text(node)
        if text is None:
            error(f"'{key}' must be a list or a comma-separated text", line)
            return [], line
        parts = (balance_bidi(part).strip() for part in clean(text, key, line).split(","))  # each part its own text
        return [part for part in parts if part], line

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

    if "draft" in nodes:
        raw = (text_field("draft") or "").lower()
        if raw in ("true", "yes"):
            fields["draft"] = True
        elif raw not in ("false", "no", ""):
            error(f"'draft' must be true or false, not '{raw}'", nodes["draft"][1])

    extra = {}
    for key, (node, line) in nodes.items():
        if key not in KNOWN_KEYS:
            try:
                extra[key] = yamltext.to_python(node)
            except yamltext.YamlSyntaxError as exc:
                error(f"'{key}': {exc.message}", line)
            else:  # read whole within to_python's budget, so walking it is bounded too
                problems.extend(urlpolicy.extra_url_problems(key, node, source_path, line))
    fields["extra"] = extra
    return fields, problems


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
            related.append(Related(slug=entry.get("slug"), title=title or None, url=url, line=item_line))
            continue
        problems.append(Problem("each 'related' entry must be a slug, {title, url} or {title}", source_path, item_line))
    return related


CACHE_FORMAT = 5  # the layout of article_to_json and the parse rules (4: bounded NFC slugs, dates in range; 5: aliases); part of the cache key
_FIELDS = tuple(f.name for f in fields(Article))
_DATES = tuple(_FIELDS.index(name) for name in ("date", "updated"))
_TUPLES = tuple(_FIELDS.index(name) for name in ("tags", "authors", "local_links", "local_link_lines", "aliases", "alias_lines"))
_RELATED = _FIELDS.index("related")
SUMMARY_FIELD = _FIELDS.index("summary")  # where article_to_json puts the summary


def article_to_json(article: Article) -> str:
    """The cache's form of an Article: its fields in order (the cache key names them).
    Datetimes keep their zone, so a cached article renders exactly like a freshly parsed one."""
    values = [getattr(article, name) for name in _FIELDS]
    for index in _DATES:
        values[index] = encode_datetime(values[index])
    values[_RELATED] = [[r.slug, r.title, r.url, r.line] for r in article.related]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def article_from_json(text: str) -> Article:
    values = json.loads(text)
    for index in _DATES:
        values[index] = decode_datetime(values[index])
    for index in _TUPLES:
        values[index] = tuple(values[index])
    values[_RELATED] = tuple(Related(*r) for r in values[_RELATED])
    return Article(*values)


def encode_datetime(value: datetime | None) -> list | None:
    if value is None:
        return None
    zone = getattr(value.tzinfo, "key", None) or value.utcoffset().total_seconds()
    return [value.replace(tzinfo=None).isoformat(), zone, value.fold]


def decode_datetime(value: list | None) -> datetime | None:
    if value is None:
        return None
    wall, zone, fold = value
    return datetime.fromisoformat(wall).replace(tzinfo=_zone(zone), fold=fold)


@lru_cache(maxsize=1024)
def _zone(zone: str | float) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else timezone(timedelta(seconds=zone))


