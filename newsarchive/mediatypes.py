"""What a site file is, as a host must announce it: Content-Type and Cache-Control.

One table for `serve` and `deploy`, so a file behaves the same on the local server and on
the host. The platform's `mimetypes` is not used: its answers differ between machines
(/etc/mime.types) and it knows nothing of Pagefind's index files.
"""
from __future__ import annotations

import re

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".xsl": "application/xslt+xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".wasm": "application/wasm",
    ".pf_fragment": "application/octet-stream",  # Pagefind's gzipped index parts, fetched by its own script
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".pagefind": "application/octet-stream",  # wasm.LANG.pagefind: Pagefind's gzipped WebAssembly
    ".webmanifest": "application/manifest+json",
    ".zip": "application/zip",
    ".gz": "application/gzip",
}
FEED_TYPE = "application/atom+xml; charset=utf-8"
DEFAULT_TYPE = "application/octet-stream"

SHORT_CACHE = "public, max-age=300, must-revalidate"  # pages and feeds change with every new article
MEDIUM_CACHE = "public, max-age=3600"  # theme files and images keep their names when they change
LONG_CACHE = "public, max-age=31536000, immutable"  # a new version gets a new name
_SHORT_SUFFIXES = (".html", ".htm", ".xml", ".txt", ".json")
_NAMED_BY_CONTENT = ("pagefind/words/",)  # the search word directory: every file named by a hash of its bytes
_FINGERPRINT = re.compile(r"[._-][0-9a-f]{8,}\.[A-Za-z0-9_]+\Z")


def content_type(output_path: str) -> str:
    name = output_path.rsplit("/", 1)[-1].lower()
    if name == "feed.xml" or name.endswith(".atom"):
        return FEED_TYPE
    dot = name.rfind(".")
    return TYPES.get(name[dot:], DEFAULT_TYPE) if dot >= 0 else DEFAULT_TYPE


def cache_control(output_path: str) -> str:
    name = output_path.rsplit("/", 1)[-1].lower()
    if output_path.startswith(_NAMED_BY_CONTENT):
        return LONG_CACHE
    if name.endswith(_SHORT_SUFFIXES):
        return SHORT_CACHE
    if _FINGERPRINT.search(name):
        return LONG_CACHE
    return MEDIUM_CACHE
