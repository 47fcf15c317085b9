"""Corrections (issue 25): `corrections:` in front matter, shown on the article (page, JSON-LD,
feed entry), on the site-wide /corrections/ pages and feed; bad entries named by file and line;
every rebuild equal to a clean build."""
from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import article, assert_steps_equal_clean_builds, rebuild, tree, write_site
from newsarchive import article_codec
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build

CONFIG = "title: Harbour News\nbase_url: https://example.org/\nsearch: false\nper_page: 2\n"
CORRECTED = """
  - {date: 2021-05-16, type: correction, text: "An earlier version said <b>four</b> weeks; it was three."}
  - date: 2021-05-20T10:00:00+02:00
    type: Retraction
    text: |
      The port authority withdrew
      the figures.""".rstrip()
FILES = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15", "Dock workers are back.", corrections=CORRECTED),
    "articles/2021/b.md": article("Strike ends", "2021-06-01T09:00:00+02:00", "The strike ended.",
                                  corrections='[{date: 2021-06-01, type: clarification, text: "The union is the dockers\' union."}]'),
    "articles/2021/c.md": article("Ferry returns", "2021-07-01", "The ferry is back."),
}
A_PAGE = "2021/05/harbour-reopens/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """FILES built once for the tests that only read the output."""
    root = write_site(tmp_path_factory.mktemp("corrections") / "site", dict(FILES), CONFIG).parent
    rebuild(root)
    return root


@pytest.fixture
def own_site(make_site) -> Path:
    """FILES built for a test that edits them."""
    root = make_site(dict(FILES), config=CONFIG).parent
    rebuild(root)
    return root


def read(site: Path, rel: str) -> str:
    return (site / "_site" / rel).read_text(encoding="utf-8")


def json_ld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def test_the_article_page_lists_its_corrections_newest_first_with_a_retraction_notice_on_top(site):
    page = read(site, A_PAGE)
    notice = page.index('class="na-retraction"')
    assert notice < page.index('class="na-body"') < page.index('class="na-corrections"')
    assert "This article has been retracted" in page[notice:notice + 300]
    items = re.findall(r'<li id="(na-correction-\d)"><span class="na-correction-type">(\w+)</span>.*?<span dir="auto">(.*?)</span></li>', page)
    assert items == [("na-correction-2", "Retraction", "The port authority withdrew the figures."),
                     ("na-correction-1", "Correction", "An earlier version said &lt;b&gt;four&lt;/b&gt; weeks; it was three.")]
    assert "<b>four</b>" not in page  # plain text: shown as typed, never interpreted
    assert 'class="na-retraction"' not in read(site, "2021/06/strike-ends/index.html")  # a clarification: no notice


def test_json_ld_carries_each_correction_and_the_newest_as_date_modified(site):
    data = json_ld(read(site, A_PAGE))
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2021-05-20T10:00:00+02:00", "text": "The port authority withdrew the figures."},
        {"@type": "CorrectionComment", "datePublished": "2021-05-16T00:00:00+00:00",
         "text": "An earlier version said <b>four</b> weeks; it was three."},
    ]
    assert data["dateModified"] == "2021-05-20T10:00:00+02:00" and data["datePublished"] == "2021-05-15T00:00:00+00:00"
    assert "<b>" not in read(site, A_PAGE).split('application/ld+json">')[1].split("</script>")[0]  # escaped inside the script
    assert "correction" not in json_ld(read(site, "2021/07/ferry-returns/index.html"))  # no null: the key is left out


def test_the_feed_entry_is_updated_at_the_newest_correction(site):
    feed = feedparser.parse((site / "_site/feed.xml").read_bytes())
    assert not feed.bozo
    entries = {e.title: e for e in feed.entries}
    assert entries["Harbour reopens"].updated == "2021-05-20T10:00:00+02:00"
    # its date-only correction is of its own day: the last change is the article's date-time, never its midnight before
    assert entries["Strike ends"].updated == "2021-06-01T09:00:00+02:00"
    assert entries["Ferry returns"].updated == "2021-07-01T00:00:00+00:00"
    sitemap = read(site, "sitemap.xml")
    assert "<loc>https://example.org/2021/05/harbour-reopens/</loc>\n    <lastmod>2021-05-20T10:00:00+02:00</lastmod>" in sitemap \
        or re.search(r"harbour-reopens/</loc>\s*<lastmod>2021-05-20T10:00:00\+02:00</lastmod>", sitemap)


def test_the_corrections_pages_list_every_correction_newest_first(site):
    first, second = read(site, "corrections/index.html"), read(site, "corrections/page/2/index.html")
    entries = re.findall(r'na-correction-type">(\w+)</span> <time datetime="([^"]+)">.*?<a href="([^"]+)">([^<]+)</a>.*?'
                         r'na-correction-text"[^>]*>([^<]+)</p>', first + second, re.S)
    assert entries == [
        ("Clarification", "2021-06-01", "../2021/06/strike-ends/#na-correction-1", "Strike ends", "The union is the dockers&#39; union."),
        ("Retraction", "2021-05-20T10:00:00+02:00", "../2021/05/harbour-reopens/#na-correction-2", "Harbour reopens",
         "The port authority withdrew the figures."),
        ("Correction", "2021-05-16", "../../../2021/05/harbour-reopens/#na-correction-1", "Harbour reopens",
         "An earlier version said &lt;b&gt;four&lt;/b&gt; weeks; it was three."),
    ]
    assert "3 corrections" in first and "Page 1 of 2" in first and 'href="../corrections/page/2/"' in first
    assert "<title>Corrections · Page 2 of 2 · Harbour News</title>" in second
    assert '<loc>https://example.org/corrections/</loc>' in read(site, "sitemap.xml")


def test_the_corrections_feed_is_valid_atom_with_one_entry_per_correction(site):
    raw = (site / "_site/corrections/feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title == "Corrections · Harbour News"
    assert feed.feed.updated == "2021-06-01T00:00:00+00:00"  # the newest correction
    assert [e.id for e in feed.entries] == [
        "https://example.org/2021/06/strike-ends/#na-correction-1",
        "https://example.org/2021/05/harbour-reopens/#na-correction-2",
        "https://example.org/2021/05/harbour-reopens/#na-correction-1",
    ]
    assert len({e.id for e in feed.entries}) == 3
    assert [e.title for e in feed.entries] == ["Clarification: Strike ends", "Retraction: Harbour reopens", "Correction: Harbour reopens"]
    assert all(e.updated and e.published for e in feed.entries)
    assert feed.entries[2].summary == "An earlier version said <b>four</b> weeks; it was three."  # text, escaped in the XML
    assert b"<b>" not in raw
    assert 'href="corrections/feed.xml"' in read(site, "corrections/index.html").replace("../", "")


def test_the_footer_links_to_the_corrections_only_when_there_are_some(site, make_site):
    for rel in ("index.html", "2021/07/ferry-returns/index.html", "tags/index.html" if (site / "_site/tags/index.html").exists() else "archive/index.html"):
        assert re.search(r'<li><a href="(\.\./)*corrections/"[^>]*>Corrections</a></li>', read(site, rel)), rel
    assert '<li><a href="/corrections/">Corrections</a></li>' in read(site, "404.html")
    plain = make_site({"articles/a.md": article("Quiet", "2021-05-15")}, config=CONFIG, name="plain").parent
    rebuild(plain)
    assert not (plain / "_site/corrections").exists()
    assert "corrections/" not in (plain / "_site/index.html").read_text(encoding="utf-8")


def test_listing_cards_mark_retracted_and_corrected_articles(make_site):
    root = make_site({
        "articles/a.md": article("Retracted one", "2021-05-15", corrections="[{date: 2021-05-16, type: retraction, text: Wrong.}]"),
        "articles/b.md": article("Corrected one", "2021-05-14", corrections="[{date: 2021-05-16, type: correction, text: Fixed.}]"),
        "articles/c.md": article("Clarified one", "2021-05-13", corrections="[{date: 2021-05-16, type: clarification, text: Said.}]"),
        "articles/d.md": article("Article français", "2021-05-12", lang="fr", corrections="[{date: 2021-05-16, type: correction, text: Corrigé.}]"),
    }, config=CONFIG.replace("per_page: 2", "per_page: 10")).parent
    rebuild(root)
    home = (root / "_site/index.html").read_text(encoding="utf-8")
    cards = home.split('<article class="na-card')[1:]
    marks = [(re.search(r'na-card-title" dir="auto"><a href="[^"]+">([^<]+)</a>', card).group(1),
              re.findall(r'<span class="na-mark[^"]*">([^<]+)</span>', card)) for card in cards]
    assert marks == [("Retracted one", ["Retracted"]), ("Corrected one", ["Corrected"]), ("Clarified one", []),
                     ("Article français", ["Corrigé"])]  # in the card's own language
    french = (root / "_site/2021/05/article-francais/index.html").read_text(encoding="utf-8")
    assert '<h2 id="na-corrections-title">Corrections</h2>' in french and ">Correction</span>" in french


def test_a_french_site_names_its_corrections_in_french(make_site):
    root = make_site({"articles/a.md": article("Grève", "2021-05-15", corrections="[{date: 2021-05-16, type: clarification, text: Précisé.}]")},
                     config="title: Archives\nbase_url: https://example.org/\nsearch: false\nlanguage: fr\n").parent
    rebuild(root)
    page = (root / "_site/corrections/index.html").read_text(encoding="utf-8")
    assert "<h1>Corrections</h1>" in page and ">Précision</span>" in page and "Flux des corrections" in page
    assert "1 correction<" in page and "des plus récentes aux plus anciennes" in page


BAD = [
    ("corrections: [{date: 2021-05-14, type: correction, text: Early.}]", 4,
     "a correction dated 2021-05-14 is before the article's date 2021-05-15"),
    ("corrections:\n  - date: 2021-05-16\n    type: erratum\n    text: Hm.", 6, "unknown correction type 'erratum'"),
    ("corrections:\n  - date: 2021-05-16\n    type: update\n    text: \"  \"", 7, "a correction's text is empty"),
    ("corrections:\n  - date: 2021-05-16\n    type: update\n    text:", 7, "a correction's text is empty"),
    ("corrections:\n  - date: 2021-05-16\n    type: update\n    text: [a, b]", 7, "a correction's text must be text"),
    ("corrections: fixed on Monday", 4, "'corrections' must be a list"),
    ("corrections: {date: 2021-05-16, type: update, text: x}", 4, "'corrections' must be a list"),
    ("corrections:\n  - fixed on Monday", 5, "each entry of 'corrections' must be a mapping"),
    ("corrections:\n  - [2021-05-16, update, x]", 5, "each entry of 'corrections' must be a mapping"),
    ("corrections:\n  - date: 2021-05-16\n    type: update\n    text: x\n    by: desk", 8, "unknown key 'by' in a correction"),
    ("corrections:\n  - {date: 2021-05-16, text: x}", 5, "a correction needs a type"),
    ("corrections:\n  - date: 16/05/2021\n    type: update\n    text: x", 5, "a correction's date is not a date: '16/05/2021'"),
    ("corrections:\n  - date: [2021]\n    type: update\n    text: x", 5, "a correction's date is not a date"),
    ("corrections:\n  - date: 9999-12-31T23:00:00-05:00\n    type: update\n    text: x", 5, "a correction's date 9999-12-31T23:00:00-05:00 is after the latest date"),
    ("corrections:\n  - {date: 2021-05-16, date: 2021-05-17, type: update, text: x}", 5, "invalid 'corrections' entry: key 'date' appears twice"),
]


@pytest.mark.parametrize("front, line, message", BAD, ids=[m for _, _, m in BAD])
def test_a_bad_correction_is_an_error_naming_the_file_and_line(make_site, front, line, message):
    text = f"---\ntitle: Harbour\ndate: 2021-05-15\n{front}\n---\nText.\n"
    root = make_site({"articles/2021/bad.md": text, "articles/2021/good.md": article("Fine", "2021-05-15")}, config=CONFIG).parent
    report = build(load_config(root / "config.yaml"), BuildOptions(jobs=1))
    assert not report.ok
    errors = [str(p) for p in report.problems if p.is_error]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"2021/bad.md:{line}: error: {message}"), errors[0]
    kept = build(load_config(root / "config.yaml"), BuildOptions(jobs=1, keep_going=True))
    assert kept.ok and (root / "_site/2021/05/fine/index.html").is_file() and not (root / "_site/2021/05/harbour").exists()


def test_every_bad_entry_is_named_not_only_the_first(make_site):
    text = ("---\ntitle: Harbour\ndate: 2021-05-15\ncorrections:\n"
            "  - {date: 2021-05-10, type: correction, text: Early.}\n"
            "  - {date: 2021-05-16, type: oops, text: Typed.}\n"
            "  - {date: 2021-05-16, type: update, text: ''}\n---\nText.\n")
    root = make_site({"articles/bad.md": text}, config=CONFIG).parent
    report = build(load_config(root / "config.yaml"), BuildOptions(jobs=1))
    assert [(p.path, p.line) for p in report.problems if p.is_error] == [("bad.md", 5), ("bad.md", 6), ("bad.md", 7)]


def test_odd_but_valid_corrections_build(make_site):
    root = make_site({
        # the same day as a timed article, written without a time: not before it
        "articles/a.md": article("Timed", "2021-05-15T18:00:00+02:00", corrections="[{date: 2021-05-15, type: UPDATE, text: Same day.}]"),
        "articles/b.md": article("Empty list", "2021-05-14", corrections="[]"),
        "articles/c.md": article("Nothing", "2021-05-13", corrections=""),
        # control characters left out with a warning; bidi controls closed; Arabic text kept
        "articles/d.md": article("Arabic", "2021-05-12", lang="ar",
                                 corrections='[{date: 2021-05-13, type: correction, text: "تصحيح\\u0007 \\u202eالتاريخ"}]'),
    }, config=CONFIG).parent
    report = rebuild(root)
    warnings = [str(p) for p in report.problems]
    assert len(warnings) == 1 and warnings[0].startswith("d.md:5: warning:") and "corrections.text" in warnings[0]
    timed = (root / "_site/2021/05/timed/index.html").read_text(encoding="utf-8")
    assert ">Update</span>" in timed and "Same day." in timed
    arabic = (root / "_site/2021/05/arabic/index.html").read_text(encoding="utf-8")
    assert "تصحيح \u202eالتاريخ\u202c" in arabic and "\u0007" not in arabic and ">تصحيح</span>" in arabic
    assert not (root / "_site/2021/05/empty-list/index.html").read_text(encoding="utf-8").count("na-corrections")
    assert len(re.findall(r'class="na-correction-entry', (root / "_site/corrections/index.html").read_text(encoding="utf-8"))) == 2


def test_a_draft_s_corrections_appear_only_with_drafts(make_site):
    root = make_site({
        "articles/a.md": article("Draft", "2021-05-15", draft="true", corrections="[{date: 2021-05-16, type: correction, text: Secret fix.}]"),
        "articles/b.md": article("Public", "2021-05-14"),
    }, config=CONFIG).parent
    rebuild(root)
    assert not (root / "_site/corrections").exists()
    assert "Secret fix." not in "".join(map(lambda b: b.decode("utf-8", "replace"), tree(root / "_site").values()))
    rebuild(root, drafts=True)
    assert "Secret fix." in (root / "_site/corrections/index.html").read_text(encoding="utf-8")


def test_the_cache_keeps_corrections_exactly(site):
    from newsarchive.content import parse_article
    from newsarchive.frontmatter import LoadContext
    from newsarchive.markup import MarkdownRenderer
    from zoneinfo import ZoneInfo
    ctx = LoadContext("/{year}/{month}/{slug}/", "en", ZoneInfo("Europe/Paris"), "auto")
    parsed = parse_article(FILES["articles/2021/a.md"].encode(), "2021/a.md", ctx, MarkdownRenderer()).article
    assert [c.number for c in parsed.corrections] == [2, 1] and parsed.corrections[1].date.tzinfo == ZoneInfo("Europe/Paris")
    assert article_codec.article_from_json(article_codec.article_to_json(parsed)) == parsed
    assert parsed.updated == parsed.corrections[0].date and not parsed.updated_date_only


STEPS = [
    ("add a correction", "2021/c.md", "date: 2021-07-01\n", "date: 2021-07-01\ncorrections: [{date: 2021-07-03, type: correction, text: Fixed the ferry's name.}]\n"),
    ("edit its text", "2021/c.md", "Fixed the ferry's name.", "Fixed the ferry's name and route."),
    ("edit a body", "2021/a.md", "Dock workers are back.", "Dock workers are back at work."),
    ("change a type", "2021/c.md", "type: correction", "type: retraction"),
    ("remove it", "2021/c.md", "corrections: [{date: 2021-07-03, type: retraction, text: Fixed the ferry's name and route.}]\n", ""),
    ("remove the rest", "2021/a.md", "corrections: " + CORRECTED + "\n", ""),
    ("remove the last", "2021/b.md", "corrections: [{date: 2021-06-01, type: clarification, text: \"The union is the dockers' union.\"}]\n", ""),
    ("add one back", "2021/b.md", "date: 2021-06-01T09:00:00+02:00\n", "date: 2021-06-01T09:00:00+02:00\ncorrections: [{date: 2021-06-02, type: update, text: Talks resumed.}]\n"),
]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_each_correction_change_rebuilds_equal_to_a_clean_build(own_site, tmp_path, jobs):
    site = own_site

    def check(name, report):
        assert bool(report.from_records) == (name == "edit a body"), name  # a correction's change re-plans; a body edit does not
        if name == "remove the last":  # no page lists nothing; the published URL sends its readers home (links.py)
            assert '<meta http-equiv="refresh" content="0; url=../">' in read(site, "corrections/index.html")
            assert "url=../../../" in read(site, "corrections/page/2/index.html") and not (site / "_site/corrections/feed.xml").exists()
            assert "corrections/" not in read(site, "index.html")
        if name == "add one back":
            assert "Talks resumed." in read(site, "corrections/index.html")

    assert_steps_equal_clean_builds(site, tmp_path, STEPS, check=check, jobs=jobs)


def test_markup_in_a_correction_never_becomes_markup(make_site):
    hostile = '</script><script>alert(1)</script> & <a href=\\"javascript:x\\">x</a> ]]>'
    root = make_site({"articles/a.md": article("Hostile", "2021-05-15", corrections=f'[{{date: 2021-05-16, type: retraction, text: "{hostile}"}}]')},
                     config=CONFIG).parent
    rebuild(root)
    typed = hostile.replace('\\"', '"')
    page = (root / "_site/2021/05/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert page.count("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=&#34;javascript:x&#34;&gt;x&lt;/a&gt; ]]&gt;") == 2  # notice and list
    assert json_ld(page)["correction"][0]["text"] == typed
    listing = (root / "_site/corrections/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in listing and "&lt;script&gt;alert(1)" in listing
    feed = feedparser.parse((root / "_site/corrections/feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].summary == typed


def test_many_corrections_paginate_and_the_feed_keeps_the_newest(make_site):
    items = ", ".join(f"{{date: 2021-06-{day:02d}, type: update, text: Update {day}.}}" for day in range(1, 26))
    root = make_site({"articles/a.md": article("Live blog", "2021-05-31", corrections=f"[{items}]"),
                      "articles/b.md": article("Other", "2021-05-30", corrections="[{date: 2021-06-10, type: correction, text: Fix.}]")},
                     config=CONFIG.replace("per_page: 2", "per_page: 10") + "feed_entries: 5\n").parent
    rebuild(root)
    pages = [root / "_site/corrections/index.html", *(root / f"_site/corrections/page/{n}/index.html" for n in (2, 3))]
    texts = [re.findall(r'na-correction-text"[^>]*>([^<]+)</p>', p.read_text(encoding="utf-8")) for p in pages]
    assert [len(t) for t in texts] == [10, 10, 6] and not (root / "_site/corrections/page/4").exists()
    flat = [t for page in texts for t in page]
    assert flat[:3] == ["Update 25.", "Update 24.", "Update 23."] and flat[-1] == "Update 1."
    assert flat.index("Fix.") == flat.index("Update 10.") + 1  # the same day: the newer article first
    feed = feedparser.parse((root / "_site/corrections/feed.xml").read_bytes())
    assert [e.id.rsplit("-", 1)[1] for e in feed.entries] == ["25", "24", "23", "22", "21"]
    live = (root / "_site/2021/05/live-blog/index.html").read_text(encoding="utf-8")
    assert live.index('id="na-correction-25"') < live.index('id="na-correction-1"')


def test_a_text_written_on_several_lines_is_one_paragraph_and_keeps_its_no_break_spaces(make_site):
    text = "|\n      Le plan ne vaut que pour la rive nord\u00a0;\n\n      la rive sud attendra."
    root = make_site({"articles/a.md": article("Rive", "2021-05-15", lang="fr",
                                               corrections=f"\n  - date: 2021-05-16\n    type: clarification\n    text: {text}")},
                     config=CONFIG).parent
    rebuild(root)
    page = (root / "_site/2021/05/rive/index.html").read_text(encoding="utf-8")
    assert '<span dir="auto">Le plan ne vaut que pour la rive nord\u00a0; la rive sud attendra.</span>' in page
    assert ">Précision</span>" in page


def test_a_site_without_feeds_has_the_corrections_page_but_no_corrections_feed(make_site):
    root = make_site({"articles/a.md": article("Harbour", "2021-05-15", corrections="[{date: 2021-05-16, type: update, text: Later.}]")},
                     config=CONFIG + "feeds: []\n").parent
    rebuild(root)
    page = (root / "_site/corrections/index.html").read_text(encoding="utf-8")
    assert "Later." in page and "feed.xml" not in page
    assert not (root / "_site/corrections/feed.xml").exists()
