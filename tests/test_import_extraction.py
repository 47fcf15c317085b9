"""Patterns of real pages (found on Mozilla Readability's test pages) that lost or changed the
words a reader sees, each in a tiny hand-written page: see importers/shown_tree.py."""
from __future__ import annotations

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

SETTINGS = ImportSettings(default_lang="en", date="2021-03-04")
FILLER = ("The council met on Tuesday evening to discuss the budget for the coming year, and many residents "
          "came to the town hall to hear what the members had to say about it. ")


def page(body: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Budget vote</title>{head}</head>"
            f"<body><article><h1>Budget vote</h1><p>{FILLER * 2}</p>{body}<p>{FILLER}</p></article></body></html>").encode()


def test_hard_wrapped_paragraphs_stay_whole():
    # the source's line breaks (in a <div>: trafilatura trims a <p>) are spaces to a browser; the second
    # paragraph repeats lines of the first
    shared = ("\n      by a tenth over the next five years, as the members were told in the report,\n"
              "      and that the savings would go to the schools and the libraries of the town.")
    first, second = "The mayor said the plan would cut costs" + shared, "Her deputy disagreed with the figures" + shared
    html = (f"<html lang='en'><head><title>Budget vote</title></head><body><article><h1>Budget vote</h1>"
            f"<div>{FILLER}</div><div>{first}</div><div>{second}</div></article></body></html>")
    article = parse_page(html.encode(), "wrapped.html", SETTINGS)
    paragraphs = article.body.strip().split("\n\n")
    shared = (" by a tenth over the next five years, as the members were told in the report, and that the savings "
              "would go to the schools and the libraries of the town.")
    assert "The mayor said the plan would cut costs" + shared in paragraphs
    assert "Her deputy disagreed with the figures" + shared in paragraphs


def test_text_after_an_element_that_shows_no_text_is_kept():
    body = ("<p>If the transpose of a matrix <span class='math'><img src='a.png' alt='A'></span> is denoted by "
            "the letter H, the property is written concisely<i class='icon'></i> as a single equation here.</p>")
    article = parse_page(page(body), "formula.html", SETTINGS)
    assert ("If the transpose of a matrix is denoted by the letter H, the property is written concisely as a "
            "single equation here.") in article.body


def test_links_resolve_against_the_page_and_keep_their_ampersands():
    head = "<link rel='canonical' href='https://news.example/city/2021/budget.html'>"
    body = ("<p>Read the <a href='report.pdf?id=1&amp;region=us&amp;copy=2'>full report</a> and the "
            "<a href='#note-1'>note</a> on the vote.<sup><a href='#cite_note-2'>[2]</a></sup> The members "
            "will vote again in the spring, after a second reading of the budget.</p>")
    article = parse_page(page(body, head), "links.html", SETTINGS)
    assert "[full report](https://news.example/city/2021/report.pdf?id=1&region=us&copy=2)" in article.body
    assert "[note](https://news.example/city/2021/budget.html#note-1)" in article.body
    assert "(https://news.example/city/2021/budget.html#cite_note-2)" in article.body
    assert "®" not in article.body and "©" not in article.body


def test_links_follow_the_pages_base_element():
    head = ("<link rel='canonical' href='https://news.example/city/2021/budget.html'>"
            "<base href='https://static.example/archive/'>")
    body = ("<p>The <a href='minutes/march.html'>minutes of the meeting</a> are published, with the list of "
            "the members who voted for the budget and those who voted against it.</p>")
    article = parse_page(page(body, head), "base.html", SETTINGS)
    assert "[minutes of the meeting](https://static.example/archive/minutes/march.html)" in article.body


def test_json_ld_in_cdata_is_read_and_its_date_published_wins_over_a_later_meta_date():
    # the meta tag holds a republication's time (Medium, NBC News); the JSON-LD is wrapped in CDATA (Spiceworks)
    head = ("<meta property='article:published_time' content='2015-12-11T14:28:34Z'>"
            "<script type='application/ld+json'>\n<![CDATA[\n[{\"@type\": \"NewsArticle\", \"headline\": \"Budget vote\","
            " \"datePublished\": \"2015-10-15T02:19:15Z\", \"dateModified\": \"2018-04-22T22:24:24Z\"}]\n]]>\n</script>")
    article = parse_page(page("", head), "republished.html", SETTINGS)
    assert (article.date, article.date_source) == ("2015-10-15T02:19:15Z", "jsonld")


def test_a_title_segment_that_only_mentions_the_site_is_kept():
    def title_of(og_title: str) -> str:
        head = f"<link rel='canonical' href='https://dropbox.tech/infrastructure/atf'><meta property='og:title' content='{og_title}'>"
        return parse_page(page("", head), "dropbox.html", SETTINGS).title
    assert title_of("How we designed Dropbox’s ATF - an async task framework") == \
        "How we designed Dropbox’s ATF - an async task framework"
    assert title_of("Budget vote - Dropbox.tech") == "Budget vote"  # while a segment that is the site's name goes


def test_the_sites_logo_heading_is_not_taken_for_the_headline():
    # "Headline @ Blog :: Portal ::", and the portal's logo is an <h1> (PIXNET): the title is not cut to the logo
    title = "新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET ::"
    html = (f"<html lang='zh-TW'><head><meta property='og:title' content='{title}'></head><body><div class='topbar'>"
            "<h1 class='topbar__logo__title'>痞客邦 PIXNET</h1></div><article>"
            f"<p>{FILLER * 3}</p></article></body></html>").encode()
    assert parse_page(html, "pixnet.html", SETTINGS).title == "新竹尖石_美樹營地賞楓 (2) @ 史蒂文的家_藍天 :: 痞客邦 PIXNET"


def test_a_long_paragraph_the_author_repeats_is_kept_and_a_repeated_short_line_is_not():
    refrain = ("We will not be moved, sang the crowd outside the town hall, again and again, while the members "
               "inside counted the votes on the budget one by one, and the mayor waited for the result in silence, as she had done at every vote since the spring.")
    body = (f"<p>{refrain}</p><p>Advertisement</p><p>The count took an hour. {FILLER}</p>"
            f"<p>Advertisement</p><p>{refrain}</p>")
    article = parse_page(page(body), "refrain.html", SETTINGS)
    assert article.body.count(refrain) == 2
    assert article.body.count("Advertisement") <= 1
