"""Links that last (links.py, hostfiles.py): a published URL keeps answering after the page
moves or goes, on disk, in `_redirects`/Apache/nginx, and for every static host's needs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import article, run_cli
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build

CONFIG = "title: Links\nbase_url: https://example.org/news/\nsearch: false\n"
BASE = {
    "articles/a.md": article("Harbor reopens", "2021-05-15", "Dock workers are back.", tags="[Port]", section="Economy"),
    "articles/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]", section="Economy"),
}


def built(config: Path, **options) -> object:
    report = build(load_config(config), BuildOptions(**options))
    assert report.ok, [str(p) for p in report.problems]
    return report


def failed(config: Path, **options) -> list[str]:
    report = build(load_config(config), BuildOptions(**options))
    assert not report.ok
    return [str(p) for p in report.problems]


def redirect_target(site: Path, rel: str) -> str:
    """Where the HTML page at `rel` sends readers (meta refresh), checked against its canonical link."""
    text = (site / "_site" / rel).read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in text
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', text).group(1)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', text).group(1)
    absolute = canonical.removeprefix("https://example.org/news/")
    assert (site / "_site" / rel).parent.joinpath(refresh).resolve() == (site / "_site" / absolute).resolve()
    return "/" + absolute


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def clean_copy_tree(site: Path, tmp: Path) -> dict[str, bytes]:
    """The same site (its record of published URLs included) built from scratch elsewhere."""
    copy = tmp / "clean"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "_site"))
    built(copy / "config.yaml")
    return tree(copy / "_site")


@pytest.fixture
def site(make_site) -> Path:
    config = make_site(dict(BASE), config=CONFIG)
    built(config)
    return config.parent


def test_the_record_lists_every_published_page_sorted(site):
    lines = [line for line in (site / "published-urls.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == sorted(lines)
    assert "/2021/05/harbor-reopens/\tarticle\ta.md" in lines and "/tags/port/\tterm" in lines
    assert "/tags/port/feed.xml\tfeed" in lines and "/\thome" in lines
    assert not any(line.startswith(("/404.html", "/sitemap.xml", "/robots.txt")) for line in lines)


@pytest.mark.parametrize("change, old, new", [
    (("Harbor reopens", "Harbour reopens"), "2021/05/harbor-reopens/index.html", "/2021/05/harbour-reopens/"),  # a title's typo
    (("date: 2021-05-15", "date: 2021-04-30"), "2021/05/harbor-reopens/index.html", "/2021/04/harbor-reopens/"),  # a wrong date
])
def test_an_article_whose_url_changed_redirects_from_its_old_url(site, tmp_path, change, old, new):
    path = site / "articles/a.md"
    path.write_text(path.read_text().replace(*change))
    built(site / "config.yaml")
    assert redirect_target(site, old) == new
    assert (site / "_site" / new.strip("/") / "index.html").is_file()
    old_url = "/news/" + old.removesuffix("index.html")
    assert f"{old_url} /news{new} 301" in (site / "_site/_redirects").read_text().splitlines()
    htaccess = (site / "_site/apache-redirects.conf").read_text()
    assert not (site / "_site/.htaccess").exists()  # never one the host may have, unasked: only a site's own static/.htaccess
    assert f'RedirectMatch 301 "^{old_url}(index\\.html)?$" "/news{new}"' in htaccess.replace("harbor\\-", "harbor-")
    assert f'location = "{old_url}" {{ return 301 "/news{new}"; }}' in (site / "_site/nginx-redirects.conf").read_text()
    assert f"https://example.org{old_url}<" not in (site / "_site/sitemap.xml").read_text()  # old URLs are not listed
    assert tree(site / "_site") == clean_copy_tree(site, tmp_path)  # incremental equals clean, the record being an input


def test_a_section_move_redirects_when_the_permalink_holds_the_section(make_site, tmp_path):
    config = make_site(dict(BASE), config=CONFIG + "permalink: /{section}/{slug}/\n")
    built(config)
    path = config.parent / "articles/a.md"
    path.write_text(path.read_text().replace("section: Economy", "section: Business"))
    built(config)
    assert redirect_target(config.parent, "economy/harbor-reopens/index.html") == "/business/harbor-reopens/"
    assert tree(config.parent / "_site") == clean_copy_tree(config.parent, tmp_path)


def test_a_renamed_tag_redirects_to_the_tag_index_and_its_feed_to_the_site_feed(site):
    for name in ("a.md", "b.md"):
        path = site / "articles" / name
        path.write_text(path.read_text().replace("[Port]", "[Harbour]"))
    built(site / "config.yaml")
    assert redirect_target(site, "tags/port/index.html") == "/tags/"
    rules = (site / "_site/_redirects").read_text().splitlines()
    assert "/news/tags/port/feed.xml /news/feed.xml 301" in rules
    assert not (site / "_site/tags/port/feed.xml").exists()  # a feed is redirected by the host only


def test_a_listing_page_that_is_gone_redirects_to_the_first_page(make_site):
    files = {f"articles/{n}.md": article(f"Story {n}", f"2021-05-{n + 1:02d}", tags="[Port]") for n in range(5)}
    config = make_site(files, config=CONFIG + "per_page: 2\n")
    built(config)
    (config.parent / "config.yaml").write_text(CONFIG + "per_page: 10\n")
    built(config)
    assert redirect_target(config.parent, "tags/port/page/3/index.html") == "/tags/port/"
    assert redirect_target(config.parent, "page/2/index.html") == "/"
    assert redirect_target(config.parent, "2021/05/page/2/index.html") == "/2021/05/"


def test_a_removed_article_says_so(site, tmp_path):
    (site / "articles/a.md").unlink()
    built(site / "config.yaml")
    page = (site / "_site/2021/05/harbor-reopens/index.html").read_text()
    assert "Article removed" in page and "This article is no longer in the archive." in page
    assert '<meta name="robots" content="noindex">' in page and "Dock workers" not in page
    assert "harbor-reopens" not in (site / "_site/sitemap.xml").read_text()
    assert tree(site / "_site") == clean_copy_tree(site, tmp_path)


def test_an_article_turned_draft_keeps_its_url_without_a_notice(site):
    path = site / "articles/a.md"
    path.write_text(path.read_text().replace("title: Harbor reopens", "title: Harbor reopens\ndraft: true"))
    built(site / "config.yaml")
    assert not (site / "_site/2021/05/harbor-reopens").exists()
    assert "/2021/05/harbor-reopens/\tarticle\ta.md" in (site / "published-urls.txt").read_text()  # kept for when it returns


def test_a_new_article_may_take_over_the_url_of_a_removed_one(site):
    """The file moved (or was rewritten): the same URL, now the new file's."""
    (site / "articles/a.md").rename(site / "articles/harbor.md")
    built(site / "config.yaml")
    assert "Dock workers are back." in (site / "_site/2021/05/harbor-reopens/index.html").read_text()
    assert "/2021/05/harbor-reopens/\tarticle\tharbor.md" in (site / "published-urls.txt").read_text()


