"""A page's title without the site's name: "… – TechCrunch", "Le Monde | …" → the headline alone.

The `<title>`, og:title and JSON-LD headline of real pages carry the outlet's name (26 of the
181 pages of the ScrapingHub set did after import); the segments that name the site go, and
the page's own `<h1>` says which headline to keep.
"""
from __future__ import annotations

import re

from .site_labels import site_label

_TRAILING_SEPARATOR = re.compile(r"\s+[|–—·•»«:\-]{1,2}\s*$")
# "…　気象庁：朝日新聞デジタル" (a full-width colon), "…-정치ㅣ한국일보" (a lone Hangul letter I as a bar), "… * Site *"
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·•»«›‹:*\-]{1,2}\s+|\s*[|｜：ㅣ]\s*")
_ENCLOSED_SITE = re.compile(r"\[(?P<site>[^\]]{2,60})\]\s*(?P<rest>\S.*)|(?P<rest2>.*\S)\s*\((?P<site2>[^()]{2,60})\)")
# a segment a blogging platform's theme puts in every post's <title>: WordPress's "Site » Blog Archive » Post"
_PLATFORM_SEGMENTS = ("Blog Archive",)
_BYLINE_SEGMENT = re.compile(r"(?i)(?:by|von|par|por|door|di)\s+\S.{0,60}")  # "… | The Gateway Pundit | by Cristina Laila"


def strip_site_name(title: str, site_names: tuple[str, ...], headings: tuple[str, ...] = ()) -> str:
    """"… – TechCrunch", "Le Monde | …" → the headline alone. A segment goes when it names the
    site (og:site_name, the publisher, the domain's name) or when what is left is the page's own
    heading; a title that is all site name is kept."""
    names = {_squeezed(n): _whole_word_runs(n) for n in site_names if n and _squeezed(n)}
    title = _TRAILING_SEPARATOR.sub("", title.strip()) or title.strip()  # "Headline :: Site ::"
    enclosed = _ENCLOSED_SITE.fullmatch(title)  # "[Site] Headline", "Headline (Site)"
    if enclosed and _squeezed(enclosed.group("site") or enclosed.group("site2")) in names:
        return (enclosed.group("rest") or enclosed.group("rest2")).strip()
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) < 2:
        return title.strip()
    separators = _TITLE_SEPARATOR.findall(title.strip())
    wanted = {_squeezed(h) for h in headings if h}
    if len(parts) > 2 and _BYLINE_SEGMENT.fullmatch(parts[-1]):  # a byline after the site's name goes with it
        shorter = "".join(p + s for p, s in zip(parts[:-1], separators[:-1] + [""]))
        if strip_site_name(shorter, site_names, headings) != shorter:
            return strip_site_name(shorter, site_names, headings)

    def is_site(segment: str) -> bool:
        key = _squeezed(segment)
        # "Le Monde.fr" names "lemonde"; "How we designed Dropbox's ATF" does not name "dropbox"
        return bool(key) and any(key == n or (len(key) >= 4 and (key in pieces or (n in key and len(key) <= 2 * len(n) + 2)))
                                 for n, pieces in names.items())

    for first, last in ((0, len(parts) - 1), (1, len(parts))):  # the site's name last, or first
        rest = parts[first:last]
        dropped = parts[last] if first == 0 else parts[0]
        if not rest:
            continue
        seps = separators[first:last - 1]
        text = "".join(p + (s if i < len(seps) else "") for i, (p, s) in enumerate(zip(rest, seps + [""])))
        site_section = first == 0 and len(dropped.split()) <= 3 and any(  # "… | CNN Politics", "… - BBC Sport": last only
            len(n) >= 3 and _squeezed(dropped).startswith(n) and _squeezed(dropped.split()[0]) == n for n in names)
        if is_site(dropped) or site_section or (_squeezed(text) in wanted and len(dropped.split()) <= 6):
            return strip_site_name(text, site_names, headings) if len(rest) > 1 else text.strip()
    return title.strip()


def without_platform_segments(title: str) -> str:
    """"Blog Archive » Post": the segment a blogging platform's theme adds goes like a site's name."""
    folded = title.casefold()
    return strip_site_name(title, _PLATFORM_SEGMENTS) if any(s.casefold() in folded for s in _PLATFORM_SEGMENTS) else title


