"""Raw scraped text → ImportedArticle: the seed's shape in fr, en, es and ar."""
from __future__ import annotations

from import_inputs import (AR_NO_SECTION, AR_WITH_SECTION, EN_NO_SECTION, ES_WITH_SECTION, FR_QODS, NBSP, TITLE_ONLY,
                           crlf_bom)
from newsarchive.errors import Problem
from newsarchive.importers.markdown_text import escape_paragraph
from newsarchive.importers.model import Caption, ImportSettings, ReadAlso, title_key
from newsarchive.importers.text import parse_text

DATED = ImportSettings(default_lang="en", date="2021-05-15")


def test_seed_shape_gives_section_title_captions_body_related_source_and_language():
    article = parse_text(FR_QODS.encode(), "fr/001.txt", DATED)
    assert article.section == "TV"
    assert article.title == "Commandant en chef de la Force Qods contacte le Hamas"
    assert article.captions == (
        Caption("US Rep. Ilhan Omar (D-MN) talks with Speaker Nancy Pelosi on the East Steps of the US Capitol in Washington, DC.", "AFP"),
        Caption("Le commandant en chef de la Force Qods du CGRI, général Qaani a salué la Résistance.", "Tasnim/Archives"),
    )
    assert article.read_also == (ReadAlso(f"Les chasseurs sionistes bientôt visés{NBSP}?"), ReadAlso("Un titre qui ne correspond à rien"))
    assert article.source == "FRENCH PRESS TV"
    assert article.lang == "fr"
    assert article.date == "2021-05-15"
    assert article.body == (
        f"Le commandant en chef{NBSP}de la Force Qods du CGRI contacte le Hamas pour discuter des évolutions à Gaza.\n\n"
        f"Cité par Fars News samedi 15 mai,{NBSP}le général Qaani s’est entretenu au téléphone avec Ismail Haniyeh.\n\n"
        "Le général Qaani a salué la réponse de la Résistance.\n"
    )


def test_every_line_ends_up_somewhere_or_is_listed_boilerplate():
    article = parse_text(FR_QODS.encode(), "fr/001.txt", DATED)
    kept = " ".join([article.section, article.title, article.body, article.source]
                    + [c.text + " " + c.credit for c in article.captions] + [r.title for r in article.read_also])
    for line in FR_QODS.splitlines():
        line = line.strip()
        if not line or line == "Partager Cet Article":
            continue
        core = line.split(":", 1)[-1].strip() if line.startswith(("Lire aussi", "SOURCE")) else line
        for piece in core.replace("(AFP photo)", "").replace("©Tasnim/Archives", "").split():
            assert piece in kept, (line, piece)


def test_english_without_section_line():
    article = parse_text(EN_NO_SECTION.encode(), "en.txt", DATED)
    assert article.section is None
    assert article.title == "Port workers in Rotterdam begin a week-long strike over automation plans"
    assert article.read_also == (ReadAlso("Antwerp port braces for knock-on delays"),)
    assert article.source == "Harbour Wire" and article.lang == "en"
    assert article.body.startswith("Dock workers at Europe's largest port walked out")


def test_spanish_with_section_caption_and_fuente():
    article = parse_text(ES_WITH_SECTION.encode(), "es.txt", ImportSettings(default_lang="en", date="2024-05-02"))
    assert (article.section, article.lang, article.source) == ("Economía", "es", "Agencia EFE")
    assert article.captions == (Caption("Un olivar en Jaén durante la cosecha.", "EFE"),)
    assert article.read_also == (ReadAlso("La cosecha de aceituna bate récords en Jaén"),)


def test_arabic_with_and_without_section_bom_and_crlf():
    with_section = parse_text(AR_WITH_SECTION.encode(), "ar/oil.txt", DATED)
    assert (with_section.section, with_section.lang, with_section.source) == ("اقتصاد", "ar", "وكالة الأنباء")
    assert with_section.captions == (Caption("ناقلة نفط في ميناء رأس تنورة.", "أ ف ب"),)
    assert with_section.read_also == (ReadAlso("أوبك تجتمع في فيينا لبحث حصص الإنتاج"),)
    without = parse_text(crlf_bom(AR_NO_SECTION), "ar/opec.txt", DATED)
    assert without.section is None
    assert without.title.startswith("أوبك تجتمع في فيينا") and "\ufeff" not in without.title
    assert "\r" not in without.body and without.lang == "ar"


def test_lang_option_overrides_markers_and_config_fills_in():
    assert parse_text(FR_QODS.encode(), "a.txt", ImportSettings("en", date="2021-05-15", lang="fa")).lang == "fa"
    no_markers = "A title about the weather\n\nIt rained all day in the capital.\n"
    assert parse_text(no_markers.encode(), "b.txt", ImportSettings("de", date="2021-05-15")).lang == "de"


def test_without_a_year_the_date_option_is_needed():
    problem = parse_text(FR_QODS.encode(), "fr/001.txt", ImportSettings("en"))
    assert isinstance(problem, Problem)
    assert (problem.path, problem.message) == ("fr/001.txt", "no date with a year in the file")
    assert "--date" in problem.hint


def test_a_date_line_in_the_file_is_used():
    text = "Sport\n\nA title of a match report\n\n2022-03-01\n\nThe match ended in a draw.\n"
    assert parse_text(text.encode(), "a.txt", ImportSettings("en")).date == "2022-03-01"


def test_empty_and_title_only_are_errors_naming_the_file():
    empty = parse_text(b"\xef\xbb\xbf\r\n  \r\n", "empty.txt", DATED)
    assert (empty.path, empty.message) == ("empty.txt", "the file is empty")
    title_only = parse_text(crlf_bom(TITLE_ONLY), "title.txt", DATED)
    assert (title_only.path, title_only.line, title_only.message) == ("title.txt", 3, "only a title ('A title and nothing else') and no text")


def test_not_utf8_names_the_line():
    problem = parse_text("Title here\n\nCaf\xe9 au lait.\n".encode("latin-1"), "latin.txt", DATED)
    assert (problem.path, problem.line) == ("latin.txt", 3) and "0xE9" in problem.message


def test_titles_match_after_nfkc_casefold_and_space_collapsing():
    assert title_key(f"Les chasseurs  sionistes bientôt visés{NBSP}?") == title_key("LES CHASSEURS SIONISTES BIENTÔT VISÉS ?")
    assert title_key("ﬁn\u2003du\u202fmatch") == title_key("FIN DU MATCH")


def test_markdown_characters_in_scraped_text_stay_text():
    import markdown
    for text in ("# not a heading", "1. not a list", "> not a quote", "- not a bullet", "*stars* _under_ <b>tag</b> AT&T [x](y) {: .c}"):
        html = markdown.markdown(escape_paragraph(text))
        assert html == "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>", text


def test_an_impossible_date_line_is_text_not_a_date():
    text = "Sport\n\nA title of a match report\n\n2022-02-30\n\nThe match ended in a draw.\n"
    article = parse_text(text.encode(), "a.txt", ImportSettings("en", date="2022-03-01"))
    assert article.date == "2022-03-01" and article.body.startswith("2022-02-30\n\n")
    assert article.date_source == "--date"
    assert article.warnings == ("date refused: '2022-02-30' (text) is not a real date",)