def test_taking_the_old_url_of_an_article_that_moved_is_an_error_naming_both(site):
    path = site / "articles/a.md"
    path.write_text(path.read_text().replace("Harbor reopens", "Harbour reopens"))
    built(site / "config.yaml")
    (site / "articles/c.md").write_text(article("Harbor reopens", "2021-05-20", "Another story."))
    record = (site / "published-urls.txt").read_bytes()
    problems = failed(site / "config.yaml")
    assert any("c.md" in p and "/2021/05/harbor-reopens/ was published for a.md (now at /2021/05/harbour-reopens/)" in p
               for p in problems), problems
    assert (site / "published-urls.txt").read_bytes() == record  # a failed build writes nothing
    report = built(site / "config.yaml", keep_going=True)  # the article is skipped, the rest is built
    assert report.skipped.get("with a URL collision") == 1
    assert redirect_target(site, "2021/05/harbor-reopens/index.html") == "/2021/05/harbour-reopens/"


def test_aliases_redirect_old_cms_paths(make_site, tmp_path):
    files = dict(BASE)
    files["articles/a.md"] = article("Harbor reopens", "2021-05-15", "Docks.", aliases="[/old/cms/story.html]")
    files["articles/b.md"] = article("Strike ends", "2021-06-01", "Ended.", aliases="/archives/strike")
    config = make_site(files, config=CONFIG)
    built(config)
    assert redirect_target(config.parent, "old/cms/story.html") == "/2021/05/harbor-reopens/"
    assert redirect_target(config.parent, "archives/strike/index.html") == "/2021/06/strike-ends/"
    assert "/news/old/cms/story.html /news/2021/05/harbor-reopens/ 301" in (config.parent / "_site/_redirects").read_text()
    record = (config.parent / "published-urls.txt").read_text()
    assert "/old/cms/story.html\tarticle\ta.md" in record  # kept even if the alias is later removed
    files["articles/a.md"] = article("Harbor reopens", "2021-05-15", "Docks.")
    (config.parent / "articles/a.md").write_text(files["articles/a.md"])
    built(config)
    assert redirect_target(config.parent, "old/cms/story.html") == "/2021/05/harbor-reopens/"


