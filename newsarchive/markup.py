"""Article body: Markdown → safe HTML, plus the plain-text first paragraph.

Relative links and image paths in a body are rewritten to site-absolute paths
("/images/x.jpg", "/2021/other.md") so they can be made relative again for each
page that shows the body, and absolute for feeds.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

import markdown
import nh3
from markdown import util
from markdown.extensions.toc import (TocExtension, TocTreeprocessor, remove_fnrefs, render_inner_html, slugify_unicode,
                                     strip_tags, unique)
from markdown.extensions.attr_list import AttrListExtension, AttrListTreeprocessor
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor

from .urls import rewrite_urls
from .urlpolicy import SCHEMES, url_problem
from .usertext import XML_FORBIDDEN

class _HeadingIds(TocTreeprocessor):
    """Python-Markdown's `toc` sets heading ids, then builds a table of contents no page
    shows; this keeps the first half only, with the same ids."""

    def run(self, doc) -> None:
        used_ids = set()
        headings = []
        for el in doc.iter():
            if "id" in el.attrib:
                used_ids.add(el.attrib["id"])
            elif el.tag in _HEADING_TAGS:
                headings.append(el)
        counters: dict[str, int] = {}
        for el in headings:
            name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
            el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _HeadingIdsExtension(TocExtension):
    TreeProcessorClass = _HeadingIds


def markdown_extensions() -> list:
    """Tables, footnotes, fenced code, heading ids, `{: .class}` attributes, sane lists (as
    objects: a name would make Python-Markdown scan every installed package's entry points)."""
    return [TableExtension(), FootnoteExtension(BACKLINK_TITLE="↩ %d"), FencedCodeExtension(),
            _HeadingIdsExtension(slugify=slugify_unicode), AttrListExtension(), SaneListExtension()]

_SAFE_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym"} | {"figure", "figcaption", "picture", "source", "tfoot"}
_SAFE_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_SAFE_ATTRIBUTES["*"] = {"id", "class", "lang", "dir", "title"}
_SAFE_ATTRIBUTES["a"] = {"href", "hreflang", "rel"}
# no srcset: the sanitizer checks no URL in it (and the pages make their own, views.responsive_images)
_SAFE_ATTRIBUTES["img"] = {"src", "alt", "width", "height", "loading"}
_SAFE_ATTRIBUTES["source"] = {"media", "type"}
_SAFE_ATTRIBUTES["th"] = _SAFE_ATTRIBUTES["th"] | {"style"}
_SAFE_ATTRIBUTES["td"] = _SAFE_ATTRIBUTES["td"] | {"style"}
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_FOOTNOTE_REF = re.compile(r"<sup\b[^>]*\bid=\"fnref[^>]*>.*?</sup>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Rendered:
    html: str
    first_paragraph: str
    word_count: int
    local_links: tuple[str, ...]  # site-absolute paths the body points at, for link checks
    local_link_lines: tuple[int | None, ...] = ()  # the line of the file each of them is written on
    refused_links: tuple[tuple[str, str, int | None], ...] = ()  # (URL, why, line) of each href/src the sanitizer dropped
    forbidden: str = ""  # characters XML cannot carry that entities put in the body, left out


# What each inline pattern of our extensions needs in a text before it can match
# ("linebreak" needs two spaces before a newline, checked apart).
_INLINE_TRIGGERS = {
    "backtick": "`\\", "escape": "\\", "footnote": "[", "reference": "[", "link": "[", "image_link": "[",
    "image_reference": "[", "short_reference": "[", "short_image_ref": "[", "autolink": "<", "automail": "<",
    "linebreak": "", "html": "<", "entity": "&", "em_strong": "*_",
}


# What each inline pattern's regular expression cannot match without (any one of these one or two strings).
_INLINE_NEEDS = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",), "link": ("[",),
    "short_reference": ("[",), "image_link": ("![",), "image_reference": ("![",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "linebreak": ("  \n",), "entity": ("&",), "em_strong": ("*", "_"),
}


class _PlainTextShortcut(InlineProcessor):
    """Python-Markdown tries every inline pattern's regular expression on every text, which
    is most of its time on news prose. A text containing none of the characters any pattern
    needs comes out unchanged, so it is returned at once; in the others a pattern is tried
    only when the text holds what it needs (a text with emphasis and a link tries 4 of the
    15). The HTML is the same either way (tests/test_markup.py compares both on random and
    real text, tests/test_speed_equivalence.py on rich corpus articles)."""

    def __init__(self, md: markdown.Markdown, triggers: frozenset[str]):
        super().__init__(md)
        self._may_match = re.compile("[" + re.escape("".join(sorted(triggers))) + "]|  \n").search
        self._ordered: list | None = None

    def run(self, tree, ancestors=None):
        names = [item.name for item in sorted(self.inlinePatterns._priority, key=lambda item: item.priority, reverse=True)]
        self._ordered = [(self.inlinePatterns[name], _INLINE_NEEDS.get(name)) for name in names]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString) or (patternIndex == 0 and not self._may_match(data)):
            return data
        apply = self._InlineProcessor__applyPattern
        ordered = self._ordered
        count = len(ordered)
        startIndex = 0
        while patternIndex < count:
            pattern, needs = ordered[patternIndex]
            if needs is not None and needs[0] not in data and (len(needs) == 1 or needs[1] not in data):
                patternIndex, startIndex = patternIndex + 1, 0  # what a pattern that finds no match gives
                continue
            data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
        return data


def add_plain_text_shortcut(md: markdown.Markdown) -> bool:
    """Install the shortcut when every registered inline pattern is one we know; False otherwise."""
    names = [item.name for item in md.inlinePatterns._priority]
    if not set(names) <= set(_INLINE_TRIGGERS) or not hasattr(InlineProcessor, "_InlineProcessor__handleInline"):
        return False
    triggers = frozenset("".join(_INLINE_TRIGGERS[n] for n in names)) | {util.STX, util.ETX}
    md.treeprocessors.register(_PlainTextShortcut(md, triggers), "inline", 20)
    return True


# Block processors and preprocessors whose regular expression cannot match a text that lacks
# every one of these strings (read off each one's pattern). Python-Markdown tries most of
# them on every block; a substring test first skips the regular expression, with the same result.
_BLOCK_NEEDS = {
    "hashheader": ("#",), "setextheader": ("\n=", "\n-"), "hr": ("-", "*", "_"), "quote": (">",), "table": ("|",),
}
_BLOCK_RUN_NEEDS = {"reference": ("]:",), "footnote": ("[^",)}  # their test() is always True; run() searches
_PREPROCESSOR_NEEDS = {"fenced_code_block": ("```", "~~~"), "html_block": ("<", "&")}
_STOCK_MODULES = ("markdown.blockprocessors", "markdown.preprocessors", "markdown.extensions.")


def add_block_prefilters(md: markdown.Markdown) -> int:
    """Put a substring test before the regular expressions of the stock processors named above;
    returns how many were wrapped (a processor from elsewhere is left as it is)."""
    wrapped = 0
    for registry, needs, method, make in (
        (md.parser.blockprocessors, _BLOCK_NEEDS, "test", _prefiltered_test),
        (md.parser.blockprocessors, _BLOCK_RUN_NEEDS, "run", _prefiltered_run),
        (md.preprocessors, _PREPROCESSOR_NEEDS, "run", _prefiltered_preprocessor),
    ):
        for name, needles in needs.items():
            if name in registry and type(registry[name]).__module__.startswith(_STOCK_MODULES):
                processor = registry[name]
                setattr(processor, method, make(getattr(processor, method), needles))
                wrapped += 1
    return wrapped


def _prefiltered_test(test, needles: tuple[str, ...]):
    if len(needles) == 1:
        (a,) = needles
        return lambda parent, block: a in block and test(parent, block)
    if len(needles) == 2:
        a, b = needles
        return lambda parent, block: (a in block or b in block) and test(parent, block)
    a, b, c = needles
    return lambda parent, block: (a in block or b in block or c in block) and test(parent, block)


def _prefiltered_run(run, needles: tuple[str, ...]):
    (needle,) = needles
    return lambda parent, blocks: run(parent, blocks) if needle in blocks[0] else False


def _prefiltered_preprocessor(run, needles: tuple[str, ...]):
    def prefiltered(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return run(lines) if any(n in text for n in needles) else lines
    return prefiltered


class _NormalizeWhitespace(NormalizeWhitespace):
    """Python-Markdown's own step, but the search for space-only lines (a look-behind tried
    at every character of the document) runs only when the document can have one."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        if "\n " in source and " \n" in source:
            source = _SPACE_ONLY_LINE.sub("\n", source)
        return source.split("\n")


_SPACE_ONLY_LINE = re.compile(r"(?<=\n) +\n")


def add_tree_prefilters(md: markdown.Markdown) -> None:
    """The same for whitespace normalizing and two tree processors: `attr_list` looks for
    `{` in every element, which a document without one cannot have; `unescape` runs a
    regular expression on every text for the escaped-character marks, which most texts lack."""
    if "normalize_whitespace" in md.preprocessors and type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace:
        md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)
    if "unescape" in md.treeprocessors and type(md.treeprocessors["unescape"]) is UnescapeTreeprocessor:
        unescape = md.treeprocessors["unescape"].unescape
        md.treeprocessors["unescape"].unescape = lambda text: unescape(text) if util.STX in text else text
    if "attr_list" in md.treeprocessors and type(md.treeprocessors["attr_list"]) is AttrListTreeprocessor:
        seen = _SourceHas(md, "{")
        md.preprocessors.register(seen, "newsarchive_source_has", 1000)
        attr_list = md.treeprocessors["attr_list"].run
        md.treeprocessors["attr_list"].run = lambda doc: attr_list(doc) if seen.found else None


class _SourceHas(Preprocessor):
    """Notes whether the document's source contains a string; changes nothing."""

    def __init__(self, md: markdown.Markdown, needle: str):
        super().__init__(md)
        self.needle = needle
        self.found = True

    def run(self, lines: list[str]) -> list[str]:
        self.found = any(self.needle in line for line in lines)
        return lines


class _OrderOnce(util.Registry):
    """A registry that sorts its items once rather than on every iteration: the block parser
    iterates its processors for every block of every document."""

    _order: list | None = None

    def __iter__(self):
        if self._order is None:
            self._order = list(util.Registry.__iter__(self))
        return iter(self._order)

    def register(self, *args, **kwargs) -> None:
        self._order = None
        util.Registry.register(self, *args, **kwargs)

    def deregister(self, *args, **kwargs) -> None:
        self._order = None
        util.Registry.deregister(self, *args, **kwargs)


class MarkdownRenderer:
    """One Python-Markdown instance reused across articles (building it costs more than a short article)."""

    def __init__(self, *, allow_raw_html: bool = False, shortcut: bool = True):
        self._md = markdown.Markdown(extensions=markdown_extensions(), output_format="html")
        if shortcut:
            add_plain_text_shortcut(self._md)
            add_block_prefilters(self._md)
            add_tree_prefilters(self._md)
            if type(self._md.parser.blockprocessors) is util.Registry:
                self._md.parser.blockprocessors.__class__ = _OrderOnce
        self._allow_raw_html = allow_raw_html
        self._cleaner = body_cleaner()

    def render(self, body: str, *, source_path: str, first_line: int = 1) -> Rendered:
        """`source_path` (relative to articles/) anchors the body's relative links; `first_line`
        is the line of the file the body starts on, to tell where each local link is written."""
        self._md.reset()
        body_html = self._md.convert(body)
        refused: tuple = ()
        forbidden = ""
        if not self._allow_raw_html:
            refused = refused_links(body_html, body, first_line)
            body_html = self._cleaner.clean(body_html)
            if XML_FORBIDDEN.search(body_html):  # put there by entities such as &#1;
                forbidden = "".join(XML_FORBIDDEN.findall(body_html))
                body_html = XML_FORBIDDEN.sub("", body_html)
        local: list[str] = []
        written: list[str] = []
        body_html = rewrite_urls(body_html, lambda url: _site_path(url, source_path, local, written))
        lines = link_lines(body, written, first_line) if written else ()
        return Rendered(body_html, first_paragraph(body_html), len(_TAG.sub(" ", body_html).split()), tuple(local), lines,
                        refused, forbidden)


def refused_links(body_html: str, body: str, first_line: int) -> tuple[tuple[str, str, int | None], ...]:
    """The href/src values of a converted body that urlpolicy refuses (the sanitizer drops them), with
    where each is written, for a warning. Double-quoted values in tags only (what Markdown writes; the
    sanitizer drops the others all the same); the common forms are passed over without a closer look."""
    found: list[tuple[str, str]] = []
    for raw in _LINK_VALUE.findall(body_html):
        if _PLAIN_LINK.match(raw):
            continue
        url = html.unescape(raw)
        why = None if url.startswith("//") else url_problem(url)  # '//host' is written https://host
        if why:
            found.append((url, why))
    if not found:
        return ()
    lines = link_lines(body, [url for url, _ in found], first_line)
    return tuple((url, why, line) for (url, why), line in zip(found, lines))


_LINK_VALUE = re.compile(r'<[a-zA-Z][^<>]*?\s(?:href|src)="([^"]*)"')
_PLAIN_LINK = re.compile(r"(?:https?://[^\s\\&]+|mailto:[^\s\\&]+|[^:/\\&\s]*(?:[/?#][^\\&\s]*)?)\Z")


def body_cleaner() -> nh3.Cleaner:
    """The sanitizer for bodies; made once, since handing the allow-lists to nh3 on every
    call costs as much as cleaning a whole article."""
    return nh3.Cleaner(
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        link_rel=None,
        filter_style_properties={"text-align"},
        url_schemes=set(SCHEMES),
    )


def sanitize(fragment: str) -> str:
    return body_cleaner().clean(fragment)


def link_lines(body: str, urls: list[str], first_line: int) -> tuple[int | None, ...]:
    """The line each URL is written on, taking repeated URLs in order: the first place after
    the previous one where it follows `(`, a quote, `=`, `<` or `: ` (None where it is written
    in another form, e.g. with entities)."""
    lines = []
    searched_from: dict[str, int] = {}
    for url in urls:
        start = searched_from.get(url, 0)
        forms = {url, html.escape(url, quote=True)}
        found = [at + 1 for form in forms for opener in _URL_OPENERS if (at := body.find(opener + form, start)) >= 0]
        found += [at + 2 for form in forms if (at := body.find(": " + form, start)) >= 0]
        if not found:
            lines.append(None)
            continue
        at = min(found)
        searched_from[url] = at + 1
        lines.append(first_line + body.count("\n", 0, at))
    return tuple(lines)


_URL_OPENERS = ("(", '"', "'", "=", "<")


def _site_path(url: str, source_path: str, local: list[str], written: list[str]) -> str:
    if url.startswith("//"):
        return "https:" + url  # another host without a scheme: written in full, as urlpolicy wants
    if "\\" in url:
        return ""  # a backslash, which browsers read as '/': refused (refused_links warns)
    if not url or url.startswith("#") or _SCHEME.match(url) or url.startswith("?"):
        return url
    path, sep, fragment = url.partition("#")
    if path.startswith("/"):
        site_path = path
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), path))
        if joined == ".." or joined.startswith("../"):
            return url
        site_path = "/" + ("" if joined == "." else joined)
        if path.endswith("/") and not site_path.endswith("/"):
            site_path += "/"
    local.append(site_path)
    written.append(path)
    return site_path + sep + fragment


def first_paragraph(fragment: str) -> str:
    """Plain text of the first paragraph that has words (footnote marks dropped)."""
    for match in _FIRST_PARAGRAPH.finditer(fragment):
        text = _SPACE.sub(" ", html.unescape(_TAG.sub("", _FOOTNOTE_REF.sub("", match.group(1))))).strip()
        if text:
            return text
    return ""


def plain_text(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", fragment))).strip()
