"""A decoded page → the tree, trafilatura's document and the body's Markdown blocks.

trafilatura does the extraction, with its own HTML loader (which drops `<!-- comments -->`
and keeps the text on both sides of them). What is added here is what trafilatura leaves
to its callers: Markdown blocks kept whole (a table's rows stay one block, so it renders as a
table), links whose address holds parentheses kept intact, share and social widgets
left out, and the publisher's own JSON-LD `articleBody` taken when trafilatura's extraction
misses much of it and the page really shows it.
"""
from __future__ import annotations

import re
import unicodedata
from copy import deepcopy
from dataclasses import dataclass
from urllib.parse import urljoin

from ..extras import require
from . import article_parts, body_captions, extraction_runs, joiners, layout_tables, lead_blocks, markers, page_limits, page_repairs, shown_tree
from .markdown_text import divider_as_text, is_divider
from .markdown_words import LINK, STRUCTURE as _STRUCTURE, _WORD, plain_text, text_key as _key

PURPOSE = "importing saved web pages and WARC crawls"
_SHINGLE = 4
_UNDERLINE = re.compile(r"</?u>")  # trafilatura marks some links' text so; Markdown has no underline
_READ_ALSO_START = re.compile(r"\s*(?:" + "|".join(re.escape(m) for ms in markers.READ_ALSO.values() for m in ms) + r")\b", re.I)
_FENCE = re.compile(r"^```[^\n`]*\n.*?\n```[ \t]*$", re.M | re.S)
# trafilatura opens a <pre> that follows text in one element at that line's end ("1.0.0 · Source ```"): Markdown
# sees no fence there, so every later fence would pair with the wrong one
_FENCE_AFTER_TEXT = re.compile(r"^([^`\n][^\n]*?)[ \t]+```[ \t]*(?=\n)", re.M)
# a block that is only an address or a timestamp: page metadata that leaked into the text
_METADATA = re.compile(r"https?://\S+|\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?")
# trafilatura's headings have a space after their '#'; text starting "#MeToo", "#1 seed" is text
# (Python-Markdown, unlike CommonMark, would make it a heading)
_HASHTAG = re.compile(r"^(#+)(?=[^#\s])")
_SHARE_WORDS = re.compile(
    r"(?:share|partager|partagez|compartir|comparte|teilen|condividi|condividere|delen|deel|udostępnij|поделиться|شارك)"
    r"(?:\W+\w+){0,3}\W+(?:on|sur|en|auf|su|op|w|в|على|عبر|via|par)?\W*"
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|email|messenger|flipboard|bluesky|"
    r"mastodon|vk|вконтакте|threads|فيسبوك|فيس بوك|تويتر|واتساب|تيليجرام|تلغرام)(?!\w)", re.I)
# what a share bar is made of besides its share verb: the networks, "on"/"this article", "(opens in new window)";
# a line that still holds words of its own once these are gone is a sentence ("Share prices of Facebook fell")
_WIDGET_VOCABULARY = re.compile(
    r"\b(?:share|shares|sharing|partager|partagez|partage|compartir|comparte|compartilhar|teilen|condividi|condividere|delen|"
    r"deel|udostępnij|поделиться|click|to|on|sur|en|auf|su|op|w|в|via|par|with|your|friends?|this|these|cet|cette|ce|este|esta|"
    r"diesen|artikel|article|articles|story|stories|post|page|link|copy|copier|le|lien|artículo|artigo|articolo|opens|new|in|"
    r"window|tab|print|imprimer|tweet|pin|it|email|e-mail|mail|sms|facebook|twitter|x|linkedin|whatsapp|telegram|reddit|"
    r"pinterest|messenger|flipboard|bluesky|mastodon|threads|vk|вконтакте|одноклассники|ok|xing|tumblr|pocket|line|"
    r"viber|weibo|wechat)\b|"
    r"(?:شارك|شاركوا|مشاركة|على|عبر|هذا|المقال|الخبر|فيسبوك|فيس بوك|تويتر|واتساب|واتس اب|تيليجرام|تلغرام|لينكدإن|البريد|الإلكتروني|"
    r"انستغرام|إكس)(?!\w)", re.I)
