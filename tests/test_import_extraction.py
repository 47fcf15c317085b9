"""Patterns of real pages (found on Mozilla Readability's test pages) that lost or changed the
words a reader sees, each in a tiny hand-written page: see importers/shown_tree.py."""
from __future__ import annotations

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

from conftest import run_cli

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


def test_the_last_section_after_a_subheading_is_kept():
    # trafilatura's precision setting drops a closing section after embedded players; its balanced setting keeps it
    closing = ("Tempor incididunt ut labore et dolore magna aliqua, said the treasurer when the vote was over, "
               "and the members went home knowing that the budget would be read a second time in the spring.")
    html = ("<html lang='en'><head><title>Budget vote</title></head><body><article><h1>Budget vote</h1>"
            f"<div><p>{FILLER * 3}</p></div><h2>Videos</h2><p>At root</p><iframe src='https://video.example/1'></iframe>"
            "<p>In a paragraph</p><p><iframe src='https://video.example/2'></iframe></p>"
            f"<h2>What next</h2><div>{closing}</div></article></body></html>")
    body = parse_page(html.encode(), "closing.html", SETTINGS).body
    assert body.endswith(f"## What next\n\n{closing}\n")


def test_the_headline_the_page_shows_and_its_title_repeat_wins_over_a_structured_data_headline():
    # Wikipedia's JSON-LD "headline" is the kind of page it is
    ld = '<script type="application/ld+json">{"@type": "Article", "headline": "Wikimedia list article"}</script>'
    html = ("<html lang='en'><head><title>List of films featuring time loops - Wikipedia</title>"
            "<meta property='og:site_name' content='Wikipedia'>" + ld + "</head><body><h1>List of films featuring time loops</h1>"
            f"<div id='content'><p>{FILLER * 3}</p></div></body></html>")
    assert parse_page(html.encode(), "loops.html", SETTINGS).title == "List of films featuring time loops"


def test_a_link_wrapped_in_a_span_of_class_link_keeps_its_words():
    # CNET: trafilatura's precision setting discards any <span class="link">, even in the middle of a sentence
    body = ("<p>The company has also worked on the <span class='link'><a href='/news/abuse'>removal of abuse from "
            "the network</a></span>, taking steps even in the <span class='link'><a href='/news/verified'>verification "
            "of accounts</a></span> that it shows on the profiles of well-known members.</p>")
    article = parse_page(page(body), "cnet.html", SETTINGS)
    assert "removal of abuse from the network" in article.body and "verification of accounts" in article.body


def test_short_lines_of_dialogue_are_kept_even_when_repeated():
    # Royal Road: trafilatura's precision setting drops short paragraphs, and a repeated short block was taken for a widget
    story = [f"<p>{FILLER}</p>", "<p>“Do you want to come to the library tonight?”</p>", "<p>“Let me think about it.”</p>",
             f"<p>{FILLER}</p>", "<p>Advertisement</p>", "<p>“Gotcha.”</p>", f"<p>The members voted again. {FILLER}</p>",
             "<p>“Let me think about it.”</p>", "<p>Advertisement</p>", f"<p>The mayor left early. {FILLER}</p>"]
    body = parse_page(page("".join(story)), "dialogue.html", SETTINGS).body
    assert body.count("“Let me think about it.”") == 2 and "“Gotcha.”" in body
    assert body.count("Advertisement") <= 1


def test_a_link_urllib_cannot_read_is_no_reason_to_stop():
    # a page of trafilatura's evaluation set links to "http://[ccpa-preferences]"; urljoin raises ValueError on it
    body = f"<p>See the <a href='http://[ccpa-preferences]'>privacy choices</a> of the town. {FILLER}</p>"
    article = parse_page(page(body), "bracket.html", SETTINGS)
    assert "privacy choices" in article.body


def test_lines_of_a_sentence_broken_by_br_are_kept_even_when_repeated():
    # Readability's replace-brs: a paragraph cut by <br> repeats two lines of an earlier one ("…ut aliquip ex ea commodo",
    # "…Ut enim ad minim veniam,"); they went as repeated short blocks, though the sentence goes on after them
    from newsarchive.importers.extract import markdown_blocks
    verse = "Tempor\n\nincididunt ut labore, et dolore magna aliqua,\n\nquis nostrud exercitation commodo\n\nconsequat velit esse."
    blocks = markdown_blocks(f"Lorem ipsum.\n\n{verse}\n\nAdvertisement\n\n{verse}\n\nAdvertisement")
    assert blocks.count("incididunt ut labore, et dolore magna aliqua,") == 2
    assert blocks.count("quis nostrud exercitation commodo") == 2 and blocks.count("Advertisement") == 1
    # the lines of one chunk (a paragraph broken by <br>: an RFC's pages) are all the author's
    assert markdown_blocks("Page header\nFirst page text.\n\nPage header\nSecond page text.").count("Page header") == 2


def test_an_emphasised_link_before_an_emphasised_word_keeps_its_address_and_space():
    body = ("<p>The film <em>is streaming on</em> <a href='https://video.example/a'><em>Channel One</em></a> "
            "<em>and</em> <a href='https://video.example/b'><em>Channel Two</em></a><em>, and on the town's "
            "own site.</em></p>")
    article = parse_page(page(body), "emphasis.html", SETTINGS)
    assert "[Channel One](https://video.example/a) *and* [Channel Two](https://video.example/b)" in article.body
    assert "Channel Oneand" not in article.body


