"""site: articles → ordered Site with taxonomies by slug, date archive in own offsets, "read also"."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsarchive.content import Article, Related
from newsarchive.site import RelatedLink, assemble_site, build_archive, build_terms, resolve_image

UTC = timezone.utc
MINUS5 = timezone(timedelta(hours=-5))


def make(source_path: str, date: datetime, slug: str | None = None, **fields) -> Article:
    slug = slug or source_path.rsplit("/", 1)[-1].removesuffix(".md")
    values = dict(
        source_path=source_path, title=fields.pop("title", slug.title()), date=date, date_only=False, slug=slug,
        url=f"/{date.year:04d}/{date.month:02d}/{slug}/", lang=fields.pop("lang", "en"), summary="x",
    )
    values.update(fields)
    return Article(**values)


def site(*articles: Article, taxonomies=("tags", "sections", "sources", "authors")):
    return assemble_site(list(articles), taxonomies=taxonomies, slug_style="ascii")


def test_articles_are_newest_first():
    a = make("a.md", datetime(2020, 1, 1, tzinfo=UTC))
    b = make("b.md", datetime(2022, 1, 1, tzinfo=UTC))
    c = make("c.md", datetime(2021, 1, 1, tzinfo=UTC))
    assert [x.source_path for x in site(a, b, c).articles] == ["b.md", "c.md", "a.md"]


def test_ties_are_broken_by_source_path_whatever_the_input_order():
    when = datetime(2021, 5, 15, tzinfo=UTC)
    items = [make(p, when) for p in ("z.md", "a/b.md", "m.md", "a.md")]
    assert [x.source_path for x in site(*items).articles] == ["a.md", "a/b.md", "m.md", "z.md"]
    assert [x.source_path for x in site(*reversed(items)).articles] == ["a.md", "a/b.md", "m.md", "z.md"]


def test_order_compares_instants_across_offsets():
    early = make("early.md", datetime(2021, 5, 15, 23, 0, tzinfo=MINUS5))  # 04:00 UTC on the 16th
    late = make("late.md", datetime(2021, 5, 16, 3, 0, tzinfo=UTC))
    assert [x.source_path for x in site(late, early).articles] == ["early.md", "late.md"]


def test_tags_merge_by_slug_with_the_most_used_spelling():
    when = datetime(2021, 5, 15, tzinfo=UTC)
    a = make("a.md", when, tags=("gaza", "Iran"))
    b = make("b.md", when, tags=("Gaza",))
    c = make("c.md", when, tags=("Gaza", "hamas"))
    d = make("d.md", when, tags=("GAZA",))
    tags = site(a, b, c, d).taxonomies["tags"]
    assert [(t.name, t.slug, t.url, [x.source_path for x in t.articles]) for t in tags] == [
        ("Gaza", "gaza", "/tags/gaza/", ["a.md", "b.md", "c.md", "d.md"]),
        ("hamas", "hamas", "/tags/hamas/", ["c.md"]),
        ("Iran", "iran", "/tags/iran/", ["a.md"]),
    ]


def test_tie_between_spellings_is_decided_the_same_way_every_time():
    when = datetime(2021, 5, 15, tzinfo=UTC)
    one = site(make("a.md", when, tags=("gaza",)), make("b.md", when, tags=("Gaza",)))
    two = site(make("a.md", when, tags=("Gaza",)), make("b.md", when, tags=("gaza",)))
    assert one.taxonomies["tags"][0].name == two.taxonomies["tags"][0].name == "Gaza"


def test_term_lists_an_article_once_even_when_it_repeats_the_term():
    article = make("a.md", datetime(2021, 5, 15, tzinfo=UTC), authors=("Jane Doe", "jane doe"))
    [term] = build_terms((article,), "authors", "ascii")
    assert term.articles == (article,)


def test_term_articles_are_newest_first():
    old = make("old.md", datetime(2019, 1, 1, tzinfo=UTC), tags=("port",))
    new = make("new.md", datetime(2023, 1, 1, tzinfo=UTC), tags=("port",))
    assert [a.source_path for a in site(old, new).taxonomies["tags"][0].articles] == ["new.md", "old.md"]


def test_sections_sources_and_authors_are_terms_too():
    article = make("a.md", datetime(2021, 5, 15, tzinfo=UTC), section="Économie", source="Le Courrier", authors=("Jane Doe", "Ali Hassan"))
    built = site(article)
    assert [(t.name, t.url) for t in built.taxonomies["sections"]] == [("Économie", "/sections/economie/")]
    assert [(t.name, t.url) for t in built.taxonomies["sources"]] == [("Le Courrier", "/sources/le-courrier/")]
    assert [(t.name, t.url) for t in built.taxonomies["authors"]] == [("Ali Hassan", "/authors/ali-hassan/"), ("Jane Doe", "/authors/jane-doe/")]


def test_terms_sort_by_name_ignoring_case():
    article = make("a.md", datetime(2021, 5, 15, tzinfo=UTC), tags=("zeta", "Alpha", "beta"))
    assert [t.name for t in site(article).taxonomies["tags"]] == ["Alpha", "beta", "zeta"]


def test_taxonomies_are_limited_to_the_config():
    article = make("a.md", datetime(2021, 5, 15, tzinfo=UTC), tags=("t",), section="S", source="Src", authors=("A",))
    built = site(article, taxonomies=("tags", "sources"))
    assert set(built.taxonomies) == {"tags", "sources"}
    assert set(built.term_index) == {"tags", "sources"}
    assert built.terms_of(article, "sections") == ()


def test_terms_of_an_article_in_its_own_order():
    when = datetime(2021, 5, 15, tzinfo=UTC)
    a = make("a.md", when, tags=("Iran", "gaza"))
    b = make("b.md", when, tags=("Gaza",))
    c = make("c.md", when, tags=("Gaza",))
    built = site(a, b, c)
    assert [(t.name, t.slug) for t in built.terms_of(a, "tags")] == [("Iran", "iran"), ("Gaza", "gaza")]


def test_years_and_months_follow_the_own_offset_not_utc():
    eve = make("eve.md", datetime(2021, 12, 31, 23, 30, tzinfo=MINUS5))
    may = make("may.md", datetime(2021, 5, 15, 23, 30, tzinfo=MINUS5))
    assert eve.date.astimezone(UTC).year == 2022
    years = site(eve, may).years
    assert [(y.year, y.url, y.count) for y in years] == [(2021, "/2021/", 2)]
    assert [(m.month, m.url, [a.source_path for a in m.articles]) for m in years[0].months] == [
        (12, "/2021/12/", ["eve.md"]),
        (5, "/2021/05/", ["may.md"]),
    ]


def test_archive_is_newest_first_and_year_lists_its_articles():
    items = [make(f"{y}-{m}.md", datetime(y, m, 1, tzinfo=UTC)) for y, m in [(2019, 3), (2021, 1), (2021, 7), (2020, 12)]]
    years = build_archive(tuple(sorted(items, key=lambda a: a.sort_key)))
    assert [(y.year, [m.month for m in y.months]) for y in years] == [(2021, [7, 1]), (2020, [12]), (2019, [3])]
    assert [a.source_path for a in years[0].articles] == ["2021-7.md", "2021-1.md"]


def test_url_by_source():
    article = make("2021/a.md", datetime(2021, 5, 15, tzinfo=UTC))
    assert site(article).url_by_source == {"2021/a.md": "/2021/05/a/"}


def test_related_by_slug_and_by_source_path():
    when = datetime(2021, 5, 15, tzinfo=UTC)
    target = make("2021/port-strike.md", when, title="Port strike", lang="fr")
    other = make("2021/other.md", when, title="Other")
    article = make("2021/main.md", when, related=(
        Related(slug="port-strike", line=5),
        Related(slug="2021/other.md", line=6),
        Related(slug="port-strike", title="Shown instead", line=7),
        Related(title="Outside", url="https://example.org/x", line=8),
        Related(title="Just text", line=9),
    ))
    built = site(target, other, article)
    assert built.related["2021/main.md"] == (
        RelatedLink("Port strike", "/2021/05/port-strike/", "fr"),
        RelatedLink("Other", "/2021/05/other/", "en"),
        RelatedLink("Shown instead", "/2021/05/port-strike/", "fr"),
        RelatedLink("Outside", "https://example.org/x", external=True),
        RelatedLink("Just text", None),
    )
    assert built.problems == ()


def test_articles_without_related_have_no_entry():
    assert site(make("a.md", datetime(2021, 5, 15, tzinfo=UTC))).related == {}


def test_missing_related_slug_is_a_warning_naming_file_and_line():
    article = make("2021/main.md", datetime(2021, 5, 15, tzinfo=UTC), related=(Related(slug="nowhere", line=5),))
    built = site(article)
    assert built.related["2021/main.md"] == ()
    assert [str(p) for p in built.problems] == [
        "2021/main.md:5: warning: related article 'nowhere' not found\n"
        "    hint: use the slug of an article in the archive, or {title: …, url: …} for an outside link"
    ]


def test_missing_related_slug_with_a_title_still_shows_the_title():
    article = make("a.md", datetime(2021, 5, 15, tzinfo=UTC), related=(Related(slug="gone", title="Gone", url="https://x.org/", line=4),))
    built = site(article)
    assert built.related["a.md"] == (RelatedLink("Gone", "https://x.org/", external=True),)
    assert len(built.problems) == 1 and not built.problems[0].is_error


def test_ambiguous_related_slug_links_the_newest_and_warns():
    old = make("2019/strike.md", datetime(2019, 1, 1, tzinfo=UTC), slug="strike")
    new = make("2021/strike.md", datetime(2021, 1, 1, tzinfo=UTC), slug="strike")
    article = make("main.md", datetime(2022, 1, 1, tzinfo=UTC), related=(Related(slug="strike", line=6),))
    built = site(old, article, new)
    assert built.related["main.md"] == (RelatedLink("Strike", "/2021/01/strike/", "en"),)
    assert [str(p) for p in built.problems] == [
        "main.md:6: warning: related slug 'strike' matches 2 articles (2021/strike.md, 2019/strike.md); linking the newest\n"
        "    hint: give the file path instead, e.g. 2021/port-strike.md"
    ]


def test_source_path_resolves_an_ambiguous_slug():
    old = make("2019/strike.md", datetime(2019, 1, 1, tzinfo=UTC), slug="strike")
    new = make("2021/strike.md", datetime(2021, 1, 1, tzinfo=UTC), slug="strike")
    article = make("main.md", datetime(2022, 1, 1, tzinfo=UTC), related=(Related(slug="2019/strike.md", line=6),))
    built = site(old, new, article)
    assert built.related["main.md"] == (RelatedLink("Strike", "/2019/01/strike/", "en"),)
    assert built.problems == ()


def test_empty_site():
    built = site()
    assert (built.articles, built.years, built.related, built.problems) == ((), (), {}, ())
    assert built.taxonomies == {"tags": (), "sections": (), "sources": (), "authors": ()}


@pytest.mark.parametrize("style, slug", [("ascii", "elections"), ("unicode", "élections")])
def test_term_slugs_follow_the_slug_style(style, slug):
    article = make("a.md", datetime(2021, 5, 15, tzinfo=UTC), tags=("Élections",))
    [term] = assemble_site([article], taxonomies=("tags",), slug_style=style).taxonomies["tags"]
    assert term.slug == slug


# Images and body links, checked against the other files once every article is known

ASSETS = frozenset({"2021/photo.jpg", "images/port.jpg", "2021/report.pdf", "2021/images/port.jpg", "2021/café.jpg", "2021/my photo.jpg"})
STATIC = frozenset({"img/logo.png"})


@pytest.mark.parametrize("typed, expected", [
    ("photo.jpg", "/2021/photo.jpg"),
    ("./photo.jpg", "/2021/photo.jpg"),
    ("../images/port.jpg", "/images/port.jpg"),
    ("/images/port.jpg", "/images/port.jpg"),
    ("img/logo.png", "/img/logo.png"),
    ("/img/logo.png", "/img/logo.png"),
    ("my photo.jpg", "/2021/my%20photo.jpg"),
    ("https://cdn.example.org/x.jpg", "https://cdn.example.org/x.jpg"),
    ("//cdn.example.org/x.jpg", "//cdn.example.org/x.jpg"),
    ("nope.jpg", None),
])
def test_image_resolution(typed, expected):
    assert resolve_image(typed, "2021/story.md", ASSETS, STATIC) == expected


def test_image_beside_the_article_wins_over_articles_root():
    assert resolve_image("images/port.jpg", "2021/story.md", ASSETS, STATIC) == "/2021/images/port.jpg"
    assert resolve_image("images/port.jpg", "story.md", ASSETS, STATIC) == "/images/port.jpg"


def test_missing_image_is_a_warning_with_line_and_the_article_stays():
    article = make("2021/story.md", datetime(2021, 5, 15, tzinfo=UTC), image="nope.jpg", image_line=4)
    built = assemble_site([article], taxonomies=(), slug_style="ascii", asset_paths=ASSETS, static_paths=STATIC)
    assert [str(p) for p in built.problems] == [
        "2021/story.md:4: warning: image 'nope.jpg' not found (looked beside the article, in articles/ and in static/)\n"
        "    hint: fix the path or put the file under articles/ or static/"
    ]
    assert built.articles == (article,) and built.image_urls == {}


def test_found_image_is_in_image_urls():
    article = make("2021/story.md", datetime(2021, 5, 15, tzinfo=UTC), image="photo.jpg", image_line=4)
    built = assemble_site([article], taxonomies=(), slug_style="ascii", asset_paths=ASSETS, static_paths=STATIC)
    assert built.image_urls == {"2021/story.md": "/2021/photo.jpg"} and built.problems == ()


def test_body_links_to_missing_files_and_articles_are_warnings():
    links = ("/2021/report.pdf", "/2021/gone.pdf", "/2021/other.md", "/2021/story.md", "/about/", "/2021/caf%C3%A9.jpg", "/2021/my%20photo.jpg")
    article = make("2021/story.md", datetime(2021, 5, 15, tzinfo=UTC), local_links=links)
    built = assemble_site([article], taxonomies=(), slug_style="ascii", asset_paths=ASSETS, static_paths=STATIC)
    assert [str(p) for p in built.problems] == [
        "2021/story.md: warning: the body links to '/2021/gone.pdf', which is not a file under articles/ or static/\n"
        "    hint: fix the path; it is relative to this article's folder",
        "2021/story.md: warning: the body links to the article '/2021/other.md', which is not in the archive (or is a draft)\n"
        "    hint: fix the path; it is relative to this article's folder",
    ]