_SOCIAL = re.compile(r"(?:facebook|twitter|linkedin|whatsapp|telegram|pinterest|reddit|e-?mail|messenger|copy link|"
                     r"imprimer|print|tweet|partager|share|compartir|teilen|\W)+", re.I)
# a share bar's label alone, its networks shown as icons: "Share this article on", "Pin It", "Send to a Friend"
_SHARE_LABEL = re.compile(r"(?:share|partager|partagez|compartir|comparte|compartilhar|teilen|condividi|condividere|delen|deel|"
                          r"udostępnij|поделиться|tweet|pin)\b.*", re.I)
_TO_A_FRIEND = re.compile(r"(?:send|e-?mail)(?: this(?: article| story| page| post)?)? to a friend|e-?mail this(?: article| story| page| post)?|"
                          r"spread the word|(?:save|add|post|submit|bookmark)(?: this| it)? (?:to|on|at|with) "  # 2000s bookmarking bars
                          r"(?:del\.icio\.us|delicious|digg|stumbleupon|technorati|furl|newsvine|reddit|ma\.gnolia|google bookmarks|my ?yahoo!?)", re.I)
_PERSONAL_USE = re.compile(r"for your personal(?:,\s*non-commercial)? use|pour (?:votre|un) usage personnel|"
                           r"distribution and use of this material are governed|copyright .{0,80}all rights reserved", re.I)
_PROMOTION = re.compile(r"(?:sign up|subscribe) (?:for|to) (?:our|the|\S+) .{0,40}newsletters?\b|get the latest .{0,40} in your inbox|"
                           r"share (?:it|this (?:story|article)) with a friend|like this (?:story|article)\?", re.I)


@dataclass(frozen=True, slots=True)
class Extraction:
    document: object | None  # trafilatura's Document
    blocks: tuple[str, ...]  # Markdown blocks: a paragraph, a heading, a whole list or table


def load_tree(text: str):
    """The page's tree by trafilatura's own loader (None for what is not HTML at all); a page that does
    not start like HTML, or whose `<title>` is never closed, is read as page_repairs.py says."""
    utils = require("trafilatura.utils", "import", PURPOSE)
    text = page_repairs.with_title_closed(page_repairs.without_control_characters(page_limits.without_big_inline_data(text)))
    tree = utils.load_html(text)
    if tree is None and page_repairs.has_element(text):
        text = page_repairs.as_html_document(text)
        tree = utils.load_html(text)
    if tree is not None and (page_limits.reached_depth_limit(tree) or page_limits.over_text_limit(text)):
        tree = page_limits.deep_tree(text)
        if page_limits.reached_depth_limit(tree, page_limits.HUGE_DEPTH_LIMIT):
            tree = page_limits.deep_tree(page_limits.flattened(text))
        return utils.load_html(tree)
    return tree


TRAFILATURA_OPTIONS = {"favor_precision": True}
# what a reader never sees: hidden elements (microdata copies of the article, templates); not React's
# streamed parts (<div hidden id="S:1a">, which its script moves into place: a Next.js page's article)
HIDDEN = ("//*[@hidden][not(starts-with(@id, 'S:'))] | //*[contains(translate(@style, ' ', ''), 'display:none')]"
          " | //*[contains(translate(@style, ' ', ''), 'visibility:hidden')] | //template")
_SHOWN_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
_MARKDOWN = {"output_format": "markdown", "include_links": True, "include_formatting": True, "include_images": False,
             "include_comments": False, "include_tables": True}


