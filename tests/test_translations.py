"""Translations (translations.py): one story in French, English and Arabic is a group; each
page links its other languages and emits hreflang alternates with x-default, the sitemap
carries the same; bad groups are errors naming file and line; rebuilds equal clean builds."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from conftest import article, clean_build, edit_article as edit, rebuild, run_cli, tree

SCHEMAS = Path(__file__).parent / "schemas"
ACCEPT_XSD = Path("/work/shared/accept/schemas/sitemap.xsd")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://example.org/news/"
CONFIG = f"title: Tr\nbase_url: {BASE}\nlanguage: en\nsearch: false\n"
FR = "articles/2021/fr.md"
EN = "articles/2021/en.md"
AR = "articles/2021/ar.md"
GROUP = {
    FR: article("Le port rouvre", "2021-05-15T08:00:00+02:00", "Les dockers reprennent.", slug="port-rouvre", lang="fr",
                translation_key="port-2021"),
    EN: article("The port reopens", "2021-05-15T09:00:00+02:00", "Dockers are back.", slug="port-reopens", lang="en",
                translation_key="port-2021"),
    AR: article("الميناء يفتح من جديد", "2021-05-16", "عاد عمال الميناء.", slug="port-ar", lang="ar",
                translation_of="port-rouvre"),
    "articles/2021/other.md": article("Unrelated", "2021-05-17", "Nothing to do with it.", slug="unrelated", lang="en"),
}
URLS = {"fr": "2021/05/port-rouvre/", "en": "2021/05/port-reopens/", "ar": "2021/05/port-ar/"}


def _page(site: Path, url: str):
    return html.fromstring((site / "_site" / url / "index.html").read_bytes())


def _head_alternates(doc) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in doc.xpath("//head/link[@rel='alternate'][@hreflang]")}


def _sitemap_alternates(site: Path) -> dict[str, dict[str, str]]:
    root = etree.parse(str(site / "_site/sitemap.xml")).getroot()
    return {url.findtext(f"{SM}loc"): {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
            for url in root.iter(f"{SM}url")}


def test_a_fr_en_ar_group_links_its_languages_and_emits_hreflang(make_site):
    site = make_site(dict(GROUP), config=CONFIG).parent
    rebuild(site)
    expected = {lang: BASE + url for lang, url in URLS.items()} | {"x-default": BASE + URLS["en"]}  # the site's language
    for lang, url in URLS.items():
        doc = _page(site, url)
        assert _head_alternates(doc) == expected, url
        links = doc.xpath("//nav[@class='na-translations']//a")
        shown = {a.get("hreflang"): (a.text_content(), a.get("lang"), a.get("href")) for a in links}
        assert set(shown) == set(URLS) - {lang}
        names = {"fr": "Français", "en": "English", "ar": "العربية"}
        for other, (name, attr, href) in shown.items():
            assert name == names[other] and attr == other
            assert href == "../../../" + URLS[other]  # relative, like every link of a page
    assert doc.xpath("//nav[@class='na-translations']//a[@hreflang='fr']/@dir") == ["ltr"]
    assert _head_alternates(_page(site, "2021/05/unrelated/")) == {}
    assert not _page(site, "2021/05/unrelated/").xpath("//nav[@class='na-translations']")

    sitemap = _sitemap_alternates(site)
    for url in URLS.values():
        assert sitemap[BASE + url] == expected
    assert sitemap[BASE + "2021/05/unrelated/"] == {}
    assert sitemap[BASE] == {}


def test_the_sitemap_with_alternates_validates(make_site):
    site = make_site(dict(GROUP), config=CONFIG).parent
    rebuild(site)
    document = etree.parse(str(site / "_site/sitemap.xml"))
    assert document.getroot().nsmap.get("xhtml") == "http://www.w3.org/1999/xhtml"
    ours = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))  # xhtml:link checked strictly (xhtml-link.xsd)
    assert ours.validate(document), ours.error_log
    if ACCEPT_XSD.is_file():  # the acceptance kit's, where it is installed
        kit = etree.XMLSchema(etree.parse(str(ACCEPT_XSD)))
        assert kit.validate(document), kit.error_log
    assert len(document.getroot().findall(f".//{XHTML}link")) == 3 * 4


def test_x_default_without_a_member_in_the_site_language_is_the_oldest(make_site):
    files = {FR: GROUP[FR], AR: GROUP[AR]}
    site = make_site(files, config=CONFIG).parent
    rebuild(site)
    alternates = _head_alternates(_page(site, URLS["ar"]))
    assert alternates["x-default"] == BASE + URLS["fr"]
    assert set(alternates) == {"fr", "ar", "x-default"}


def test_a_language_tag_with_underscore_is_written_as_bcp47(make_site):
    files = {"articles/a.md": article("Olá", "2021-01-01", "Texto.", lang="pt_BR", translation_key="k", slug="ola"),
             "articles/b.md": article("Hello", "2021-01-02", "Text.", lang="en", translation_key="k", slug="hello")}
    site = make_site(files, config=CONFIG).parent
    rebuild(site)
    assert set(_head_alternates(_page(site, "2021/01/hello/"))) == {"pt-BR", "en", "x-default"}


# --- errors --------------------------------------------------------------------------------

def test_two_articles_in_one_language_is_an_error_naming_both_files(make_site):
    files = dict(GROUP, **{"articles/2021/fr2.md": article("Le port rouvre enfin", "2021-05-18", "Texte.", slug="port-rouvre-2",
                                                            lang="fr", translation_key="port-2021")})
    config = make_site(files, config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "2021/fr2.md:6: error: translation group has two articles in 'fr': this one and 2021/fr.md (line 6)" in result.out + result.err
    assert not (config.parent / "_site").exists()  # the previous site (none) is left alone

    result = run_cli("build", "--config", config, "--keep-going")
    assert result.code == 0
    assert "translation group has two articles in 'fr'" in result.out + result.err
    site = config.parent
    assert set(_head_alternates(_page(site, URLS["fr"]))) == {"fr", "en", "ar", "x-default"}  # the oldest keeps its place
    assert _head_alternates(_page(site, "2021/05/port-rouvre-2/")) == {}  # the second stands alone


def test_translation_of_an_unknown_target_is_an_error_with_its_line(make_site):
    files = {EN: GROUP[EN], "articles/x.md": article("X", "2021-01-01", "Text.", lang="fr", translation_of="no-such-article")}
    result = run_cli("build", "--config", make_site(files, config=CONFIG))
    assert result.code == 1
    assert "x.md:5: error: translation_of 'no-such-article' names no published article" in result.out + result.err


def test_translation_of_a_draft_or_itself_is_an_error_and_drafts_join_no_group(make_site):
    files = {EN: GROUP[EN],
             FR: article("Brouillon", "2021-05-15", "Texte.", slug="port-rouvre", lang="fr", translation_key="port-2021", draft="true"),
             "articles/self.md": article("Self", "2021-01-01", "Text.", slug="self", lang="fr", translation_of="self")}
    config = make_site(files, config=CONFIG)
    out = run_cli("build", "--config", config, "--keep-going")
    assert out.code == 0
    assert "self.md:6: error: translation_of 'self' names this article itself" in out.out + out.err
    assert _head_alternates(_page(config.parent, URLS["en"])) == {}  # the draft is no member
    files = {"articles/t.md": article("T", "2021-01-01", "Text.", lang="en", translation_of="2021/fr.md"),
             FR: files[FR]}
    out = run_cli("build", "--config", make_site(files, config=CONFIG, name="drafts"))
    assert out.code == 1 and "t.md:5: error: translation_of '2021/fr.md' names no published article" in out.out + out.err


def test_translation_of_takes_a_file_path_and_an_ambiguous_slug_is_an_error(make_site):
    files = {"articles/a/x.md": article("A", "2021-01-01", "Text.", slug="same", lang="fr"),
             "articles/b/x.md": article("B", "2021-02-01", "Text.", slug="same", lang="de"),
             "articles/c.md": article("C", "2021-03-01", "Text.", lang="en", translation_of="articles/a/x.md"),
             "articles/d.md": article("D", "2021-03-02", "Text.", lang="ar", translation_of="same")}
    config = make_site(files, config=CONFIG.replace("search: false", "search: false\npermalink: /{year}/{month}/{slug}-{lang}/"))
    out = run_cli("build", "--config", config, "--keep-going")
    assert "d.md:5: error: translation_of 'same' matches 2 articles (a/x.md, b/x.md)" in out.out + out.err
    assert set(_head_alternates(_page(config.parent, "2021/03/c-en/"))) == {"fr", "en", "x-default"}


@pytest.mark.parametrize("value, message", [
    ("[a, b]", "'translation_key' must be text, not a list or mapping"),
    ("{a: 1}", "'translation_key' must be text, not a list or mapping"),
])
def test_a_translation_key_that_is_not_text_is_an_error(make_site, value, message):
    files = {"articles/a.md": article("A", "2021-01-01", "Text.", translation_key=value)}
    out = run_cli("build", "--config", make_site(files, config=CONFIG))
    assert out.code == 1 and f"a.md:4: error: {message}" in out.out + out.err


def test_an_invalid_language_tag_is_an_error_naming_the_line(make_site):
    files = {"articles/a.md": article("A", "2021-01-01", "Text.", lang='"fr<script>"', translation_key="k")}
    out = run_cli("build", "--config", make_site(files, config=CONFIG))
    assert out.code == 1 and "a.md:4: error: 'lang' is not a language code" in out.out + out.err


def test_hostile_keys_never_reach_the_page_and_only_equal_keys_group(make_site):
    key = '"<script>alert(1)</script>\\u202e ' + "k" * 5000 + '"'
    files = {"articles/a.md": article("A <b>", "2021-01-01", "Text.", lang="fr", slug="a", translation_key=key),
             "articles/b.md": article("B", "2021-01-02", "Text.", lang="en", slug="b", translation_key=key),
             "articles/c.md": article("C", "2021-01-03", "Text.", lang="ar", slug="c", translation_key=key.replace("k", "K", 1)),
             "articles/d.md": article("D", "2021-01-04", "Text.", lang="de", slug="d", translation_key='""')}
    site = make_site(files, config=CONFIG).parent
    rebuild(site)
    page = (site / "_site/2021/01/b/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "kkkk" not in page
    assert set(_head_alternates(_page(site, "2021/01/b/"))) == {"fr", "en", "x-default"}
    assert _head_alternates(_page(site, "2021/01/c/")) == {} and _head_alternates(_page(site, "2021/01/d/")) == {}


# --- rebuilds equal clean builds -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_adding_removing_and_retitling_a_translation_rebuilds_like_a_clean_build(make_site, tmp_path, jobs):
    files = {FR: GROUP[FR], EN: GROUP[EN], "articles/2021/other.md": GROUP["articles/2021/other.md"]}
    site = make_site(files, config=CONFIG).parent
    rebuild(site, jobs=jobs)
    assert set(_head_alternates(_page(site, URLS["fr"]))) == {"fr", "en", "x-default"}

    (site / AR).write_text(GROUP[AR], encoding="utf-8")  # a translation added: the group's pages show it
    rebuild(site, jobs=jobs)
    assert set(_head_alternates(_page(site, URLS["fr"]))) == {"fr", "en", "ar", "x-default"}
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)

    edit(site, "2021/ar.md", "translation_of: port-rouvre", "translation_of: port-reopens")  # joins through another member
    rebuild(site, jobs=jobs)
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)

    edit(site, "2021/en.md", "title: The port reopens", "title: The port reopens at last")  # a member's title
    rebuild(site, jobs=jobs)
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)

    edit(site, "2021/en.md", "Dockers are back.", "Dockers are back on the quays.")  # its text alone (the edit path)
    report = rebuild(site, jobs=jobs)
    assert report.from_records
    assert set(_head_alternates(_page(site, URLS["en"]))) == {"fr", "en", "ar", "x-default"}
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)

    edit(site, "2021/en.md", "lang: en", "lang: de")  # a member's language: x-default moves to the oldest
    rebuild(site, jobs=jobs)
    assert _head_alternates(_page(site, URLS["ar"]))["x-default"] == BASE + URLS["fr"]
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)

    (site / EN).unlink()  # a translation removed (and the Arabic one names another member): the others no longer link it
    edit(site, "2021/ar.md", "translation_of: port-reopens", "translation_of: port-rouvre")
    rebuild(site, jobs=jobs)
    assert set(_head_alternates(_page(site, URLS["fr"]))) == {"fr", "ar", "x-default"}
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)

    (site / AR).unlink()  # a group of one is no group
    rebuild(site, jobs=jobs)
    assert _head_alternates(_page(site, URLS["fr"])) == {}
    assert b"xhtml:link" not in (site / "_site/sitemap.xml").read_bytes()
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)


def test_the_sample_archive_has_a_fr_en_ar_group():
    from conftest import REPO
    keys = {}
    for path in (REPO / "articles").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for key in ("translation_key: samaran-velmar-port-twinning-2023", "translation_of: samaran-velmar-port-twinning"):
            if key in text:
                keys[path.name] = next(line for line in text.splitlines() if line.startswith("lang:"))
    assert sorted(keys.values()) == ["lang: ar", "lang: en", "lang: fr"]


# --- import: pages that declare their translations ----------------------------------------

WIRE = "https://wire.example/"
PAGES = {  # file → (lang, path on the wire, title, text)
    "fr.html": ("fr", "fr/port", "Le port rouvre après la grève", "Les dockers ont repris le travail mardi matin après neuf jours de grève, "
                "a annoncé la direction du port, qui promet de rattraper le retard accumulé sur les quais."),
    "en.html": ("en", "en/port", "The port reopens after the strike", "Dockers went back to work on Tuesday morning after a nine-day strike, "
                "the port authority said, promising to clear the backlog of ships waiting offshore."),
    "ar.html": ("ar", "ar/port", "الميناء يفتح أبوابه بعد الإضراب", "عاد عمال الميناء إلى العمل صباح الثلاثاء بعد إضراب دام تسعة أيام، "
                "بحسب إدارة الميناء التي وعدت بتدارك التأخير المتراكم على الأرصفة."),
}


def _wire_page(lang: str, path: str, title: str, text: str, alternates: dict[str, str]) -> str:
    links = "".join(f'<link rel="alternate" hreflang="{code}" href="{href}">' for code, href in alternates.items())
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2024-05-04T08:00:00+00:00">'
            f'<link rel="canonical" href="{WIRE}{path}">{links}</head><body>'
            f"<article><h1>{title}</h1><p>{text}</p><p>{text}</p></article></body></html>")


def _all_alternates() -> dict[str, str]:
    return {lang: WIRE + path for lang, path, _, _ in PAGES.values()} | {"x-default": WIRE + "en/port"}


def test_import_groups_pages_that_declare_their_translations(make_site, tmp_path):
    config = make_site({}, config=CONFIG)
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    for name, (lang, path, title, text) in PAGES.items():
        alternates = _all_alternates() if lang != "ar" else {"fr": "/fr/port#top"}  # relative and partial: still one group
        (scrape / name).write_text(_wire_page(lang, path, title, text, alternates), encoding="utf-8")
    (scrape / "alone.html").write_text(_wire_page("en", "en/alone", "A quay alone", PAGES["en.html"][3], {}), encoding="utf-8")
    result = run_cli("import", scrape, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    written = {p.name: p.read_text(encoding="utf-8") for p in (config.parent / "articles").rglob("*.md")}
    keys = {name: next((line for line in text.splitlines() if line.startswith("translation_key:")), None) for name, text in written.items()}
    grouped = [name for name, key in keys.items() if key]
    assert len(grouped) == 3 and len({keys[name] for name in grouped}) == 1
    assert keys[next(name for name in written if "alone" in name)] is None

    again = run_cli("import", scrape, "--config", config, "--jobs", "1")  # the same pages again: nothing changes
    assert again.code == 0
    assert {p.name: p.read_text(encoding="utf-8") for p in (config.parent / "articles").rglob("*.md")} == written

    build = run_cli("build", "--config", config)
    assert build.code == 0, build.out + build.err
    pages = {lang: next(p for p in (config.parent / "_site").rglob("index.html") if f'<html lang="{lang}"' in p.read_text(encoding="utf-8")
                        and "na-kind-article" in p.read_text(encoding="utf-8")) for lang in ("fr", "ar")}
    assert set(_head_alternates(html.fromstring(pages["ar"].read_bytes()))) == {"fr", "en", "ar", "x-default"}


def test_import_adds_the_key_to_an_archive_article_it_translates(make_site, tmp_path):
    kept = article("Le port rouvre", "2024-05-04", "Texte déjà archivé.", lang="fr", slug="port-fr",
                   source_url=WIRE + "fr/port", tags="[Port]")
    config = make_site({"articles/2024/05/port-fr.md": kept.replace("\n", "\r\n")}, config=CONFIG)
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    lang, path, title, text = PAGES["en.html"]
    (scrape / "en.html").write_text(_wire_page(lang, path, title, text, _all_alternates()), encoding="utf-8")
    dry = run_cli("import", scrape, "--config", config, "--jobs", "1", "--dry-run")
    assert "would add translation_key import-" in dry.out
    assert (config.parent / "articles/2024/05/port-fr.md").read_bytes() == kept.replace("\n", "\r\n").encode()
    result = run_cli("import", scrape, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    old = (config.parent / "articles/2024/05/port-fr.md").read_bytes().decode()
    assert "\r\ntranslation_key: \"import-" in old and "Texte déjà archivé." in old and "\n\n" not in old.replace("\r\n", "")
    new = next(p for p in (config.parent / "articles").rglob("*.md") if p.name != "port-fr.md").read_text(encoding="utf-8")
    key = next(line for line in old.split("\r\n") if line.startswith("translation_key:"))
    assert key in new.splitlines()
    assert run_cli("build", "--config", config).code == 0
    assert set(_head_alternates(_page(config.parent, "2024/05/port-fr/"))) == {"fr", "en", "x-default"}


def test_an_archive_key_is_kept_and_reused(make_site, tmp_path):
    kept = article("Le port rouvre", "2024-05-04", "Texte.", lang="fr", slug="port-fr", source_url=WIRE + "fr/port",
                   translation_key="my-own-key")
    config = make_site({"articles/2024/05/port-fr.md": kept}, config=CONFIG)
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    lang, path, title, text = PAGES["ar.html"]
    (scrape / "ar.html").write_text(_wire_page(lang, path, title, text, {"fr": WIRE + "fr/port"}), encoding="utf-8")
    assert run_cli("import", scrape, "--config", config, "--jobs", "1").code == 0
    assert (config.parent / "articles/2024/05/port-fr.md").read_text(encoding="utf-8") == kept
    new = next(p for p in (config.parent / "articles").rglob("*.md") if p.name != "port-fr.md").read_text(encoding="utf-8")
    assert 'translation_key: "my-own-key"' in new.splitlines()


def test_a_group_error_kept_going_stays_reported_through_an_edit_rebuild(make_site, tmp_path):
    files = dict(GROUP, **{"articles/2021/fr2.md": article("Le port rouvre enfin", "2021-05-18", "Texte.", slug="port-rouvre-2",
                                                            lang="fr", translation_key="port-2021")})
    site = make_site(files, config=CONFIG).parent
    first = rebuild(site, keep_going=True)
    said = [str(p) for p in first.problems]
    assert any("2021/fr2.md:6: error: translation group has two articles in 'fr'" in line for line in said)
    edit(site, "2021/fr2.md", "Texte.", "Texte corrigé.")  # its text alone
    again = rebuild(site, keep_going=True)
    assert [str(p) for p in again.problems] == said
    assert tree(site / "_site") == clean_build(site, tmp_path, keep_going=True)
    assert "Texte corrigé." in (site / "_site/2021/05/port-rouvre-2/index.html").read_text(encoding="utf-8")

    edit(site, "2021/fr2.md", "slug: port-rouvre-2", "summary: Bref.\nslug: port-rouvre-2")  # its key's line moves
    moved = rebuild(site, keep_going=True)
    assert any("2021/fr2.md:7: error: translation group has two articles in 'fr'" in str(p) for p in moved.problems)
    assert tree(site / "_site") == clean_build(site, tmp_path, keep_going=True)


def test_import_gives_no_key_to_a_second_page_in_a_language_the_group_has(make_site, tmp_path):
    kept = article("Le port rouvre", "2024-05-04", "Texte.", lang="fr", slug="port-fr", source_url=WIRE + "fr/port")
    config = make_site({"articles/2024/05/port-fr.md": kept}, config=CONFIG)
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    alternates = {"fr": WIRE + "fr/port", "en": WIRE + "en/port", "fr-x": WIRE + "fr/port-bis"}
    lang, path, title, text = PAGES["en.html"]
    (scrape / "en.html").write_text(_wire_page(lang, path, title, text, alternates), encoding="utf-8")
    lang, _, title, text = PAGES["fr.html"]
    (scrape / "fr.html").write_text(_wire_page(lang, "fr/port-bis", title + " (bis)", text, alternates), encoding="utf-8")
    assert run_cli("import", scrape, "--config", config, "--jobs", "1").code == 0
    texts = {p.name: p.read_text(encoding="utf-8") for p in (config.parent / "articles").rglob("*.md")}
    with_key = sorted(name for name, text in texts.items() if "\ntranslation_key:" in text)
    assert len(with_key) == 2 and "port-fr.md" in with_key  # the archive's French one and the English one
    assert run_cli("build", "--config", config).code == 0  # so the archive still builds


def test_odd_values_group_as_text_or_fail_with_their_line(make_site):
    files = {"articles/a.md": article("A", "2021-01-01", "Text.", lang="fr", slug="a", translation_key="12"),
             "articles/b.md": article("B", "2021-01-02", "Text.", lang="en", slug="b", translation_key='"1\\x012"'),  # a control character
             "articles/c.md": article("C", "2021-01-03", "Text.", slug="c", translation_key="12"),  # no lang: the site's (en)
             "articles/d.md": article("D", "2021-01-04", "Text.", lang="ar", slug="d", translation_of='"../../etc/passwd"')}
    out = run_cli("build", "--config", make_site(files, config=CONFIG), "--keep-going")
    said = out.out + out.err
    assert "b.md:6: warning:" in said
    assert "c.md:5: error: translation group has two articles in 'en': this one and b.md (line 6)" in said
    assert "d.md:6: error: translation_of '../../etc/passwd' names no published article" in said
