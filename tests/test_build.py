"""End-to-end builds of the fixture newsroom: paths, text, counts, escaping, determinism."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import FIXTURES, article, run_cli, tree_digest

NEWSROOM = FIXTURES / "newsroom"
ATOM = "{http://www.w3.org/2005/Atom}"



@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("newsroom") / "_site"
    result = run_cli("build", "--config", NEWSROOM / "config.yaml", "--output", out)
    assert result.code == 0, result.err
    return out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def test_report_line_counts_read_built_skipped(tmp_path):
    result = run_cli("build", "--config", NEWSROOM / "config.yaml", "--output", tmp_path / "out")
    assert result.code == 0
    assert re.search(r"read 5 articles, built 4, skipped 1 \(1 drafts\); 0 warnings; wrote \d+ pages and copied 6 files in \d+\.\d\d s", result.out)


def test_every_page_type_is_written(built):
    expected = [
        "index.html", "page/2/index.html", "2019/02/harbour-reopens-after-storm/index.html",
        "2020/03/greve-port/index.html", "2024/01/new-library/index.html", "2024/06/1984/index.html",
        "tags/index.html", "tags/port/index.html", "tags/port/page/2/index.html", "tags/port/feed.xml",
        "sections/index.html", "sections/economy/index.html", "sections/economy/feed.xml",
        "sources/index.html", "sources/velmar-gazette/index.html", "authors/index.html", "authors/ada-lens/index.html",
        "archive/index.html", "2019/index.html", "2020/03/index.html", "404.html", "robots.txt", "sitemap.xml",
        "feed.xml", "css/site.css", "images/harbour.svg",
    ]
    missing = [rel for rel in expected if not (built / rel).is_file()]
    assert missing == []


def test_draft_is_not_built_without_flag(built):
    assert not list(built.rglob("unfinished-note"))
    assert "Unfinished note" not in read(built, "tags/port/index.html")


def test_drafts_flag_builds_drafts(tmp_path):
    result = run_cli("build", "--config", NEWSROOM / "config.yaml", "--output", tmp_path / "out", "--drafts")
    assert result.code == 0
    assert (tmp_path / "out/2020/03/unfinished-note/index.html").is_file()


def test_own_offset_decides_the_month(built):
    # 2020-03-31T23:30-05:00 is April 1st in UTC but stays in March as written.
    assert "greve-port" in read(built, "2020/03/index.html")
    assert not (built / "2020/04").exists()


def test_tags_merge_by_slug_with_most_used_spelling(built):
    index = read(built, "tags/index.html")
    assert index.count('href="../tags/port/"') == 1
    # "Port" (2 articles) beats "port" and "PORT" (1 each)
    assert re.search(r'<a href="../tags/port/">Port</a></bdi>\s*<span class="n">4</span>', index)


def test_tag_NO_stays_text_and_title_1984_stays_text(built):
    assert ">NO<" in read(built, "tags/index.html")
    assert ">1984</h1>" in read(built, "2024/06/1984/index.html")


def test_related_links_resolve_to_titles_and_relative_urls(built):
    page = read(built, "2020/03/greve-port/index.html")
    assert '<a href="../../../2019/02/harbour-reopens-after-storm/">Harbour reopens after storm</a>' in page
    assert 'href="https://example.net/dossier"' in page and "Le dossier complet" in page
    assert "<li><bdi class=\"na-unlinked\">Archives papier</bdi></li>" in page  # text, not a link


def test_body_links_to_other_articles_and_images_are_relative(built):
    page = read(built, "2019/02/harbour-reopens-after-storm/index.html")
    assert 'href="../../../2020/03/greve-port/"' in page
    assert 'src="../../../images/harbour.svg"' in page


def test_arabic_article_is_rtl(built):
    page = read(built, "2024/01/new-library/index.html")
    assert '<html lang="ar" dir="rtl">' in page


def test_pagination_pages(built):
    home2 = read(built, "page/2/index.html")
    assert 'rel="prev" href="../../"' in home2
    assert "Harbour reopens after storm" in home2  # oldest article is on the last page


def test_feed_is_valid_atom_with_absolute_links(built):
    root = ElementTree.parse(built / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0] == "https://example.org/archive/2024/06/1984/"
    content = entries[-1].find(f"{ATOM}content").text
    assert 'href="https://example.org/archive/2020/03/greve-port/"' in content


def test_sitemap_lists_pages_with_absolute_urls(built):
    root = ElementTree.parse(built / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/archive/2020/03/greve-port/" in locs
    assert "https://example.org/archive/" in locs
    assert all(loc.startswith("https://example.org/archive/") for loc in locs)
    assert "https://example.org/archive/404.html" not in locs


def test_robots_points_at_sitemap(built):
    assert "Sitemap: https://example.org/archive/sitemap.xml" in read(built, "robots.txt")


def test_canonical_is_absolute_and_internal_links_are_relative(built):
    page = read(built, "2024/06/1984/index.html")
    assert '<link rel="canonical" href="https://example.org/archive/2024/06/1984/">' in page
    hrefs = re.findall(r'href="([^"]+)"', page)
    internal = [h for h in hrefs if "example.org" in h and not h.startswith("https://example.org/archive/2024/06/1984/")]
    assert internal == []


def test_build_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_cli("build", "--config", NEWSROOM / "config.yaml", "--output", first).code == 0
    assert run_cli("build", "--config", NEWSROOM / "config.yaml", "--output", second).code == 0
    assert tree_digest(first) == tree_digest(second)


def test_check_finds_no_broken_link(built):
    result = run_cli("check", "--config", NEWSROOM / "config.yaml", "--output", built)
    assert result.code == 0, result.err
    assert ": 0 problems" in result.out


def test_check_reports_a_broken_link(tmp_path, built):
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    (copy / "2019/02/harbour-reopens-after-storm/index.html").unlink()
    result = run_cli("check", "--config", NEWSROOM / "config.yaml", "--output", copy)
    assert result.code == 1
    assert "broken link '../../../2019/02/harbour-reopens-after-storm/'" in result.err


def test_site_builds_from_another_folder_with_its_own_templates(make_site, tmp_path):
    config = make_site({
        "articles/a.md": article("Local theme"),
        "templates/article.html": "<p>custom {{ article.title }}</p>\n",
    })
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    assert read(out, "2021/05/local-theme/index.html") == "<p>custom Local theme</p>\n"
    assert (out / "css/site.css").is_file()  # the default theme still supplies the rest
    assert "<!doctype html>" in read(out, "index.html")


def test_site_static_overrides_default_theme_file(make_site):
    config = make_site({"articles/a.md": article(), "static/css/site.css": "body{color:red}"})
    assert run_cli("build", "--config", config).code == 0
    assert (config.parent / "_site/css/site.css").read_text() == "body{color:red}"


def test_metadata_is_escaped(make_site):
    config = make_site({"articles/a.md": article('"<script>alert(1)</script> & co"', tags="['<b>x</b>']", section='"A & B"')})
    assert run_cli("build", "--config", config).code == 0
    page = read(config.parent / "_site", "2021/05/script-alert-1-script-co/index.html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "A &amp; B" in page


def test_raw_html_sanitized_by_default_and_allowed_by_config(make_site):
    body = 'Hi <img src=x onerror="alert(1)"> <script>bad()</script> <em>ok</em>'
    config = make_site({"articles/a.md": article("T", body=body)})
    assert run_cli("build", "--config", config).code == 0
    page = read(config.parent / "_site", "2021/05/t/index.html")
    assert "onerror" not in page and "bad()" not in page and "<em>ok</em>" in page
    config = make_site({"articles/a.md": article("T", body=body)}, config="title: X\nallow_raw_html: true\n", name="raw")
    assert run_cli("build", "--config", config).code == 0
    assert "<script>bad()</script>" in read(config.parent / "_site", "2021/05/t/index.html")


def test_index_links_make_links_end_in_index_html(make_site):
    config = make_site({"articles/a.md": article("T")}, config="title: X\nindex_links: true\n")
    assert run_cli("build", "--config", config).code == 0
    page = read(config.parent / "_site", "2021/05/t/index.html")
    hrefs = [h for h in re.findall(r'href="([^"]+)"', page) if not h.startswith(("http", "#"))]
    assert hrefs and all(h.endswith(("index.html", ".css", ".xml", ".ico", ".svg", ".png")) for h in hrefs), hrefs


def test_permalink_pattern_from_config(make_site):
    config = make_site({"articles/a.md": article("T", section="World News", lang="fr")},
                       config="title: X\npermalink: /{lang}/{section}/{year}/{month}/{day}/{slug}/\n")
    assert run_cli("build", "--config", config).code == 0
    assert (config.parent / "_site/fr/world-news/2021/05/15/t/index.html").is_file()


def test_disabled_page_types_are_not_built(make_site):
    config = make_site({"articles/a.md": article("T", tags="[x]", section="S", author="A")},
                       config="title: X\ntaxonomies: [tags]\narchives: false\nfeeds: false\n")
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    assert (out / "tags/x/index.html").is_file()
    for rel in ("sections", "authors", "sources", "archive", "2021/index.html", "2021/05/index.html", "feed.xml", "tags/x/feed.xml"):
        assert not (out / rel).exists(), rel


def test_empty_archive_builds_a_home_page(make_site):
    config = make_site({})
    result = run_cli("build", "--config", config)
    assert result.code == 0
    assert "read 0 articles" in result.out
    assert (config.parent / "_site/index.html").is_file()


def test_sitemap_splits_past_50000_urls(monkeypatch, make_site):
    from newsarchive import plan
    monkeypatch.setattr(plan, "SITEMAP_LIMIT", 3)
    config = make_site({f"articles/{i}.md": article(f"T{i}", date=f"2021-05-{i + 1:02d}") for i in range(4)})
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    index = ElementTree.parse(out / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert parts[0] == "https://example.org/sitemap-1.xml"
    assert all((out / p.rsplit("/", 1)[1]).is_file() for p in parts)
    total = sum(len(list(ElementTree.parse(out / p.rsplit("/", 1)[1]).getroot())) for p in parts)
    assert total == len(list(out.rglob("index.html")))


def test_feeds_carry_the_newest_feed_entries(make_site):
    files = {f"articles/{i}.md": article(f"T{i}", date=f"2021-05-{i + 1:02d}", tags="[x]") for i in range(5)}
    config = make_site(files, config="title: X\nfeed_entries: 2\n")
    assert run_cli("build", "--config", config).code == 0
    for feed in ("feed.xml", "tags/x/feed.xml"):
        titles = [e.find(f"{ATOM}title").text for e in ElementTree.parse(config.parent / "_site" / feed).getroot().findall(f"{ATOM}entry")]
        assert titles == ["T4", "T3"], feed


def test_package_versions_agree_with_importlib_metadata():
    from importlib import metadata

    from newsarchive.version import package_versions
    names = ("markdown", "nh3", "PyYAML", "python_slugify", "jinja2", "babel", "markupsafe")
    assert package_versions(names) == [metadata.version(n) for n in names]


def test_a_template_edited_between_two_builds_of_one_process_is_compiled_again(make_site):
    """Compiled templates are kept for the life of the process (templates.ProcessBytecodeCache, as
    `serve` rebuilds in one process): an edit of the template, even to the same length, shows at once."""
    config = make_site({"articles/a.md": article("Local theme"), "templates/article.html": "<p>first {{ article.title }}</p>\n"})
    assert run_cli("build", "--config", config).code == 0
    out = config.parent / "_site"
    assert read(out, "2021/05/local-theme/index.html") == "<p>first Local theme</p>\n"
    (config.parent / "templates/article.html").write_text("<p>again {{ article.title }}</p>\n", encoding="utf-8")
    shutil.rmtree(config.parent / ".cache")  # neither the disk's bytecode nor the build record can answer
    assert run_cli("build", "--config", config).code == 0
    assert read(out, "2021/05/local-theme/index.html") == "<p>again Local theme</p>\n"
    (config.parent / "templates/article.html").write_text("<p>first {{ article.title }}</p>\n", encoding="utf-8")
    assert run_cli("build", "--config", config).code == 0  # an incremental build: the theme's digest changed
    assert read(out, "2021/05/local-theme/index.html") == "<p>first Local theme</p>\n"


def test_a_second_site_of_the_same_theme_compiles_no_template(make_site, monkeypatch):
    import jinja2
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(a[1] if len(a) > 1 else None) or original(self, *a, **k))
    first = make_site({"articles/a.md": article("One")}, name="one")
    assert run_cli("build", "--config", first).code == 0
    compiled.clear()
    second = make_site({"articles/b.md": article("Two")}, name="two")
    assert run_cli("build", "--config", second).code == 0
    assert compiled == []
    assert "Two" in read(second.parent / "_site", "2021/05/two/index.html")