def extract(tree, url: str | None, article_body: str | None = None, options: dict | None = None,
            date_params: dict | None = None) -> Extraction:
    """`article_body`: the JSON-LD `articleBody`, used when trafilatura misses most of it;
    `options`: trafilatura settings that replace `TRAFILATURA_OPTIONS` (for measuring);
    `date_params`: htmldate's settings (dates.htmldate_params: none after the capture).
    A page laid out in a table whose text came out as a table row of prose is read again with its
    layout tables as blocks (layout_tables.py); other pages as they are."""
    layout_tables.readable_data_tables(tree)
    spare = deepcopy(tree) if layout_tables.has_layout_table(tree) else None
    extraction = _extract(tree, url, article_body, options, date_params)
    if spare is not None and layout_tables.prose_in_a_row(extraction.blocks):
        layout_tables.unwrap_layout_tables(spare)
        extraction = _extract(spare, url, article_body, options, date_params)
    return extraction


def _extract(tree, url: str | None, article_body: str | None, options: dict | None, date_params: dict | None) -> Extraction:
    settings = TRAFILATURA_OPTIONS if options is None else options
    page_text = " ".join(" ".join(tree.xpath(_SHOWN_TEXT)).split()) if article_body else ""
    captions, alts = body_captions.caption_texts(tree), body_captions.alt_texts(tree)
    for element in tree.xpath(HIDDEN):
        element.drop_tree()  # once here, not in each of trafilatura's passes (its prune_xpath)
    joined = joiners.joined_words(tree)  # which trafilatura takes out (joiners.py)
    changed_links = shown_tree.prepare(tree, url)
    quotations = shown_tree.mark_quotations(tree)
    document = extraction_runs.document(  # body and metadata from one run (extraction_runs.py)
        tree, url, date_extraction_params=date_params or {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True,
                                                          "extensive_search": False},
        with_metadata=True, **_MARKDOWN, **settings)
    blocks = markdown_blocks(document.text or "" if document is not None and document.body is not None else "")
    if settings.get("favor_precision"):  # precision that keeps less than half of the balanced setting's text lost the article,
        balanced = markdown_blocks(extraction_runs.markdown(tree, url, **_MARKDOWN))  # so did one that shares none of it
        lost = len("".join(blocks)) < 0.5 * len("".join(balanced)) or precision_elsewhere(blocks, balanced)
        blocks = balanced if lost else _filled(blocks, balanced)
    blocks = body_captions.without_captions(_continued(tree, blocks, url), captions, alts)
    blocks = [quoted for b in blocks if (quoted := shown_tree.quotation_lines(b)).strip("> \n")]
    blocks = joiners.with_joiners(blocks, joined)
    shown_tree.restore_links(changed_links)
    shown_tree.unmark_quotations(quotations)
    if article_body and _prefer_article_body(article_body, blocks, page_text):
        blocks = [divider_as_text(p) if is_divider(p) else p for p in (" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", article_body)) if p]
    return Extraction(document, tuple(blocks))


def precision_elsewhere(precise: list[str], balanced: list[str]) -> bool:
    """Precision's blocks share no word run with the balanced setting's and none is a sentence: it took the
    page's furniture (a short post's footer, "(c) 2012 The Curious Brain |", for the post: Dragnet's R628)."""
    return bool(precise and balanced) and not any(_is_sentence(b) for b in precise) \
        and not _shingles(plain_text("\n".join(precise))) & _shingles(plain_text("\n".join(balanced)))


FILL = "headings"
TAIL_MIN = 150  # characters of a paragraph of prose put back at the end


