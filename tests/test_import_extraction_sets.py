"""Classes of loss found on the labelled sets of `bench/extraction.py` (Readability's real pages, Dragnet,
L3S-GN1, trafilatura's eval set) where the import lost to plain trafilatura: each page here is
hand-written and small, reproducing the structure, not the site."""
from __future__ import annotations

from lxml import html as lxml_html

from newsarchive.importers import body_captions, br_paragraphs, extract
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

SETTINGS = ImportSettings(default_lang="en")
PROSE = ("The harbour opens its new quay in June, after three years of building and a long quarrel over the cost.",
         "Dockers say the new cranes will double what the port can load in a day, and the city hopes for new jobs.",
         "The first ship is expected on the tenth, a container carrier from Rotterdam with a cargo of machine parts.",
         "Fishermen, who lost their old moorings to the works, will get a basin of their own on the north side.")


def page(body: str, title: str = "New quay") -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="article:published_time" content="2024-05-02T10:00:00Z"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def test_a_post_written_between_brs_keeps_the_space_after_each_link():
    """Blogger: text straight in a `<div>`, paragraphs separated by `<br>` only; trafilatura wrote
    "Their" and "[5th generation parts](…)were just announced" (Readability's blogger page, Dragnet R957)."""
    first = (f"{PROSE[0]} Its [new cranes](https://port.example/cranes) were bought in Rotterdam last winter, and the city"
             " hopes for new jobs on the quay.")
    second = (f"{PROSE[1]} So says the [dockers' union](https://port.example/union). {PROSE[2]}")
    post = "".join(f"<br /> {_html(p)} <br />\n" for p in (first, second, PROSE[3]))  # Blogger's spacing
    article = parse_page(page(f'<div class="post-body">{post}</div>'), "p.html", SETTINGS)
    assert article.body == f"{first}\n\n{second}\n\n{PROSE[3]}\n"


def _html(markdown: str) -> str:
    return extract.LINK.sub(lambda m: f'<a href="{m.group("url")}">{m.group("title")}</a>', markdown)


def test_loose_text_between_brs_becomes_paragraphs_only_where_a_link_stands_in_it():
    """A footer's or a byline's box between `<br>`s is left as it is (wrapped, it looked like the
    article to trafilatura: Dragnet R204, R628); so is a table cell or a `<div>` in one (a 2008 layout table:
    trafilatura then took the whole table, L3S-GN1 TMCnet), and a post without links."""
    post = (f'<div id="post">{PROSE[0]}<br><b>Bold</b> words, then a <a href="/a">link</a> in the line.<br><br>'
            f'<img src="a.jpg"><br>{PROSE[1]}<ul><li>x</li></ul>{PROSE[2]}</div>')
    tree = lxml_html.fromstring(
        f'<html><body>{post}<div id="footer">(c) 2012 The Blog<br>powered by <a href="/wp">WordPress</a> with a theme'
        f'<br>All rights reserved.</div><div id="plain">{PROSE[0]}<br>{PROSE[1]}<br>{PROSE[2]}</div>'
        f'<table><tr><td id="cell">{PROSE[0]} <a href="/b">x</a> {PROSE[1]}<br>{PROSE[2]}<br></td>'
        f'<td><div id="in-cell">{PROSE[0]} <a href="/b">x</a> {PROSE[1]}<br>{PROSE[2]}<br></div></td></tr></table></body></html>')
    br_paragraphs.wrap_loose_text(tree)
    post = tree.get_element_by_id("post")
    assert [child.tag for child in post] == ["p", "p", "p", "p", "ul", "p"]
    assert [" ".join(p.text_content().split()) for p in post.iter("p")] == [
        PROSE[0], "Bold words, then a link in the line.", "", PROSE[1], PROSE[2]]
    assert [child.tag for child in tree.get_element_by_id("footer")] == ["br", "a", "br"]
    assert [child.tag for child in tree.get_element_by_id("plain")] == ["br", "br"]
    assert [child.tag for child in tree.get_element_by_id("cell")] == ["a", "br", "br"]
    assert [child.tag for child in tree.get_element_by_id("in-cell")] == ["a", "br", "br"]  # a layout table's cell


def test_a_slideshows_text_repeating_an_alt_text_stays_but_a_teasers_headline_link_goes():
    """Readability's Yahoo and Guardian pages: a slideshow's description and a photo essay's line repeat
    the picture's alt text and are the article's text (the reference keeps them); a teaser's headline link
    that repeats its thumbnail's alt text is not (Herald Sun)."""
    tree = lxml_html.fromstring(
        '<html><body><img src="/a.jpg" alt="The rocket on its launch pad in Baikonur on Tuesday">'
        '<img src="/t.jpg" alt="Ferry strike ends after a week"></body></html>')
    blocks = [PROSE[0], "The rocket on its launch pad in Baikonur on Tuesday", PROSE[1],
              "[Ferry strike ends after a week](https://port.example/ferry)", PROSE[2]]
    kept = body_captions.without_captions(blocks, body_captions.caption_texts(tree), body_captions.alt_texts(tree))
    assert kept == [PROSE[0], "The rocket on its launch pad in Baikonur on Tuesday", PROSE[1], PROSE[2]]


def test_precision_that_took_another_part_of_the_page_gives_way_to_the_balanced_text():
    """Dragnet R628: on a one-line post, precision kept the footer ("(c) 2012 The Curious Brain |
    powered by WordPress"), which shares no words with the balanced setting's text, the post. A sentence
    of prose precision kept is the article, whatever the balanced setting found (an aside)."""
    footer = ["If you find anything interesting here and decide to share it please credit us", "(c) 2012 The Blog |"]
    post = ["You know me, I love pixels and I love superheroes. Created by a friend of the blog", "No comments yet."]
    assert extract.precision_elsewhere(footer, post)
    assert not extract.precision_elsewhere(post[:1], post)
    assert not extract.precision_elsewhere([], post)
    assert not extract.precision_elsewhere(["The harbour authority said the new quay would take two years."], post)


def test_the_lead_precision_drops_before_the_first_paragraph_is_put_back():
    """Evening Standard, La Stampa, Wochenblatt (trafilatura's eval set): the standfirst between the headline
    and the first paragraph was in the balanced setting's text only; precision began at the first paragraph."""
    lead = "Penalties for those who refuse to self-isolate are to be increased to a maximum of £10,000 for repeat offenders"
    balanced = ["# Quarantine list grows", "[Home](https://news.example/) [World](https://news.example/world)",
                "Published 12 May", lead, *PROSE]
    assert extract._filled(list(PROSE), balanced) == [lead, *PROSE]


def test_no_lead_is_taken_past_a_heading_a_list_a_short_line_or_links():
    teaser = ("[Ferry strike ends after a week of talks between the union and the port's owners]"
              "(https://news.example/ferry), and more")
    assert extract._filled(list(PROSE[1:]), ["## Section", PROSE[0], *PROSE[1:]]) == [PROSE[0], *PROSE[1:]]
    assert extract._filled(list(PROSE), [teaser, *PROSE]) == list(PROSE)
    assert extract._filled(list(PROSE), ["- " + PROSE[3], *PROSE]) == list(PROSE)
    assert extract._filled(list(PROSE), [PROSE[3], "By Jane Doe", *PROSE]) == list(PROSE)
    assert extract._filled(list(PROSE[1:]), [PROSE[0], "x" * 61, "y" * 61, *PROSE[1:]]) == ["x" * 61, "y" * 61, *PROSE[1:]]
