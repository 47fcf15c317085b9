"""Which lead images an import keeps: raster formats only (JPEG, PNG, WebP, GIF, AVIF), known by
their first bytes, never by the URL's extension or the server's Content-Type. An SVG is a
document that can run scripts: published on the archive's own domain it would be stored
cross-site scripting; HTML error pages served as "image/jpeg" are common in crawls.
"""
from __future__ import annotations

RASTER_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif", "image/avif": ".avif"}
_AVIF_BRANDS = (b"avif", b"avis")
MAX_PIXELS = 50_000_000  # a lead image larger than this is refused, not decoded


def sniff_raster(head: bytes) -> str | None:
    """The media type the bytes are (one of RASTER_TYPES), or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if len(head) >= 16 and head[4:8] == b"ftyp":  # ISO BMFF: the major brand, then compatible brands
        size = int.from_bytes(head[:4], "big")
        brands = head[8:12] + head[16:min(size, len(head))]
        if any(brands[i:i + 4] in _AVIF_BRANDS for i in range(0, len(brands) - 3, 4)):
            return "image/avif"
    return None


def whole_raster(data: bytes) -> str | None:
    """The media type of an image that is whole: its first bytes a raster format's and Pillow able
    to decode all of it (not a PNG cut short, not "GIF89a<script>..." with no picture behind)."""
    kind = sniff_raster(data[:64])
    if kind is None:
        return None
    from io import BytesIO
    from PIL import Image
    try:
        with Image.open(BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:  # decoding it would take gigabytes
                return None
            image.load()
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ValueError...) on broken files
        return None
    return kind


def refusal(content_type: str | None) -> str | None:
    """Why a lead image of this sniffed type is not kept, or None."""
    if content_type in RASTER_TYPES:
        return None
    return ("its lead image is not a JPEG, PNG, WebP, GIF or AVIF image, not a whole one, or over "
            f"{MAX_PIXELS // 1_000_000} million pixels (an SVG or HTML can carry scripts; a broken file shows nothing; "
            "a larger one takes gigabytes to decode); it was not saved")
