"""feed_content / term_feed_content: whole articles or summaries in the Atom feeds."""
from __future__ import annotations

from xml.etree import ElementTree

from conftest import article, run_cli, tree_digest

ATOM = "{http://www.w3.org/2005/Atom}"
CONFIG = "title: Feeds\nbase_url: https://example.org/\n"
FILES = {
    "articles/2021/a.md": article("Harbour strike", "2021-05-01", tags="[Port, Labour]", section="Economy",
                                  body="The dockers stopped work at dawn.\n\nA second paragraph with **strong** words."),
    "articles/2021/b.md": article("Port reopens", "2021-05-03", tags="[Port]", section="Economy",
                                  body="Ships moved again on Monday.\n\n- one\n- two"),
}


def entries(path):
    root = ElementTree.parse(path).getroot()
    return {e.find(f"{ATOM}title").text: e for e in root.iter(f"{ATOM}entry")}


def test_by_default_the_site_feed_carries_bodies_and_term_feeds_summaries(make_site):
    config = make_site(FILES, config=CONFIG)
    result = run_cli("build", "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    site = config.parent / "_site"
    main = entries(site / "feed.xml")
    assert main["Harbour strike"].find(f"{ATOM}content").text == \
        "<p>The dockers stopped work at dawn.</p>\n<p>A second paragraph with <strong>strong</strong> words.</p>"
    for feed in ("tags/port/feed.xml", "tags/labour/feed.xml", "sections/economy/feed.xml"):
        for title, entry in entries(site / feed).items():
            assert entry.find(f"{ATOM}content") is None, (feed, title)
            assert entry.find(f"{ATOM}summary").text in ("The dockers stopped work at dawn.", "Ships moved again on Monday.")
            assert entry.find(f"{ATOM}link").get("href").startswith("https://example.org/2021/05/")
    assert set(entries(site / "tags/port/feed.xml")) == {"Harbour strike", "Port reopens"}


def test_switching_both_settings_and_rebuilding_equals_a_clean_build(make_site, tmp_path):
    config = make_site(FILES, config=CONFIG)
    assert run_cli("build", "--config", config, "--jobs", "1").code == 0
    config.write_text(CONFIG + "feed_content: summary\nterm_feed_content: full\n", encoding="utf-8")
    result = run_cli("build", "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    site = config.parent / "_site"
    assert all(e.find(f"{ATOM}content") is None for e in entries(site / "feed.xml").values())
    port = entries(site / "tags/port/feed.xml")
    assert port["Port reopens"].find(f"{ATOM}content").text == "<p>Ships moved again on Monday.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    clean = run_cli("build", "--config", config, "--jobs", "1", "--full", "--output", tmp_path / "clean")
    assert clean.code == 0, clean.err
    assert tree_digest(site) == tree_digest(tmp_path / "clean")


def test_an_unknown_value_names_the_key_and_line(make_site):
    config = make_site(FILES, config=CONFIG + "term_feed_content: excerpt\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "config.yaml:3: error: 'term_feed_content' must be one of: full, summary" in result.err
