"""The `<figcaption>`s of a saved page's pictures, their credits split off: the lead image's becomes
`image_caption`/`image_credit`, the others `captions:` (the archive does not hold those pictures)."""
from __future__ import annotations

from urllib.parse import urljoin

from . import markers
from .model import Caption

MAX_CAPTIONS = 20  # figcaptions read per page: a gallery of hundreds is not one story's pictures


def other_captions(tree, image_url: str | None, base: str) -> tuple[Caption, ...]:
    """The `<figcaption>`s of the other pictures (the archive does not hold them), each once, in
    page order, their credits split off: `captions:` lists them with the article's provenance."""
    found: list[Caption] = []
    for figure in tree.iter("figure"):
        if image_url and image_url in [urljoin(base, img.get("src") or "") for img in figure.iter("img")]:
            continue
        caption = next(iter(figure.iter("figcaption")), None)
        text = " ".join(caption.text_content().split()) if caption is not None else ""
        item = (markers.caption(text) or Caption(text)) if text else None
        if item and item not in found:
            found.append(item)
        if len(found) >= MAX_CAPTIONS:
            break
    return tuple(found)


def figure_caption(tree, image_url: str, base: str) -> Caption | None:
    """The `<figcaption>` of the `<figure>` that shows the lead image, its credit split off."""
    for figure in tree.iter("figure"):
        sources = [urljoin(base, img.get("src") or "") for img in figure.iter("img")]
        caption = next(iter(figure.iter("figcaption")), None)
        if image_url in sources and caption is not None:
            text = " ".join(caption.text_content().split())
            if text:
                return markers.caption(text) or Caption(text)
    return None
