"""Search (newsarchive/search.py): what the real Pagefind indexer writes into the site, what it
leaves alone on a rebuild, and what happens when it cannot run. The browser side is in
test_search_browser.py."""
from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import article, rebuild, run_cli, tree_digest

CONFIG = "title: Search test\nbase_url: https://example.org/news/\nper_page: 2\n"
ARTICLES = {
    "articles/2021/port.md": article(
        "Harbour reopens", "2021-05-15T09:00:00+02:00", "Dock workers are back after the xylophonist storm.",
        tags="[Port, Storm]", section="Economy", source="Velmar Gazette", author="Ada", related="[la-greve]",
        image="../img/roof.svg"),
    "articles/2021/greve.md": article(
        "La grève", "2021-06-01", "Les pêcheurs manifestaient devant la mairie.", slug="la-greve",
        tags="[Port]", section="Société", lang="fr"),
    "articles/2022/sada.md": article(
        "صدى الساحل", "2022-03-03", "افتتحت المكتبة البلدية أبوابها للقراء.", tags="[ثقافة]", lang="ar"),
    "articles/img/roof.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>",
}


def fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's per-page records (gzip, a signature, then JSON) by URL."""
    records = {}
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        records[record["url"]] = record
    return records


def bundles(out: Path) -> list[dict]:
    return json.loads((out / "pagefind/bundles.json").read_text(encoding="utf-8"))["bundles"]


def all_fragments(out: Path) -> dict[str, dict]:
    found = {}
    for bundle in bundles(out):
        found.update(fragments(out / "pagefind" / bundle["name"]))
    return found


def build(config: Path, *extra) -> None:
    result = run_cli("build", "--config", config, *extra)
    assert result.code == 0, result.out + result.err


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search-site")
    for rel, text in ARTICLES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    build(root / "config.yaml")
    return root / "_site"


def test_only_article_pages_are_indexed_with_their_metadata_and_filters(built):
    # one bundle per language: <language>-<first month>-<hash of its first article's URL>
    assert [(b["name"], b["languages"], b["pages"]) for b in bundles(built)] == [
        ("ar-2022-03-06c0fb", ["ar"], 1), ("en-2021-05-06e16c", ["en"], 1), ("fr-2021-06-9f3188", ["fr"], 1)]
    for bundle in bundles(built):
        folder = built / "pagefind" / bundle["name"]
        assert (folder / "pagefind.js").is_file()
        assert sorted(p.name for p in folder.glob("wasm.*")) == [f"wasm.{bundle['languages'][0]}.pagefind"]  # not every language's
        assert not (folder / "pagefind-ui.js").exists()  # Pagefind's own UI is not used, so not shipped
    records = all_fragments(built)
    assert sorted(records) == ["/2021/05/harbour-reopens/", "/2021/06/la-greve/", "/2022/03/صدى-الساحل/"]
    port = records["/2021/05/harbour-reopens/"]
    assert port["meta"]["title"] == "Harbour reopens"
    assert port["meta"]["date"] == "2021-05-15T09:00:00+02:00"
    assert port["meta"]["source"] == "Velmar Gazette"
    assert port["meta"]["image"] == "https://example.org/news/img/roof.svg"  # the og:image, absolute like every share card
    assert port["filters"] == {"language": ["en"], "month": ["2021-05"], "section": ["Economy"], "source": ["Velmar Gazette"],
                               "tag": ["Port", "Storm"], "year": ["2021"]}
    assert "xylophonist" in port["content"] and port["content"].startswith("Harbour reopens.")
    for chrome in ("Read also", "Search test", "Archive", "Tags", "Ada"):  # read-also box, masthead, nav, footer, byline
        assert chrome not in port["content"], chrome
    assert records["/2021/06/la-greve/"]["filters"]["language"] == ["fr"]


