"""Red team 27b's text, date, metadata and decoding cases (branch redteam27b, cases/), each as a fast unit test."""
from __future__ import annotations

from newsarchive.importers.decode import decode_page
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import Caption, ImportSettings
from newsarchive.importers.text import parse_text

SETTINGS = ImportSettings(default_lang="en")
FILLER = ("The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
          "better pay and safer conditions for the night shift workers.")


def _page(body: str, lang: str = "en", head: str = "") -> bytes:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta property="og:title" content="Port strike">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z">{head}</head><body><article>'
            f'<h1>Port strike</h1>{body}</article></body></html>').encode()


def test_sentences_naming_share_and_a_network_are_text_not_share_bars():  # case 14
    sentences = ("Share prices of Facebook fell 5% on Monday.", "Users can now share videos on WhatsApp, the company said.")
    body = parse_page(_page("".join(f"<p>{FILLER}</p><p>{s}</p>" for s in sentences)), "s.html", SETTINGS).body
    for sentence in sentences:
        assert sentence in body


def test_share_bars_with_a_colon_or_in_arabic_are_dropped():  # case 29
    bars = ('<p>Share this article: <a href="https://facebook.com/sharer/sharer.php?u=x">Facebook</a> | '
            '<a href="https://twitter.com/intent/tweet?url=x">X</a> | <a href="https://wa.me/?text=x">WhatsApp</a></p>'
            "<p>شارك على فيسبوك شارك على تويتر</p>")
    body = parse_page(_page(f"<p>{FILLER}</p>{bars}<p>{FILLER} Again.</p>"), "b.html", SETTINGS).body
    assert "Share this article" not in body and "فيسبوك" not in body and "WhatsApp" not in body
    assert body.count("harbour strike") == 2


def test_a_lead_ending_in_an_aside_or_its_agency_stays_in_the_body():  # case 13
    dated = ImportSettings(default_lang="en", date="2021-05-15")
    inflation = parse_text(b"Inflation hits three-year high\n\nConsumer prices rose 4.2% in April (up from 2.6% in March)\n\n"
                           b"Economists had expected a smaller rise.\n", "i.txt", dated)
    assert inflation.captions == ()
    assert inflation.body.startswith("Consumer prices rose 4.2% in April (up from 2.6% in March)")
    strike = parse_text(b"Strike ends\n\nThe dockers voted to return to work on Tuesday. (AFP)\n\nThe port reopens.\n", "s.txt", dated)
    assert strike.captions == () and strike.body.startswith("The dockers voted to return to work on Tuesday. (AFP)")
    photo = parse_text(b"Strike ends\n\nDockers at the gate. (AFP)\n\nThe dockers voted to return to work on Tuesday.\n", "p.txt", dated)
    assert photo.captions == (Caption("Dockers at the gate.", "AFP"),)


def test_shift_jis_page_labelled_latin1_is_read_as_japanese():  # case 15
    text = "月曜日、港の正門に港湾労働者が集まり、夜勤労働者の賃上げと安全な労働条件を求めた。" * 4
    page = f'<html lang="ja"><head><meta charset="iso-8859-1"><title>港のストライキ</title></head><body><p>{text}</p></body></html>'
    decoded = decode_page(page.encode("cp932"))
    assert decoded.encoding == "cp932" and text in decoded.text


def test_paragraphs_starting_with_a_hashtag_stay_paragraphs():  # case 21
    import markdown

    lines = ("#MeToo campaigners gathered outside the court on Monday.", "#1 seed Osaka withdrew on Tuesday.",
             "##Trending in the harbour this week.")
    body = parse_page(_page(f"<p>{FILLER}</p><h2>A real heading</h2>" + "".join(f"<p>{line}</p>" for line in lines)),
                      "h.html", SETTINGS).body
    html = markdown.markdown(body)
    assert "<h2>A real heading</h2>" in html
    for line in lines:
        assert f"<p>{line}</p>" in html


def test_visual_hebrew_page_is_put_in_logical_order():  # case 30
    title, text = "השביתה בנמל נמשכת", "עובדי הנמל התאספו ביום שני, 3 ימים (CNN) בשער הראשי"
    visual = lambda line: title[::-1] if line == title else "ישארה רעשב (CNN) םימי 3 ,ינש םויב ופסאתה למנה ידבוע"
    page = (f'<html lang="he"><head><meta charset="iso-8859-8"><meta property="og:title" content="{visual(title)}"></head>'
            f'<body><h1>{visual(title)}</h1><p>{visual(text)}</p></body></html>').encode("iso8859_8")
    decoded = decode_page(page).text
    assert f'content="{title}"' in decoded and f"<h1>{title}</h1>" in decoded and f"<p>{text}</p>" in decoded
    logical = page.replace(b"iso-8859-8", b"iso-8859-8-i")  # logical order, as declared: as it is
    assert f"<h1>{visual(title)}</h1>" in decode_page(logical).text
    assert decode_page(page.replace(b"iso-8859-8", b"windows-1255")).encoding == "cp1255"