def _filled(precise: list[str], balanced: list[str]) -> list[str]:
    """Precision's blocks, with the subheadings and short sentences it drops put back: a heading or
    a sentence of the balanced setting's text that stands between two blocks precision kept goes
    back in its place; so does
    the balanced setting's last section (headings and paragraphs of prose) after the last block
    precision kept. A paragraph precision kept with words missing is taken whole from the balanced text."""
    precise = _repaired(precise, balanced)
    position = {_key(b): i for i, b in enumerate(precise)}
    shared = [i for i, b in enumerate(balanced) if _key(b) in position]
    if len(shared) < 2:
        return precise
    after: dict[int, list[str]] = {}
    anchor = position[_key(balanced[shared[0]])]
    for block in balanced[shared[0] + 1:shared[-1]]:
        if _key(block) in position:
            anchor = position[_key(block)]
        elif FILL == "all" or block.startswith("#") or _is_sentence(block):
            after.setdefault(anchor, []).append(block)
    tail = []  # the article's last section, which precision often drops: subheadings and prose, not lists or links
    for block in balanced[shared[-1] + 1:]:
        if not (block.startswith("#") or (len(plain_text(block)) >= TAIL_MIN and not _STRUCTURE.match(block)
                                          and len(LINK.sub("", block)) >= 0.8 * len(block))):
            break
        tail.append(block)
    while tail and tail[-1].startswith("#"):
        tail.pop()
    after.setdefault(position[_key(balanced[shared[-1]])], []).extend(tail)
    head = lead_blocks.lead(balanced[:shared[0]]) if position[_key(balanced[shared[0]])] == 0 else []
    return head + [b for i, block in enumerate(precise) for b in [block, *after.get(i, [])]]


REPAIR_EXTRA_WORDS = 0.1  # at most this share of words (and 3) more in the balanced block: the same paragraph


def _repaired(precise: list[str], balanced: list[str]) -> list[str]:
    """Precision's blocks, each that lost a few words ("Although <b>Monster…</b> net sales" came out
    "**Monster…**net sales") replaced by the balanced setting's block that holds it and those words."""
    keys = {_key(b) for b in precise}
    whole = [(b, len(k.split()), _shingles(k)) for b in balanced if (k := _key(b)) not in keys and not _STRUCTURE.match(b)]
    repaired = []
    for block in precise:
        words = _key(block).split()
        own = _shingles(" ".join(words)) if not block.startswith("#") and not _STRUCTURE.match(block) else set()
        match = next((b for b, count, shingles in whole if len(words) < count <= len(words) * (1 + REPAIR_EXTRA_WORDS) + 3
                      and len(own & shingles) >= 0.8 * len(own)), None) if own else None
        repaired.append(match or block)
    return repaired


def _is_sentence(block: str) -> bool:
    """Prose that ends as a sentence does (a line of dialogue: "Gotcha."), not a list, a table or a link."""
    return bool(_SENTENCE_END.search(block)) and not _STRUCTURE.match(block) and len(LINK.sub("", block)) >= 0.8 * len(block)


def _continued(tree, blocks: list[str], url: str | None) -> list[str]:
    """An article split into several containers of one class (`div.article__body`, with an
    advertisement between each) is extracted from all of them, when that keeps what was found
    and adds to it; trafilatura alone keeps only the first."""
    starts = [" ".join(plain_text(b).split())[:60] for b in blocks if len(b) >= 80]
    if not starts:
        return blocks
    container = next((p.getparent() for p in tree.iter("p") if " ".join(p.text_content().split()).startswith(starts[0])), None)
    if container is None or not container.get("class") or container.getparent() is None:
        return blocks
    ancestors = list(container.iterancestors())[:4]
    same = article_parts.run_of_parts(container, [e for e in tree.iter(container.tag) if e.get("class") == container.get("class")
                                     and (e is container or any(a in ancestors for a in e.iterancestors()))])
    if len(same) < 2:
        return blocks
    html = require("lxml.html", "import", PURPOSE)
    joined = html.fromstring("<html><body><article></article></body></html>")
    article = joined.find(".//article")
    for element in same:
        part = deepcopy(element)
        part.tail = None
        for name in ("class", "id"):  # trafilatura would take the first container of the class only
            part.attrib.pop(name, None)
        article.append(part)
    more = markdown_blocks(extraction_runs.markdown(joined, url, favor_recall=True, **_MARKDOWN))  # all of it is the article
    counts: dict[str, int] = {}
    for block in more:
        counts[_key(block)] = counts.get(_key(block), 0) + 1
    if any(counts.get(_key(b), 0) > 1 for b in blocks if len(b) >= 80):  # the containers repeat the article (copies for print, tabs)
        return blocks
    before, after = _shingles(plain_text("\n".join(blocks))), _shingles(plain_text("\n".join(more)))
    if len(before & after) >= 0.9 * len(before) and len(after) >= 1.15 * len(before):
        return more
    return blocks