def test_article_pages_mark_what_to_index_and_listings_mark_nothing(built):
    page = (built / "2021/05/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 dir="auto" data-pagefind-body>Harbour reopens</h1>', page)
    assert '<div class="na-body" data-pagefind-body>' in page
    assert 'data-pagefind-sort="date[data-na-date]" data-na-date="2021-05-15T07:00:00Z"' in page  # UTC, so it sorts as text
    for listing in ("index.html", "tags/port/index.html", "archive/index.html", "2021/index.html", "search/index.html"):
        assert "data-pagefind" not in (built / listing).read_text(encoding="utf-8"), listing


def test_every_page_has_a_plain_get_search_box_with_a_relative_action(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<form class="na-search-box" role="search" action="search/" method="get">' in home
    assert '<input type="search" id="na-search-box-q" name="q"' in home
    article_page = (built / "2021/05/harbour-reopens/index.html").read_text(encoding="utf-8")
    assert 'action="../../../search/" method="get"' in article_page
    search = (built / "search/index.html").read_text(encoding="utf-8")
    assert "na-search-box" not in search  # the page's own form replaces it there
    assert '<script type="module" src="../js/search.js"></script>' in search
    assert 'data-root="../"' in search and '"fr": "French"' in search and '"ar": "Arabic"' in search
    assert (built / "js/search.js").is_file()


def test_search_page_words_are_translated(make_site):
    config = make_site({"articles/a.md": article("Un titre", lang="fr")}, config=CONFIG + "language: ar\n")
    build(config)
    page = (config.parent / "_site/search/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>بحث</h1>" in page and "ابحث في الأرشيف" in page
    words = json.loads(re.search(r'<script type="application/json" id="na-search-words">(.*?)</script>', page).group(1))
    assert words["languages"] == {"fr": "الفرنسية"} and words["filters"]["year"] == "السنة"
    assert words["results"]["two"] == "عُثر على مقالين" and words["results"]["few"] == "عُثر على {n} مقالات"


def test_search_false_leaves_no_trace_and_turning_it_off_removes_the_index(make_site):
    config = make_site({k: v for k, v in ARTICLES.items()}, config=CONFIG)
    build(config)
    out = config.parent / "_site"
    assert (out / "pagefind/bundles.json").is_file()
    config.write_text(CONFIG + "search: false\n", encoding="utf-8")
    build(config)  # an in-place rebuild
    fresh = config.parent / "fresh"
    build(config, "--output", fresh)
    for site in (out, fresh):
        assert not (site / "pagefind").exists() and not (site / "js").exists()
        assert 'content="0; url=../"' in (site / "search/index.html").read_text()  # its published URL leads home (links.py)
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert "pagefind" not in text and ("search" not in text or page == site / "search/index.html"), page
    assert tree_digest(out) == tree_digest(fresh)


def test_unchanged_rebuild_indexes_nothing_and_an_edit_indexes_one_bundle(make_site):
    config = make_site(dict(ARTICLES), config=CONFIG + "search_bundle_size: 1\n")
    build(config)
    out = config.parent / "_site"
    assert [b["name"] for b in bundles(out)] == ["ar-2022-03-06c0fb", "en-2021-05-06e16c", "fr-2021-06-9f3188"]
    before = stamps(out / "pagefind")

    result = run_cli("build", "--config", config)
    assert "the site is up to date" in result.out
    assert stamps(out / "pagefind") == before
    (out / "pagefind/bundles.json").unlink()  # someone deleted part of the index: the next build notices
    build(config)
    assert [b["name"] for b in bundles(out)] == ["ar-2022-03-06c0fb", "en-2021-05-06e16c", "fr-2021-06-9f3188"]
    before = stamps(out / "pagefind")

    greve = config.parent / "articles/2021/greve.md"
    greve.write_text(greve.read_text(encoding="utf-8").replace("mairie.", "mairie. Les ostréiculteurs grelottaient."), encoding="utf-8")
    build(config)
    after = stamps(out / "pagefind")
    changed = sorted({rel.split("/")[0] for rel in set(before) ^ set(after) | {r for r in before if before[r] != after.get(r)}})
    assert changed == ["bundles.json", "fr-2021-06-9f3188", "words"]  # words/: the shards of the edited words
    assert "grelottaient" in fragments(out / "pagefind/fr-2021-06-9f3188")["/2021/06/la-greve/"]["content"]

    (config.parent / "articles/2022/sada.md").unlink()
    (config.parent / "articles/2023.md").write_text(article("Winter storm", "2023-01-20", "Snow."), encoding="utf-8")
    build(config)
    assert [b["name"] for b in bundles(out)] == ["en-2021-05-06e16c", "en-2023-01-5708b9", "fr-2021-06-9f3188"]
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["bundles.json", "en-2021-05-06e16c", "en-2023-01-5708b9", "fr-2021-06-9f3188", "words"]
    assert sorted(all_fragments(out)) == ["/2021/05/harbour-reopens/", "/2021/06/la-greve/", "/2023/01/winter-storm/"]
    assert not [p for p in out.rglob("*") if "na-tmp" in p.name or "na-old" in p.name or "na-search-input" in p.name]


@pytest.mark.parametrize("binary", ["exits", "missing"])
def test_an_indexer_that_cannot_run_fails_the_build_and_keeps_the_previous_site(make_site, monkeypatch, tmp_path, binary):
    config = make_site(dict(ARTICLES), config=CONFIG)
    build(config)
    out = config.parent / "_site"
    before = tree_digest(out)
    page = config.parent / "articles/2021/port.md"
    page.write_text(page.read_text(encoding="utf-8").replace("back", "back at last"), encoding="utf-8")
    fake = tmp_path / "pagefind"
    if binary == "exits":
        fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
        fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    for output in (out, config.parent / "new-site"):  # an in-place update, and a first build into a staging folder
        result = run_cli("build", "--config", config, "--output", output)
        assert result.code == 1
        assert "Pagefind indexer" in result.err and "pagefind-bin" in result.err
        assert "Traceback" not in result.err + result.out
        assert "the previous site is untouched" in result.err
    assert tree_digest(out) == before
    assert not (config.parent / "new-site").exists()
    assert [p.name for p in config.parent.iterdir() if p.name.startswith(".")] == [".cache"]
    assert not [p for p in out.rglob("*") if "na-" in p.name and p.name != "na-tmp"]
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    build(config)
    assert "at last" in all_fragments(out)["/2021/05/harbour-reopens/"]["content"]


def test_bundles_are_small_of_one_language_and_chosen_by_the_articles_not_by_counting():
    """Content-defined bundles: an article added or removed changes its own bundle (rarely a
    neighbour), never the bundles after it; sizes stay between half and twice the size asked."""
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from newsarchive.search import plan_bundles

    def corpus(n, skip=()):
        return [SimpleNamespace(url=f"/a/{i:05d}/", lang="pt-BR" if i % 3 else "en",
                                date=datetime(2000 + i // 400, 1 + i // 40 % 10, 1, tzinfo=timezone.utc))
                for i in range(n) if i not in skip]

    def plan(articles, size=64):
        return plan_bundles(articles, {a.url: "d" for a in articles}, size, lambda url: url.strip("/") + "/index.html")

    full = plan(corpus(3000))
    assert len(full) == len({b.name for b in full})
    assert {b.name.rsplit("-", 3)[0] for b in full} == {"en", "pt-br"}
    for language in ("en", "pt-br"):
        sizes = [len(b.pages) for b in full if b.name.startswith(language + "-2")]
        assert all(32 <= n <= 128 for n in sizes[:-1]) and sizes[-1] <= 128, sizes  # the last one takes what is left
    assert 56 <= 3000 / len(full) <= 72  # 64 on average
    assert [len(b.pages) for b in plan(corpus(10), size=1)] == [1] * 10
    assert plan(list(reversed(corpus(3000)))) == full  # the order articles come in does not matter
    for removed in (5, 1501, 2998):  # one article gone: the bundles around it change, no others
        after = plan(corpus(3000, skip={removed}))
        changed = set(after) ^ set(full)
        assert 1 <= len(changed) <= 6, (removed, len(changed))




@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_edit_reindexes_only_the_small_bundle_it_is_in_and_equals_a_clean_build(make_site, tmp_path, jobs):
    files = {f"articles/e{n:02d}.md": article(f"Tide report {n}", f"2020-{n % 12 + 1:02d}-0{n % 9 + 1}", f"Tide number {n} rose.")
             for n in range(14)}
    files.update({f"articles/f{n}.md": article(f"Marée {n}", f"2020-0{n + 1}-05", f"La marée {n} monte.", lang="fr") for n in range(4)})
    config = make_site(files, config=CONFIG + "search_bundle_size: 2\n")
    build(config, "--jobs", jobs)
    out = config.parent / "_site"
    listing = bundles(out)
    assert len([b for b in listing if b["languages"] == ["en"]]) >= 4
    holder = next(b["name"] for b in listing if "/2020/08/tide-report-7/" in fragments(out / "pagefind" / b["name"]))
    before = stamps(out / "pagefind")

    story = config.parent / "articles/e07.md"
    story.write_text(story.read_text(encoding="utf-8").replace("rose.", "rose over the quayside."), encoding="utf-8")
    build(config, "--jobs", jobs)
    after = stamps(out / "pagefind")
    changed = sorted({rel.split("/")[0] for rel in set(before) | set(after) if before.get(rel) != after.get(rel)})
    assert changed == sorted(["bundles.json", holder, "words"])  # the other bundles' files were not even rewritten (words/: the new shards)
    assert "quayside" in fragments(out / "pagefind" / holder)["/2020/08/tide-report-7/"]["content"]
    build(config, "--output", tmp_path / "clean", "--jobs", jobs)
    assert tree_digest(out) == tree_digest(tmp_path / "clean")

    (config.parent / "articles/e03.md").unlink()  # a removed and an added article: an incremental build still equals a clean one
    (config.parent / "articles/e99.md").write_text(article("Tide report 99", "2020-06-09", "A late tide."), encoding="utf-8")
    story = config.parent / "articles/e05.md"  # and an article that changes language moves to the other language's bundles
    story.write_text(story.read_text(encoding="utf-8").replace("---\nTide", "lang: fr\n---\nTide"), encoding="utf-8")
    build(config, "--jobs", jobs)
    build(config, "--output", tmp_path / "clean2", "--jobs", jobs)
    assert tree_digest(out) == tree_digest(tmp_path / "clean2")
    holders = [b["name"] for b in bundles(out) if "/2020/06/tide-report-5/" in fragments(out / "pagefind" / b["name"])]
    assert len(holders) == 1 and holders[0].startswith("fr-")


def test_languages_without_a_stemmer_or_with_a_region_get_their_own_bundle_and_the_webassembly_they_need(make_site):
    config = make_site({
        "articles/a.md": article("Notícia do porto", "2021-05-01", "O porto reabriu.", lang="pt-BR"),
        "articles/b.md": article("tlhIngan Hol", "2021-05-02", "nuqneH qaStaHvIS.", lang="tlh"),
        "articles/c.md": article("Weird <script>", "2021-05-03", "Body.", lang="'EN_us'"),
    }, config=CONFIG)
    build(config)
    out = config.parent / "_site"
    listing = bundles(out)
    assert [b["name"].rsplit("-", 3)[0] for b in listing] == ["en-us", "pt-br", "tlh"]
    for bundle in listing:
        wasm = sorted(p.name for p in (out / "pagefind" / bundle["name"]).glob("wasm.*"))
        entry = json.loads((out / "pagefind" / bundle["name"] / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert wasm == sorted(f"wasm.{lang.get('wasm') or 'unknown'}.pagefind" for lang in entry["languages"].values()), bundle
    assert sorted(all_fragments(out)) == ["/2021/05/noticia-do-porto/", "/2021/05/tlhingan-hol/", "/2021/05/weird-script/"]


def test_a_rebuild_takes_kept_bundles_languages_from_the_listing_and_reads_none_of_their_folders(make_site, monkeypatch):
    config = make_site(dict(ARTICLES), config=CONFIG + "search_bundle_size: 1\n")
    build(config)
    out = config.parent / "_site"
    listed = bundles(out)
    db = sqlite3.connect(config.parent / ".cache" / "build.sqlite")
    db.execute("DELETE FROM meta WHERE key = 'records'")  # no edit rebuild: the site is planned again
    db.commit()
    db.close()
    read = []
    for method in ("read_text", "read_bytes"):
        original = getattr(Path, method)
        monkeypatch.setattr(Path, method, lambda self, *a, _original=original, **k: read.append(self) or _original(self, *a, **k))
    greve = config.parent / "articles/2021/greve.md"
    greve.write_text(greve.read_text(encoding="utf-8").replace("mairie.", "mairie. Les ostréiculteurs grelottaient."), encoding="utf-8")
    report = rebuild(config.parent)
    assert not report.from_records and not report.up_to_date
    now = bundles(out)
    assert [b["name"] for b in now if b not in listed] == ["fr-2021-06-9f3188"]  # indexed again; the other two kept as listed
    # no kept bundle's folder is read (the word directory reads its own files and the old word
    # list of the bundle indexed again, to patch itself)
    kept = {b["name"] for b in now if b in listed}
    assert len(kept) == 2
    assert [p for p in read if p.is_relative_to(out / "pagefind") and p.relative_to(out / "pagefind").parts[0] in kept] == []
