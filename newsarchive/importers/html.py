"""A saved web page (or a crawled one) → `ImportedArticle`, with trafilatura doing the extraction.

The bytes are decoded as a browser would (decode.py); trafilatura finds the article text and
leaves out navigation, banners, "most read" boxes and footers, and extract.py keeps its
Markdown blocks whole and drops the share widgets it lets through; htmldate (through
trafilatura) finds the date. Only the page's own standard metadata is read (page_metadata.py:
Open Graph and `article:*` properties, JSON-LD, `<html lang>`, `<link rel=canonical>`), and the
`<figcaption>` of the lead image's `<figure>`.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urljoin, urlsplit

from ..errors import Problem
from ..extras import require
from ..urlpolicy import url_problem
from ..usertext import visible
from . import date_conflicts, date_languages, datelines, dates, joiners, markers, page_repairs
from .captures import page_address
from .credentials import encoded_url, strip_credentials, without_credentials
from .decode import decode_page
from .markdown_text import even_headings, without_trailing_headings
from .related_boxes import take_related
from .figure_captions import figure_caption, other_captions
from .extract import LINK, extract, load_tree, plain_text, read_also_links
from .page_metadata import page_metadata
from .site_labels import site_label
from .page_titles import is_home_heading, title_from_text, page_title, shown_half, strip_site_name, whole_title, without_platform_segments
from .translation_keys import declared_translations
from .model import ImportedArticle, ImportSettings, LeadImage, ReadAlso, Skipped, title_key

PURPOSE = "importing saved web pages and WARC crawls"
_HEADING = re.compile(r"#{1,6}\s+(?P<text>.*)|\*\*(?P<bold>[^*]+)\*\*")  # an old page's headline is a bold line
# "[I](<javascript:void(0); >)" as trafilatura writes it; "(<…?q=Boko Haram&c=AFPBB\>記事>)" (AFP's search links)
_ANGLED_SPACES = re.compile(r"\]\(<((?:\\[<>]|[^<>\n])*(?:\s|\\[<>])(?:\\[<>]|[^<>\n])*)>\)")
_ANGLE_ESCAPES = re.compile(r" |\\[<>]")
_PERCENT = {" ": "%20", "\\>": "%3E", "\\<": "%3C"}
_TRAILING_DATE = re.compile(r"\s+[|–—·•-]\s+\d{1,4}([./-])\d{1,2}\1\d{1,4}\s*\Z")  # "… | DW | 10.06.2013"


def parse_page(data: bytes, origin: str, settings: ImportSettings, url: str | None = None,
               in_crawl: bool = False, charset: str | None = None, captured=None) -> ImportedArticle | Skipped | Problem:
    """`in_crawl`: a page of a WARC, where a page without a date is an index page (skipped),
    not an error as in a file the user chose. `charset`: the HTTP response's charset label.
    `captured`: the WARC-Date or the file's time, after which no date of the page can be."""
    require("trafilatura", "import", PURPOSE)
    url = encoded_url(without_credentials(url))  # no address the importer writes carries a user:password@ (credentials.py)
    if not data.strip():
        return Skipped(origin, "empty") if in_crawl else Problem("the file is empty", origin)
    text = decode_page(data, charset).text
    try:
        tree = load_tree(text)
    except Exception:  # lxml raises several kinds for unreadable markup
        tree = None
    if tree is None:
        return Skipped(origin, "not a page") if in_crawl else Problem(
            "not an HTML page" if page_repairs.has_element(text) else page_repairs.NO_ELEMENT, origin)
    strip_credentials(tree)
    page_repairs.link_addresses_as_browsers_read_them(tree)
    meta = page_metadata(tree)
    home_names = _home_link_names(tree, url or meta.get("canonical"))
    extraction = extract(tree, url or meta.get("canonical"), meta.get("article_body"),
                         date_params=dates.htmldate_params(captured, extensive=False))
    document = extraction.document
    title = _headline(meta.get("title"), joiners.with_joiners([document.title], joiners.joined_words(tree))[0] if document and document.title else None, tree, home_names)
    if title:
        names = (meta.get("site_name"), document.sitename if document else None)
        title = page_title(title, tree, names, url or meta.get("canonical"), social=meta.get("og_title") == title)
        title = title if meta.get("title") else whole_title(title, tree, names, url or meta.get("canonical"))
    extensive = not in_crawl or meta.get("is_article")  # in a crawl, a date in the text of an index page dates no article
    reading_languages = date_languages.for_page(meta.get("lang"), settings.lang, settings.default_lang)
    page_dates = sorted(meta["dates"], key=lambda d: d[0] != "jsonld")  # an Article's own datePublished first:
    # article:published_time is often the last republication (Medium, NBC News)
    choice = dates.choose([*page_dates, ("title", dates.title_date(meta.get("og_title"), tree.findtext(".//title"))),
                           ("htmldate", document.date if document else None),
                           ("htmldate", (lambda: dates.htmldate_extensive(tree, captured, reading_languages)) if extensive else None),
                           ("text", (lambda: dates.written_in_page(tree, languages=reading_languages)) if extensive else None),
                           ("dateline", (lambda: datelines.top_of_story_date(tree, reading_languages)) if extensive else None),
                           ("--date", settings.date if not in_crawl and settings.date and len(settings.date) == 10 else None)],
                          captured, reading_languages, lambda year: dates.writes_new_year(tree, year))
    date = choice.date
    if not date:
        refused = f" ({choice.reasons()})" if choice.refused else ""
        if in_crawl:
            if choice.refused:
                return Problem(f"not imported: no publication date{refused}", origin, severity="warning")
            return Skipped(origin, "no date (index page)")
        return Problem(f"no publication date in the page{refused}", origin, None, "give one with --date YYYY-MM-DD")
    title = without_platform_segments(_without_section_tail(_without_site_tail(title, home_names, url or meta.get("canonical")), meta.get("section"))) if title else title
    title = _shown_headline(title, tree) if title else title
    title = title if title and visible(title) else None  # zero-width spaces only: a title the build refuses as empty
    if not title and in_crawl:
        return Skipped(origin, "no title")

    paragraphs, read_also = [], []
    # the headline as the page shows it in its <h1> too, when og:title words it otherwise (Corriere, People's Daily)
    headlines = {title_key(title or "")} | {title_key(" ".join(h.text_content().split())) for h in tree.iter("h1")}
    for block in extraction.blocks:
        lines = []
        for line in block.split("\n"):
            heading = _HEADING.fullmatch(line)
            if (heading and not lines and all(_HEADING.fullmatch(p) for p in paragraphs)
                    and title_key(plain_text(heading.group("text") or heading.group("bold"))) in headlines):
                paragraphs.clear()  # the title, and the section labels above it ("## Neuigkeiten")
                continue
            entry = markers.read_also(plain_text(line))
            if entry is not None:
                link = LINK.search(line)
                target = urljoin(url or meta.get("canonical") or "", (link.group("angled") or link.group("url")).strip()) if link else ""
                read_also.append(ReadAlso(entry[1], without_credentials(target) if _web(target) else None))
                continue
            if markers.is_share(line) is not None:
                continue
            line = _ANGLED_SPACES.sub(lambda m: "](<" + _ANGLE_ESCAPES.sub(lambda e: _PERCENT[e.group()], m.group(1).strip()) + ">)", line)
            lines.append(LINK.sub(lambda m: _absolute_link(m, url or meta.get("canonical")), line))
        if lines:
            paragraphs.append("\n".join(lines))
    paragraphs, boxed = take_related(paragraphs)
    known = {title_key(r.title) for r in read_also}
    for t, u in [*boxed, *read_also_links(tree, paragraphs, url or meta.get("canonical") or "")]:
        if title_key(t) not in known:
            known.add(title_key(t))
            read_also.append(ReadAlso(t, without_credentials(u) if u and _web(u) else None))
    if not paragraphs:
        return Skipped(origin, "no text") if in_crawl else Problem(f"a title ('{title}') and no text" if title else "no title and no text in the page", origin)
    paragraphs = even_headings(without_trailing_headings(paragraphs))
    untitled, title = not title, title or title_from_text(plain_text(paragraphs[0]))  # a saved page without any title

    base = url or meta.get("canonical") or ""
    lead = None
    image_url = meta.get("image") or (document.image if document else None)
    if image_url and (base or re.match(r"https?://", image_url)):
        image_url = without_credentials(urljoin(base, image_url))
        lead = LeadImage(image_url, meta.get("image_alt"), figure_caption(tree, image_url, base))
    captions = other_captions(tree, lead.url if lead else None, base)
    lang = settings.lang or meta.get("lang") or settings.default_lang
    source_url = meta.get("canonical") or url
    translations = declared_translations(tree, base, (url, source_url), _web)
    return ImportedArticle(
        origin=origin,
        identity=hashlib.sha256(data).hexdigest(),
        title=unicodedata.normalize("NFC", title),  # "Jane\u0301" as "Jané": one spelling, so search finds it
        date=date,
        body=unicodedata.normalize("NFC", "\n\n".join(paragraphs) + "\n"),
        lang=lang,
        section=meta.get("section") or (document.categories[0] if document and document.categories else None) or settings.section,
        source=_outlet(meta.get("site_name"), document.sitename if document else None, title) or settings.source,
        source_url=page_address(source_url) if source_url and _web(source_url) else None,
        authors=tuple(meta.get("authors") or ([document.author] if document and document.author else [])),
        tags=tuple(meta.get("tags") or (document.tags if document and document.tags else ())),
        read_also=tuple(read_also),
        lead_image=lead,
        captions=captions,
        draft=settings.drafts,
        date_source=choice.source,
        warnings=tuple(f"date refused: {reason}" for reason in choice.refused) + _weekday_warning(choice, paragraphs, lang)
        + tuple(w for w in [date_conflicts.year_disagreement(choice, [*page_dates, ("htmldate", document.date if document else None)],
                                                            reading_languages, captured)] if w)
        + ((f"no title in the page: titled by its first words ('{title}'); edit it in the article's front matter",) if untitled else ())
        + ((page_repairs.UNCLOSED_TITLE,) if page_repairs.unclosed_title(text) else ()),
        translations=translations,
    )


