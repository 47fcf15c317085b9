"""related.py: related articles by rare shared tags, then date; previous/next by date; and
incremental builds that re-render exactly the article pages whose related lists change."""
from __future__ import annotations

import random
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import article, tree
from newsarchive.rebuild.store import BuildCache
from newsarchive.config import load_config
from newsarchive.content import Related
from newsarchive.rebuild.keys import load_key
from newsarchive.pipeline import BuildOptions, build
from newsarchive.urls import output_path
from newsarchive.related import neighbours_by_date, suggest_related
from test_site import make, site

UTC = timezone.utc
DAY = timedelta(days=1)
T0 = datetime(2022, 1, 1, tzinfo=UTC)


def test_a_shared_rare_tag_outweighs_a_shared_common_one():
    common = [make(f"c{i}.md", T0 + i * DAY, tags=("Politics",)) for i in range(8)]
    me = make("me.md", T0 + 3 * DAY, tags=("Politics", "Port strike"))
    far_but_rare = make("far.md", T0 + 400 * DAY, tags=("Port strike",))
    s = site(me, far_but_rare, *common)
    assert s.suggested["me.md"][0] == "far.md"
    assert s.suggested["me.md"][1:] == ("c3.md", "c2.md", "c4.md", "c1.md")  # then by closeness in date


def test_never_itself_nor_its_hand_written_related_and_at_most_five():
    others = [make(f"o{i}.md", T0 + i * DAY, tags=("Gaza",)) for i in range(9)]
    me = make("me.md", T0 + 4 * DAY, tags=("Gaza",), related=(Related(slug="o4"), Related(slug="o5")))
    s = site(me, *others)
    chosen = s.suggested["me.md"]
    assert len(chosen) == 5
    assert "me.md" not in chosen and "o4.md" not in chosen and "o5.md" not in chosen
    assert chosen == ("o3.md", "o2.md", "o6.md", "o1.md", "o7.md")


def test_the_choice_does_not_depend_on_the_input_order():
    rng = random.Random(7)
    tags = ["A", "B", "C", "D", "E", "F"]
    articles = [make(f"x{i:02d}.md", T0 + rng.randint(0, 30) * DAY, tags=tuple(rng.sample(tags, rng.randint(1, 3))))
                for i in range(40)]
    first = site(*articles).suggested
    shuffled = articles[:]
    rng.shuffle(shuffled)
    assert site(*shuffled).suggested == first
    assert all(1 <= len(v) <= 5 for v in first.values())


def test_too_few_tag_matches_are_topped_up_from_the_section_nearest_in_date():
    me = make("me.md", T0, tags=("Unique",), section="Sport")
    near = make("near.md", T0 + DAY, section="Sport")
    nearer = make("nearer.md", T0 - DAY / 2, section="Sport")
    far = make("far.md", T0 + 90 * DAY, section="Sport")
    elsewhere = make("other.md", T0, section="Culture")
    assert site(me, near, nearer, far, elsewhere).suggested["me.md"] == ("nearer.md", "near.md", "far.md")


def test_neighbours_are_the_next_older_and_newer_article():
    a, b, c = (make(f"{n}.md", T0 + i * DAY) for i, n in enumerate("abc"))
    around = neighbours_by_date(site(c, a, b).articles)
    assert (around["b.md"].previous, around["b.md"].next) == ("a.md", "c.md")
    assert (around["a.md"].previous, around["c.md"].next) == (None, None)


def test_cost_stays_near_linear_with_a_tag_everyone_shares():
    """Every article tagged "News": candidates stay bounded by the window, not by N."""
    articles = tuple(make(f"n{i:05d}.md", T0 + i * timedelta(minutes=7), tags=("News", f"T{i % 500}")) for i in range(4000))
    ordered = tuple(sorted(articles, key=lambda a: a.sort_key))
    import time
    started = time.perf_counter()
    result = suggest_related(ordered, {}, "ascii")
    assert time.perf_counter() - started < 10
    assert len(result) == 4000 and all(len(v) == 5 for v in result.values())