_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]*_]*$")
REPEATED_MAX = 200  # a repeated shorter block that is no sentence is a widget or a caption shown twice


def markdown_blocks(markdown: str) -> list[str]:
    """The blocks of trafilatura's Markdown, each line trimmed, widget lines and repeated short blocks left out.
    Composed (NFC): a page written in decomposed letters ("a" + "\u0308") comes out of trafilatura's two
    settings spelt two ways, and the blocks of one must be found among the other's (Vogue's article twice)."""
    markdown = unicodedata.normalize("NFC", markdown)
    parts: list[tuple[str, bool]] = []  # (block, a line of a paragraph broken by <br>)
    for chunk in _chunks(markdown):
        if _FENCE.fullmatch(chunk):  # a code block keeps its indentation and blank lines, whole
            parts.append((chunk, False))
            continue
        lines = [_HASHTAG.sub(r"\\\1", _angle_escaped(_UNDERLINE.sub("", line)).strip()) for line in chunk.split("\n")]
        lines = [divider_as_text(line) if is_divider(line) else line for line in lines if line and (is_divider(line) or not is_widget(line))]
        lines = _with_header_row(lines)
        structured = any(_STRUCTURE.match(line) for line in lines)  # a table, a list, a quote: one block
        # a line of a paragraph broken by <br> is the author's text, even where it repeats a short line
        broken = not structured and len(lines) > 1
        parts += [(part, broken) for part in (["\n".join(lines)] if structured else lines)]  # else a line break ends a paragraph
    blocks, seen = [], set()
    for index, (part, broken) in enumerate(parts):
        if part.startswith("```") and _FENCE.fullmatch(part):
            if part not in seen:
                seen.add(part)
                blocks.append(part)
            continue
        key = " ".join(_WORD.findall(plain_text(part).casefold()))
        following = parts[index + 1][0] if index + 1 < len(parts) else ""
        repeated = key in seen and len(key) < REPEATED_MAX and not _SENTENCE_END.search(part) and not broken \
            and not _sentence_goes_on(part, following)
        if not part or repeated or _METADATA.fullmatch(part):
            continue
        seen.add(key)
        blocks.append(part)
    return blocks


def _sentence_goes_on(part: str, following: str) -> bool:
    """A line that a `<br>` cut in the middle of a sentence (it ends with a comma, or the next line goes
    on in lower case): the author's text, kept even where it repeats a line (a song's chorus)."""
    if part.endswith((",", ";")):
        return True
    return part[-1:].isalpha() and following[:1].islower()


def _with_header_row(lines: list[str]) -> list[str]:
    """A table with no header cells (no `|---|` row after its first) would render as a paragraph
    of pipes: Markdown tables need one, so its first row becomes the header."""
    if not lines or not all(line.startswith("|") for line in lines):
        return lines
    if all(re.fullmatch(r"\|[^|]*\|", line.replace("\\|", "")) for line in lines):  # one column: a layout table's boxes
        return [cell for line in lines if (cell := line[1:-1].strip()) and not re.fullmatch(r":?-+:?", cell)]
    if len(lines) > 1 and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[1]):
        return lines
    columns = len(re.findall(r"(?<!\\)\|", lines[0])) - 1
    return [lines[0], "|" + "---|" * max(columns, 1), *lines[1:]]


def _angle_escaped(line: str) -> str:
    """trafilatura writes a text's "<" as "\\<", which Python-Markdown does not unescape: it would
    read "\\<div>" as a backslash and a real tag. "&lt;" is the text again (not in code spans)."""
    parts = re.split(r"(`+[^`]*`+)", line)
    return "".join(part if part.startswith("`") else part.replace("\\<", "&lt;") for part in parts)


