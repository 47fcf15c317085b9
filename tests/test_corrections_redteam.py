"""Red-team findings on corrections (redteam-25): a same-day correction's last change, JSON-LD
without null values, the corrections feed recorded among the published URLs, errors passed by
--keep-going counted in the summary."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import article, rebuild

CONFIG = "title: T\nbase_url: https://example.org/\nlanguage: en\ntimezone: UTC\nsearch: false\n"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SAME_DAY = '[{date: 2021-05-10, type: correction, text: "fixed a name"}]'


def json_lds(page: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]


def test_a_date_only_correction_of_the_article_s_day_is_never_before_the_article(make_site):
    root = make_site({"articles/2021/a.md": article("Same day", "2021-05-10T10:00:00+02:00", "Body.", corrections=SAME_DAY)},
                     config=CONFIG).parent
    rebuild(root)
    site = root / "_site"
    page = (site / "2021/05/same-day/index.html").read_text(encoding="utf-8")
    data = json_lds(page)[0]
    assert data["datePublished"] == "2021-05-10T10:00:00+02:00"
    assert data["dateModified"] == "2021-05-10T10:00:00+02:00"
    assert '<meta property="article:modified_time" content="2021-05-10T10:00:00+02:00">' in page
    updated = re.search(r'<span class="na-updated">.*?<time datetime="([^"]+)"', page, re.S)
    assert updated and updated.group(1) == "2021-05-10"  # shown as written: a date without a time
    entry = ET.parse(site / "feed.xml").find("a:entry", ATOM)
    assert entry.find("a:published", ATOM).text == "2021-05-10T10:00:00+02:00"
    assert entry.find("a:updated", ATOM).text == "2021-05-10T10:00:00+02:00"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(r"same-day/</loc>\s*<lastmod>2021-05-10T10:00:00\+02:00</lastmod>", sitemap)


def test_a_date_only_correction_of_a_later_day_stays_that_day(make_site):
    later = '[{date: 2021-05-11, type: correction, text: "fixed a name"}]'
    root = make_site({"articles/2021/a.md": article("Next day", "2021-05-10T10:00:00+02:00", "Body.", corrections=later)},
                     config=CONFIG).parent
    rebuild(root)
    data = json_lds((root / "_site/2021/05/next-day/index.html").read_text(encoding="utf-8"))[0]
    assert data["dateModified"] == "2021-05-11T00:00:00+00:00"


def _nulls(value, path: str = "") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in ([path + k] if v is None else []) + _nulls(v, path + k + ".")]
    if isinstance(value, list):
        return [p for v in value for p in _nulls(v, path)]
    return []


def test_json_ld_of_a_plain_article_has_no_null_values_and_keeps_its_required_keys(make_site):
    root = make_site({"articles/2021/p.md": article("Plain", "2021-05-10T10:00:00Z", "P.")}, config=CONFIG).parent
    rebuild(root)
    [data] = json_lds((root / "_site/2021/05/plain/index.html").read_text(encoding="utf-8"))
    assert _nulls(data) == []
    for absent in ("correction", "articleSection", "archivedAt", "isBasedOn", "sdDatePublished"):
        assert absent not in data
    assert data["@type"] == "NewsArticle" and data["headline"] == "Plain"
    assert data["datePublished"] == data["dateModified"] == "2021-05-10T10:00:00+00:00"
    assert data["mainEntityOfPage"] == "https://example.org/2021/05/plain/"


def test_json_ld_keeps_the_keys_that_have_a_value(make_site):
    root = make_site({"articles/2021/s.md": article("Sectioned", "2021-05-10", "S.", section="Port",
                                                    source_url="https://example.com/o", corrections=SAME_DAY)},
                     config=CONFIG).parent
    rebuild(root)
    [data] = json_lds((root / "_site/2021/05/sectioned/index.html").read_text(encoding="utf-8"))
    assert _nulls(data) == []
    assert data["articleSection"] == "Port" and data["isBasedOn"] == "https://example.com/o"
    assert [c["text"] for c in data["correction"]] == ["fixed a name"]
    assert "archivedAt" not in data


def test_the_corrections_feed_is_recorded_like_a_tag_feed_and_the_host_redirects_it_when_gone(make_site):
    text = article("Same day", "2021-05-10T10:00:00+02:00", "Body.", tags="[Port]", corrections=SAME_DAY)
    root = make_site({"articles/2021/a.md": text}, config=CONFIG).parent
    rebuild(root)
    lines = (root / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    assert "/corrections/feed.xml\tfeed" in lines and "/tags/port/feed.xml\tfeed" in lines and "/corrections/\tcorrections" in lines
    assert (root / "_site/corrections/feed.xml").is_file()
    (root / "articles/2021/a.md").write_text(text.replace(f"corrections: {SAME_DAY}\n", ""), encoding="utf-8")
    rebuild(root)
    assert not (root / "_site/corrections/feed.xml").exists()
    assert "/corrections/feed.xml\tfeed" in (root / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    rules = (root / "_site/_redirects").read_text(encoding="utf-8").splitlines()
    assert "/corrections/feed.xml /feed.xml 301" in rules
    assert "/corrections/ / 301" in rules  # the page itself: the closest page still there


def test_keep_going_counts_the_errors_it_built_past_in_the_summary(make_site):
    from conftest import run_cli
    files = {"articles/2021/gone.md": article("Gone", "2021-05-01", "Text.", slug="gone", status="withdrawn",
                                              reason='"Legal request."'),
             "articles/2021/t.md": article("Traduit", "2021-05-02", "Texte.", lang="fr", translation_of="gone")}
    config = make_site(files, config=CONFIG)
    out = run_cli("build", "--config", config, "--keep-going")
    assert out.code == 0, out.out + out.err
    assert "2021/t.md:5: error: translation_of 'gone' names no published article" in out.out + out.err
    assert re.search(r"; 0 warnings; 1 error built past \(--keep-going\); wrote \d+ pages", out.out), out.out
    assert (config.parent / "_site/2021/05/traduit/index.html").is_file()
    plain = run_cli("build", "--config", make_site({"articles/p.md": article("Plain")}, config=CONFIG, name="plain"), "--keep-going")
    assert plain.code == 0 and "0 warnings; wrote" in plain.out and "built past" not in plain.out