PAGES = {
    "articles/a.md": article("Dockers strike", "2022-01-01", "One.", tags="[Port, Strike]", lang="en"),
    "articles/b.md": article("Strike goes on", "2022-01-05", "Two.", tags="[Strike]", lang="en"),
    "articles/c.md": article("Ferry resumes", "2022-02-01", "Three.", tags="[Port, Ferry]", lang="en"),
    "articles/d.md": article("Nouvelle bibliothèque", "2022-03-01", "Quatre.", tags="[Culture]", lang="fr"),
    "articles/e.md": article("معرض الكتاب", "2022-04-01", "خمسة.", tags="[Culture, Books]", lang="ar"),
    "articles/f.md": article("Book fair record", "2022-05-01", "Six.", tags="[Books]", lang="en"),
    "articles/g.md": article("Ferry fares rise", "2022-06-01", "Seven.", tags="[Ferry]", lang="en"),
    "articles/h.md": article("Weather", "2022-07-01", "Eight.", tags="[Weather]", lang="en"),
}


def _page(out: Path, slug: str) -> str:
    return next(out.glob(f"2022/*/{slug}/index.html")).read_text(encoding="utf-8")


def test_article_page_links_previous_and_next_with_titles_in_its_language(make_site):
    config = make_site(PAGES)
    assert build(load_config(config), BuildOptions()).ok
    out = config.parent / "_site"
    arabic = _page(out, "معرض-الكتاب")
    assert re.search(r'rel="prev" href="\.\./\.\./\.\./2022/03/nouvelle-bibliotheque/"><span class="na-label">المقال السابق</span> '
                     r'<bdi class="na-story-step-title" lang="fr" dir="ltr">Nouvelle bibliothèque</bdi>', arabic)
    assert re.search(r'rel="next" href="\.\./\.\./\.\./2022/05/book-fair-record/"><span class="na-label">المقال التالي</span> '
                     r'<bdi class="na-story-step-title" lang="en" dir="ltr">Book fair record</bdi>', arabic)
    first = _page(out, "dockers-strike")
    assert 'rel="prev"' not in first.split('class="na-story-nav"')[1]
    assert "Next article</span> <bdi class=\"na-story-step-title\">Strike goes on</bdi>" in first
    more = first.split('class="na-more"')[1].split("</section>")[0]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', more) == ["Strike goes on", "Ferry resumes"]


def _signatures(config: Path) -> dict[str, str]:
    cfg = load_config(config)
    cache = BuildCache(cfg.cache_dir, load_key(cfg))
    try:
        return {url: sig for url, (sig, _) in cache.pages().items()}
    finally:
        cache.close()


def test_a_tag_edit_re_renders_exactly_the_article_pages_whose_output_changes(make_site, tmp_path):
    config = make_site(PAGES)
    out = config.parent / "_site"
    assert build(load_config(config), BuildOptions()).ok
    before_sig, before = _signatures(config), tree(out)

    edited = config.parent / "articles/h.md"
    edited.write_text(article("Weather", "2022-07-01", "Eight.", tags="[Weather, Ferry]", lang="en"), encoding="utf-8")
    assert build(load_config(config), BuildOptions()).ok
    after_sig, after = _signatures(config), tree(out)

    clean = tmp_path / "clean"
    shutil.copytree(config.parent, clean, ignore=shutil.ignore_patterns(".cache", "_site"))
    assert build(load_config(clean / "config.yaml"), BuildOptions()).ok
    assert after == tree(clean / "_site")

    article_urls = {url for url in after_sig if re.fullmatch(r"/2022/\d\d/[^/]+/", url)}
    re_rendered = {url for url in article_urls if before_sig.get(url) != after_sig[url]}
    changed = {url for url in article_urls if before.get(output_path(url)) != after[output_path(url)]}
    assert re_rendered == changed
    assert "/2022/07/weather/" in changed
    assert {"/2022/02/ferry-resumes/", "/2022/06/ferry-fares-rise/"} <= changed  # they now suggest "Weather"
    assert "/2022/03/nouvelle-bibliotheque/" not in re_rendered