def _absolute_link(match: re.Match, base: str | None) -> str:
    """Links keep pointing at the original site; one that cannot be made absolute keeps its text only.
    An address with parentheses or spaces is written in angle brackets, which Markdown reads whole."""
    target = (match.group("angled") or match.group("url") or "").strip().replace("\\|", "%7C").replace("|", "%7C")  # "\\|": a table's escape
    if not target:  # "[text](<>)": a link to nowhere keeps its text
        return match.group("title")
    target = without_credentials(urljoin(base or "", target))
    target = encoded_url(target)
    if not _web(target) or not match.group("title").strip():
        return match.group("title")
    return f"[{match.group('title')}](<{target}>)" if re.search(r"[()\s<>]", target) else f"[{match.group('title')}]({target})"


def _web(url: str) -> bool:
    """An http(s) address the build will publish (urlpolicy.py), so an import never writes one it refuses."""
    return bool(re.match(r"https?://", url)) and url_problem(url, web_only=True) is None


def _without_section_tail(title: str, section: str | None) -> str:
    """"…-정치" once "ㅣ한국일보" went: the article's own section (article:section) ending its title."""
    section = " ".join((section or "").split())
    match = re.fullmatch(rf"(.+?)\s*[-–—|:·]\s*{re.escape(section)}", title) if section and len(title) > 2 * len(section) else None
    return match.group(1).strip() if match else title


