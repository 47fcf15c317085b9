"""Import throughput (issue 27, point 8): trafilatura's body and metadata come from one run
without a second serialisation, and dateparser reads a page's written dates in the page's own
languages only (in all of them ~30 times slower), with the same dates found."""
from __future__ import annotations

import pytest
import trafilatura

from newsarchive.importers import dates, extraction_runs
from newsarchive.importers.date_languages import for_page
from newsarchive.importers.extract import _MARKDOWN, load_tree
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings

ARTICLE = """<html lang="fr"><head><title>Le marché de Lyon rouvre</title></head><body>
<nav><a href="/">Accueil</a> <a href="/sport">Sport</a></nav>
<article><h1>Le marché de Lyon rouvre</h1>
<p class="date">Publié le 3 mars 2020 à 14h05</p>
<p>Après six mois de travaux, le marché couvert de la place Carnot a rouvert ses portes samedi matin.
Les commerçants, installés depuis l'automne sous des tentes, ont retrouvé leurs étals rénovés.</p>
<h2>Une affluence record</h2>
<p>Plus de trois mille visiteurs sont venus dès l'ouverture, selon la mairie, qui avait prévu des
animations pour les enfants et une dégustation de produits régionaux tout au long de la journée.</p>
<p>Les travaux ont coûté 4,2 millions d'euros, financés pour moitié par la métropole et pour moitié
par la ville. <a href="https://example.org/budget">Le détail du budget</a> a été publié en ligne.</p>
</article><footer>© Lyon Matin</footer></body></html>"""


def test_the_markdown_of_one_bare_extraction_is_what_trafilatura_extract_returns():
    for options in ({}, {"favor_precision": True}, {"favor_recall": True}):
        expected = trafilatura.extract(load_tree(ARTICLE), url="https://example.org/a", **_MARKDOWN, **options)
        assert extraction_runs.markdown(load_tree(ARTICLE), "https://example.org/a", **_MARKDOWN, **options) == expected
    assert "Une affluence record" in expected and "[Le détail du budget](https://example.org/budget)" in expected


def test_one_run_gives_the_body_and_the_metadata():
    found = extraction_runs.document(load_tree(ARTICLE), "https://example.org/a", with_metadata=True, favor_precision=True,
                                     **_MARKDOWN)
    assert found.title == "Le marché de Lyon rouvre"
    assert "Plus de trois mille visiteurs" in found.text and found.fingerprint is None  # no hash of the text computed


def test_dateparser_languages_are_the_page_the_user_the_archive_english_then_the_most_common():
    assert for_page("fr", None, "de")[:4] == ("fr", "de", "en", "ru")
    assert for_page("pt-BR", "es", "en")[:3] == ("es", "pt", "en")
    assert for_page("zh-CN", None, "en")[:2] == ("zh", "en")
    assert for_page("xx-unknown", None, "en")[:3] == ("en", "ru", "es")
    assert len(for_page("sw", None, "en")) == 21 and for_page("sw", None, "en")[0] == "sw"  # Swahili, then the 20 most common (English among them)
    assert for_page(None, None, "fr") is None  # nothing says which language: dateparser tries them all


def test_a_page_whose_declared_language_lies_keeps_its_date():
    page = RUSSIAN.replace("Опубликовано 12 апреля 2019 г.", "Viernes, 22 de abril de 2022").replace('lang="ru"', 'lang="en"')
    article = parse_page(page.encode(), "faro.html", ImportSettings(default_lang="en"))
    assert (article.date, article.date_source) == ("2022-04-22", "htmldate")  # its extensive search, in Spanish too


RUSSIAN = """<html lang="ru"><head><title>Новый мост через Волгу открыт</title></head><body>
<article><h1>Новый мост через Волгу открыт</h1><p>Опубликовано 12 апреля 2019 г.</p>
<p>В субботу в городе открыли новый мост через Волгу, строительство которого продолжалось четыре года.
По мосту уже проехали первые автобусы, а вечером на набережной прошёл праздничный концерт.</p>
<p>Мост длиной почти два километра соединил новые районы города с центром и должен разгрузить старую
переправу, по которой ежедневно проезжают десятки тысяч машин.</p></article></body></html>"""


def test_a_date_written_in_the_page_is_read_in_its_language_only(monkeypatch):
    asked = []
    parser = dates._dateparser()

    class Recording:
        @staticmethod
        def parse(value, languages=None, settings=None):
            asked.append(languages)
            return parser.parse(value, languages=languages, settings=settings)

    monkeypatch.setattr(dates, "_dateparser", lambda: Recording)
    article = parse_page(RUSSIAN.encode(), "most.html", ImportSettings(default_lang="en"))
    assert (article.date, article.date_source) == ("2019-04-12", "text")
    assert asked and all(languages == list(for_page("ru", None, "en")) and len(languages) == 20 for languages in asked)


@pytest.mark.slow  # the first parse in every language loads all of dateparser's languages (~10 s)
def test_a_page_that_names_no_language_has_its_date_read_in_any_language():
    page = RUSSIAN.replace('<html lang="ru">', "<html>")
    article = parse_page(page.encode(), "most.html", ImportSettings(default_lang="en"))
    assert (article.date, article.date_source) == ("2019-04-12", "text")


def test_htmldate_reads_in_the_page_languages_inside_the_call_only():
    from htmldate import extractors

    from newsarchive.importers.date_languages import htmldate_reading

    original = extractors.get_external_parser
    with htmldate_reading(("ru", "en")):
        assert extractors.get_external_parser().languages == ["ru", "en"]  # as given
        assert extractors._external_date("12 апреля 2019 г.").date().isoformat() == "2019-04-12"
    assert extractors.get_external_parser is original and original().languages is None
    with htmldate_reading(None):
        assert extractors.get_external_parser is original


def test_htmldate_forgets_the_strings_it_read_in_another_page_languages():
    """htmldate keeps what it parsed: a string read in one page's languages must give nothing to a
    page declared in others, whatever page came first."""
    from datetime import datetime

    from htmldate import extractors

    from newsarchive.importers.date_languages import htmldate_reading

    read = lambda: extractors.try_date_expr("12 апреля 2019 г.", "%Y-%m-%d", True, datetime(1995, 1, 1), datetime(2030, 1, 1))
    with htmldate_reading(("ru", "en")):
        assert read() == "2019-04-12"
    with htmldate_reading(("de", "en")):
        assert read() is None
    assert read() == "2019-04-12"  # every language again outside
