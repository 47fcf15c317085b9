"""Card fragments kept across builds (rebuild/fragments.py): a listing page whose window moved is
joined from cards rendered by an earlier build, and the whole output tree, search included,
still equals a clean build's after articles are added (newest, oldest, in the middle, with new
terms), an article shown on listings is edited, and a template changes."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import article, clean_build, edit_article, rebuild, tree
from newsarchive.rebuild.fragments import FILENAME, KeptFragments

CONFIG = ("title: Kept cards\nbase_url: https://example.org/news/\nper_page: 2\nsearch: true\n"
          "taxonomies: [tags, sections, sources, authors]\n")
BASE = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15T09:00:00+02:00", "Dock workers are back.", tags="[Port, Storm]",
                                  section="Economy", source="Gazette", author="Ann Lee", summary="Workers return."),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]", section="Economy"),
    "articles/2022/c.md": article("Solar roofs", "2022-01-10 10:00", "Roofs.", tags="[Energy, Port]", section="Science"),
    "articles/2022/d.md": article("Bibliothèque ouverte", "2022-03-03", "Des livres.", tags="[Culture, Port]", lang="fr"),
    "articles/2022/e.md": article("Flood warning", "2022-04-04", "Water.", tags="[Storm]"),
}
ADDED = [
    ("a new newest article", "2023/n1.md", article("Newest news", "2023-02-01", "Newest.", tags="[Port, Storm]", section="Economy")),
    ("a new oldest article", "2019/o1.md", article("Oldest news", "2019-03-03", "Oldest.", tags="[Storm]", section="Science")),
    ("a new article in the middle with new terms", "2021/m1.md",
     article("Tram plan", "2021-12-24", "Trams.", tags="[Trams, Port]", section="Transport", source="Courier")),
]


@pytest.fixture
def hits(monkeypatch) -> list[str]:
    """The URLs of the cards read back from an earlier build."""
    found: list[str] = []
    real = KeptFragments.get

    def get(self, url, slot):
        fragment = real(self, url, slot)
        if fragment is not None:
            found.append(url)
        return fragment
    monkeypatch.setattr(KeptFragments, "get", get)
    return found


@pytest.mark.parametrize("jobs", [1, 2])
def test_added_edited_and_template_changes_give_a_clean_builds_bytes(make_site, tmp_path, hits, jobs):
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site, jobs=jobs)
    assert hits == [] and (site / ".cache" / FILENAME).is_file()
    for name, rel, text in ADDED:
        hits.clear()
        (site / "articles" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "articles" / rel).write_text(text, encoding="utf-8")
        rebuild(site, jobs=jobs)
        assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs), name
        if jobs == 1:  # forked renderers' reads are not seen here
            assert "/2021/05/harbour-reopens/" in hits, name  # a card on a shifted page, read back
    hits.clear()
    edit_article(site, "2021/a.md", "Workers return.", "Workers return to the docks.")  # its card's summary
    rebuild(site, jobs=jobs)
    edit_article(site, "2022/e.md", "Flood warning", "Flood alert")  # a title: the site is planned again
    rebuild(site, jobs=jobs)
    text = (site / "_site" / "tags" / "port" / "index.html").read_text(encoding="utf-8")
    assert "Workers return to the docks." in (site / "_site" / "tags" / "port" / "page" / "3" / "index.html").read_text(encoding="utf-8")
    assert "Flood alert" in (site / "_site" / "tags" / "storm" / "index.html").read_text(encoding="utf-8")
    assert "Strike ends" in text or "Newest news" in text
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)
    theme = (Path(__file__).parent.parent / "templates" / "listing.html").read_text(encoding="utf-8")
    assert "{{ card(item, lead=lead) }}" in theme
    (site / "templates").mkdir()
    (site / "templates" / "listing.html").write_text(
        theme.replace("{{ card(item, lead=lead) }}", '<div class="kept">{{ card(item, lead=lead) }}</div>'), encoding="utf-8")
    rebuild(site, jobs=jobs)
    assert '<div class="kept">' in (site / "_site" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    hits.clear()
    (site / "articles" / "2024").mkdir()
    (site / "articles" / "2024" / "n2.md").write_text(article("Newer still", "2024-01-01", "News.", tags="[Port]"), encoding="utf-8")
    rebuild(site, jobs=jobs)
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)
    if jobs == 1:
        assert "/2021/05/harbour-reopens/" in hits


def test_a_damaged_fragments_file_is_made_again(make_site, tmp_path, hits):
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    (site / ".cache" / FILENAME).write_bytes(b"not a database" * 100)
    (site / "articles" / "2023").mkdir()
    (site / "articles" / "2023" / "n1.md").write_text(ADDED[0][2], encoding="utf-8")
    rebuild(site)
    assert hits == []
    assert tree(site / "_site") == clean_build(site, tmp_path)
    with sqlite3.connect(site / ".cache" / FILENAME) as db:
        assert db.execute("SELECT COUNT(*) FROM fragments WHERE url = '/2023/02/newest-news/'").fetchone()[0] >= 1


def test_a_fragment_whose_card_changed_is_not_read_back(make_site, tmp_path, hits):
    """A stamp that is not the card's digest now (here, one written by hand) is rendered anew."""
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    with sqlite3.connect(site / ".cache" / FILENAME) as db:
        db.execute("UPDATE fragments SET html = 'FORGED', stamp = 'other' WHERE url = '/2021/06/strike-ends/'")
    (site / "articles" / "2023").mkdir()
    (site / "articles" / "2023" / "n1.md").write_text(ADDED[0][2], encoding="utf-8")
    rebuild(site)
    assert "/2021/06/strike-ends/" not in hits and hits
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_full_build_reads_no_fragment_back_and_keeps_its_own(make_site, tmp_path, hits):
    """--full writes everything anew: no card is read back, and the cards it renders are kept for the next build."""
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    with sqlite3.connect(site / ".cache" / FILENAME) as db:
        db.execute("UPDATE fragments SET html = 'FORGED' WHERE url = '/2021/06/strike-ends/'")  # a stamp still right
    rebuild(site, full=True)
    assert hits == [] and "FORGED" not in (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path)
    with sqlite3.connect(site / ".cache" / FILENAME) as db:
        assert "FORGED" not in {html for (html,) in db.execute("SELECT html FROM fragments")}


