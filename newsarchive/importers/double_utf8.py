"""UTF-8 read as Latin-1 and saved as UTF-8 again, read as first written.

A page that went through a tool reading its UTF-8 as Latin-1 and writing the result as UTF-8 holds
each non-ASCII character as two to four: "Investor’s" became "Investor\u00e2\u0080\u0099s", the middle
ones C1 controls (U+0080–U+009F), which no text holds. 52 pages of Foley's 2025 extraction
benchmark (and DAnIEL's English pages) are saved so; a browser shows them garbled too, and the import
wrote "Investorâ€™s" (the C1 controls read as windows-1252). Only a page holding such a C1 control
inside a sequence that reads as one UTF-8 character is repaired, and then only those sequences:
legitimate Latin-1 letters ("café", "£5", "« à »") never form one with a C1 control.
"""
from __future__ import annotations

import re

# a lead byte and its continuation bytes, each read as the Latin-1 character of that byte
_SEQUENCE = re.compile("[\u00c2-\u00df][\u0080-\u00bf]|[\u00e0-\u00ef][\u0080-\u00bf]{2}|[\u00f0-\u00f4][\u0080-\u00bf]{3}")
_C1 = re.compile("[\u0080-\u009f]")


def read_as_first_written(text: str) -> str:
    """The text with each sequence that was one UTF-8 character made that character again, when one of
    them holds a C1 control; otherwise the text itself (the same object)."""
    if not _C1.search(text) or not any(_C1.search(found.group(0)) and _utf8(found.group(0))
                                       for found in _SEQUENCE.finditer(text)):
        return text
    return _SEQUENCE.sub(lambda found: _utf8(found.group(0)) or found.group(0), text)


def _utf8(sequence: str) -> str | None:
    try:
        return sequence.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return None
