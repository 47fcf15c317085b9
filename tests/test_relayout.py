"""Articles added and removed (rebuild/signing.py): the rebuild signs anew only the pages whose planned
data or shown articles changed, and its whole output tree equals a clean build's, byte for byte,
with search on and off."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import article, clean_build, rebuild, tree
from newsarchive.rebuild.store import BuildCache
from newsarchive.config import load_config
from newsarchive.rebuild.keys import load_key

CONFIG = ("title: Relayout\nbase_url: https://example.org/news/\nper_page: 2\nterm_feed_content: summary\n"
          "taxonomies: [tags, sections, sources, authors]\nfeed_entries: 3\n")
BASE = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15T09:00:00+02:00", "Dock workers are back.\n\nMore.", tags="[Port, Storm]",
                                  section="Economy", source="Gazette", author="Ann Lee"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[port]", section="Economy",
                                  related="[harbour-reopens]"),
    "articles/2022/c.md": article("Solar roofs", "2022-01-10 10:00", "Roofs.", tags="[Energy, Port]", section="Science"),
    "articles/2022/d.md": article("Library opens", "2022-03-03", "Books.", tags="[Culture, Port]", lang="fr", source="Gazette"),
    "articles/2022/e.md": article("Flood warning", "2022-04-04", "Water. See [the harbour](../2021/a.md).", tags="[Storm]"),
    "articles/2022/f.md": article("Ferry timetable", "2022-05-05", "Ferries.", tags="[Port, Ferry]", section="Economy"),
    "articles/2022/g.md": article("Bridge works", "2022-06-06", "Bridges. See [the strike](../2021/b.md).", tags="[Storm, Port]",
                                  section="Economy"),
}
# (name, files to write (relative path → text), files to delete)
STEPS = [
    ("a new newest article", {"2023/n1.md": article("Newest news", "2023-02-01", "Newest.", tags="[Port, Storm]", section="Economy")}, []),
    ("a new article dated in the middle", {"2021/m1.md": article("Middle news", "2021-12-24", "Middle.", tags="[Energy]",
                                                                 section="Science", author="Ann Lee")}, []),
    ("a new article with a new tag, section, source and month",
     {"2020/t1.md": article("Tram plan", "2020-07-07", "Trams.", tags="[Trams]", section="Transport", source="Courier")}, []),
    ("a new article spelling a tag another way, linked to by a body", {"2024/s1.md": article(
        "Port news", "2024-01-01", "PORT. See [flood](../2022/e.md).", tags="[PORT]")}, []),
    ("a new oldest article", {"2019/o1.md": article("Oldest news", "2019-03-03", "Oldest.", tags="[Storm]", section="Science")}, []),
    ("a new article whose spelling of a source becomes the one shown",  # a tie of COURIER and Courier: the first in order shows
     {"2024/u1.md": article("Tram works", "2024-02-02", "Works.", tags="[Culture]", source="COURIER")}, []),
    ("a translation added", {"2022/d-en.md": article("Library opens, in English", "2023-06-06", "Books.", lang="en",
                                                      translation_of="2022/d.md")}, []),
    ("a translation removed", {}, ["2022/d-en.md"]),
    ("an article moved in time", {"2022/c.md": BASE["articles/2022/c.md"].replace("2022-01-10", "2021-01-10")}, []),
    ("an article removed", {}, ["2022/f.md"]),
    ("an article a body links to removed", {}, ["2021/b.md"]),
    ("an article added and another removed", {"2022/f.md": article("Ferry back", "2022-05-06", "Ferry.", tags="[Ferry]")},
     ["2022/c.md"]),
    # edits of text alone, rebuilt from the records the steps above left (rebuild/edit.py)
    ("the body of an article added earlier", {"2023/n1.md": article("Newest news", "2023-02-01", "Newer.", tags="[Port, Storm]",
                                                                    section="Economy")}, []),
    ("the body of an article listed on shifted pages", {"2021/a.md": BASE["articles/2021/a.md"].replace("More.", "More, and more.")}, []),
]
EDITS = {"the body of an article added earlier", "the body of an article listed on shifted pages"}


def _site(make_site, config: str) -> Path:
    return make_site(dict(BASE), config=config).parent


def _apply(site: Path, files: dict[str, str], removed: list[str]) -> None:
    for rel, text in files.items():
        path = site / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel in removed:
        (site / "articles" / rel).unlink()


@pytest.mark.slow
@pytest.mark.parametrize("search", [False, True])
def test_articles_added_and_removed_give_a_clean_builds_bytes(make_site, tmp_path, search):
    site = _site(make_site, CONFIG + f"search: {'true' if search else 'false'}\n")
    rebuild(site)
    for name, files, removed in STEPS:
        _apply(site, files, removed)
        report = rebuild(site)
        assert report.from_records == (name in EDITS), name
        assert tree(site / "_site") == clean_build(site, tmp_path), name
        assert _records(site) == _records(tmp_path / "clean"), name  # what the next edit rebuild renders from


def _records(site: Path) -> dict[str, str]:
    """The article records the site's cache keeps (graph.py)."""
    config = load_config(site / "config.yaml")
    cache = BuildCache(config.cache_dir, load_key(config))
    try:
        return dict(cache.article_records())
    finally:
        cache.close()