@pytest.mark.parametrize("alias, message", [
    ("old/no-slash.html", "must be a path of this site starting with one '/'"),
    ("//evil.example/x", "must be a path of this site starting with one '/'"),
    ("https://evil.example/x", "must be a path of this site starting with one '/'"),
    ("/a/../../etc/passwd", "must not hold '.' or '..' segments"),
    ("/a/.git/config", "hidden names"),
    ("/a b/", "must not hold spaces"),
    ("/x?y=1", "'?' or '#'"),
])
def test_a_bad_alias_is_an_error_naming_file_and_line(make_site, alias, message):
    config = make_site({"articles/a.md": article("A", aliases=f'["{alias}"]')}, config=CONFIG)
    problems = failed(config)
    assert any(p.startswith("a.md:4: error: alias") and message in p for p in problems), problems


def test_an_alias_that_is_a_live_page_is_an_error(make_site):
    config = make_site({**BASE, "articles/c.md": article("C", aliases="[/2021/06/strike-ends/]")}, config=CONFIG)
    problems = failed(config)
    assert any(p.startswith("c.md:4: error: alias '/2021/06/strike-ends/' is already the URL of b.md") for p in problems), problems


def test_a_damaged_record_line_is_an_error_naming_the_record_and_line(site):
    record = site / "published-urls.txt"
    record.write_text(record.read_text() + "not a url\tarticle\n")
    problems = failed(site / "config.yaml")
    line = len(record.read_text().splitlines())
    assert any(p.startswith(f"{record}:{line}: error: not a recorded URL") for p in problems), problems


def test_a_record_edited_by_hand_is_noticed_without_other_changes(site):
    path = site / "articles/a.md"
    path.write_text(path.read_text().replace("Harbor reopens", "Harbour reopens"))
    built(site / "config.yaml")
    assert (site / "_site/2021/05/harbor-reopens/index.html").is_file()
    record = site / "published-urls.txt"
    record.write_text("".join(line for line in record.read_text().splitlines(keepends=True) if "harbor-reopens" not in line))
    report = built(site / "config.yaml")
    assert not report.up_to_date and not (site / "_site/2021/05/harbor-reopens").exists()  # the URL was given up


def test_a_build_with_drafts_does_not_record_them(site):
    (site / "articles/draft.md").write_text(article("Secret plans", "2021-07-01", "Not yet.", draft="true"))
    before = (site / "published-urls.txt").read_bytes()
    built(site / "config.yaml", drafts=True)
    assert (site / "_site/2021/07/secret-plans/index.html").is_file()
    assert (site / "published-urls.txt").read_bytes() == before


