"""Red team 25's takedown cases (status.py), each a test: the case number is in the test's name."""
from __future__ import annotations

import pytest

from conftest import article, clean_build, edit_article, rebuild, run_cli, tiny_jpeg, tree

CONFIG = "title: T\nbase_url: https://example.org/\nlanguage: en\ntimezone: UTC\nsearch: false\n"
BRAVO = article("Bravo", "2021-05-11T10:00:00Z", "Bravo body.")
CHARLIE = article("Charlie", "2021-05-12T10:00:00Z", "Charlie body, see [bravo](b.md).")


def _feed_link(site, url: str) -> bool:
    return f"see &lt;a href=&#34;{url}&#34;&gt;bravo" in (site / "_site/feed.xml").read_text(encoding="utf-8")


# 04, 05, 06, 08, 15: C's body links to B; B withdrawn or unlisted appears, moves or goes away.
# The pages showing C's body (its page, the feed) must follow: a body's links to other articles
# enter its BODY digest (shown.role_digests).

def _undraft(site, status):  # 04
    edit_article(site, "2021/b.md", "date: 2021-05-11T10:00:00Z", f"date: 2021-05-11T10:00:00Z\ndraft: true\nstatus: {status}")
    rebuild(site)
    edit_article(site, "2021/b.md", "\ndraft: true", "")
    return "https://example.org/2021/05/bravo/"


def _add(site, status):  # 05
    (site / "articles/2021/b.md").unlink()
    rebuild(site)
    (site / "articles/2021/b.md").write_text(article("Bravo", "2021-05-11T10:00:00Z", "Bravo body.", status=status))
    return "https://example.org/2021/05/bravo/"


def _slug(site, status):  # 06
    edit_article(site, "2021/b.md", "title: Bravo", f"title: Bravo\nstatus: {status}")
    rebuild(site)
    edit_article(site, "2021/b.md", "title: Bravo", "title: Bravo\nslug: renamed")
    return "https://example.org/2021/05/renamed/"


def _after_error(site, status):  # 08
    edit_article(site, "2021/b.md", "title: Bravo", "title: Bravo\nstatus: bogus")
    assert run_cli("build", "--config", site / "config.yaml", "--keep-going").code == 0
    edit_article(site, "2021/b.md", "status: bogus", f"status: {status}")
    return "https://example.org/2021/05/bravo/"


def _delete(site, status):  # 15
    edit_article(site, "2021/b.md", "title: Bravo", f"title: Bravo\nstatus: {status}")
    rebuild(site)
    (site / "articles/2021/b.md").unlink()
    return "https://example.org/2021/b.md"


def _redraft(site, status):  # 15
    edit_article(site, "2021/b.md", "title: Bravo", f"title: Bravo\nstatus: {status}")
    rebuild(site)
    edit_article(site, "2021/b.md", "title: Bravo", "title: Bravo\ndraft: true")
    return "https://example.org/2021/b.md"


@pytest.mark.parametrize("status", ["withdrawn", "unlisted"])
@pytest.mark.parametrize("change", [_undraft, _add, _slug, _after_error, _delete, _redraft],
                         ids=["04-undraft", "05-add", "06-slug", "08-after-error", "15-delete", "15-redraft"])
