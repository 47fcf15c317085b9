"""Defects found by importing the whole pool of distinct real pages (bench/real_pages.py, 7,972
pages: DAnIEL's multilingual news corpus, snacktory's and goose's pages among them) and checking
every article by machine (bench/import_sweep.py). Each page here is hand-written and small: the
pattern, not the site, is what is tested."""
from __future__ import annotations

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

SETTINGS = ImportSettings(default_lang="en")
TEXT = "".join(f"<p>The harbour opens its new quay in June, after three years of building. Paragraph {n}.</p>" for n in range(4))


def page(head: str, body: str = TEXT, title: str = "New quay", charset: str = "utf-8") -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>").encode(charset)


def test_a_basic_iso_date_whose_offset_is_followed_by_a_stray_z_is_read():
    """A Russian news site: `article:published_time` "20120104T1732+0400Z" was refused as "not a date
    with a year" (the extended form "2012-01-04T17:32+04:00Z" was read): the page then had no date."""
    article = parse_page(page('<meta property="article:published_time" content="20120104T1732+0400Z">'), "p.html", SETTINGS)
    assert (article.date, article.date_source) == ("2012-01-04T17:32:00+04:00", "meta")