def test_a_new_article_signs_anew_only_the_pages_it_touches(make_site, tmp_path, monkeypatch):
    """The relayout signer digests the new article's pages, the listings it joins and its
    neighbours' pages; an article page it neither neighbours nor is suggested beside is not."""
    import newsarchive.plan as plan
    site = _site(make_site, CONFIG + "search: false\n")
    rebuild(site)
    signed: list[str] = []
    real = plan.page_signatures
    monkeypatch.setattr(plan, "page_signatures", lambda pages, *a: signed.extend(p.url for p in pages) or real(pages, *a))
    _apply(site, {"2023/n1.md": article("Newest news", "2023-02-01", "Newest.", tags="[Culture]")}, [])
    report = rebuild(site)
    assert "/2023/02/newest-news/" in signed and "/" in signed and "/2022/06/bridge-works/" in signed  # itself, the home page, its older neighbour
    assert "/2021/06/strike-ends/" not in signed and "/tags/energy/" not in signed
    assert report.written < report.pages
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_new_article_compares_the_records_of_the_articles_around_it_only(make_site, tmp_path, monkeypatch):
    """After a layout change the records compared are those of the moved articles, their neighbours,
    the articles whose suggestions or shown terms changed, and the few always compared ("read also",
    here b.md); the others' are kept unread (graph.changed_records). The tree equals a clean build's."""
    import newsarchive.rebuild.graph as graph
    site = _site(make_site, CONFIG + "search: false\n")
    rebuild(site)
    made: list[str] = []
    real = graph.article_record
    monkeypatch.setattr(graph, "article_record", lambda s, a: made.append(a.source_path) or real(s, a))
    _apply(site, {"2023/n1.md": article("Newest news", "2023-02-01", "Newest.", tags="[Culture]")}, [])
    rebuild(site)
    assert {"2023/n1.md", "2022/g.md", "2021/b.md"} <= set(made)  # itself, its older neighbour, one with "read also"
    assert "2021/a.md" not in made and "2022/e.md" not in made
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_without_the_last_builds_suggestions_every_record_is_compared(make_site, tmp_path, monkeypatch):
    """The suggestions file gone (or not the one the records were made with): which suggestions
    changed cannot be told, so every article's record is made and compared, and all stay right."""
    import newsarchive.rebuild.graph as graph
    site = _site(make_site, CONFIG + "search: false\n")
    rebuild(site)
    (site / ".cache" / "related.json").unlink()
    made: list[str] = []
    real = graph.article_record
    monkeypatch.setattr(graph, "article_record", lambda s, a: made.append(a.source_path) or real(s, a))
    _apply(site, {"2023/n1.md": article("Newest news", "2023-02-01", "Newest.", tags="[Culture]")}, [])
    rebuild(site)
    assert {"2021/a.md", "2022/e.md", "2023/n1.md"} <= set(made)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert _records(site) == _records(tmp_path / "clean")