def _outlet(*names_then_title: str | None) -> str | None:
    """The outlet's name: not an address ("https://twitter.com/anadoluajansi", "@aa_turkce", trafilatura's
    reading of twitter:site) nor the headline again (a Thai page whose og:site_name is its title)."""
    *names, title = names_then_title
    return next((n for n in names if n and not re.match(r"https?://|@", n) and title_key(n) != title_key(title or "")), None)


def _shown_headline(title: str, tree) -> str:
    """"<h1>--时政--人民网": a title that is the page's `<h1>` and a short tail after a separator (its
    section and site, names given nowhere else) is that `<h1>`."""
    for heading in tree.iter("h1"):
        shown = " ".join(heading.text_content().split())
        rest = title[len(shown):] if len(shown) >= len(title) / 2 and title.startswith(shown) else ""
        if 0 < len(rest) <= min(40, len(shown) / 2) and re.match(r"\s*(?:--|[-–—|:_·•»｜：])", rest):  # not "Le Monde - Paris"
            return shown
    return title


_TITLE_PARTS = re.compile(r"^(.+)?\s+[–•·—|⁄*⋆~‹«<›»>:-]\s+(.+)$")  # trafilatura's split of a <title>


def _headline(declared: str | None, extracted: str | None, tree, home_names: tuple[str, ...]) -> str | None:
    """The page's og:title or JSON-LD headline, else trafilatura's title (no headline when it is the logo's heading:
    then the `<title>`; a post's hAtom `entry-title` that the `<title>` holds comes first), else the `<title>`."""
    title = declared or extracted
    page = " ".join((tree.findtext(".//title") or "").split())
    if not declared:  # hAtom's `entry-title` (Blogger's <h3>), when the <title> holds it: the post's, not a sidebar's heading
        entry = next((t for e in tree.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]")
                      if len(t := " ".join(e.text_content().split())) >= 3 and t in page), None)
        title = entry or title
    if not title or not declared and title_key(title) in {title_key(n) for n in home_names}:
        title = page or title
    if title and not declared and page and (shown := shown_half(title, page, tree)) != title:
        return shown
    parts = _TITLE_PARTS.match(page)  # trafilatura's pick of "ΡΙΖΟΣΠΑΣΤΗΣ : Μπίζνες πολέμου ανάμεσα…", "Brexit : Theresa May…":
    if not declared and parts and title == parts.group(1) and 2 * len(title.split()) <= len(parts.group(2).split()):
        title = page  # a short first part is the site's name or a kicker, never the headline alone
    return title


