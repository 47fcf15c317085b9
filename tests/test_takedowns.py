"""Takedowns (status.py): a withdrawn article's text is nowhere in the output but its notice's
title; an unlisted article has its page and is in no listing, feed, sitemap or search index."""
from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import pytest

from conftest import article, assert_steps_equal_clean_builds, run_cli, tiny_jpeg, write_site

# words only the withdrawn article holds, each in one place of it
TITLE = "Quetzalcoatl Ombudsman Resigns"
WORDS = {
    "summary": "Xylophonist", "body": "Marmaladefjord", "tag": "Quokkatag", "caption": "Brontocaption",
    "alt": "Pterodactylalt", "credit": "Zebracredit", "section": "Narwhalsection", "author": "Okapiauthor",
    "source": "Wombatsource", "body_image_alt": "Axolotlalt", "related_title": "Capybararel",
}
REASON = "A court ordered its removal on 3 May."


def png_bytes(color=(10, 200, 90)) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (1300, 700), color).save(out, format="PNG")
    return out.getvalue()


def withdrawn_article(status: str = "withdrawn") -> str:
    return article(
        TITLE, "2021-05-10",
        f"Opening {WORDS['body']} paragraph.\n\n![{WORDS['body_image_alt']}](w-body.png)\n\nMore text.",
        status=status, reason=f'"{REASON}"', summary=WORDS["summary"], tags=f"[{WORDS['tag']}, Common]",
        section=WORDS["section"], author=WORDS["author"], source=WORDS["source"], image="w-lead.jpg",
        image_caption=WORDS["caption"], image_credit=WORDS["credit"], image_alt=WORDS["alt"], slug="ombudsman",
        related=f"[{{title: {WORDS['related_title']}, url: 'https://example.com/x'}}]",
    )


def site_files(status: str = "withdrawn") -> dict:
    return {
        "articles/2021/a.md": article("Harbour reopens", "2021-05-12", "See [the story](w.md) and the port.",
                                      tags="[Common]", related="[ombudsman, {title: Earlier coverage, slug: ombudsman}]"),
        "articles/2021/b.md": article("Port strike ends", "2021-05-08", "Dockers vote.", tags="[Common]",
                                      related="[{title: Hand link, url: /2021/05/ombudsman/}]"),
        "articles/2021/c.md": article("Ferry timetable", "2021-05-01", "New times. ![ferry](shared.jpg)", tags="[Common]"),
        "articles/2021/u.md": article("Heronunlisted sponsor page", "2021-05-11", "Heronbody text.", status="unlisted",
                                      tags="[Onlyunlistedtag]"),
        "articles/2021/w.md": withdrawn_article(status),
        "articles/2021/w-lead.jpg": tiny_jpeg((1, 2, 3)),
        "articles/2021/w-body.png": png_bytes(),
        "articles/2021/shared.jpg": tiny_jpeg((9, 9, 9)),
    }


CONFIG = "title: Test site\nbase_url: https://example.org/\nnews_sitemap: true\n"


