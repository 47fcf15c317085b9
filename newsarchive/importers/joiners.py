"""Zero-width joiners put back where trafilatura took them out.

trafilatura drops every character Python calls unprintable, and with them U+200C (ZERO WIDTH
NON-JOINER) and U+200D (ZERO WIDTH JOINER): they are spelling, not noise. Persian writes
"می‌خواهم" with a non-joiner (without it the word reads joined, misspelt), Indic scripts choose a
conjunct's form with them, and emoji sequences hold together by them (👩‍👩‍👧 is one family, not
three people). Each word of the page that holds one is found in the tree, and the same word
without it in the extracted text gets it back.
"""
from __future__ import annotations

import re

JOINERS = "\u200c\u200d"
_JOINED_WORD = re.compile(rf"\S*[{JOINERS}]\S*")


def joined_words(tree) -> dict[str, str]:
    """Each word of the page's text holding a joiner, keyed by the word without its joiners."""
    words: dict[str, str] = {}
    for text in tree.itertext():
        if "\u200c" in text or "\u200d" in text:
            for word in _JOINED_WORD.findall(text):
                bare = word.translate({ord(c): None for c in JOINERS})
                if bare and bare != word:
                    words.setdefault(bare, word)
    return words


def with_joiners(blocks: list[str], words: dict[str, str]) -> list[str]:
    """`blocks` with each bare word of `words` written as the page writes it."""
    if not words:
        return blocks
    # whole words only: "نمیخواهم" written without a joiner stays so, though "می‌خواهم" has one
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(bare) for bare in sorted(words, key=len, reverse=True)) + r")(?!\w)")
    return [pattern.sub(lambda found: words[found.group()], block) for block in blocks]