def test_suggestions_are_reused_until_what_they_depend_on_changes(make_site, tmp_path):
    config = make_site(PAGES)
    memo = config.parent / ".cache/related.json"
    assert build(load_config(config), BuildOptions()).ok
    first = memo.read_text(encoding="utf-8")
    story = config.parent / "articles/a.md"
    story.write_text(article("Dockers strike", "2022-01-01", "One, corrected.", tags="[Port, Strike]", lang="en"), encoding="utf-8")
    assert build(load_config(config), BuildOptions()).ok
    assert memo.read_text(encoding="utf-8") == first  # a body edit: the same choice, not made again
    story.write_text(article("Dockers strike", "2022-01-01", "One, corrected.", tags="[Port]", lang="en"), encoding="utf-8")
    assert build(load_config(config), BuildOptions()).ok
    assert memo.read_text(encoding="utf-8") != first
    memo.write_text('{"key": "damaged', encoding="utf-8")
    (config.parent / "articles/b.md").write_text(article("Strike goes on", "2022-01-05", "Two!", tags="[Strike]", lang="en"), encoding="utf-8")
    assert build(load_config(config), BuildOptions()).ok
    clean = tmp_path / "clean"
    shutil.copytree(config.parent, clean, ignore=shutil.ignore_patterns(".cache", "_site"))
    assert build(load_config(clean / "config.yaml"), BuildOptions()).ok
    assert tree(config.parent / "_site") == tree(clean / "_site")


def _suggestions_of_three():
    from newsarchive.related import Suggestions
    inputs = (("ascii", 5, 3, 60), ("a.md", 1.0, "", ("port",), ()), ("b.md", 2.0, "", ("port",), ()))
    return Suggestions("k1", {"a.md": ("b.md",), "b.md": ("a.md",)}, inputs)


def test_the_suggestions_file_is_read_without_its_inputs_until_they_are_asked_for(tmp_path):
    from newsarchive.related import _rows, read_suggestions, remembered_or_new, suggestion_inputs, write_suggestions
    memo = tmp_path / "related.json"
    written = _suggestions_of_three()
    write_suggestions(memo, written)
    assert len(memo.read_text(encoding="utf-8").splitlines()) == 2
    paths = {p: p for p in ("a.md", "b.md")}
    back = read_suggestions(memo, paths)
    assert back.key == "k1" and back.by_source == written.by_source
    assert back.by_source["a.md"][0] is paths["b.md"] and next(iter(back.by_source)) is paths["a.md"]  # no second copy of a path
    assert callable(back.inputs)
    assert _rows(back.read_inputs()) == written.inputs
    memo.write_text(memo.read_text(encoding="utf-8").splitlines()[0] + "\n{damaged", encoding="utf-8")
    assert read_suggestions(memo).inputs() == ()  # then every article's suggestions are chosen anew
    articles = site(*(make(p, datetime(2022, 1, day, tzinfo=timezone.utc), tags=("Port",)) for p, day in (("a.md", 1), ("b.md", 2)))).articles
    chosen = remembered_or_new(articles, {}, "ascii", read_suggestions(memo))  # another key: chosen again, for all
    assert chosen.inputs == suggestion_inputs(articles, {}, "ascii") and chosen.by_source == {"a.md": ("b.md",), "b.md": ("a.md",)}


def test_a_suggestions_file_of_the_earlier_one_line_form_is_still_read(tmp_path):
    import json
    from newsarchive.related import read_suggestions
    memo = tmp_path / "related.json"
    written = _suggestions_of_three()
    memo.write_text(json.dumps({"key": written.key, "by_source": written.by_source, "inputs": written.inputs}), encoding="utf-8")
    back = read_suggestions(memo)
    assert back.key == "k1" and back.by_source == written.by_source and len(back.inputs) == 3 and back.inputs[1][0] == "a.md"