def test_a_dateline_inside_the_site_name_is_no_site_name():  # case 02
    from newsarchive.importers.page_titles import strip_site_name

    assert strip_site_name("Paris – Une nuit de manifestations", ("Le Parisien",), ()) == "Paris – Une nuit de manifestations"
    assert strip_site_name("Une nuit de manifestations – Parisien", ("Le Parisien",), ()) == "Une nuit de manifestations"
    assert strip_site_name("New quay for the harbour | Guardian", ("theguardian",), ()) == "New quay for the harbour"


def test_a_date_on_the_first_line_dates_the_text_and_is_no_section():  # case 26
    for line, date in (("2021-05-15", "2021-05-15"), ("15 May 2021", "2021-05-15"), ("Saturday 15 May 2021", "2021-05-15")):
        article = parse_text(f"{line}\n\nPort strike enters third day\n\nThe dockers gathered on Monday.\n".encode(), "a.txt",
                             ImportSettings(default_lang="en"))
        assert (article.date, article.date_source, article.section) == (date, "text", None), line
        assert article.title == "Port strike enters third day" and article.body == "The dockers gathered on Monday.\n"
    sectioned = parse_text(b"2021-05-15\n\nTV\n\nPort strike enters third day\n\nThe dockers gathered.\n", "b.txt",
                           ImportSettings(default_lang="en"))
    assert (sectioned.section, sectioned.date) == ("TV", "2021-05-15")


def test_text_after_a_huge_inline_picture_or_under_deep_nesting_is_kept():  # case 18
    photo = "data:image/jpeg;base64," + "A" * 10_500_000  # SingleFile inlines pictures; libxml2 stops at 10 MB
    single = parse_page(_page(f'<figure><img alt="Dockers" src="{photo}"></figure><p>{FILLER}</p>'), "s.html", SETTINGS)
    assert FILLER in single.body
    deep = parse_page(_page("<div>" * 300 + f"<p>{FILLER}</p>" + "</div>" * 300), "d.html", SETTINGS)
    assert FILLER in deep.body


def test_json_ld_of_live_blogs_main_entities_and_nested_arrays_is_read():  # case 08
    import json

    item = {"@type": "NewsArticle", "datePublished": "2021-05-15T10:00:00Z", "author": {"@type": "Person", "name": "Jane Doe"},
            "keywords": "Strikes, Ports", "articleSection": "Business"}
    for ld in ({"@context": "https://schema.org", **item, "@type": "LiveBlogPosting"},
               {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": item},
               [[{"@context": "https://schema.org", **item}]]):
        head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        article = parse_page(_page(f"<p>{FILLER}</p>", head=head), "j.html", SETTINGS)
        assert (article.authors, article.tags, article.section) == (("Jane Doe",), ("Strikes", "Ports"), "Business"), ld


def test_a_date_option_contradicting_the_texts_weekday_is_warned():  # case 05
    given = ImportSettings(default_lang="en", date="2021-05-14")
    page = _page("<p>On Saturday, May 15 the dockers gathered at the main gate of the port, demanding better pay.</p>"
                 f"<p>{FILLER}</p>").replace(b'<meta property="article:published_time" content="2021-05-15T10:00:00Z">', b"")
    html = parse_page(page, "w.html", given)
    assert html.date == "2021-05-14" and any("Saturday, May 15" in w and "2021-05-14" in w for w in html.warnings)
    text = parse_text(b"Port strike goes on\n\nOn Saturday the 15th of May the dockers gathered.\n\nTalks resume.\n", "s.txt", given)
    assert any("Saturday the 15th of May" in w for w in text.warnings)


def test_stories_naming_the_same_edition_home_pages_are_no_translations():  # case 28
    from newsarchive.importers.translation_keys import group_keys

    editions = ("https://ex.com/es/", "https://ex.com/de/")
    unrelated = [("a", ("https://ex.com/en/port-strike",), editions, "en"), ("b", ("https://ex.com/fr/vendanges",), editions, "fr")]
    assert group_keys(unrelated, {})[0] == {}
    linked = [("a", ("https://ex.com/en/port-strike",), ("https://ex.com/fr/greve", *editions), "en"),
              ("b", ("https://ex.com/fr/greve",), ("https://ex.com/en/port-strike", *editions), "fr")]
    keys = group_keys(linked, {})[0]
    assert set(keys) == {"a", "b"} and keys["a"] == keys["b"]