def page_title(title: str, tree, site_names: tuple[str | None, ...], url: str | None, social: bool = False) -> str:
    """The title without the site's name: the names the page gives, the domain's own name
    ("techcrunch" of www.techcrunch.com), and the page's `<h1>` as the headline to keep. When the
    page's `<h1>` and its `<title>` agree on a headline, that headline is the title, unless the
    title is the publisher's `og:title` (Wikipedia's JSON-LD `headline` is "Wikimedia list article")."""
    title = " ".join(_MARKUP.sub(" ", title).split()) or title  # "ΑΝΤΙΣΤΑΘΕΙΤΕ<BR>συγκυβέρνησης": a headline's tags typed into <title>
    label = site_label(url)
    names = tuple(n for n in site_names if n) + ((label,) if label else ()) + _PLATFORM_SEGMENTS
    headings = tuple(" ".join(h.text_content().split()) for h in tree.iter("h1") if not _is_masthead(h))
    title = strip_site_name(title, names, headings)
    element = tree.find(".//head/title")
    shown = strip_site_name(" ".join(element.text_content().split()), names, headings) if element is not None else ""
    if not social and _squeezed(shown) != _squeezed(title) and any(_squeezed(h) == _squeezed(shown) for h in headings) \
            and not any(_squeezed(shown) == _squeezed(n) for n in names):
        return shown  # the headline the page shows, which its <title> repeats, over a structured-data one
    return title


def whole_title(picked: str, tree, site_names: tuple[str | None, ...], url: str | None) -> str:
    """For a page that names no headline (no og:title nor JSON-LD): its `<title>` with the site's
    names taken off, when the page or its address names the site and the `<title>` holds it;
    else trafilatura's pick. trafilatura keeps one part of "Site › News › Headline", "VELMAR DAILY -
    Headline" or "Headline | World | Site", often the wrong one."""
    whole = " ".join((tree.findtext(".//title") or "").split())
    names = {_squeezed(n) for n in (*site_names, site_label(url)) if n and _squeezed(n)}
    before, colon, after = picked.partition(":")
    if colon and _squeezed(before) in names and len(after.split()) >= 3:  # "Velmar Daily: Headline"
        return after.strip()
    if not whole or whole == picked or any(_squeezed(h.text_content()) == _squeezed(picked) for h in tree.iter("h1")):
        return picked  # the page's own heading says trafilatura's pick is the headline
    stripped = page_title(whole, tree, site_names, url)
    if stripped == whole:
        return picked
    parts = _TITLE_SEPARATOR.split(stripped)
    if len(parts) == 2:  # the site's section beside the headline: "Headline | World | Site", "Site › News › Headline"
        short, long_ = (parts[1], parts[0]) if whole.endswith(_TITLE_SEPARATOR.split(whole)[-1]) and \
            _squeezed(_TITLE_SEPARATOR.split(whole)[-1]) in names else (parts[0], parts[1])
        if len(short.split()) <= 3 and len(long_.split()) >= 4:
            stripped = long_
    if _squeezed(picked) in _squeezed(stripped) and _squeezed(picked) not in names:
        return picked  # trafilatura took off more than the site's name ("Xbox News: …"): its pick stands
    return stripped if len(stripped) >= 0.5 * len(picked) else picked


_EMPHASIS = ("h1", "h2", "h3", "b", "strong", "big", "font")


def shown_half(picked: str, whole: str, tree) -> str:
    """Of a `<title>` in two halves ("Velmar Daily - Port reopens after strike"), the half the page
    shows in a heading or in bold, when trafilatura picked the other (an old page with no `<h1>`
    nor og:title, its headline in `<font><b>`: trafilatura kept the site's name)."""
    halves = [h.strip() for h in _TITLE_SEPARATOR.split(whole.strip())]
    if len(halves) != 2 or picked.strip() not in halves:
        return picked
    other = halves[1 - halves.index(picked.strip())]
    shown = {" ".join(e.text_content().split()) for e in tree.iter(*_EMPHASIS)}
    return other if other in shown and picked.strip() not in shown else picked


