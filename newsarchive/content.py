"""articles/**.md → `Article`: discovery, decoding, front matter and body.

`parse_article` is pure (text in, Article or problems out), so articles can be
loaded in parallel and cached by content hash. What each front-matter key takes is read in
frontmatter.py; the cache's form of an Article is article_codec.py's.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from . import limits
from .corrections import Correction
from .errors import Problem
from .frontmatter import KNOWN_KEYS, ArticleProblems, LoadContext, Related, parse_date, read_front_matter  # noqa: F401 (imported from here too)
from .slugs import slugify_text
from .urls import article_url
from .versions import Version, finish_versions
from .walk import ARTICLE_SUFFIXES  # noqa: F401 (imported from here too)
from .usertext import XML_FORBIDDEN, clean_text, forbidden_warning, without_forbidden

if TYPE_CHECKING:
    from .markup import MarkdownRenderer

RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})
_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*\Z")


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
    embargo: datetime | None = None  # not published before this moment (embargo.py)
    word_count: int = 0
    local_links: tuple[str, ...] = ()
    local_link_lines: tuple[int | None, ...] = ()  # where each local link is written in the file
    aliases: tuple[str, ...] = ()  # old paths of this site that redirect here (links.py)
    alias_lines: tuple[int | None, ...] = ()
    corrections: tuple[Correction, ...] = ()  # newest first (corrections.py)
    translation_key: str | None = None  # articles sharing it are one story in several languages (translations.py)
    translation_of: str | None = None  # or: the slug or file path of the article this one translates
    translation_line: int | None = None  # where the later of the two is written
    provenance: dict | None = None  # where the text came from (provenance.py): url, captured, file, record, digest, extractor
    captions: tuple[dict, ...] = ()  # captions {text, credit} of pictures the archive does not hold
    extra: dict = field(default_factory=dict)
    status: str = "published"  # published | withdrawn | unlisted (status.py)
    reason: str | None = None  # the public reason shown on a withdrawn article's notice
    versions: tuple[Version, ...] = ()  # earlier texts, oldest first (versions.py)
    captured: datetime | None = None  # when the current text was captured (UTC), set when there are versions

    @property
    def dir(self) -> str:
        return text_direction(self.lang)

    @property
    def sort_key(self) -> tuple:
        """Newest first; ties broken by file so the order never depends on the walk."""
        return (-self.date.timestamp(), self.source_path)


@dataclass(frozen=True, slots=True)
class LoadResult:
    source_path: str
    article: Article | None
    problems: tuple[Problem, ...] = ()
    body: str = ""  # the rendered body HTML, kept apart so listings never hold it


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
        fields, problems = read_front_matter(front, source_path, ctx)
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
    try:  # earlier texts (versions.py), under the same limits as the body
        with limits.time_limit(ctx.max_article_seconds):
            versions, captured = finish_versions(fields.get("versions", []), fields, source_path, ctx, renderer, problems)
    except limits.TooSlow:
        return LoadResult(source_path, None, (*problems, limits.too_slow_problem(source_path, ctx.max_article_seconds)))
    except RecursionError:
        return LoadResult(source_path, None, (*problems, Problem("a version's body nests too deeply to convert", source_path, body_line,
                                                                 "flatten nested quotes, lists or brackets")))
    if any(p.is_error for p in problems):
        return LoadResult(source_path, None, tuple(problems))
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
        embargo=fields.get("embargo"),
        word_count=rendered.word_count,
        local_links=rendered.local_links,
        local_link_lines=rendered.local_link_lines,
        aliases=fields.get("aliases", ()),
        alias_lines=fields.get("alias_lines", ()),
        corrections=fields.get("corrections", ()),
        translation_key=fields.get("translation_key"),
        translation_of=fields.get("translation_of"),
        translation_line=fields.get("translation_line"),
        provenance=fields.get("provenance"),
        captions=fields.get("captions", ()),
        extra=fields.get("extra", {}),
        status=fields.get("status", "published"),
        reason=fields.get("reason"),
        versions=versions,
        captured=captured,
    )
    return LoadResult(source_path, article, tuple(problems), rendered.html)