def all_text(site: Path) -> dict[str, str]:
    """Every output file as text; Pagefind's gzipped index files decompressed."""
    texts = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace")
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """site_files() built once (with its search index) for the tests that only read the output;
    the path of its config.yaml."""
    config = write_site(tmp_path_factory.mktemp("takedowns") / "site", site_files(), CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 0, result.out + result.err
    return config


def test_a_withdrawn_articles_words_are_nowhere_but_its_notice(built):
    config = built
    site = config.parent / "_site"
    texts = all_text(site)
    assert any(name.startswith("pagefind/") for name in texts)  # the search index was built, and is searched too
    for where, word in WORDS.items():
        holders = [name for name, text in texts.items() if word in text]
        assert holders == [], f"the withdrawn article's {where} ({word}) is in {holders}"
    notice = "2021/05/ombudsman/index.html"
    assert [name for name, text in texts.items() if TITLE in text] == [notice]
    page = texts[notice]
    assert REASON in page and '<meta name="robots" content="noindex">' in page and 'rel="canonical"' not in page
    assert "application/ld+json" not in page and "data-pagefind-body" not in page
    # its images are not published, the shared one is
    assert not (site / "2021/w-lead.jpg").exists() and not (site / "2021/w-body.png").exists()
    assert (site / "2021/shared.jpg").is_file()
    assert not any("w-lead" in name or "w-body" in name for name in texts)
    # 410 for Netlify and nginx; its URL stays its own in the record
    assert "/2021/05/ombudsman/ /2021/05/ombudsman/index.html 410!" in texts["_redirects"]
    assert 'location = "/2021/05/ombudsman/" { error_page 410 "/2021/05/ombudsman/index.html"; return 410; }' \
        in texts["nginx-redirects.conf"]
    record = (config.parent / "published-urls.txt").read_text(encoding="utf-8")
    assert "/2021/05/ombudsman/\tarticle\t2021/w.md\n" in record


def test_read_also_and_body_links_to_a_withdrawn_article(built):
    site = built.parent / "_site"
    a = (site / "2021/05/harbour-reopens/index.html").read_text(encoding="utf-8")
    # the entry with its own title is plain text; the one by slug alone is left out
    assert re.search(r"<bdi( class=\"na-unlinked\")?>Earlier coverage</bdi>", a) and "ombudsman/" not in a.split("na-related")[1]
    b = (site / "2021/05/port-strike-ends/index.html").read_text(encoding="utf-8")
    assert re.search(r"<bdi( class=\"na-unlinked\")?>Hand link</bdi>", b) and "ombudsman" not in b.split("na-related")[1]
    # a body link keeps leading to the notice
    assert '<a href="../../../2021/05/ombudsman/">the story</a>' in a.split("na-body")[1].split("</div>")[0]
    # older/newer skip it: Harbour (12th) → Port strike (8th), with the unlisted (11th) and withdrawn (10th) between
    assert 'rel="prev" href="../../../2021/05/port-strike-ends/"' in a


def test_an_unlisted_article_has_its_page_and_is_listed_nowhere(built):
    site = built.parent / "_site"
    texts = all_text(site)
    page = "2021/05/heronunlisted-sponsor-page/index.html"
    assert "Heronbody text." in texts[page] and '<meta name="robots" content="noindex">' in texts[page]
    holders = sorted(name for name, text in texts.items() if "Heronunlisted" in text or "heronunlisted" in text)
    assert holders == [page]
    assert not (site / "tags/onlyunlistedtag").exists()


def test_withdrawn_wins_over_nothing_and_draft_wins_over_status(make_site):
    files = site_files()
    files["articles/2021/w.md"] = files["articles/2021/w.md"].replace("status: withdrawn", "status: withdrawn\ndraft: true")
    config = make_site(files, config=CONFIG)
    result = run_cli("build", "--config", config)
    assert result.code == 0
    assert not (config.parent / "_site/2021/05/ombudsman").exists()
    result = run_cli("build", "--config", config, "--drafts", "--output", config.parent / "drafts")
    assert result.code == 0
    notice = (config.parent / "drafts/2021/05/ombudsman/index.html").read_text(encoding="utf-8")
    assert REASON in notice and WORDS["body"] not in notice


@pytest.mark.parametrize("text, message, line", [
    ("status: retracted", "'status' must be one of published, withdrawn, unlisted, not 'retracted'", 4),
    ("status: [withdrawn]", "'status' must be text", 4),
    ("status: withdrawn\nreason: " + "x" * 2001, "'reason' is 2001 characters long; at most 2000 are allowed", 5),
    ("status: withdrawn\nreason: [a, b]", "'reason' must be text", 5),
])
def test_a_bad_status_is_an_error_naming_file_and_line(make_site, text, message, line):
    config = make_site({"articles/x.md": "---\ntitle: T\ndate: 2021-05-01\n" + text + "\n---\nBody.\n"})
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert message in result.out + result.err
    assert f"x.md:{line}" in result.out + result.err


def test_a_reason_without_withdrawn_is_a_warning_and_left_out(make_site):
    config = make_site({"articles/x.md": article("Plain", reason="Secret words", status="unlisted")})
    result = run_cli("build", "--config", config)
    assert result.code == 0
    assert "'reason' is shown only for a withdrawn article" in result.out + result.err and "x.md:4" in result.out + result.err
    assert "Secret words" not in (config.parent / "_site/2021/05/plain/index.html").read_text(encoding="utf-8")


def test_hostile_reason_and_site_notice_are_escaped(make_site):
    config = make_site({
        "articles/x.md": article("Gone <b>story</b>", status="Withdrawn", reason='"<script>alert(1)</script> \\u202e"'),
        "articles/y.md": article("Kept", "2021-05-02"),
    }, config=CONFIG + "withdrawn_notice: 'Taken down & <kept> offline.'\n")
    assert run_cli("build", "--config", config).code == 0
    page = (config.parent / "_site/2021/05/gone-b-story-b/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Taken down &amp; &lt;kept&gt; offline." in page


# incremental == clean, whole tree, at --jobs 1 and 2 ------------------------------------

STEPS = [
    ("withdraw", "2021/c.md", "tags: [Common]", "tags: [Common]\nstatus: withdrawn\nreason: Legal"),
    ("un-withdraw", "2021/c.md", "\nstatus: withdrawn\nreason: Legal", ""),
    ("unlist", "2021/a.md", "tags: [Common]", "tags: [Common]\nstatus: unlisted"),
    ("relist", "2021/a.md", "\nstatus: unlisted", ""),
    ("un-withdraw w", "2021/w.md", "status: withdrawn", "status: published"),
    ("withdraw w", "2021/w.md", "status: published", "status: withdrawn"),
    ("edit withdrawn text", "2021/w.md", "More text.", "Other text."),
    ("edit unlisted text", "2021/u.md", "Heronbody text.", "Heronbody changed."),
    ("withdrawn reason", "2021/w.md", "3 May", "4 May"),
    ("edit withdrawn body links", "2021/w.md", "Other text.", "Other text, and ![](shared.jpg)."),
    ("edit published body to use its image", "2021/b.md", "Dockers vote.", "Dockers vote. ![x](w-body.png)"),
]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("search", [False, True])
def test_incremental_builds_equal_clean_ones(make_site, tmp_path, jobs, search):
    config = make_site(site_files(), config=CONFIG + f"search: {str(search).lower()}\n")
    assert set(EDITS) <= {name for name, *_ in STEPS}

    def check(name, report):
        if not search and name in EDITS:  # the edit rebuild (no search index) took it, or planned anew
            assert report.from_records == EDITS[name], name

    assert_steps_equal_clean_builds(config.parent, tmp_path, STEPS, check=check, jobs=jobs)


# which text edits the edit rebuild takes (rebuild/edit.py), and which it leaves to planning:
# a withdrawn article's text is shown on no page, which the records cannot tell from a missing
# record; an edit of links may change the files withheld (status.edit_changes_withheld)
EDITS = {"edit withdrawn text": False, "edit unlisted text": True, "edit withdrawn body links": False,
         "edit published body to use its image": False}


def test_aliases_of_a_withdrawn_article_lead_to_its_notice(make_site):
    config = make_site({
        "articles/w.md": article("Gone story", status="withdrawn", aliases="[/old/cms/gone.html]"),
        "articles/k.md": article("Kept story", "2021-05-02"),
    })
    assert run_cli("build", "--config", config).code == 0
    site = config.parent / "_site"
    redirect = (site / "old/cms/gone.html").read_text(encoding="utf-8")
    assert "https://example.org/2021/05/gone-story/" in redirect
    assert "/old/cms/gone.html /2021/05/gone-story/ 301" in (site / "_redirects").read_text(encoding="utf-8")


def test_a_site_of_withdrawn_articles_only_builds_empty_listings(make_site):
    config = make_site({"articles/w.md": article("Only story", status="withdrawn", tags="[Lonely]")})
    result = run_cli("build", "--config", config)
    assert result.code == 0, result.out + result.err
    site = config.parent / "_site"
    assert (site / "2021/05/only-story/index.html").is_file()
    assert not (site / "tags/lonely").exists()
    assert "Only story" not in (site / "feed.xml").read_text(encoding="utf-8")
    assert "only-story" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_an_unlisted_article_is_reached_by_read_also(make_site):
    config = make_site({
        "articles/u.md": article("Hidden guide", status="unlisted"),
        "articles/k.md": article("Kept story", "2021-05-02", related="[hidden-guide]"),
    }, config=CONFIG + "search: false\n")
    assert run_cli("build", "--config", config).code == 0
    kept = (config.parent / "_site/2021/05/kept-story/index.html").read_text(encoding="utf-8")
    assert '<a href="../../../2021/05/hidden-guide/">Hidden guide</a>' in kept
    assert "rel=\"prev\"" not in kept and "rel=\"next\"" not in kept  # not its neighbour


def test_withdrawing_then_deleting_keeps_the_url_answering(make_site):
    files = {"articles/w.md": article("Gone story", status="withdrawn"), "articles/k.md": article("Kept story", "2021-05-02")}
    config = make_site(files, config=CONFIG + "search: false\n")
    assert run_cli("build", "--config", config).code == 0
    record = config.parent / "published-urls.txt"
    assert "/2021/05/gone-story/\tarticle\tw.md\n" in record.read_text(encoding="utf-8")
    (config.parent / "articles/w.md").unlink()
    assert run_cli("build", "--config", config).code == 0
    page = (config.parent / "_site/2021/05/gone-story/index.html").read_text(encoding="utf-8")
    assert "Article removed" in page and "Gone story" not in page


def test_keep_going_with_a_bad_status_builds_the_rest(make_site):
    config = make_site({
        "articles/bad.md": article("Bad one", status="{a: 1}"),
        "articles/w.md": article("Gone story", "2021-05-03", status="withdrawn"),
        "articles/k.md": article("Kept story", "2021-05-02"),
    }, config=CONFIG + "search: false\n")
    result = run_cli("build", "--config", config, "--keep-going")
    assert result.code == 0
    assert "'status' must be text" in result.out + result.err and "bad.md:4" in result.out + result.err
    home = (config.parent / "_site/index.html").read_text(encoding="utf-8")
    assert "Kept story" in home and "Gone story" not in home and "Bad one" not in home


def test_a_withdrawn_article_cannot_take_over_another_articles_old_url(make_site):
    config = make_site({"articles/k.md": article("Kept story", slug="first"), "articles/w.md": article("Gone", "2021-05-03")},
                       config=CONFIG + "search: false\n")
    assert run_cli("build", "--config", config).code == 0
    (config.parent / "articles/k.md").write_text(article("Kept story", slug="second"), encoding="utf-8")
    assert run_cli("build", "--config", config).code == 0  # /2021/05/first/ now redirects to /2021/05/second/
    (config.parent / "articles/w.md").write_text(article("Gone", "2021-05-03", slug="first", status="withdrawn"), encoding="utf-8")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "the URL /2021/05/first/ was published for k.md (now at /2021/05/second/); w.md would take it over" in result.out + result.err
