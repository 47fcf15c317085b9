"""Versions on crawls as they come from the live web (issue 26): captures of one page spelled
differently, boilerplate that changes at every fetch, captures split over WARCs given in any
order, revisit records, a later crawl imported into an existing archive. Tiny inputs here;
the real pages of ScrapingHub's benchmark (MIT; where bench/README.md unpacks it) are read at test time when
present, and the tests using them are skipped when they are not."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from conftest import clean_build, rebuild, run_cli, tree

SITE_CONFIG = "title: t\nbase_url: http://localhost:8000/\nlanguage: en\nsearch: false\n"
SCRAPINGHUB = next((p for p in (Path("/work/data/sets/sh"), Path("/tmp/bench-data/scrapinghub")) if p.is_dir()),
                   Path("/work/data/sets/sh"))


def write_warc(path: Path, captures) -> Path:
    """captures: (url, WARC-Date, html) responses, or (url, WARC-Date, ("revisit", refers-to url, date, payload))."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=path.name.endswith(".gz"))
        for url, date, payload in captures:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            if isinstance(payload, tuple):
                _, refers_url, refers_date, original = payload
                record = writer.create_revisit_record(url, _digest(original.encode()), refers_url, refers_date, http_headers=http)
                record.rec_headers.replace_header("WARC-Date", date)
            else:
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload.encode()), http_headers=http,
                                                   warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)
    return path


