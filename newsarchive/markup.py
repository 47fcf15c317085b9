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
from markdown.treeprocessors import InlineProcessor

from .urls import rewrite_urls

class _HeadingIds(TocTreeprocessor):
    """Python-Markdown's `toc` sets heading ids, then builds a table of contents no page
    shows; this keeps the first half only, with the same ids."""

    def run(self, doc) -> None:
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag) and "id" not in el.attrib:
                name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)


class _HeadingIdsExtension(TocExtension):
    TreeProcessorClass = _HeadingIds


def markdown_extensions() -> list:
    """Tables, footnotes, fenced code, heading ids, `{: .class}` attributes, sane lists."""
    return ["tables", "footnotes", "fenced_code", _HeadingIdsExtension(slugify=slugify_unicode), "attr_list", "sane_lists"]


_EXTENSION_CONFIGS = {"footnotes": {"BACKLINK_TITLE": "↩ %d"}}

_SAFE_TAGS = set(nh3.ALLOWED_TAGS) - {"center", "strike", "tt", "acronym"} | {"figure", "figcaption", "picture", "source", "tfoot"}
_SAFE_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_SAFE_ATTRIBUTES["*"] = {"id", "class", "lang", "dir", "title"}
_SAFE_ATTRIBUTES["a"] = {"href", "hreflang", "rel"}
_SAFE_ATTRIBUTES["img"] = {"src", "alt", "width", "height", "loading", "srcset", "sizes"}
_SAFE_ATTRIBUTES["source"] = {"srcset", "media", "type", "sizes"}
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


# What each inline pattern of our extensions needs in a text before it can match
# ("linebreak" needs two spaces before a newline, checked apart).
_INLINE_TRIGGERS = {
    "backtick": "`\\", "escape": "\\", "footnote": "[", "reference": "[", "link": "[", "image_link": "[",
    "image_reference": "[", "short_reference": "[", "short_image_ref": "[", "autolink": "<", "automail": "<",
    "linebreak": "", "html": "<", "entity": "&", "em_strong": "*_",
}


class _PlainTextShortcut(InlineProcessor):
    """Python-Markdown tries every inline pattern's regular expression on every text, which
    is most of its time on news prose. A text containing none of the characters any pattern
    needs comes out unchanged, so it is returned at once; the HTML is the same either way
    (tests/test_markup.py compares both on random and real text)."""

    def __init__(self, md: markdown.Markdown, triggers: frozenset[str]):
        super().__init__(md)
        self._may_match = re.compile("[" + re.escape("".join(sorted(triggers))) + "]|  \n").search

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and not self._may_match(data):
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)


def add_plain_text_shortcut(md: markdown.Markdown) -> bool:
    """Install the shortcut when every registered inline pattern is one we know; False otherwise."""
    names = [item.name for item in md.inlinePatterns._priority]
    if not set(names) <= set(_INLINE_TRIGGERS) or not hasattr(InlineProcessor, "_InlineProcessor__handleInline"):
        return False
    triggers = frozenset("".join(_INLINE_TRIGGERS[n] for n in names)) | {util.STX, util.ETX}
    md.treeprocessors.register(_PlainTextShortcut(md, triggers), "inline", 20)
    return True


class MarkdownRenderer:
    """One Python-Markdown instance reused across articles (building it costs more than a short article)."""

    def __init__(self, *, allow_raw_html: bool = False, shortcut: bool = True):
        self._md = markdown.Markdown(extensions=markdown_extensions(), extension_configs=_EXTENSION_CONFIGS, output_format="html")
        if shortcut:
            add_plain_text_shortcut(self._md)
        self._allow_raw_html = allow_raw_html

    def render(self, body: str, *, source_path: str) -> Rendered:
        """`source_path` (relative to articles/) anchors the body's relative links."""
        self._md.reset()
        body_html = self._md.convert(body)
        if not self._allow_raw_html:
            body_html = sanitize(body_html)
        local: list[str] = []
        body_html = rewrite_urls(body_html, lambda url: _site_path(url, source_path, local))
        return Rendered(body_html, first_paragraph(body_html), len(_TAG.sub(" ", body_html).split()), tuple(local))


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        link_rel=None,
        filter_style_properties={"text-align"},
        url_schemes={"http", "https", "mailto", "tel"},
    )


def _site_path(url: str, source_path: str, local: list[str]) -> str:
    if not url or url.startswith("#") or url.startswith("//") or _SCHEME.match(url) or url.startswith("?"):
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
