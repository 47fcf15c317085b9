"""A decoded page → the tree, trafilatura's document and the body's Markdown blocks.

trafilatura does the extraction, with its own HTML loader (which drops `<!-- comments -->`
and keeps the text on both sides of them). What is added here is what trafilatura leaves
to its callers: Markdown blocks kept whole (a table's rows stay one block, so it renders as a
table), links whose address holds parentheses kept intact, share and social widgets
left out, and the publisher's own JSON-LD `articleBody` taken when trafilatura's extraction
misses much of it and the page really shows it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..extras import require

PURPOSE = "importing saved web pages and WARC crawls"
# [text](<url>) as trafilatura writes links, or [text](url) with balanced parentheses
LINK = re.compile(r"\[(?P<title>[^\]]*)\]\((?:<(?P<angled>[^>\s]*)>|(?P<url>(?:[^()\s]|\([^()\s]*\))+))\)")
_SHINGLE = 4
_WORD = re.compile(r"\w+")
_SHARE_WORDS = re.compile(
    r"(?:share|partager|partagez|compartir|comparte|teilen|condividi|condividere|delen|deel|udostępnij|поделиться|شارك)"
    r"(?:\s+\w+){0,3}\s+(?:on|sur|en|auf|su|op|w|в|على|via|par)?\s*"
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|email|messenger|flipboard|bluesky|"
    r"mastodon|vk|вконтакте|threads)\b", re.I)
_SOCIAL = re.compile(r"(?:facebook|twitter|linkedin|whatsapp|telegram|pinterest|reddit|e-?mail|messenger|copy link|"
                     r"imprimer|print|tweet|partager|share|compartir|teilen|\W)+", re.I)
_PERSONAL_USE = re.compile(r"for your personal(?:,\s*non-commercial)? use|pour (?:votre|un) usage personnel|"
                           r"distribution and use of this material are governed|copyright .{0,80}all rights reserved", re.I)


@dataclass(frozen=True, slots=True)
class Extraction:
    document: object | None  # trafilatura's Document
    blocks: tuple[str, ...]  # Markdown blocks: a paragraph, a heading, a whole list or table


def load_tree(text: str):
    """The page's tree by trafilatura's own loader (None for what is not HTML at all)."""
    utils = require("trafilatura.utils", "import", PURPOSE)
    return utils.load_html(text)


TRAFILATURA_OPTIONS = {"favor_precision": False, "favor_recall": False}


def extract(tree, url: str | None, article_body: str | None = None, options: dict | None = None) -> Extraction:
    """`article_body`: the JSON-LD `articleBody`, used when trafilatura misses most of it;
    `options`: trafilatura settings that replace `TRAFILATURA_OPTIONS` (for measuring)."""
    trafilatura = require("trafilatura", "import", PURPOSE)
    xml = require("trafilatura.xml", "import", PURPOSE)
    page_text = " ".join(tree.text_content().split()) if article_body else ""
    document = trafilatura.extract_with_metadata(
        tree, url=url, output_format="markdown", include_links=True, include_formatting=True,
        include_images=False, include_comments=False, include_tables=True,
        date_extraction_params={"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": False},
        **(TRAFILATURA_OPTIONS if options is None else options),
    )
    markdown = xml.xmltotxt(document.body, True) if document is not None and document.body is not None else ""
    blocks = markdown_blocks(markdown)
    if article_body and _prefer_article_body(article_body, blocks, page_text):
        blocks = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", article_body) if p.strip()]
    return Extraction(document, tuple(blocks))


def markdown_blocks(markdown: str) -> list[str]:
    """The blocks of trafilatura's Markdown, each line trimmed, widget lines left out."""
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", markdown):
        lines = [line.strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line and not is_widget(line)]
        if lines:
            blocks.append("\n".join(lines))
    return blocks


def is_widget(line: str) -> bool:
    """A share bar, a row of social links, or a "for your personal use" box."""
    text = LINK.sub(lambda m: m.group("title"), line).strip(" -*|")
    if not text:
        return True
    if len(text) <= 200 and (_SHARE_WORDS.search(text) and len(text.split()) <= 12 or _SOCIAL.fullmatch(text)):
        return True
    return bool(_PERSONAL_USE.search(text)) and len(text) <= 600


def plain_text(markdown: str) -> str:
    """Markdown → its words: links by their text, no table or heading markup (for measuring)."""
    text = LINK.sub(lambda m: m.group("title"), markdown)
    return re.sub(r"^(?:#{1,6}\s+|[-*]\s+|\d+\.\s+)", "", text, flags=re.M)


def _prefer_article_body(article_body: str, blocks: list[str], page_text: str) -> bool:
    """The publisher's text wins when trafilatura kept less than 70 % of it and at least 80 % of
    it is on the page (not a teaser, not text of another article)."""
    wanted = _shingles(article_body)
    if len(wanted) < 20:
        return False
    shown = _shingles(page_text)
    if len(wanted & shown) < 0.8 * len(wanted):
        return False
    kept = _shingles(plain_text("\n".join(blocks)))
    return len(wanted & kept) < 0.7 * len(wanted)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + _SHINGLE]) for i in range(max(0, len(words) - _SHINGLE + 1))}
