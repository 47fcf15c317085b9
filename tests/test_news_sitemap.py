"""news-sitemap.xml (Google News): off by default; on, the articles of the 48 hours before the
newest one, valid against tests/schemas (the sitemaps.org urlset + Google's news element)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from conftest import article
from newsarchive.config import load_config
from newsarchive.news_sitemap import news_language
from newsarchive.pipeline import BuildOptions, build

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "sitemap.xsd")))
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}
FILES = {
    "articles/newest.md": article("Storm & floods hit the coast", "2024-12-31T18:00:00+01:00", "Text.", lang="en"),
    "articles/fr.md": article("La crue s'étend", "2024-12-29T19:00:00+01:00", "Texte.", lang="fr"),  # 47 h before
    "articles/ar.md": article("عاصفة على الساحل", "2024-12-30", "نص.", lang="ar"),  # date only, midnight
    "articles/zh.md": article("沿海风暴", "2024-12-31T09:00:00+08:00", "文字.", lang="zh-TW"),
    "articles/old.md": article("Too old", "2024-12-29T16:59:00+01:00", "Text.", lang="en"),  # 49 h 1 min before
}
CONFIG = "title: Coast Times\nbase_url: https://example.org/news/\n"


def test_off_by_default(make_site):
    config = make_site(FILES, config=CONFIG)
    assert build(load_config(config), BuildOptions()).ok
    out = config.parent / "_site"
    assert not (out / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (out / "robots.txt").read_text(encoding="utf-8")


def test_lists_the_last_48_hours_with_name_and_language_and_is_valid(make_site):
    config = make_site(FILES, config=CONFIG + "news_sitemap: true\n")
    assert build(load_config(config), BuildOptions()).ok
    out = config.parent / "_site"
    doc = etree.parse(str(out / "news-sitemap.xml"))
    SCHEMA.assertValid(doc)
    urls = doc.xpath("//s:url", namespaces=NS)
    rows = [(u.findtext("s:loc", namespaces=NS), u.findtext("news:news/news:publication/news:language", namespaces=NS),
             u.findtext("news:news/news:publication_date", namespaces=NS), u.findtext("news:news/news:title", namespaces=NS))
            for u in urls]
    assert rows == [
        ("https://example.org/news/2024/12/storm-floods-hit-the-coast/", "en", "2024-12-31T18:00:00+01:00", "Storm & floods hit the coast"),
        ("https://example.org/news/2024/12/沿海风暴/".replace("沿海风暴", "%E6%B2%BF%E6%B5%B7%E9%A3%8E%E6%9A%B4"), "zh-tw", "2024-12-31T09:00:00+08:00", "沿海风暴"),
        ("https://example.org/news/2024/12/%D8%B9%D8%A7%D8%B5%D9%81%D8%A9-%D8%B9%D9%84%D9%89-%D8%A7%D9%84%D8%B3%D8%A7%D8%AD%D9%84/", "ar", "2024-12-30", "عاصفة على الساحل"),
        ("https://example.org/news/2024/12/la-crue-s-etend/", "fr", "2024-12-29T19:00:00+01:00", "La crue s'étend"),
    ]
    assert {n.text for n in doc.xpath("//news:publication/news:name", namespaces=NS)} == {"Coast Times"}
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/news/news-sitemap.xml\n" in robots
    for loc, *_ in rows:  # every entry is a page of the site
        assert (out / unquote(loc.removeprefix("https://example.org/news/")) / "index.html").is_file(), loc


def test_the_schema_rejects_what_google_would():
    bad = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://example.org/a/</loc><news:news><news:publication><news:name>X</news:name>
      <news:language>english</news:language></news:publication>
      <news:publication_date>31/12/2024</news:publication_date><news:title>T</news:title></news:news></url></urlset>"""
    assert not SCHEMA.validate(etree.fromstring(bad))
    messages = " ".join(str(e.message) for e in SCHEMA.error_log)
    assert "language" in messages


@pytest.mark.parametrize("lang, code", [("en", "en"), ("pt-BR", "pt"), ("zh-TW", "zh-tw"), ("zh_CN", "zh-cn"), ("zh", "zh-cn"), ("AR", "ar")])
def test_languages_as_google_writes_them(lang, code):
    assert news_language(lang) == code
