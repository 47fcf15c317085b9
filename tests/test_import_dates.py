"""Dates of imported pages (found importing public benchmark pages: a Polish trade site's JSON-LD
gives `"datePublished": "1970-01-01T01:00:00+01:00"`, timestamp 0 written in its own time zone)."""
from __future__ import annotations

from newsarchive.importers.dates import choose, normalize


def test_the_unix_epoch_in_any_time_zone_is_a_placeholder():
    for value in ("1970-01-01T01:00:00+01:00", "1969-12-31T19:00:00-05:00", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00"):
        choice = choose([("jsonld", value), ("htmldate", "2020-05-06")])
        assert (choice.date, choice.source) == ("2020-05-06", "htmldate"), value
        assert "Unix epoch" in choice.reasons(), value


def test_a_real_date_on_new_year_1970_is_kept():
    assert choose([("jsonld", "1970-01-01T14:30:00+01:00")]).date == "1970-01-01T14:30:00+01:00"


def test_offsets_after_a_space_or_of_hours_only_are_kept():  # red team 27b case 01
    assert normalize("2021-05-15 23:30:00 -0500") == ("2021-05-15T23:30:00-05:00", None)
    assert normalize("2021-05-15T10:30:00+02") == ("2021-05-15T10:30:00+02:00", None)
    assert normalize("2021-05-15T10:30:00.5+0530") == ("2021-05-15T10:30:00+05:30", None)
    assert normalize("2021-05-15 10:30 -2021") == ("2021-05-15T10:30", None)  # a year after a dash is no offset


def test_dates_in_native_digits_solar_hijri_and_buddhist_era_are_read():  # red team 27b case 11
    from newsarchive.importers.dates import is_date_line

    for written in ("١٥ مايو ٢٠٢١", "۲۵ اردیبهشت ۱۴۰۰", "15 พฤษภาคม 2564", "๑๕ พฤษภาคม ๒๕๖๔"):
        assert normalize(written) == ("2021-05-15", None), written
        assert is_date_line(written), written


def _page(head: str) -> bytes:
    text = "The harbour authority opened the new quay on Saturday after three years of building work. " * 3
    return (f'<html lang="en"><head><meta charset="utf-8"><title>New quay</title>{head}</head>'
            f"<body><article><h1>New quay</h1><p>{text}</p><p>{text}</p></article></body></html>").encode()


def test_a_unix_time_is_read_as_utc_and_said_so():
    import json

    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportSettings
    settings = ImportSettings(default_lang="en")
    meta = parse_page(_page('<meta property="article:published_time" content="1577836800">'), "s.html", settings)
    assert (meta.date, meta.date_source) == ("2020-01-01T00:00:00+00:00", "meta (Unix time)")
    for number in (1589545800000, "1589545800000", 1589545800):  # milliseconds, as a JSON number or a string
        ld = json.dumps({"@type": "NewsArticle", "datePublished": number})
        page = parse_page(_page(f'<script type="application/ld+json">{ld}</script>'), "j.html", settings)
        assert (page.date, page.date_source) == ("2020-05-15T12:30:00+00:00", "jsonld (Unix time)"), number
    later = parse_page(_page('<meta property="article:published_time" content="1893456000">'), "l.html", settings,
                       in_crawl=True, captured="2024-01-01T00:00:00Z")  # 2030: after the capture
    assert "'1893456000' (meta) is after the capture (2024-01-01)" in later.message
    assert normalize("12345678901") == (None, "is not a date with a year")  # 11 digits: seconds of year 2361 or milliseconds of 1970


def test_dates_that_disagree_on_the_year_are_named_with_the_one_taken():
    import json

    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportSettings
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "2019-03-04T10:00:00Z"})
    head = f'<meta property="article:published_time" content="2021-03-04T10:00:00Z"><script type="application/ld+json">{ld}</script>'
    page = parse_page(_page(head), "pages/quay.html", ImportSettings(default_lang="en"))
    assert (page.date, page.date_source) == ("2019-03-04T10:00:00Z", "jsonld")
    assert ("the page's dates disagree on the year: JSON-LD datePublished says 2019-03-04T10:00:00Z, article:published_time says "
            "2021-03-04T10:00:00Z; took 2019-03-04T10:00:00Z: the Article's own JSON-LD datePublished comes first "
            "(article:published_time is often the last republication)") in page.warnings
    ld = json.dumps({"@type": "NewsArticle", "datePublished": "0001-01-01"})  # a placeholder, refused: no disagreement
    head = f'<meta property="article:published_time" content="2021-03-04"><script type="application/ld+json">{ld}</script>'
    page = parse_page(_page(head), "pages/quay.html", ImportSettings(default_lang="en"))
    assert page.date == "2021-03-04" and not any("disagree" in w for w in page.warnings)
    same = f'<meta property="article:published_time" content="2019-05-01"><script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "datePublished": "2019-03-04"})}</script>'
    assert not any("disagree" in w for w in parse_page(_page(same), "s.html", ImportSettings(default_lang="en")).warnings)


def test_a_date_written_under_the_headline_or_as_a_dateline_dates_the_page():
    from newsarchive.errors import Problem
    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportSettings
    story = "The harbour authority opened the new quay after three years of building work, and ships berth at any tide. " * 2

    def page(top: str, lang: str = "en", rest: str = "") -> bytes:
        return (f'<html lang="{lang}"><head><meta charset="utf-8"><title>Quay</title></head><body><nav><a href="/">Home</a></nav>'
                f"<article><h1>New quay for the harbour</h1>{top}<p>{story}{rest}</p><p>{story}</p></article></body></html>").encode()
    cases = [("<p>Posted: <span>March 3rd,</span> <span>2020</span> at 10:15 am</p>", "en", "2020-03-03"),
             ("<p>Published <span>on Tuesday,</span> <span>March 3,</span> <span>2020</span></p>", "en", "2020-03-03")]
    for top, lang, day in cases:
        result = parse_page(page(top, lang), "q.html", ImportSettings(default_lang="en"), captured="2024-01-01T00:00:00Z")
        assert (result.date, result.date_source) == (day, "dateline"), top
    opened = page("").replace(b"<p>The harbour", b"<p>WASHINGTON, March 3, 2020 \xe2\x80\x94 The harbour", 1)
    assert parse_page(opened, "w.html", ImportSettings(default_lang="en")).date == "2020-03-03"
    middle = page("", rest="On 4 May 2019, the last ferry left the old quay for good, after a century of crossings.")
    from newsarchive.importers.datelines import top_of_story_date
    from newsarchive.importers.extract import load_tree
    assert top_of_story_date(load_tree(middle.decode()), ("en",)) is None  # a date the story tells of
    for told in ("<p>I was born September 30, 1955 at</p>", "<p>Vol 11|No 8|May|2002</p>"):  # short, but no date line (pool pages)
        assert top_of_story_date(load_tree(page(told).decode()), ("en",)) is None, told
    later = parse_page(page("<p>Published on March 3, 2030</p>"), "l.html", ImportSettings(default_lang="en"),
                       captured="2024-01-01T00:00:00Z")
    assert isinstance(later, Problem) and "after the capture (2024-01-01)" in later.message
