"""Picture captions out of the article's body: precision keeps a `<p class="caption">` under each photo
between the paragraphs (Tokyo Shimbun). The page's `<figcaption>`s are kept apart, as `captions:`
(figure_captions.py); a line of text that only repeats a picture's alt text is the article's own."""
from __future__ import annotations

from .markdown_words import LINK, text_key

# an element that holds a picture's caption: <figcaption>, class "caption", "wp-caption-text", "image-caption"…
_CAPTION_CLASS = "//figcaption | //*[re:test(@class, '(^|[\\s_-])caption($|[\\s_-])', 'i')]"
CAPTION_MIN_CHARS = 12  # "Foto: AFP" alone is a credit the line rules judge, not a caption to match


_PLAYERS = ("object", "video", "audio", "embed")


def caption_texts(tree) -> frozenset[str]:
    """The texts of the page's picture captions, as `_key` reads them. Not a video's caption (inside its
    `<object>` or `<video>`: the description of a video story, its lead), nor a caption that the text also
    writes as a paragraph of its own (a video page repeating its description in the story)."""
    elements = [e for e in tree.xpath(_CAPTION_CLASS, namespaces={"re": "http://exslt.org/regular-expressions"})
                if not any(True for _ in e.iterdescendants("p")) and next(e.iterancestors(*_PLAYERS), None) is None]
    texts = {text_key(" ".join(e.text_content().split())) for e in elements if len(e.text_content().strip()) >= CAPTION_MIN_CHARS}
    if texts:
        inside = {d for e in elements for d in e.iter()}
        texts -= {text_key(p.text_content()) for p in tree.iter("p") if p not in inside}
    return frozenset(texts)


def alt_texts(tree) -> frozenset[str]:
    """The alt texts of the page's pictures, as `_key` reads them."""
    return frozenset(text_key(t) for img in tree.iter("img") if len((t := img.get("alt") or "").strip()) >= CAPTION_MIN_CHARS)


def without_captions(blocks: list[str], captions: frozenset[str], alts: frozenset[str] = frozenset()) -> list[str]:
    """The blocks less those that are a picture's caption word for word (precision keeps a `<p class="caption">`
    under each photo: Tokyo Shimbun), and the links that repeat a picture's alt text (a teaser's headline beside
    its thumbnail); not a line of text repeating an alt text (a slideshow's or a photo essay's own text:
    Readability's Yahoo and Guardian pages), nor when that would take most of the text (a photo story told
    in captions)."""
    kept = [b for b in blocks if text_key(b) not in captions and not (text_key(b) in alts and _only_links(b))]
    return kept if len("".join(kept)) >= 0.5 * len("".join(blocks)) else blocks


def _only_links(block: str) -> bool:
    return bool(LINK.search(block)) and not LINK.sub("", block).strip(" *_#")
