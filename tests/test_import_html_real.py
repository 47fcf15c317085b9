"""Patterns of real pages that the HTML importer got wrong, found importing public benchmark pages and judging the
built site (German and Brazilian pages without `<html lang>` published as `lang="en"`, links the build refused)."""
from __future__ import annotations

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

SETTINGS = ImportSettings(default_lang="en")
TEXT = "".join(f"<p>Der Hafen öffnet im Juni den neuen Kai, nach drei Jahren Bauzeit. Absatz {n}.</p>" for n in range(4))


def page(head: str, html_attributes: str = "") -> bytes:
    return (f'<!DOCTYPE html><html{html_attributes}><head><meta charset="utf-8"><title>Neuer Kai</title>'
            f'<meta property="article:published_time" content="2024-05-04">{head}</head>'
            f"<body><article><h1>Neuer Kai</h1>{TEXT}</article></body></html>").encode()


def test_a_page_without_html_lang_takes_the_language_it_declares_elsewhere():
    for head, lang in (('<meta http-equiv="content-language" content="de">', "de"),
                       ('<meta name="content-language" content="DE, AT, CH">', "de"),
                       ('<meta name="language" content="de-AT">', "de-AT"),
                       ('<meta property="og:locale" content="pt_BR">', "pt-BR"),
                       ('<script type="application/ld+json">{"@type": "NewsArticle", "inLanguage": "pt-BR"}</script>', "pt-BR"),
                       ('<meta name="language" content="German">', "en")):
        assert parse_page(page(head), "p.html", SETTINGS).lang == lang, head


def test_html_lang_and_the_command_line_win_over_other_declarations():
    declared = '<meta http-equiv="content-language" content="de">'
    assert parse_page(page(declared, ' lang="fr"'), "p.html", SETTINGS).lang == "fr"
    assert parse_page(page(declared), "p.html", ImportSettings(default_lang="en", lang="es")).lang == "es"


def test_the_site_name_and_the_date_after_it_leave_the_title():
    """Deutsche Welle's og:title "… | DW | 10.06.2013" (trafilatura's test set)."""
    for og_title, title in (("Uncork the mystery of Frühburgunder | DW | 10.06.2013", "Uncork the mystery of Frühburgunder"),
                            ("Friday Facts #282 - 0.17 in sight", "Friday Facts #282 - 0.17 in sight")):
        head = (f'<meta property="og:title" content="{og_title}"><meta property="og:site_name" content="DW.COM">'
                '<link rel="canonical" href="https://www.dw.com/en/uncork/a-16863843">')
        assert parse_page(page(head, ' lang="en"'), "dw.html", SETTINGS).title == title


def test_links_the_site_would_refuse_keep_their_text_only():
    """Readability's bartleby page: `href="javascript:void(0); "` came out as `[I](<javascript:void(0); >)`;
    Google's SRE book: `[\\[Hol14\\]](/sre/…)` kept a path of another site (the build warned of both)."""
    body = ('<p>Prepared by <a href="http://www.vcu.edu/engweb ">Ann Woodlief</a>. <a href="javascript:void(0); ">I</a> am '
            'a rather elderly man, see <a href="/sre/bibliography#Hol14">[Hol14]</a> for more.</p>' + TEXT)
    article = parse_page(page('<meta property="og:locale" content="en_US">').replace(b"<h1>Neuer Kai</h1>", body.encode()),
                         "b.html", SETTINGS)
    assert "[Ann Woodlief](http://www.vcu.edu/engweb). I am a rather elderly man, see \\[Hol14\\] for more." in article.body
    assert "javascript" not in article.body and "/sre/" not in article.body


def test_the_title_repeated_under_a_section_label_leaves_the_body():
    """die-partei.net (trafilatura's test set): the body began "## Neuigkeiten", "### <the title>"."""
    body = "<h2>Neuigkeiten</h2><h3>Neuer Kai</h3>" + TEXT + "<h3>Zweiter Teil</h3>" + TEXT.replace("Absatz", "Teil")
    article = parse_page(page('<meta property="og:locale" content="de_DE">').replace(b"<h1>Neuer Kai</h1>", body.encode()),
                         "t.html", SETTINGS)
    assert article.body.startswith("Der Hafen öffnet im Juni") and "Neuigkeiten" not in article.body
    assert "## Zweiter Teil" in article.body


def test_the_logo_heading_of_the_home_link_is_no_title():
    """A Korean magazine of the ScrapingHub set: its only `<h1>` is the logo linking home, "엔터 미디어", and
    two articles were imported under that one title; the `<title>` holds the headline."""
    for home in ('<a href="/"><h1>Harbour Wire</h1></a>', '<a href="https://wire.example/"><h1>Harbour Wire</h1></a>'):
        html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>New quay opens - Harbour Wire</title>'
                f'<meta property="article:published_time" content="2024-05-04"><link rel="canonical" href="https://wire.example/q">'
                f'</head><body><header>{home}</header><div class="story">{TEXT}</div></body></html>')
        assert parse_page(html.encode(), "k.html", SETTINGS).title == "New quay opens", home


def test_decomposed_accents_are_composed():
    """adac.de (trafilatura's test set) writes "Jane\u0301" with a combining accent: the validator warned
    "not in Unicode Normalization Form C", and a search for "Jané" would not find it."""
    head = '<meta property="og:locale" content="de_DE"><meta property="og:title" content="Kai fu\u0308r Jane\u0301">'
    text = "<p>Jane\u0301 Koos i-Size ist geprüft. Der Hafen öffnet im Juni.</p>"
    article = parse_page(page(head).replace(b"Neuer Kai</h1>", ("Neuer Kai</h1>" + text).encode()), "n.html", SETTINGS)
    assert "Jan\u00e9 Koos" in article.body and "\u0301" not in article.body
    assert article.title == "Kai f\u00fcr Jan\u00e9"
