"""A page saved by Chrome or Edge as "Webpage, Single File" (`.mhtml`, `.mht`, their default "Save as"):
a MIME message whose first HTML part is the page (quoted-printable, with its charset and its address
in `Content-Location`) and whose other parts are its pictures and styles. The import read such files
as nothing at all (passed over without a word)."""
from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

SUFFIXES = (".mhtml", ".mht")
_HTML = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class SavedPage:
    html: bytes
    charset: str | None  # the part's charset label: what the page's bytes are, as a server's Content-Type says
    url: str | None  # its Content-Location: the address the page was saved from


def saved_page(data: bytes) -> SavedPage | None:
    """The file's page, or None when it holds no HTML part."""
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    for part in message.walk():
        if part.get_content_type() in _HTML:
            html = part.get_payload(decode=True)
            if html:
                location = (part.get("Content-Location") or "").strip()
                return SavedPage(html, part.get_content_charset(), location if location.startswith(("http://", "https://")) else None)
    return None