def _without_site_tail(title: str, site_names: tuple[str | None, ...], url: str | None) -> str:
    """The title without the date after the site's name ("… | DW | 10.06.2013") and without the site's
    name as its home link spells it, which page_title does not know."""
    label = site_label(url)
    names = tuple(n for n in site_names if n) + ((label,) if label else ())
    undated = _TRAILING_DATE.sub("", title)
    for name in names:  # "Econbrowser: Romney/Ryan on FEMA": a blog's name and a colon before the headline
        if undated.casefold().startswith(name.casefold() + ":") and len(undated) > len(name) + 10:
            undated = undated[len(name) + 1:].strip()
            break
    return strip_site_name(undated, names) if names and (undated != title or site_names) else undated


def _home_link_names(tree, base: str | None) -> tuple[str, ...]:
    """The texts of links to the site's home page ("/", the host's root) and their logos' `alt`: the
    site's name as its logo spells it ("엔터 미디어", "Entermedia" of a Korean magazine). A heading
    inside such a link becomes a `div` in the tree, so nothing takes the logo for the headline."""
    host = urlsplit(base or "").netloc
    names = []
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        try:
            target = urlsplit(urljoin(base or "", href))
        except ValueError:  # "http://[ccpa-preferences]": no address urllib can read, so no home link
            continue
        in_heading = any(a.tag in ("h1", "h2") for a in link.iterancestors())
        if href and (target.path in ("", "/") and not target.query and (not target.netloc or target.netloc == host)
                     or in_heading and is_home_heading(next(a for a in link.iterancestors() if a.tag in ("h1", "h2")))
                     and (not host or target.netloc in ("", host))):  # a blog's banner: <h1><a href="/asia/">
            for heading in [h for h in link.iter("h1", "h2") if h is not link]:
                heading.tag = "div"
            for text in (link.text_content(), *(img.get("alt") or "" for img in link.iter("img"))):  # a logo's alt too
                text = " ".join(text.split())
                if 2 <= len(text) <= 60 and text not in names:
                    names.append(text)
    return tuple(names[:5])


def _weekday_warning(choice, paragraphs: list[str], lang: str) -> tuple[str, ...]:
    """--date dated the page: a warning when its text names another weekday ("On Saturday, May 15")."""
    if choice.source != "--date":
        return ()
    _, warning = dates.weekday_check(plain_text("\n\n".join(paragraphs[:6])), lang, choice.date)
    return (warning,) if warning else ()