def test_damaged_records_sign_every_page_again(make_site, tmp_path, monkeypatch):
    """Records kept under another layout than the last build's are not trusted."""
    import newsarchive.plan as plan
    site = _site(make_site, CONFIG + "search: false\n")
    rebuild(site)
    signed: list[str] = []
    real = plan.page_signatures
    monkeypatch.setattr(plan, "page_signatures", lambda pages, *a: signed.extend(p.url for p in pages) or real(pages, *a))
    config = load_config(site / "config.yaml")
    cache = BuildCache(config.cache_dir, load_key(config))
    cache.db.execute("UPDATE meta SET value = 'another' WHERE key = 'records'")
    cache.db.commit()
    cache.close()
    _apply(site, {"2023/n1.md": article("Newest news", "2023-02-01", "Newest.", tags="[Port]")}, [])
    report = rebuild(site)
    assert len(signed) == report.pages
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_template_change_keeps_the_graph_and_the_next_rebuilds_equal_clean_builds(make_site, tmp_path, monkeypatch):
    """The graph holds what pages show of articles, which no template decides: a template change
    re-renders every page but keeps the graph (keys.Layout.graph) instead of writing it anew, and
    the edit and the new article after it still come out as clean builds do."""
    import newsarchive.plan as plan
    site = _site(make_site, CONFIG + "search: false\n")
    rebuild(site)
    stored: list[bool] = []
    real_store = BuildCache.store_graph
    monkeypatch.setattr(BuildCache, "store_graph", lambda self, *a, **k: (self.folder == site / ".cache" and stored.append(k["whole"]))
                        or real_store(self, *a, **k))
    signed: list[str] = []
    real = plan.page_signatures
    monkeypatch.setattr(plan, "page_signatures", lambda pages, *a: signed.extend(p.url for p in pages) or real(pages, *a))
    own = site / "templates" / "base.html"
    own.parent.mkdir()
    theme = (Path(__file__).parent.parent / "templates" / "base.html").read_text(encoding="utf-8")
    own.write_text(theme.replace("</main>", "</main>\n<p>Printed in the harbour.</p>"), encoding="utf-8")
    rebuild(site)
    assert stored == [] and signed == []  # the render workers sign the pages (plan.Unsigned)
    assert "<p>Printed in the harbour.</p>" in (site / "_site" / "2022" / "06" / "bridge-works" / "index.html").read_text(encoding="utf-8")
    assert tree(site / "_site") == clean_build(site, tmp_path)
    _apply(site, {"2021/a.md": BASE["articles/2021/a.md"].replace("More.", "More, after the template.")}, [])
    assert rebuild(site).from_records
    assert tree(site / "_site") == clean_build(site, tmp_path)
    _apply(site, {"2023/n1.md": article("Newest news", "2023-02-01", "Newest.", tags="[Culture]")}, [])
    signed.clear()
    rebuild(site)
    assert stored == [False] and "/2021/06/strike-ends/" not in signed  # the kept graph, changed where the article touches it
    assert tree(site / "_site") == clean_build(site, tmp_path)


@pytest.mark.parametrize("jobs", [1, 2])
def test_signatures_made_while_rendering_are_the_planned_ones(make_site, monkeypatch, jobs):
    """When every page renders anyway (a first build, a template change), the render workers sign
    the pages: the manifest gets what plan.page_signatures gives for the same plan."""
    from newsarchive.plan import Unsigned, page_signatures
    from newsarchive.rebuild.books import Books
    site = _site(make_site, CONFIG + "search: false\n")
    seen = []
    real = Books.record
    monkeypatch.setattr(Books, "record", lambda self, plan, s, published, *a: seen.append((self, plan, s, published)) or real(self, plan, s, published, *a))
    rebuild(site, jobs=jobs)
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text("{% extends 'base.html' %}{% block main %}Nothing here.{% endblock %}\n", encoding="utf-8")
    rebuild(site, jobs=jobs)
    for books, plan, planned_site, published in seen:
        assert isinstance(plan.signatures, Unsigned)
        assert published.signatures == page_signatures(plan.pages, planned_site, books.inputs.render_key)
    kept = BuildCache(site / ".cache", load_key(load_config(site / "config.yaml"))).pages()
    assert {url: pair[0] for url, pair in kept.items()} == seen[-1][3].signatures
