"""Path segments every file system can hold: at most 255 bytes, NFC, no reserved name.

A built site is meant to be copied anywhere: a Linux or macOS disk, a Windows disk (to
browse from disk with `index_links`), an S3 bucket. So a path segment the build makes
must be a name on all of them. The rule is simple: what the build *generates* (a slug
from a title, a tag, a section) is renamed, stably, from the text alone; what the user
*typed* (`slug:` in front matter) is refused with the file and line, so they choose.

- Length: ext4, APFS and NTFS hold names of at most 255 bytes (UTF-8) or UTF-16 units;
  255 UTF-8 bytes fits all of them. A longer generated segment is cut on a character
  boundary to CUT_BYTES and ends in '-' and a digest of its whole text, so two long
  titles that share their first hundred bytes still get two URLs, the same on every machine.
- Normalisation: segments are NFC, so `café` typed on macOS (NFD) and elsewhere (NFC)
  is one folder; paths are compared after NFC and case folding (`path_key`).
- Reserved: Windows device names (CON, NUL, COM1…), which no Windows disk can hold even
  with an extension, and the names of the files the site writes into its folders.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_SEGMENT_BYTES = 255
CUT_BYTES = 120  # what a too-long generated segment is cut to, digest included: the path stays readable
DIGEST_CHARS = 8
_WINDOWS_DEVICE = re.compile(r"(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?\Z", re.IGNORECASE)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
SITE_FILE_NAMES = frozenset({"index.html", "feed.xml", "sitemap.xml", "robots.txt", "404.html"})  # files the build writes into folders


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def path_key(path: str) -> str:
    """How two paths compare on disk: NFC, then case folded (macOS and Windows ignore case;
    macOS treats NFC and NFD as one name)."""
    return unicodedata.normalize("NFC", nfc(path).casefold())


def text_digest(text: str) -> str:
    """A short digest of `text` (NFC), the same on every machine."""
    return hashlib.blake2b(nfc(text).encode("utf-8"), digest_size=DIGEST_CHARS // 2).hexdigest()


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def cut(text: str, size: int) -> str:
    """The longest start of `text` of at most `size` UTF-8 bytes that ends on a whole
    character: never half a multi-byte letter, never a letter without its accents."""
    data = text.encode("utf-8")[:size]
    head = data.decode("utf-8", errors="ignore")
    while head and len(head) < len(text) and _joins_previous(text[len(head)]):
        head = head[:-1]
    return head


def _joins_previous(char: str) -> bool:
    """A mark, joiner or variation selector belongs to the character before it."""
    return unicodedata.combining(char) > 0 or unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d" \
        or "\ufe00" <= char <= "\ufe0f"


def bounded(segment: str, *, text: str | None = None, limit: int = MAX_SEGMENT_BYTES) -> str:
    """`segment` (NFC) when it holds `limit` bytes or fewer; else its start and a digest of
    `text` (the whole text it was made from, by default the segment itself)."""
    if segment.isascii() and len(segment) <= limit:
        return segment
    segment = nfc(segment)
    if utf8_size(segment) <= limit:
        return segment
    digest = text_digest(text if text is not None else segment)
    head = cut(segment, min(limit, CUT_BYTES) - DIGEST_CHARS - 1)
    if head.rfind("-") > len(head) // 2:  # end on a whole word where one ends late enough
        head = head[:head.rfind("-")]
    head = head.rstrip("-_. ")
    return f"{head}-{digest}" if head else digest


def portable(segment: str, *, text: str | None = None, limit: int = MAX_SEGMENT_BYTES) -> str:
    """A generated segment made safe to write anywhere: bounded, and a reserved name renamed
    with the digest of its text (a tag 'NUL' gets /tags/nul-…/, the same on every machine)."""
    segment = bounded(segment, text=text, limit=limit)
    if reserved_problem(segment):
        segment = bounded(f"{segment.rstrip('. ')}-{text_digest(text if text is not None else segment)}", limit=limit)
    return segment


def reserved_problem(segment: str) -> str | None:
    """Why `segment` cannot be a folder on some disk the site may be copied to, or None."""
    if _WINDOWS_DEVICE.match(segment):
        return "is a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9)"
    if segment.casefold() in SITE_FILE_NAMES:
        return "is the name of a file the build writes in every folder"
    if segment.endswith((".", " ")):
        return "must not end in '.' or a space (Windows drops them, so two names would become one)"
    return None


def typed_segment_problem(segment: str) -> str | None:
    """Why a slug the user typed cannot be a path segment on every disk, or None."""
    size = utf8_size(nfc(segment))
    if size > MAX_SEGMENT_BYTES:
        return f"is {size} bytes long; a file name holds at most {MAX_SEGMENT_BYTES} (UTF-8)"
    found = _WINDOWS_FORBIDDEN.search(segment)
    if found:
        return f"contains '{found.group(0)}', which Windows does not allow in file names"
    return reserved_problem(segment)
