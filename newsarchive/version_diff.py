"""What changed between two texts of an article, as a reader sees it: paragraphs matched with
difflib, and inside a changed paragraph the words removed (<del>) and added (<ins>).

Both texts are rendered HTML; the diff is made of their plain text, block by block (paragraphs,
headings, list items, quotes), and is written as escaped text inside <p>, so it is always
valid HTML whatever markup the bodies hold. Each <ins>/<del> starts with a visually hidden
word ("added:", "removed:"), as screen readers do not announce the elements themselves.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd",
                    "figcaption", "caption", "div", "section", "article", "aside", "table", "tr", "ul", "ol", "dl", "figure"})
_SPACE = re.compile(r"\s+")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")  # words, single punctuation marks and the spaces between, so "Friday." → "Friday evening."


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._text)).strip()
        if text:
            self.blocks.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in BLOCKS:
            self._flush()
        elif tag == "br":
            self._text.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._text.append(f" [{alt}] ")

    def handle_endtag(self, tag) -> None:
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data) -> None:
        self._text.append(data)


def paragraphs(body_html: str) -> list[str]:
    """A rendered body's blocks as plain text, spaces normalised (what versions are compared by)."""
    parser = _Blocks()
    parser.feed(body_html)
    parser.close()
    parser._flush()
    return parser.blocks


def normalised_text(title: str, body_html: str) -> str:
    """Two captures with this same text are one version."""
    return "\n".join([_SPACE.sub(" ", title).strip(), *paragraphs(body_html)])


WORD_DIFF_TOKENS = 6_000  # past this many tokens in a pair of paragraphs, the whole paragraph is marked (difflib is quadratic)
PARAGRAPH_PAIRS = 4_000_000  # past old × new paragraphs, changed paragraphs are not paired word by word


@dataclass
class Diff:
    html: str
    added: int  # words
    removed: int


def diff_html(old_title: str, old_html: str, new_title: str, new_html: str, added: str, removed: str) -> Diff:
    """The changes from the old text to the new one, and how many words each side lost or gained;
    `added`/`removed` are the hidden words (in the page's language) said before each change."""
    out: list[str] = []
    counts = [0, 0]
    marks = (html.escape(added), html.escape(removed))
    if old_title != new_title:
        out.append(f'<p class="na-diff-title">{_words(old_title, new_title, marks, counts)}</p>')
    old, new = paragraphs(old_html), paragraphs(new_html)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [f"<p>{html.escape(text)}</p>" for text in old[i1:i2]]
            continue
        pairable = op == "replace" and len(old) * len(new) <= PARAGRAPH_PAIRS
        for before, after in (_aligned(old[i1:i2], new[j1:j2]) if pairable else [*((t, None) for t in old[i1:i2]),
                                                                                *((None, t) for t in new[j1:j2])]):
            if before is not None and after is not None:
                out.append(f'<p class="na-diff-changed">{_words(before, after, marks, counts)}</p>')
            elif before is not None:
                counts[1] += len(before.split())
                out.append(f'<p class="na-diff-removed">{_mark("del", before, marks[1])}</p>')
            else:
                counts[0] += len(after.split())
                out.append(f'<p class="na-diff-added">{_mark("ins", after, marks[0])}</p>')
    return Diff("\n".join(out), *counts)


SIMILAR_PAIRS = 2_500  # past old × new paragraphs in one changed run, they are paired in order, not by likeness


def _aligned(old: list[str], new: list[str]) -> list[tuple[str | None, str | None]]:
    """A changed run of paragraphs, in order: each old paragraph paired with the first new one
    left that keeps at least half its words (a sentence corrected), the others removed or added
    (a paragraph inserted before a corrected one is shown added, not as a rewrite of it). As
    many paragraphs on each side are paired in order, each rewritten where it was."""
    if len(old) == len(new) or len(old) * len(new) > SIMILAR_PAIRS:
        k = min(len(old), len(new))
        return [*zip(old[:k], new[:k]), *((t, None) for t in old[k:]), *((None, t) for t in new[k:])]
    out: list[tuple[str | None, str | None]] = []
    taken = 0
    for before in old:
        words = before.split()
        match = next((m for m in range(taken, len(new)) if _similar(words, new[m].split())), None)
        if match is None:
            out.append((before, None))
            continue
        out += [(None, after) for after in new[taken:match]]
        out.append((before, new[match]))
        taken = match + 1
    return out + [(None, after) for after in new[taken:]]


def _similar(a: list[str], b: list[str]) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5


def _mark(tag: str, text: str, said: str) -> str:
    return f'<{tag}><span class="na-visually-hidden">{said} </span>{html.escape(text)}</{tag}>'


def _words(old: str, new: str, marks: tuple[str, str], counts: list[int]) -> str:
    """One paragraph's changes, word by word (a change of spaces alone is not marked); a very
    long paragraph is marked whole."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(a) + len(b) > WORD_DIFF_TOKENS:
        opcodes = [("replace", 0, len(a), 0, len(b))]
    else:
        opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in opcodes:
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            parts.append(html.escape(removed))
            continue
        counts[0] += len(added.split())
        counts[1] += len(removed.split())
        if removed.strip():
            parts.append(_split_mark("del", removed, marks[1]))
        if added.strip():
            parts.append((" " if parts and removed.strip() and not parts[-1].endswith(" ") else "") + _split_mark("ins", added, marks[0]))
        elif added:
            parts.append(added)
    return "".join(parts)


def _split_mark(tag: str, text: str, said: str) -> str:
    """The spaces around a change stay outside its mark."""
    core = text.strip()
    start = text.index(core)
    return html.escape(text[:start]) + _mark(tag, core, said) + html.escape(text[start + len(core):])