_MARKUP = re.compile(r"</?(?:br|b|i|em|strong|span|font|sup|sub|u|small|big)\b[^<>]*>", re.I)
_MASTHEAD = re.compile(r"logo|brand|masthead|site-?title|site-?name|topbar", re.I)


def _is_masthead(heading) -> bool:
    """An `<h1>` that shows the site's name (in a `nav`, marked as its logo, or a link to the home page of
    the site or blog: "/", "/asia/"), not the article's headline."""
    for element in [heading, *heading.iterancestors()]:
        if element.tag == "nav" or _MASTHEAD.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
    return is_home_heading(heading)


# a site's root, or a blog's ("/asia/", "/aws/"): one short segment, not a post's slug ("/theme-metro-style-…/")
_HOME_PATH = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?(?://[^/?#]+)?(?:/|/[^/?#.-]+(?:-[^/?#.-]+)?/)?", re.I)


def is_home_heading(heading) -> bool:
    """A heading that is all one link to a home page: a site's root or a blog's ("/asia/", "/aws/")."""
    links = list(heading.iter("a"))
    text = " ".join(heading.text_content().split())
    return len(links) == 1 and bool(text) and " ".join(links[0].text_content().split()) == text \
        and bool(_HOME_PATH.fullmatch((links[0].get("href") or "").strip()))


def _whole_word_runs(name: str) -> set[str]:
    """The squeezed runs of whole words of a site's name, its beginnings and ends ("Guardian" of the
    domain's "theguardian"): "Le Parisien" is named by "Parisien", never by the dateline "Paris"
    inside its word."""
    words = [_squeezed(w) for w in re.split(r"[\W_]+", name) if _squeezed(w)]
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    squeezed = _squeezed(name)
    return runs | {squeezed[:end] for end in range(4, len(squeezed) + 1)} | {squeezed[-end:] for end in range(4, len(squeezed) + 1)}


def _squeezed(text: str) -> str:
    """Letters and digits only, case folded: "Le Monde.fr" and "lemonde.fr" compare equal."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


# where a first sentence may end: after . ! ? and the Arabic, Devanagari and Urdu stops before a
# space; after the full-width stops of Chinese and Japanese at once (no space follows them)
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u0964\u06d4])\s+|(?<=[\u3002\uff01\uff1f])")
# a word ending in "." that ends no sentence: "U.S.", "e.g.", a number ("1.", "15. Mai"), "Mr.", "Dr."
_NO_SENTENCE_END = re.compile(r"(?:\S*\w\.\w\S*|\d+\.|[A-Z][a-z]{0,2}\.)")
_TITLE_CHARACTERS = 90  # more than this is cut to 80, at a word boundary where there is one


def title_from_text(text: str, words: int = 12) -> str:
    """A saved page with no `<title>`, og:title, headline or `<h1>` (a hand-saved fragment, a CMS
    export) is titled by its first sentence, cut at a word boundary: an archive page needs a
    title, and refusing the page would lose its text. The import warns so the user can reword it."""
    text = " ".join(re.sub(r"^```[^\n]*$", " ", text, flags=re.M).split())  # a preformatted page: its text, not the fence
    first = text
    for end in _SENTENCE_END.finditer(text):
        before = text[:end.start()]
        last_word = before.rsplit(" ", 1)[-1]
        following = text[end.end():end.end() + 1]
        if before.endswith(".") and (_NO_SENTENCE_END.fullmatch(last_word) or following.islower()):
            continue  # "U.S. officials said…": an abbreviation, not the end of the sentence
        first = before
        break
    kept = first.split()[:words]
    title = " ".join(kept)
    cut = len(kept) < len(first.split())
    if len(title) > _TITLE_CHARACTERS:
        space = title.rfind(" ", 0, 81)
        title = title[:space] if space > 0 else _before_grapheme(title, 80)  # a script written without spaces
        cut = True
    return title.rstrip(",;:、，") + "…" if cut else title


def _before_grapheme(text: str, at: int) -> str:
    """`text` cut at or before `at`, never between a letter and its combining marks (Thai,
    Devanagari vowel signs) or inside an emoji sequence."""
    import unicodedata
    while 0 < at < len(text) and (unicodedata.category(text[at]).startswith("M") or text[at] in "\u200d\ufe0f"
                                  or text[at - 1] == "\u200d"):
        at -= 1
    return text[:at]
