"""Terms of imported real pages (found by importing public benchmark pages and judging the site)."""
from __future__ import annotations

from newsarchive.importers.model import ImportedArticle
from newsarchive.importers.terms import tidy


def article(**terms) -> ImportedArticle:
    return ImportedArticle("p.html", "x", "Michigan officials: 6th fatality reported", "2019-11-19", "b", "en", **terms)


def test_a_short_section_list_keeps_its_first_term():
    """Smithsonian's "Smart News, Smart News Science, …", AP's "general-news,government-and-politics,…",
    a Japanese blog's breadcrumb "ソフトウェア一般, ソフトウェア": lists under 80 characters."""
    for listed, first in (("Smart News, Smart News Science, Smart News Science", "Smart News"),
                          ("general-news,government-and-politics,military-and-defense", "general-news"),
                          ("ソフトウェア一般, ソフトウェア", "ソフトウェア一般"),
                          ("World; Europe", "World")):
        tidied = tidy(article(section=listed))
        assert tidied.section == first, listed
        assert tidied.warnings[0].startswith("section was a list of "), listed


def test_a_section_name_with_one_comma_is_kept_whole():
    assert tidy(article(section="Arts, Culture")).section == "Arts, Culture"
    assert tidy(article(section="Business")).warnings == ()


def test_a_tag_that_is_the_headline_is_dropped():
    tidied = tidy(article(tags=("Michigan Officials: 6th Fatality Reported", "health", "Michigan")))
    assert tidied.tags == ("health", "Michigan")