def test_every_static_host_works_out_of_the_box(make_site):
    """GitHub Pages drops '_' folders unless .nojekyll is there; host files in static/ are published, other dot files not."""
    files = {
        "articles/a.md": article("A", image="pic.jpg"), "articles/pic.jpg": b"",
        "static/.well-known/security.txt": "Contact: mailto:security@example.org\n",
        "static/CNAME": "archive.example.org\n", "static/_headers": "/*\n  X-Frame-Options: DENY\n",
        "static/_redirects": "/feeds/rss /news/feed.xml 301\n", "static/.htaccess": "Options -Indexes\n",
        "static/.DS_Store": "junk", "static/.env": "SECRET=1", "static/.nojekyll": "",
    }
    from conftest import tiny_jpeg
    files["articles/pic.jpg"] = tiny_jpeg()
    config = make_site(files, config=CONFIG)
    built(config)
    out = config.parent / "_site"
    assert (out / ".nojekyll").is_file() and (out / ".nojekyll").read_bytes() == b""
    assert any(p.name.startswith("_") for p in out.iterdir() if p.is_dir())  # _img/: hence .nojekyll
    assert (out / ".well-known/security.txt").read_text() == "Contact: mailto:security@example.org\n"
    assert (out / "CNAME").read_text() == "archive.example.org\n" and (out / "_headers").is_file()
    assert not (out / ".DS_Store").exists() and not (out / ".env").exists()
    assert (out / "_redirects").read_text() == "/feeds/rss /news/feed.xml 301\n"  # the site's own rules, as written
    assert (out / ".htaccess").read_text() == "Options -Indexes\n"
    (config.parent / "articles/a.md").write_text(article("B", image="pic.jpg"))
    built(config)
    rules = (out / "_redirects").read_text().splitlines()
    assert rules[0] == "/feeds/rss /news/feed.xml 301" and "/news/2021/05/a/ /news/2021/05/b/ 301" in rules  # the site's first
    htaccess = (out / ".htaccess").read_text()
    assert htaccess.startswith("Options -Indexes\n") and 'RedirectMatch 301 "^/news/2021/05/a/(index\\.html)?$" "/news/2021/05/b/"' in htaccess


def test_no_underscore_folder_is_published_without_nojekyll(make_site):
    from conftest import tiny_jpeg
    config = make_site({"articles/a.md": article("A", image="p.jpg"), "articles/p.jpg": tiny_jpeg()}, config=CONFIG)
    built(config)
    out = config.parent / "_site"
    underscored = [p for p in out.rglob("_*") if p.is_dir()]
    assert underscored and (out / ".nojekyll").is_file()


def test_the_default_theme_has_a_favicon_and_icons(site):
    out = site / "_site"
    assert (out / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert (out / "apple-touch-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "2021/05/harbor-reopens/index.html").read_text()
    assert '<link rel="icon" href="../../../favicon.ico" sizes="32x32">' in page
    assert '<link rel="apple-touch-icon" href="../../../apple-touch-icon.png">' in page


def test_redirect_pages_work_from_disk_and_under_index_links(make_site):
    config = make_site(dict(BASE), config=CONFIG + "index_links: true\n")
    built(config)
    path = config.parent / "articles/a.md"
    path.write_text(path.read_text().replace("Harbor reopens", "Harbour reopens"))
    built(config)
    text = (config.parent / "_site/2021/05/harbor-reopens/index.html").read_text()
    assert 'content="0; url=../../../2021/05/harbour-reopens/index.html"' in text


def test_output_dir_in_config_and_the_record_beside_it(make_site):
    config = make_site(dict(BASE), config=CONFIG + "output_dir: public\nurl_record: urls.txt\n")
    assert run_cli("--config", config, "--quiet").code == 0
    assert (config.parent / "public/index.html").is_file() and (config.parent / "urls.txt").is_file()
    assert not (config.parent / "published-urls.txt").exists()


def test_a_record_as_the_last_build_wrote_it_reads_as_the_checked_one(make_site):
    """read_record's unchecked path (the file's digest is the one the last build recorded) gives
    what the checking path gives, non-ASCII URLs and escaped file names included."""
    from newsarchive.rebuild.store import BuildCache
    from newsarchive.rebuild.keys import load_key
    from newsarchive.links import read_record
    config_path = make_site({**BASE, "articles/café\tnews.md": article("Café news", "2021-07-01", "Tea.", tags="[Thé]")}, config=CONFIG)
    built(config_path)
    config = load_config(config_path)
    cache = BuildCache(config.cache_dir, load_key(config))
    written = cache.last_build()["url_record"]
    cache.close()
    checked = read_record(config)
    assert read_record(config, written) == checked
    assert any(r.key == "café\tnews.md" for r in checked.values())
    assert read_record(config, "another digest") == checked