def _digest(data: bytes) -> str:
    import base64
    import hashlib
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def page(title: str, paragraphs: list[str], chrome: str = "") -> str:
    """A news page: `chrome` is what a site changes at every fetch (tokens, counters, "most read")."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta property="og:title" content="{title}"><meta property="article:published_time" content="2021-07-01T08:00:00Z">'
            f"</head><body>{chrome}<article><h1>{title}</h1>{body}</article></body></html>")


TEXT = ["The city council approved the budget for the new tram line after a long debate on costs, "
        'the mayor said, <a href="/city/budget-2021">as planned in the spring</a>.',
        "Works should start next spring and last about three years, officials said, with the first trams before the decade ends."]


def articles_of(site: Path) -> list[tuple[Path, dict, str]]:
    found = []
    for path in sorted((site / "articles").rglob("*.md")):
        front, body = path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
        found.append((path, yaml.safe_load(front), body))
    return found


def test_captures_at_http_https_with_a_slash_or_tracking_parameters_are_one_article(make_site, tmp_path):
    """One page crawled as http://…, https://…/, …?utm_source=… and …?fbclid=…: one article. Its
    relative link is made absolute against each spelling (http:// once): that is no new text."""
    config = make_site({}, config=SITE_CONFIG)
    crawl = write_warc(tmp_path / "in.warc", [
        ("http://wire.example/city/tram", "2021-07-02T08:00:00Z", page("Tram budget", TEXT)),
        ("https://wire.example/city/tram/", "2021-07-02T09:00:00Z", page("Tram budget", TEXT)),
        ("https://wire.example/city/tram?utm_source=rss&utm_medium=feed", "2021-07-02T10:00:00Z",
         page("Tram budget approved", TEXT)),
        ("https://wire.example/city/tram?fbclid=IwAR0abc", "2021-07-02T11:00:00Z", page("Tram budget approved", TEXT)),
    ])
    result = run_cli("import", crawl, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    ((path, front, body),) = articles_of(config.parent)
    assert front["title"] == "Tram budget approved"
    assert [(str(v["captured"]), v["title"]) for v in front["versions"]] == [("2021-07-02 08:00:00+00:00", "Tram budget")]
    assert front["provenance"]["captured"] == "2021-07-02T11:00:00Z"
    assert "2 duplicate capture" in result.err + result.out


def test_a_page_whose_tokens_counters_and_lists_change_at_every_fetch_is_one_version(make_site, tmp_path):
    """What changes at every fetch of an unchanged article (a script nonce, a CSRF token, an ad
    slot, "5 minutes ago", a comment count, a "most read" list, a cache-busting query on a
    stylesheet, the modified time in <meta>) makes no version."""
    config = make_site({}, config=SITE_CONFIG)
    captures = []
    for hour, (ago, comments, most_read) in enumerate([("5 minutes ago", 3, "Storm"), ("2 hours ago", 41, "Election"),
                                                        ("just now", 112, "Budget")]):
        chrome = (f'<script nonce="n{hour}x">var t={hour};</script><link rel="stylesheet" href="/main.css?v={hour}">'
                  f'<div id="div-gpt-ad-{hour}"></div><form><input type="hidden" name="csrf" value="tok{hour}"></form>'
                  f'<div class="meta"><span class="ago">Updated {ago}</span> <a href="#c">{comments} comments</a></div>'
                  f'<aside class="most-read"><h2>Most read</h2><ol><li><a href="/{most_read}">{most_read} news today</a></li></ol></aside>')
        captures.append(("https://wire.example/city/tram", f"2021-07-02T1{hour}:00:00Z", page("Tram budget", TEXT, chrome)
                         .replace("<head>", f'<head><meta property="article:modified_time" content="2021-07-02T1{hour}:00:00Z">')))
    result = run_cli("import", write_warc(tmp_path / "in.warc", captures), "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    ((_, front, _),) = articles_of(config.parent)
    assert "versions" not in front
    assert front["provenance"]["captured"] == "2021-07-02T12:00:00Z"


# real pages (ScrapingHub's article-extraction benchmark), read at test time ----------------------

def _real_pages(count: int):
    import gzip
    import json
    if not (SCRAPINGHUB / "ground-truth.json").is_file():
        pytest.skip(f"the ScrapingHub benchmark pages are not on this machine ({SCRAPINGHUB})")
    truth = json.loads((SCRAPINGHUB / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(truth):
        path = SCRAPINGHUB / "html" / f"{name}.html.gz"
        if path.is_file():
            pages.append((truth[name]["url"], gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), truth[name]["articleBody"]))
        if len(pages) == count:
            return pages
    pytest.skip("too few ScrapingHub pages")


def test_a_version_dated_earlier_by_a_later_import_keeps_its_old_url_leading_to_it(make_site, tmp_path):
    """Crawls imported out of order: a first import dates a text by its 10:00 capture; a later
    import brings the 08:00 capture of that text, which dates the version 08:00. The published
    URL …/v/…100000/ leads to that version (the text at 10:00), and the build equals a clean one."""
    config = make_site({}, config=SITE_CONFIG)
    site = config.parent
    url = "https://wire.example/city/tram"
    first, second = page("Tram budget", TEXT), page("Tram budget approved", TEXT + ["The first trams are due in 2027."])
    for crawl in (write_warc(tmp_path / "b.warc", [(url, "2021-07-02T10:00:00Z", first), (url, "2021-07-02T12:00:00Z", second)]),
                  write_warc(tmp_path / "a.warc.gz", [(url, "2021-07-02T08:00:00Z", first)])):
        result = run_cli("import", crawl, "--config", config, "--jobs", "1")
        assert result.code == 0, result.err
        rebuild(site)
    ((_, front, _),) = articles_of(site)
    assert [str(v["captured"]) for v in front["versions"]] == ["2021-07-02 08:00:00+00:00"]
    moved = (site / "_site/2021/07/tram-budget-approved/v/20210702100000/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http://localhost:8000/2021/07/tram-budget-approved/v/20210702080000/">' in moved
    assert (site / "_site/2021/07/tram-budget-approved/v/20210702080000/index.html").is_file()
    assert tree(site / "_site") == clean_build(site, tmp_path)


# one story at an address per region (hreflang en-US, en-GB…), and its real translation ----------

def edition(lang: str, title: str, paragraphs: list[str], own: str, alternates: dict[str, str], chrome: str = "") -> str:
    links = "".join(f'<link rel="alternate" hreflang="{code}" href="{href}">' for code, href in alternates.items())
    return page(title, paragraphs, chrome).replace('<html lang="en">', f'<html lang="{lang}">').replace(
        "<head>", f'<head><link rel="canonical" href="{own}">{links}')


def test_the_same_text_at_its_regional_addresses_is_one_article_and_its_translation_is_grouped(make_site, tmp_path):
    """vice.com/en_us/…, /en_uk/… and /fr/…: a crawler following hreflang links captures the
    English text twice. One English article and its French translation, grouped."""
    config = make_site({}, config=SITE_CONFIG)
    us, uk, fr = ("https://wire.example/en_us/article/tram", "https://wire.example/en_uk/article/tram",
                  "https://wire.example/fr/article/tram")
    alternates = {"en-US": us, "en-GB": uk, "fr": fr, "x-default": us}
    french = ["Le conseil municipal a voté le budget de la nouvelle ligne de tramway après un long débat sur les coûts, a dit le maire.",
              "Les travaux commenceront au printemps et dureront environ trois ans, selon les services de la ville."]
    crawl = write_warc(tmp_path / "in.warc.gz", [
        (us, "2021-07-02T08:00:00Z", edition("en", "Tram budget", TEXT, us, alternates, '<div id="ad-1"></div>')),
        (uk, "2021-07-02T08:01:00Z", edition("en", "Tram budget", TEXT, uk, alternates, '<div id="ad-2"></div>')),
        (fr, "2021-07-02T08:02:00Z", edition("fr", "Budget du tramway", french, fr, alternates)),
    ])
    result = run_cli("import", crawl, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    found = articles_of(config.parent)
    assert sorted((front["lang"], front["provenance"]["url"]) for _, front, _ in found) == [("en", uk), ("fr", fr)]
    assert len({front["translation_key"] for _, front, _ in found}) == 1
    assert "1 same text at another address" in result.err + result.out
    rebuild(config.parent)


# revisit records: the page was still so at the revisit's time -----------------------------------

@pytest.mark.parametrize("order", ["revisit's crawl first", "revisit's crawl last"])
def test_a_revisit_of_the_first_text_after_an_edit_makes_that_text_current_again(make_site, tmp_path, order):
    """A at 08:00, B at 10:00, then a revisit (identical payload digest) of A at 12:00, in another
    WARC given before or after: the page showed A again at 12:00 (an edit taken back), so A is
    the article, captured at 12:00, and A then B are its versions."""
    config = make_site({}, config=SITE_CONFIG)
    url = "https://wire.example/city/tram"
    first, second = page("Tram budget", TEXT), page("Tram budget cut", TEXT[:1])
    crawl = write_warc(tmp_path / "a.warc.gz", [(url, "2021-07-02T08:00:00Z", first), (url, "2021-07-02T10:00:00Z", second)])
    later = write_warc(tmp_path / "b.warc", [(url, "2021-07-02T12:00:00Z", ("revisit", url, "2021-07-02T08:00:00Z", first))])
    result = run_cli("import", *((later, crawl) if order.endswith("first") else (crawl, later)), "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    ((_, front, body),) = articles_of(config.parent)
    assert front["title"] == "Tram budget" and "Works should start" in body
    assert front["provenance"]["captured"] == "2021-07-02T12:00:00Z" and front["provenance"]["file"] == "b.warc"
    assert [(str(v["captured"]), v["title"]) for v in front["versions"]] == [
        ("2021-07-02 08:00:00+00:00", "Tram budget"), ("2021-07-02 10:00:00+00:00", "Tram budget cut")]


def test_a_revisit_whose_payload_is_in_no_crawl_given_is_a_duplicate_capture(make_site, tmp_path):
    config = make_site({}, config=SITE_CONFIG)
    url = "https://wire.example/city/tram"
    crawl = write_warc(tmp_path / "a.warc", [(url, "2021-07-02T08:00:00Z", page("Tram budget", TEXT)),
                                             (url, "2021-07-02T12:00:00Z", ("revisit", url, "2021-07-01T08:00:00Z", "<p>gone</p>"))])
    result = run_cli("import", crawl, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    ((_, front, _),) = articles_of(config.parent)
    assert front["provenance"]["captured"] == "2021-07-02T08:00:00Z" and "versions" not in front
    assert "1 duplicate capture" in result.err + result.out


@pytest.mark.slow
def test_real_pages_stay_one_version_under_boilerplate_and_get_a_readable_diff_when_their_text_changes(make_site, tmp_path):
    """Real news pages, each fetched three times: the second fetch differs only by what a site
    changes at every fetch (nonces, tokens, ads, counters, a "most read" list, cache-busting
    queries), the third by a rewritten headline and an added paragraph. Each page gives one
    article with one earlier version, whose page shows the added paragraph as inserted."""
    import re
    import lxml.html
    pages = _real_pages(3)
    config = make_site({}, config=SITE_CONFIG)
    added = "This paragraph was added by the newsroom after publication, with new quotes from officials."
    captures = []
    for number, (url, html, truth) in enumerate(pages):
        first = " ".join(next(p for p in truth.split("\n") if len(p.strip()) > 60).split())[:30]
        for fetch in range(3):
            tree = lxml.html.document_fromstring(html)
            for element in tree.iter("script", "link"):
                element.set("nonce", f"n{fetch}")
                if re.search(r"\.(css|js)(\?|$)", element.get("href") or element.get("src") or ""):
                    element.set("href" if element.get("href") else "src", (element.get("href") or element.get("src")).split("?")[0] + f"?v={fetch}")
            tree.body.insert(0, lxml.html.fragment_fromstring(
                f'<div><div id="div-gpt-ad-{number}{fetch}"></div><form><input type="hidden" name="csrf" value="t{fetch}x{number}"></form>'
                f'<aside class="most-read"><h2>Most read</h2><ol><li><a href="/s/{fetch}">Story {fetch} of the day</a> '
                f"{fetch * 1234 + 7} views</li></ol></aside></div>"))
            if fetch == 2:
                for title in tree.iter("title"):
                    title.text = "Updated: " + (title.text or "")
                for meta in tree.iter("meta"):
                    if meta.get("property") == "og:title":
                        meta.set("content", "Updated: " + meta.get("content", ""))
                paragraph = next(p for p in tree.iter("p") if " ".join(p.text_content().split()).startswith(first))
                paragraph.addnext(lxml.html.fragment_fromstring(f"<p>{added}</p>"))
            captures.append((url, f"2019-11-2{2 + fetch}T08:0{number}:00Z",
                             lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")))
    result = run_cli("import", write_warc(tmp_path / "real.warc.gz", captures), "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    found = articles_of(config.parent)
    assert len(found) == len(pages), [str(p) for p, _, _ in found]
    for _, front, body in found:
        assert len(front["versions"]) == 1 and str(front["versions"][0]["captured"]).startswith("2019-11-22 08:0"), front["versions"]
        assert added in body and added not in front["versions"][0]["body"]
    rebuild(config.parent)
    version_pages = sorted((config.parent / "_site").glob("**/v/2019112208*/index.html"))
    assert len(version_pages) == len(pages)
    for version_page in version_pages:
        assert f"<ins>{added}</ins>" in re.sub(r"\s+", " ", version_page.read_text(encoding="utf-8")) or \
            "This paragraph was added" in version_page.read_text(encoding="utf-8").split("<ins", 1)[1]


def test_a_paragraph_inserted_before_a_corrected_one_is_shown_added_and_the_correction_word_by_word():
    from newsarchive.version_diff import diff_html
    first = "<p>The council met on Monday.</p>"
    old = first + "<p>The mayor said the tram would cost 40 million euros over three years.</p><p>Works start in spring.</p>"
    new = (first + "<p>Officials later gave new figures to reporters at the town hall.</p>"
           "<p>The mayor said the tram would cost 45 million euros over three years.</p><p>Works start in spring.</p>")
    diff = diff_html("Tram", old, "Tram", new, "added:", "removed:")
    assert ('<p class="na-diff-added"><ins><span class="na-visually-hidden">added: </span>Officials later gave new figures '
            "to reporters at the town hall.</ins></p>") in diff.html
    assert ('<p class="na-diff-changed">The mayor said the tram would cost <del><span class="na-visually-hidden">removed: '
            '</span>40</del> <ins><span class="na-visually-hidden">added: </span>45</ins> million') in diff.html
    assert (diff.added, diff.removed) == (12, 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_translation_imported_by_a_later_crawl_joins_the_group_and_rebuilds_equal_a_clean_build(make_site, tmp_path, jobs):
    """The English page first, built; then a crawl of its French translation (declaring the English
    one, which also declared it): the archive article gets the group's key, both pages and the
    sitemap carry the alternates, and the build equals a clean one."""
    config = make_site({}, config=SITE_CONFIG)
    site = config.parent
    en, fr = "https://wire.example/en/tram", "https://wire.example/fr/tram"
    alternates = {"en": en, "fr": fr}
    french = ["Le conseil municipal a voté le budget de la nouvelle ligne de tramway après un long débat sur les coûts, a dit le maire.",
              "Les travaux commenceront au printemps et dureront environ trois ans, selon les services de la ville."]
    for name, captures in (("en.warc", [(en, "2021-07-02T08:00:00Z", edition("en", "Tram budget", TEXT, en, alternates))]),
                           ("fr.warc", [(fr, "2021-07-03T08:00:00Z", edition("fr", "Budget du tramway", french, fr, alternates))])):
        result = run_cli("import", write_warc(tmp_path / name, captures), "--config", config, "--jobs", str(jobs))
        assert result.code == 0, result.err
        rebuild(site, jobs=jobs)
    found = articles_of(site)
    assert len(found) == 2 and len({front.get("translation_key") for _, front, _ in found} - {None}) == 1
    english = (site / "_site/2021/07/tram-budget/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="fr" href="http://localhost:8000/2021/07/budget-du-tramway/">' in english
    sitemap = (site / "_site/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count('hreflang="fr" href="http://localhost:8000/2021/07/budget-du-tramway/"') == 2
    assert tree(site / "_site") == clean_build(site, tmp_path, jobs=jobs)


def test_the_same_text_at_a_regional_address_in_a_later_crawl_is_already_imported(make_site, tmp_path):
    config = make_site({}, config=SITE_CONFIG)
    us, uk, fr = ("https://wire.example/en_us/article/tram", "https://wire.example/en_uk/article/tram",
                  "https://wire.example/fr/article/tram")
    alternates = {"en-US": us, "en-GB": uk, "fr": fr}
    for name, url, date, ad in (("us.warc", us, "2021-07-02T08:00:00Z", 1), ("uk.warc", uk, "2021-07-03T08:00:00Z", 2)):
        crawl = write_warc(tmp_path / name, [(url, date, edition("en", "Tram budget", TEXT, url, alternates, f'<div id="ad-{ad}"></div>'))])
        result = run_cli("import", crawl, "--config", config, "--jobs", "1")
        assert result.code == 0, result.err
    ((_, front, _),) = articles_of(config.parent)
    assert front["provenance"]["url"] == us
    assert "1 already imported" in result.err + result.out
    changed = write_warc(tmp_path / "uk2.warc", [(uk, "2021-07-04T08:00:00Z", edition("en", "Tram budget", TEXT[:1], uk, alternates))])
    assert run_cli("import", changed, "--config", config, "--jobs", "1").code == 0
    assert len(articles_of(config.parent)) == 2  # another text at that address is its own article


@pytest.mark.parametrize("lang, lines", [("en", ("Updated 5 minutes ago", "Updated 2 hours ago · 41 comments")),
                                         ("fr", ("Publié il y a 5 minutes", "Mis à jour il y a 2 heures")),
                                         ("en", ("3 min read | 12 comments", "just now"))])
def test_a_paragraph_saying_how_long_ago_or_how_many_comments_makes_no_version(make_site, tmp_path, lang, lines):
    """Sites that write "Updated 5 minutes ago" as a paragraph of the article (extraction keeps
    it): captures that differ by it alone are one version, the text kept is as captured."""
    config = make_site({}, config=SITE_CONFIG)
    url = "https://wire.example/city/tram"
    captures = [(url, f"2021-07-02T1{hour}:00:00Z", page("Tram budget", [line, *TEXT]).replace('lang="en"', f'lang="{lang}"'))
                for hour, line in enumerate(lines)]
    result = run_cli("import", write_warc(tmp_path / "in.warc", captures), "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    ((_, front, body),) = articles_of(config.parent)
    assert "versions" not in front and front["provenance"]["captured"] == "2021-07-02T11:00:00Z"
    changed = write_warc(tmp_path / "later.warc", [(url, "2021-07-02T15:00:00Z",
                                                    page("Tram budget", [lines[0], TEXT[0]]).replace('lang="en"', f'lang="{lang}"'))])
    assert run_cli("import", changed, "--config", config, "--jobs", "1").code == 0
    ((_, front, body),) = articles_of(config.parent)
    assert len(front["versions"]) == 1 and "Works should start" not in body  # a paragraph taken out is a new text