def test_a_card_in_waiting_is_made_whole_by_anything_but_its_url():
    """A listing's card whose fragment may be kept holds its URL alone; a template asking anything
    else of it (a key, iteration, tojson, length, `in`) gets the whole card, made once."""
    import jinja2
    from newsarchive.rebuild.fragments import CardInWaiting
    made: list[int] = []

    def card(url="/2021/05/harbour-reopens/"):
        return CardInWaiting(url, lambda: made.append(1) or {"url": url, "title": "Harbour reopens", "lang": "en"})
    env = jinja2.Environment()
    assert env.from_string("{{ c.url }}").render(c=card()) == "/2021/05/harbour-reopens/" and made == []
    assert env.from_string("{{ c.title }}|{{ c.lang }}").render(c=card()) == "Harbour reopens|en" and made == [1]
    assert env.from_string("{{ c | length }} {{ 'title' in c }} {{ c | tojson }}").render(c=card()) == \
        '3 True {"lang": "en", "title": "Harbour reopens", "url": "/2021/05/harbour-reopens/"}'
    assert dict(card()) == {"url": "/2021/05/harbour-reopens/", "title": "Harbour reopens", "lang": "en"}
    assert sorted(card()) == ["lang", "title", "url"] and card().get("title") == "Harbour reopens"
    with pytest.raises(KeyError):
        card()["nothing"]


def test_the_stamps_are_the_signers_card_digests(make_site, tmp_path, hits, monkeypatch):
    """Planning digests the cards of the pages it signs (plan.PageSigner): the kept cards are
    stamped with those, not digested a second time."""
    import newsarchive.rebuild.fragments as fragments
    site = make_site(dict(BASE), config=CONFIG).parent
    rebuild(site)
    monkeypatch.setattr(fragments, "card_digest", lambda *a: pytest.fail("a card digested twice"))
    (site / "articles" / "2023").mkdir()
    (site / "articles" / "2023" / "n1.md").write_text(ADDED[0][2], encoding="utf-8")
    rebuild(site)
    assert "/2021/05/harbour-reopens/" in hits
    assert tree(site / "_site") == clean_build(site, tmp_path)