def _chunks(markdown: str) -> list[str]:
    """Markdown's blank-line-separated chunks, a fenced code block being one whatever it holds."""
    chunks, start = [], 0
    markdown = _FENCE_AFTER_TEXT.sub(lambda m: m.group(1) + "\n\n```", markdown)
    for fence in _FENCE.finditer(markdown):
        chunks += re.split(r"\n[ \t]*\n", markdown[start:fence.start()])
        chunks.append("\n".join(line.rstrip() for line in fence.group(0).split("\n")))
        start = fence.end()
    return chunks + re.split(r"\n[ \t]*\n", markdown[start:])


def is_widget(line: str) -> bool:
    """A share bar, a row of social links, or a "for your personal use" box."""
    text = " ".join(LINK.sub(lambda m: m.group("title"), line).split()).strip(" -*|")  # "| \xa0**Share   this…** |": a table's cell
    if not text:
        return not re.fullmatch(r"[|:\- ]*\|[|:\- ]*-[|:\- ]*", line)  # a table's header rule is kept
    if len(text) <= 200 and (_SHARE_WORDS.search(text) and _is_share_bar(text) or _SOCIAL.fullmatch(text)):
        return True
    label = text.strip(" :.…#")  # a label all of share words ("Share this article on", "## SHARE THIS ARTICLE"), or "Send to a Friend"
    if len(label) <= 60 and (_SHARE_LABEL.fullmatch(label) and not _WORD.findall(_WIDGET_VOCABULARY.sub(" ", label))
                             or _TO_A_FRIEND.fullmatch(label)):
        return True
    return bool(_PERSONAL_USE.search(text)) and len(text) <= 600 or bool(_PROMOTION.search(text)) and len(text) <= 200


def _is_share_bar(text: str) -> bool:
    """Nothing but share verbs, network names and their glue: at most one word of its own is left."""
    return len(_WORD.findall(_WIDGET_VOCABULARY.sub(" ", text))) <= 1


def read_also_links(tree, paragraphs: list[str], base: str) -> list[tuple[str, str | None]]:
    """(title, absolute URL or None) of the "read also" boxes beside the article's own text,
    which trafilatura leaves out as link lists; boxes elsewhere on the page (other articles'
    teasers) are not the article's. Only elements whose text starts with a marker are looked at."""
    starts = [" ".join(plain_text(p).split())[:60] for p in paragraphs if len(p) >= 60]
    found, seen = [], set()
    for node in tree.iter():
        if not isinstance(node.tag, str) or not node.text or not _READ_ALSO_START.match(node.text):
            continue
        for element in [node, *list(node.iterancestors())[:2]]:
            text = " ".join(element.text_content().split())
            link = next(element.iter("a"), None)
            entry = markers.read_also(text) if len(text) <= 300 else None
            if entry is None or link is None or not link.get("href") or element in seen:
                continue
            seen.add(element)
            if _beside_the_text(element, starts):
                target = urljoin(base, link.get("href").strip())
                found.append((entry[1], target if re.match(r"https?://", target) else None))
            break
    return found


def _beside_the_text(element, starts: list[str]) -> bool:
    """One of the element's three nearest ancestors has a child that starts with a paragraph of the body."""
    for ancestor, _ in zip(element.iterancestors(), range(3)):
        for child in ancestor:
            if isinstance(child.tag, str) and child is not element:
                text = " ".join(child.text_content().split())
                if any(text.startswith(start) for start in starts):
                    return True
    return False


def _prefer_article_body(article_body: str, blocks: list[str], page_text: str) -> bool:
    """The publisher's text wins when trafilatura kept less than 70 % of it, it is longer than what
    trafilatura kept (not a teaser), and at least 80 % of it is shown on the page (not the text
    of another article, nor one only a script would show)."""
    wanted = _shingles(article_body)
    if len(wanted) < 20:
        return False
    shown = _shingles(page_text)
    if len(wanted & shown) < 0.8 * len(wanted):
        return False
    kept = _shingles(plain_text("\n".join(blocks)))
    return len(wanted & kept) < 0.7 * len(wanted) and len(wanted) > 1.2 * len(kept)  # not a teaser of a longer text


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + _SHINGLE]) for i in range(max(0, len(words) - _SHINGLE + 1))}
