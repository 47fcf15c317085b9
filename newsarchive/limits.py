"""Bounds on what one article may cost: its size, how deeply its body nests, and the time
its conversion takes.

Python-Markdown recurses once per level of `>` or list nesting and rescans nested
brackets, and the HTML sanitizer slows down on deeply nested tags: a 5,000-level quote ran
for minutes and then failed with RecursionError. Such a file is an error naming it (and
the line), found before any parsing, so `--keep-going` skips it and the build stays fast.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .errors import Problem

DEFAULT_MAX_ARTICLE_BYTES = 1_000_000
DEFAULT_MAX_NESTING = 64
DEFAULT_MAX_ARTICLE_SECONDS = 10

_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")
_BRACKET = re.compile(r"\\.|[\[\]]")
# A code span's text is code: "<T>" or "[" there is text, not markup.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`).+?(?<!`)\1(?!`)")
# not "<https://…>" (an autolink, or a link's address in angle brackets: "[SBS](<https://…/SBS_(TV)>)"), which opens nothing
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?![:+.-])(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
# Tags that never nest (void) or whose end tag may be left out: counting them would see depth where there is none.
_FLAT_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rt", "rp",
})


class TooSlow(Exception):
    """Raised in the middle of a conversion that ran past its time."""


def size_problem(size: int, source_path: str, limit: int) -> Problem | None:
    if size <= limit:
        return None
    return Problem(
        f"the file is {size:,} bytes, more than max_article_bytes ({limit:,}); not converted", source_path, None,
        "split it into several articles, or raise max_article_bytes in config.yaml",
    )


def nesting_problem(body: str, first_line: int, source_path: str, limit: int) -> Problem | None:
    """The first place where the body nests deeper than `limit`: quotes and lists (each
    `>`, list marker and four columns of indentation at a line's start), brackets within a
    paragraph, and HTML tags."""
    bracket_depth = 0
    tag_depth = 0
    in_code = _fenced_lines(body)
    for number, line in enumerate(body.split("\n")):
        depth = _line_depth(line)
        if depth > limit:
            return _too_deep(f"quotes and lists nest {depth} levels deep", source_path, first_line + number, limit)
        if number in in_code:
            continue
        if not line.strip():
            bracket_depth = 0
        if "`" in line and not line.lstrip().startswith("<"):
            line = _CODE_SPAN.sub(" ", line)
        if "[" in line or "]" in line:
            for match in _BRACKET.finditer(line):
                token = match.group(0)
                if token == "[":
                    bracket_depth += 1
                    if bracket_depth > limit:
                        return _too_deep("brackets nest deeper", source_path, first_line + number, limit)
                elif token == "]" and bracket_depth:
                    bracket_depth -= 1
        if "<" in line:
            for match in _TAG.finditer(line):
                closing, name, self_closing = match.groups()
                if self_closing or name.lower() in _FLAT_TAGS:
                    continue
                if closing:
                    tag_depth = max(0, tag_depth - 1)
                else:
                    tag_depth += 1
                    if tag_depth > limit:
                        return _too_deep(f"HTML tags nest deeper (<{name}>)", source_path, first_line + number, limit)
    return None


def _fenced_lines(body: str) -> set[int]:
    """The numbers of the lines inside fenced code blocks, found by the fenced-code
    extension's own pattern, so exactly the blocks Markdown will escape are passed over
    (an unclosed fence is none: what follows it is still counted)."""
    if "```" not in body and "~~~" not in body:
        return set()
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    lines: set[int] = set()
    position = 0
    while match := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(body, position):
        first = body.count("\n", 0, match.start())
        lines.update(range(first, first + match.group(0).count("\n") + 1))
        position = match.end()
    return lines


def _line_depth(line: str) -> int:
    depth = column = index = 0
    end = len(line)
    while index < end:
        char = line[index]
        if char == " ":
            column += 1
            index += 1
        elif char == "\t":
            column += 4 - column % 4
            index += 1
        elif char == ">":
            depth += 1 + column // 4
            column = 0
            index += 1
        else:
            marker = _LIST_MARKER.match(line, index)
            if marker is None:
                break
            depth += 1 + column // 4
            column = 0
            index = marker.end()
    return depth + column // 4


def _too_deep(what: str, source_path: str, line: int, limit: int) -> Problem:
    return Problem(f"{what}, past max_nesting ({limit}); not converted", source_path, line,
                   "flatten the nesting; if it is really meant, raise max_nesting in config.yaml")


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in this block once `seconds` have passed (a real-time timer: in the main
    thread of a process only; elsewhere the block runs unbounded). The timer fires again
    every tenth of a second after that: a signal handler that runs inside a finalizer has
    its exception ignored, and the next one then stops the block."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    active = [True]

    def expire(signum, frame):
        if active[0]:
            raise TooSlow()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        try:
            active[0] = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def too_slow_problem(source_path: str, seconds: float) -> Problem:
    return Problem(
        f"converting the body took more than max_article_seconds ({seconds:g} s); stopped", source_path, None,
        "look for thousands of footnotes or deeply nested markup; or raise max_article_seconds in config.yaml",
    )
