"""Saved pages of three layouts → ImportedArticle, extracted by trafilatura; boilerplate stays out."""
from __future__ import annotations

from import_inputs import PAGE_JSONLD, PAGE_OG, PAGE_TIME
from newsarchive.errors import Problem
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import Caption, ImportSettings, ReadAlso, Skipped

SETTINGS = ImportSettings(default_lang="en")
BOILERPLATE_WORDS = ("cookies", "Home", "Most read", "Celebrity chef", "Share on Facebook", "Copyright", "Privacy")


def assert_no_boilerplate(body: str) -> None:
    for words in BOILERPLATE_WORDS:
        assert words not in body, words


def test_open_graph_layout():
    article = parse_page(PAGE_OG.encode(), "pages/og.html", SETTINGS)
    assert article.title == "Grève au port du Havre : troisième jour"  # og:title, not the <title> with the site name
    assert article.date == "2021-05-15T10:30:00+02:00"  # offset kept
    assert (article.section, article.source, article.lang) == ("Économie", "Le Quotidien du Port", "fr")
    assert article.tags == ("Grève", "Le Havre") and article.authors == ("Marie Dupont",)
    assert article.source_url == "https://quotidien.example/eco/greve-havre"
    assert article.read_also == (ReadAlso("La grève s'étend au port de Marseille", "https://quotidien.example/eco/greve-marseille"),)
    assert article.lead_image.url == "https://quotidien.example/img/havre.jpg"
    assert article.lead_image.caption == Caption("Des conteneurs bloqués à quai, samedi.", "Photo : AFP")
    assert article.body.startswith("Les dockers du port du Havre ont entamé samedi")
    assert "La direction du port a proposé une réunion" in article.body
    assert "Lire aussi" not in article.body and "Grève au port" not in article.body
    assert_no_boilerplate(article.body)


def test_json_ld_layout_without_article_element():
    article = parse_page(PAGE_JSONLD.encode(), "pages/ledger.html", SETTINGS)
    assert article.title == "Rail fares rise by 5.9% in March"
    assert article.date == "2023-02-28T07:00:00-05:00"
    assert (article.section, article.source, article.lang) == ("Business", "The Daily Ledger", "en-GB")
    assert article.authors == ("Sam Okafor", "Lena Berg") and article.tags == ("rail", "fares", "transport")
    assert article.read_also == (ReadAlso("Bus fares frozen until the end of the year", "https://ledger.example/business/bus-fares-frozen"),)
    assert article.body.count("\n\n") == 2 and "season tickets would be capped" in article.body
    assert_no_boilerplate(article.body)


def test_arabic_layout_dated_only_in_the_text():
    article = parse_page(PAGE_TIME.encode(), "pages/amman.html", SETTINGS)
    assert article.title == "الأمطار الغزيرة تغلق طرقا في عمّان"
    assert article.date == "2022-01-20"  # a day, no invented time
    assert article.lang == "ar"
    assert article.read_also == (ReadAlso("تحذير من تساقط الثلوج على المرتفعات"),)  # a relative link has nowhere to point
    assert "أغلقت السلطات في العاصمة الأردنية" in article.body
    assert_no_boilerplate(article.body)


def test_page_without_date_needs_the_date_option_and_in_a_crawl_is_an_index_page():
    page = '<html lang="en"><head><meta property="og:title" content="Latest news"></head><body><article><p>' + "Words of a long enough paragraph for extraction to keep it. " * 5 + "</p></article></body></html>"
    problem = parse_page(page.encode(), "pages/index.html", SETTINGS)
    assert isinstance(problem, Problem) and problem.path == "pages/index.html" and "--date" in problem.hint
    assert parse_page(page.encode(), "pages/index.html", ImportSettings("en", date="2020-01-02")).date == "2020-01-02"
    skipped = parse_page(page.encode(), "crawl: https://x.example/", SETTINGS, in_crawl=True)
    assert skipped == Skipped("crawl: https://x.example/", "no date (index page)")


def test_empty_page_and_page_without_text_are_errors():
    assert parse_page(b"  ", "e.html", SETTINGS).message == "the file is empty"
    page = '<html><head><meta property="og:title" content="Only a title"><meta property="article:published_time" content="2021-01-01"></head><body></body></html>'
    problem = parse_page(page.encode(), "t.html", SETTINGS)
    assert (problem.path, problem.message) == ("t.html", "a title ('Only a title') and no text")