def test_a_heading_with_an_empty_anchor_keeps_its_words():
    # "<h3><a class='anchor' id=''></a>Title</h3>": with links kept, trafilatura emptied the heading
    body = (f"<h2><a class='js_header-anchor' id=''></a>Where the money goes</h2><p>{FILLER}</p>"
            f"<h3>The schools<a id='schools'></a></h3><p>The new school is <a href='https://town.example/map'>"
            f"located</a><a href='https://town.example/other'> </a>near the river, the members were told. {FILLER}</p>")
    article = parse_page(page(body), "anchor.html", SETTINGS)
    assert "## Where the money goes" in article.body
    assert "### The schools" in article.body
    assert "[located](https://town.example/map) near the river" in article.body


def test_a_saved_page_without_any_title_is_titled_by_its_first_words_with_a_warning(make_site, tmp_path):
    """Readability's `ol` and `reordering-paragraphs` pages have no <title>, og:title, headline or <h1>:
    the import refused them ("no title in the page") and lost their text. Now the first sentence,
    cut to twelve words, is the title, and the import says so."""
    body = ("<p>The harbour board met on Tuesday night and voted to open the new quay to ferries from the islands"
            " in June. The vote was close.</p><p>Fishermen asked for a berth of their own.</p>")
    html = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body><div>{body}</div></body></html>'
    article = parse_page(html.encode(), "untitled.html", ImportSettings(default_lang="en", date="2024-05-02"))
    assert article.title == "The harbour board met on Tuesday night and voted to open the…"
    assert article.body.startswith("The harbour board met on Tuesday night")
    assert any("no title in the page: titled by its first words" in w for w in article.warnings)
    config = make_site({}, config="title: Imported\nbase_url: https://news.example.org/\nlanguage: en\n")
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "untitled.html").write_text(html, encoding="utf-8")
    result = run_cli("import", tmp_path / "saved" / "untitled.html", "--date", "2024-05-02", "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    shown = result.out + result.err
    assert "untitled.html" in shown and "titled by its first words" in shown
    written = list((config.parent / "articles").rglob("*.md"))
    assert len(written) == 1 and 'title: "The harbour board met on Tuesday night' in written[0].read_text(encoding="utf-8")


def test_a_title_from_text_without_spaces_is_cut_at_eighty_characters():
    from newsarchive.importers.page_titles import title_from_text
    assert title_from_text("港" * 200) == "港" * 80 + "…"
    assert title_from_text("Short line. Then more.") == "Short line."


def test_a_title_from_text_ends_at_the_first_real_sentence_and_at_a_word_boundary():
    """Red team: twelve long words were cut in the middle of one at 80 characters ("regarding ma…");
    an abbreviation or a number ended the "sentence" ("U.S.", "1."); a Japanese paragraph (no space
    after 。) and an Arabic question (؟) gave several sentences as the title; Thai was cut between a
    letter and its vowel sign."""
    from newsarchive.importers.page_titles import title_from_text
    assert title_from_text("The government announced on Tuesday that international negotiations regarding maritime"
                           " boundaries would resume next month.") == "The government announced on Tuesday that international negotiations regarding…"
    assert title_from_text("U.S. officials said on Tuesday that talks resumed. More.") == "U.S. officials said on Tuesday that talks resumed."
    assert title_from_text("1. Ports reopened on Monday. Then more.") == "1. Ports reopened on Monday."
    assert title_from_text("Mr. Smith resigned. Then.") == "Mr. Smith resigned."
    assert title_from_text("港のストライキ。漁師たちは港でストライキをした。") == "港のストライキ。"
    assert title_from_text("هل انتهى الإضراب؟ قال الصيادون إنهم سيواصلون الاحتجاج.") == "هل انتهى الإضراب؟"
    thai = "ก" * 79 + "ที่" + "ข" * 20  # the 80th character is a vowel sign: the cut goes before its letter
    assert title_from_text(thai) == "ก" * 79 + "…"


def test_a_title_from_text_shows_the_words_not_their_markdown():
    """Red team: the first paragraph's Markdown leaked into the title: an escaped "\\*" was read as
    emphasis (a title "is over \\now\\"), a "<" stayed "&lt;", and a page that is a table was titled
    "| Port | Tonnage | |---|---| …"."""
    settings = ImportSettings(default_lang="en", date="2024-05-02")
    page = lambda body: f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body><div>{body}</div></body></html>".encode()  # noqa: E731 (no title)
    marked = page("<p>The <b>port</b> &lt;strike&gt; is *over* now. Then more text follows here.</p>"
                  "<p>A second paragraph, long enough to be kept as the article's text.</p>")
    assert parse_page(marked, "marked.html", settings).title == "The port <strike> is *over* now."
    table = page("<table><tr><th>Port</th><th>Tonnage</th></tr><tr><td>Velmar</td><td>1200</td></tr>"
                 "<tr><td>Sada</td><td>800</td></tr></table>")
    assert parse_page(table, "table.html", settings).title == "Port Tonnage Velmar 1200 Sada 800"


def test_a_code_block_after_text_in_one_element_starts_its_own_fence():
    # rustdoc: "1.0.0 · Source" and the declaration's <pre> in one element; trafilatura writes
    # "1.0.0 · Source ```", which Markdown takes for no fence, pairing every later fence wrongly
    code = "<pre class='rust'><code>pub enum Outcome&lt;T, E&gt; {\n    Ok(T),\n    Err(E),\n}</code></pre>"
    body = (f"<section><span class='since'>1.0.0 · <a href='/src/result.rs.html'>Source</a></span>{code}</section>"
            f"<p>{FILLER}</p><pre><code>let v: Vec&lt;u32&gt; = vec![1, 2];</code></pre>")
    article = parse_page(page(body), "rustdoc.html", SETTINGS)
    lines = article.body.split("\n")
    assert not [line for line in lines if line.rstrip().endswith("```") and not line.startswith("```")]
    assert "pub enum Outcome<T, E> {" in lines
    assert lines[lines.index("pub enum Outcome<T, E> {") - 1].startswith("```")