def test_cases_04_05_06_08_15_body_link_follows_the_linked_articles_url(make_site, tmp_path, change, status):
    config = make_site({"articles/2021/b.md": BRAVO, "articles/2021/c.md": CHARLIE}, config=CONFIG)
    site = config.parent
    rebuild(site)
    assert _feed_link(site, "https://example.org/2021/05/bravo/")
    expected = change(site, status)
    rebuild(site)
    assert _feed_link(site, expected)
    page = (site / "_site/2021/05/charlie/index.html").read_text(encoding="utf-8")
    assert f'href="../../../{expected.removeprefix("https://example.org/")}">bravo' in page
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_case_07_dropping_the_last_published_use_of_a_withdrawn_articles_picture_withholds_it(make_site, tmp_path):
    config = make_site({
        "articles/2021/pic.jpg": tiny_jpeg(),
        "articles/2021/b.md": article("Bravo", "2021-05-11T10:00:00Z", "Secret ![p](pic.jpg)", status="withdrawn"),
        "articles/2021/a.md": article("Alpha", "2021-05-10T10:00:00Z", "Alpha text. ![p](pic.jpg)"),
    }, config=CONFIG)
    site = config.parent
    rebuild(site)
    assert (site / "_site/2021/pic.jpg").is_file() and list((site / "_site/_img").rglob("*.*"))
    edit_article(site, "2021/a.md", " ![p](pic.jpg)", "")
    report = rebuild(site)
    assert not report.from_records  # the edit may withhold a file: the site is planned again
    assert not (site / "_site/2021/pic.jpg").exists()
    assert not list((site / "_site").glob("_img/**/*.*"))
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_case_07_a_link_edit_away_from_withdrawn_files_keeps_the_fast_path(make_site, tmp_path):
    config = make_site({
        "articles/2021/pic.jpg": tiny_jpeg(), "articles/2021/other.jpg": tiny_jpeg((1, 2, 3)),
        "articles/2021/b.md": article("Bravo", "2021-05-11T10:00:00Z", "Secret ![p](pic.jpg)", status="withdrawn"),
        "articles/2021/a.md": article("Alpha", "2021-05-10T10:00:00Z", "Alpha text. ![p](other.jpg)"),
    }, config=CONFIG)
    site = config.parent
    rebuild(site)
    edit_article(site, "2021/a.md", "Alpha text. ![p](other.jpg)", "Alpha text.")
    assert rebuild(site).from_records
    assert not (site / "_site/2021/pic.jpg").exists()
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_case_03_a_withdrawn_articles_files_used_by_a_version_or_read_also_url_are_copied(make_site):
    config = make_site({
        "articles/2021/bravo.jpg": tiny_jpeg((1, 2, 3)), "articles/2021/bravo2.jpg": tiny_jpeg((4, 5, 6)),
        "articles/2021/only.jpg": tiny_jpeg((7, 8, 9)),
        "articles/2021/b.md": article("Bravo", "2021-05-11T10:00:00Z", "Body ![pic](bravo2.jpg) ![x](only.jpg)",
                                      status="withdrawn", image="bravo.jpg"),
        "articles/2021/v.md": "---\ntitle: Versioned\ndate: 2021-05-13T10:00:00Z\nupdated: 2021-05-14T10:00:00Z\nversions:\n"
                              "  - {captured: 2021-05-13T11:00:00Z, body: \"old text ![p](bravo.jpg)\"}\n"
                              "related:\n  - {title: \"the pic2\", url: \"/2021/bravo2.jpg\"}\n---\nNew text.\n",
    }, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    site = config.parent / "_site"
    assert (site / "2021/bravo.jpg").is_file() and (site / "2021/bravo2.jpg").is_file()
    assert not (site / "2021/only.jpg").exists()  # used by the withdrawn article alone
    result = run_cli("check", "--config", config)
    assert result.code == 0, result.out + result.err



def test_case_09_a_dollar_in_a_withdrawn_path_is_no_nginx_variable(make_site):
    config = make_site({"articles/2021/g.md": article("Gone", "2021-05-11T10:00:00Z", "Secret.", slug='"d$x"', status="withdrawn"),
                        "articles/2021/k.md": article("Kept", "2021-05-12T10:00:00Z", "Kept.", slug='"k$y"', status="withdrawn")},
                       config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    conf = (config.parent / "_site/nginx-redirects.conf").read_text(encoding="utf-8")
    # nginx expands '$' in error_page's URI and has no escape for it: the bare 410 answers
    assert 'location = "/2021/05/d$x/" { return 410; }\n' in conf
    assert "error_page" not in conf


@pytest.mark.parametrize("value", ['""', "''", "' '", "~", ""])
def test_case_11_a_blank_status_is_an_error_naming_file_and_line(make_site, value):
    config = make_site({"articles/2021/e.md": f"---\ntitle: E\ndate: 2021-05-10T10:00:00Z\nstatus: {value}\n---\nSECRETBODY\n"},
                       config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "2021/e.md:4: error: 'status' is empty" in result.out + result.err
    assert not (config.parent / "_site/index.html").exists()


def test_case_02_read_also_to_a_withdrawn_article_in_any_spelling_becomes_text(make_site):
    config = make_site({
        "articles/2021/gone.md": article("Gone", "2021-05-11T10:00:00Z", "Secret.", status="withdrawn"),
        "articles/2021/other.md": article("Other", "2021-05-12T10:00:00Z", "Text.", related=(
            '[{title: "R1", url: "https://example.org/news/2021/05/gone/"}, {title: "R2", url: "/2021/05/gone"},'
            ' {title: "R3", url: "/2021/05/gone/index.html"}, {title: "R4", url: "http://EXAMPLE.org/news/2021/05/gone"},'
            ' {title: "R5", url: "https://elsewhere.org/news/2021/05/gone/"}]')),
    }, config=CONFIG.replace("https://example.org/", "https://example.org/news/"))
    assert run_cli("build", "--config", config).code == 0
    page = (config.parent / "_site/2021/05/other/index.html").read_text(encoding="utf-8")
    for title in ("R1", "R2", "R3", "R4"):
        assert f'<bdi class="na-unlinked">{title}</bdi>' in page, title
    assert "2021/05/gone" not in page.replace("https://elsewhere.org/news/2021/05/gone/", "")
    assert 'href="https://elsewhere.org/news/2021/05/gone/"' in page  # another site's page stays a link


def test_case_12_an_unlisted_article_names_its_own_terms_unlinked_when_they_have_no_page(make_site):
    config = make_site({
        "articles/2021/p.md": article("Pub", "2021-05-10T10:00:00Z", "P.", tags="[Shared]"),
        "articles/2021/u.md": article("Un", "2021-05-11T10:00:00Z", "U.", status="unlisted", author="Zora Writer",
                                      section="Zsection", source="Zsource", tags="[Shared, Ztag]"),
    }, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    site = config.parent / "_site"
    page = (site / "2021/05/un/index.html").read_text(encoding="utf-8")
    for word in ("Zora Writer", "Zsection", "Zsource", "Ztag"):
        assert word in page, word
    assert '"articleSection": "Zsection"' in page and "Zora Writer" in page.partition('"author":')[2][:200]
    assert "tags/shared/" in page  # a term with a page keeps its link
    for folder in ("tags/ztag", "authors/zora-writer", "sections/zsection", "sources/zsource"):
        assert folder not in page and not (site / folder).exists(), folder


def test_case_10_an_unlisted_articles_versions_and_timemap_are_built_and_listed_nowhere(make_site):
    config = make_site({"articles/2021/u.md": article(
        "Un", "2021-05-10T10:00:00Z", "New.", status="unlisted", updated="2021-05-12T10:00:00Z",
        versions='[{captured: 2021-05-11T10:00:00Z, body: "old text"}]')}, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    site = config.parent / "_site"
    version = (site / "2021/05/un/v/20210511100000/index.html").read_text(encoding="utf-8")
    assert "old text" in version and 'content="noindex"' in version
    assert "/2021/05/un/v/20210511100000/" in (site / "2021/05/un/timemap.txt").read_text(encoding="utf-8")
    assert "2021/05/un" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "Un" not in (site / "feed.xml").read_text(encoding="utf-8").partition("<entry>")[2]
    result = run_cli("check", "--config", config)
    assert result.code == 0, result.out + result.err


def test_case_14_a_withdrawn_articles_own_terms_are_named_in_no_host_file(make_site):
    config = make_site({
        "articles/2021/p.md": article("Pub", "2021-05-10T10:00:00Z", "P.", tags="[Gone Tag]"),
        "articles/2021/s.md": article("Story", "2021-05-11T10:00:00Z", "S.", author="Jane Informant", tags="[Informant Codename]"),
    }, config=CONFIG)
    assert run_cli("build", "--config", config).code == 0
    edit_article(config.parent, "2021/s.md", "title: Story", "title: Story\nstatus: withdrawn")
    edit_article(config.parent, "2021/p.md", "tags: [Gone Tag]", "tags: []")  # a published article's term going away
    assert run_cli("build", "--config", config).code == 0
    site = config.parent / "_site"
    for name in ("_redirects", "nginx-redirects.conf", "apache-redirects.conf"):
        text = (site / name).read_text(encoding="utf-8")
        assert "jane-informant" not in text and "informant-codename" not in text, name
        assert "/tags/gone-tag/" in text, name  # other terms' old URLs keep their host redirects
    # the recorded URLs still lead somewhere (links that last), by a page naming only its target
    page = (site / "authors/jane-informant/index.html").read_text(encoding="utf-8")
    assert "https://example.org/authors/" in page and "Informant" not in page and "jane" not in page
