"""Hostile names and dates: every generated path is a name every disk holds, every accepted
date renders, every URL-producing setting is checked, and a problem met while writing is the
article's own. Written from the classes of input (long names in any script, Unicode
normalisation and case, reserved names, date edges, permalinks, ascii slugs, write failures)."""
from __future__ import annotations

import errno
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import article, run_cli, tree_digest
from newsarchive.collisions import check_output_paths
from newsarchive.errors import BuildError
from newsarchive.segments import MAX_SEGMENT_BYTES, bounded, path_key
from newsarchive.slugs import article_slug, slugify_text, word_slug

FAST = "title: Hostile\nbase_url: https://example.org/\nsearch: false\n"
DIGESTED = re.compile(r".+-[0-9a-f]{8}\Z")


def build(config: Path, *args: str):
    return run_cli("build", "--config", config, *args)


def out_of(config: Path) -> Path:
    return config.parent / "_site"


def folders(root: Path) -> list[str]:
    """Every path component under `root`, as the disk spells it."""
    names = []
    for folder, dirs, files in os.walk(root):
        names += dirs + files
    return names


def assert_every_name_fits(root: Path) -> None:
    for name in folders(root):
        assert len(os.fsencode(name)) <= MAX_SEGMENT_BYTES, name
        assert unicodedata.is_normalized("NFC", name), name


def article_folders(root: Path, prefix: str) -> list[str]:
    return sorted(p.parent.name for p in (root / prefix).glob("*/index.html"))


# ---- long names, in any script -------------------------------------------------------------

LONG_TITLES = {
    "latin_60_words": " ".join(f"mot{i}" for i in range(60)),
    "arabic_209_chars": ("الحكومة تعلن خطة جديدة لإعادة إعمار المدن الساحلية " * 5)[:209],
    "chinese": "港口工人罢工进入第三周，政府与工会的谈判仍无结果" * 12,
    "greek": "Η κυβέρνηση ανακοινώνει νέο σχέδιο ανασυγκρότησης " * 8,
    "devanagari_marks": "सरकार ने तटीय शहरों के पुनर्निर्माण की नई योजना की घोषणा की " * 6,
    "emoji_and_joiners": "👩‍👩‍👧‍👦 Famille " * 40,
}


@pytest.mark.parametrize("name", sorted(LONG_TITLES))
def test_long_title_slug_fits_one_name_ends_whole_and_is_stable(name):
    title = LONG_TITLES[name]
    for style in ("auto", "ascii", "unicode"):
        slug = article_slug(title, "file", style)
        assert len(slug.encode("utf-8")) <= MAX_SEGMENT_BYTES
        assert unicodedata.is_normalized("NFC", slug)
        assert slug == article_slug(title, "file", style)  # same input, same slug
        whole = word_slug(title, style)
        if len(whole.encode("utf-8")) <= MAX_SEGMENT_BYTES:
            assert slug == whole  # a slug that fits is left as it was, so its URL never changes
            continue
        assert DIGESTED.match(slug) and len(slug.encode("utf-8")) <= 120
        head = slug[:-9]
        assert whole.startswith(head)  # cut on a character boundary
        assert not unicodedata.combining(whole[len(head)])  # never a mark cut from its letter


def test_two_long_titles_sharing_their_start_get_two_slugs():
    start = " ".join(f"word{i}" for i in range(60))
    assert article_slug(start + " ending one", "a") != article_slug(start + " ending two", "a")


def test_the_digest_depends_on_the_text_alone_so_every_machine_agrees():
    assert article_slug(LONG_TITLES["latin_60_words"], "x") == "-".join(f"mot{i}" for i in range(20)) + "-5025b892"
    assert bounded("x" * 300) == "x" * 111 + "-b12499e1"


def test_a_slug_of_exactly_255_bytes_is_kept_as_it_is():
    assert bounded("é" * 127 + "a") == "é" * 127 + "a"  # 255 bytes: URLs that built before stay the same
    assert DIGESTED.match(bounded("é" * 128))


@pytest.mark.parametrize("name", ["latin_60_words", "arabic_209_chars"])
def test_long_title_builds_and_its_page_is_at_a_bounded_path(make_site, name):
    config = make_site({"articles/long.md": article(LONG_TITLES[name], date="2021-05-15"),
                        "articles/ok.md": article("Short one", date="2021-05-16")}, config=FAST)
    result = build(config)
    assert result.code == 0, result.err
    out = out_of(config)
    folders_ = article_folders(out, "2021/05")
    assert "short-one" in folders_
    cut = [f for f in folders_ if f != "short-one"]
    assert len(cut) == 1 and DIGESTED.match(cut[0]) and len(cut[0].encode()) <= 120
    assert_every_name_fits(out)


LONG_TERM = "Syndicat " + "x" * 300


@pytest.fixture(scope="module")
def long_terms_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("terms")
    (root / "config.yaml").write_text(FAST, encoding="utf-8")
    (root / "articles").mkdir()
    (root / "articles/a.md").write_text(article(
        "Terms", tags=f'["{LONG_TERM}", "{"ب" * 300}"]', section=f'"{LONG_TERM}"', source=f'"{LONG_TERM}"', author=f'"{LONG_TERM}"'))
    result = build(root / "config.yaml")
    return root / "_site", result


@pytest.mark.parametrize("kind", ["tags", "sections", "sources", "authors"])
def test_300_character_term_gets_a_bounded_page(long_terms_site, kind):
    out, result = long_terms_site
    assert result.code == 0, result.err
    pages = [p for p in (out / kind).iterdir() if p.is_dir()]
    assert pages and all(len(p.name.encode()) <= 120 and DIGESTED.match(p.name) for p in pages)
    assert all((p / "index.html").is_file() for p in pages)
    assert_every_name_fits(out)


def test_long_slug_inside_a_permalink_with_more_text_is_cut_to_fit(make_site):
    config = make_site({"articles/a.md": article("T", slug="s" * 254)}, config=FAST + "permalink: /{year}/{slug}-{day}/\n")
    result = build(config)
    assert result.code == 0, result.err
    (page,) = [p for p in (out_of(config) / "2021").iterdir() if p.name.startswith("sss")]
    assert DIGESTED.match(page.name) and (page / "index.html").is_file()


def test_typed_slug_longer_than_a_file_name_is_refused_with_its_line(make_site):
    config = make_site({"articles/a.md": article("T", slug="é" * 130)}, config=FAST)
    result = build(config)
    assert result.code == 1
    assert "a.md:4: error: slug '" in result.err and "is 260 bytes long; a file name holds at most 255" in result.err


# ---- Unicode normalisation and case --------------------------------------------------------

NFC_CAFE, NFD_CAFE = "café", unicodedata.normalize("NFD", "café")


def test_nfd_slug_is_written_as_one_nfc_folder(make_site):
    config = make_site({"articles/a.md": article("T", slug=NFD_CAFE)}, config=FAST)
    assert build(config).code == 0
    assert os.listdir(out_of(config) / "2021/05") == [NFC_CAFE] or NFC_CAFE in os.listdir(out_of(config) / "2021/05")
    assert NFD_CAFE not in os.listdir(out_of(config) / "2021/05")


def test_nfc_and_nfd_slugs_are_one_url_and_an_error_naming_both(make_site):
    config = make_site({"articles/nfc.md": article("One", slug=NFC_CAFE), "articles/nfd.md": article("Two", slug=NFD_CAFE)}, config=FAST)
    result = build(config)
    assert result.code == 1
    assert "2 articles would have the URL" in result.err and "nfc.md and nfd.md" in result.err


def test_slugs_differing_only_in_case_are_an_error_naming_both(make_site):
    config = make_site({"articles/a.md": article("One", slug="Élysée"), "articles/b.md": article("Two", slug="éLYSÉE")}, config=FAST)
    result = build(config)
    assert result.code == 1
    assert "a.md and b.md" in result.err


def test_nfd_and_nfc_tag_are_one_tag_page(make_site):
    config = make_site({"articles/a.md": article("One", tags=f"[{NFC_CAFE}]"),
                        "articles/b.md": article("Two", date="2021-05-16", tags=f"[{NFD_CAFE}]")},
                       config=FAST + "slug_style: unicode\n")
    assert build(config).code == 0
    tags = [p.name for p in (out_of(config) / "tags").iterdir() if p.is_dir()]
    assert tags == [NFC_CAFE]
    page = (out_of(config) / "tags" / NFC_CAFE / "index.html").read_text(encoding="utf-8")
    assert "One" in page and "Two" in page


def test_paths_compare_after_nfc_and_case_folding():
    assert path_key("2021/CAFÉ/index.html") == path_key(f"2021/{NFD_CAFE}/index.html")
    assert path_key("STRASSE") == path_key("straße")


# ---- reserved and special names ------------------------------------------------------------

@pytest.mark.parametrize("slug, why", [
    ("index.html", "is the name of a file the build writes in every folder"),
    ("FEED.xml", "is the name of a file the build writes in every folder"),
    ("CON", "is a name Windows reserves for a device"),
    ("nul.txt", "is a name Windows reserves for a device"),
    ("lpt1", "is a name Windows reserves for a device"),
    ("a:b", "contains ':', which Windows does not allow"),
    ("what?", "contains '?', which Windows does not allow"),
    ("trailing.", "must not end in '.'"),
])
def test_reserved_typed_slug_is_refused_with_file_and_line(make_site, slug, why):
    config = make_site({"articles/2021/bad.md": article("T", slug=f'"{slug}"'), "articles/ok.md": article("Fine")}, config=FAST)
    result = build(config)
    assert result.code == 1
    assert f"2021/bad.md:4: error: slug '{slug}' {why}" in result.err
    kept = build(config, "--keep-going")
    assert kept.code == 0
    assert (out_of(config) / "2021/05/fine/index.html").is_file()


@pytest.mark.parametrize("text", ["Con", "NUL", "aux", "Com1"])
def test_generated_reserved_names_are_renamed_stably(text):
    for style in ("auto", "ascii", "unicode"):
        slug = slugify_text(text, style)
        assert slug.startswith(text.lower() + "-") and DIGESTED.match(slug)
        assert article_slug(text, "x", style) == slug


def test_tag_named_like_a_device_gets_a_page_windows_can_hold(make_site):
    config = make_site({"articles/a.md": article("T", tags="[NUL]")}, config=FAST)
    assert build(config).code == 0
    (page,) = [p for p in (out_of(config) / "tags").iterdir() if p.is_dir()]
    assert page.name.startswith("nul-") and (page / "index.html").is_file()


@pytest.mark.parametrize("slug", ["_img", "pagefind"])
def test_article_inside_a_folder_the_build_fills_is_named(make_site, slug):
    config = make_site({"articles/a.md": article("T", slug=slug), "articles/ok.md": article("Fine")},
                       config="title: X\nbase_url: https://example.org/\npermalink: /{slug}/\n")
    result = run_cli("build", "--config", config, "--keep-going") if slug == "_img" else None
    if slug == "pagefind":  # planning refuses it before the search index is made
        from newsarchive.config import load_config
        from newsarchive.pipeline import BuildOptions
        from newsarchive import pipeline
        report = pipeline.build(load_config(config), BuildOptions(keep_going=True))
        messages = [str(p) for p in report.problems]
        assert any("a.md" in m and "pagefind/, a folder the build fills itself" in m for m in messages)
        return
    assert result.code == 0
    assert "a.md: error: the URL '/_img/' would be written inside _img/, a folder the build fills itself" in result.err
    assert (out_of(config) / "fine/index.html").is_file()


def test_a_file_where_another_page_needs_a_folder_is_named_before_writing():
    class Page:
        def __init__(self, url, kind, origin):
            self.url, self.kind, self.origin = url, kind, origin
            self.output_path = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    pages = [Page("/2021/05/", "month", "archive of 2021-05"), Page("/2021/05/index.html/", "article", "x.md")]
    with pytest.raises(BuildError) as caught:
        check_output_paths(pages)
    (problem,) = caught.value.problems
    assert problem.path == "x.md" and "'2021/05/index.html' (archive of 2021-05) is a file" in problem.message


def test_article_on_a_generated_page_path_is_an_error_naming_it(make_site):
    config = make_site({"articles/a.md": article("T", slug="archive")}, config=FAST + "permalink: /{slug}/\n")
    result = build(config)
    assert result.code == 1
    assert "a.md: error: two pages would be written to 'archive/index.html'" in result.err


# ---- dates at both edges ------------------------------------------------------------------

@pytest.mark.parametrize("key, value, line", [
    ("date", "9999-12-31T23:00:00-05:00", 3),
    ("date", "0001-01-01T00:00:00+01:00", 3),
    ("date", "0001-01-01T00:30:00+00:31", 3),
    ("updated", "9999-12-31T23:59:59-00:01", 4),
    ("updated", "0001-01-01T05:00:00+06:00", 4),
])
def test_date_outside_what_feeds_can_show_is_refused_with_file_and_line(make_site, key, value, line):
    fields = {"updated": value} if key == "updated" else {}
    date = value if key == "date" else "2021-05-15"
    config = make_site({"articles/edge.md": article("Edge", date=date, **fields), "articles/ok.md": article("Fine")}, config=FAST)
    result = build(config)
    assert result.code == 1
    assert f"edge.md:{line}: error: '{key}' {value} is " in result.err and "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z" in result.err
    kept = build(config, "--keep-going")
    assert kept.code == 0 and (out_of(config) / "2021/05/fine/index.html").is_file()


def test_naive_date_taking_the_config_time_zone_past_year_9999_is_refused(make_site):
    config = make_site({"articles/edge.md": article("Edge", date="9999-12-31T23:00")}, config=FAST + "timezone: America/New_York\n")
    result = build(config)
    assert result.code == 1 and "edge.md:3: error: 'date' 9999-12-31T23:00 is after the latest date" in result.err


def test_both_ends_of_the_range_build_and_every_feed_and_sitemap_parses(make_site):
    config = make_site({
        "articles/first.md": article("First", date="0001-01-01T00:00:00Z", tags="[edge]"),
        "articles/last.md": article("Last", date="9999-12-31T23:59:59Z", updated="9999-12-31T23:59:59Z", tags="[edge]"),
        "articles/east.md": article("East", date="9999-12-31T23:00:00+14:00"),
        "articles/west.md": article("West", date="0001-01-01T00:00:00-12:00"),
    }, config=FAST + "news_sitemap: true\n")
    result = build(config)
    assert result.code == 0, result.err
    out = out_of(config)
    assert (out / "0001/01/first/index.html").is_file() and (out / "9999/12/last/index.html").is_file()
    for xml in out.rglob("*.xml"):
        ET.parse(xml)
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<published>0001-01-01T00:00:00+00:00</published>" in feed
    assert "<updated>9999-12-31T23:59:59+00:00</updated>" in feed


def test_local_mean_time_offsets_are_written_as_valid_rfc3339(make_site):
    config = make_site({"articles/old.md": article("Old", date="1850-06-01T12:00")}, config=FAST + "timezone: Europe/Paris\n")
    assert build(config).code == 0
    feed = (out_of(config) / "feed.xml").read_text(encoding="utf-8")
    stamps = re.findall(r"<published>([^<]+)</published>", feed)
    assert stamps == ["1850-06-01T11:50:39Z"]
    page = (out_of(config) / "1850/06/old/index.html").read_text(encoding="utf-8")
    assert 'content="1850-06-01T11:50:39Z"' in page


# ---- permalinks and other URL settings ----------------------------------------------------

@pytest.mark.parametrize("permalink, message", [
    ("//{slug}/", "must not contain '//'"),
    ("/{year}//{slug}/", "must not contain '//'"),
    ("/a/../{slug}/", "must not contain '.' or '..' segments"),
    ("/{slug}/?x/", "must not contain '?'"),
    ("/http:/{slug}/", "must not contain ':'"),
    ("/{slug} x/", "must not contain ' '"),
    ("/con/{slug}/", "has the segment 'con', which is a name Windows reserves"),
    ("/{slug}/%2e%2e/", "must not contain '%'"),
    ("{slug}/", "must start and end with '/'"),
])
def test_permalink_producing_a_bad_url_names_config_key_and_line(make_site, permalink, message):
    config = make_site({"articles/a.md": article("T")}, config=FAST + f'permalink: "{permalink}"\n')
    result = build(config)
    assert result.code == 1
    assert f"config.yaml:4: error: 'permalink' {message}" in result.err
    assert not out_of(config).exists()


@pytest.mark.parametrize("base_url", ["https://evil.example@example.org/", "https://example.org/a/../b/",
                                      "https://example.org/a b/", "https://example.org:99999/", "https://example.org//x/"])
def test_base_url_that_is_not_a_plain_site_address_is_refused(make_site, base_url):
    config = make_site({"articles/a.md": article("T")}, config=f'title: X\nbase_url: "{base_url}"\n')
    result = build(config)
    assert result.code == 1 and "config.yaml:2: error: 'base_url' must be an absolute http(s) URL" in result.err


# ---- ascii slugs of other scripts ---------------------------------------------------------

ARABIC_TAGS = ["اقتصاد", "اقتصادي", "قصد", "قصيدة"]  # all transliterate to letters q-s-d


def test_distinct_arabic_tags_keep_distinct_pages_with_ascii_slugs(make_site):
    files = {f"articles/a{i}.md": article(f"Article {i}", date=f"2021-05-1{i}", tags=f"[{tag}]") for i, tag in enumerate(ARABIC_TAGS)}
    config = make_site(files, config=FAST + "slug_style: ascii\n")
    assert build(config).code == 0
    pages = sorted(p for p in (out_of(config) / "tags").iterdir() if p.is_dir())
    assert len(pages) == len(ARABIC_TAGS)
    assert all(p.name.isascii() and DIGESTED.match(p.name) for p in pages)
    for i, tag in enumerate(ARABIC_TAGS):
        listing = (out_of(config) / "tags" / slugify_text(tag, "ascii") / "index.html").read_text(encoding="utf-8")
        shown = set(re.findall(r"Article \d", listing))
        assert shown == {f"Article {i}"}, (tag, shown)


def test_ascii_tag_url_does_not_change_when_another_tag_arrives(make_site):
    config = make_site({"articles/a.md": article("A", tags="[اقتصاد]")}, config=FAST + "slug_style: ascii\n")
    assert build(config).code == 0
    before = sorted(p.name for p in (out_of(config) / "tags").iterdir() if p.is_dir())
    (config.parent / "articles/b.md").write_text(article("B", date="2021-05-16", tags="[قصد]"), encoding="utf-8")
    assert build(config).code == 0
    after = sorted(p.name for p in (out_of(config) / "tags").iterdir() if p.is_dir())
    assert set(before) < set(after) and len(after) == 2


def test_the_same_arabic_tag_in_two_articles_is_one_ascii_page(make_site):
    config = make_site({"articles/a.md": article("A", tags="[اقتصاد]"),
                        "articles/b.md": article("B", date="2021-05-16", tags="[ اقتصاد ]")}, config=FAST + "slug_style: ascii\n")
    assert build(config).code == 0
    (page,) = [p for p in (out_of(config) / "tags").iterdir() if p.is_dir()]
    assert page.name == slugify_text("اقتصاد", "ascii")


def test_ascii_slugs_still_merge_case_and_latin_accents():
    assert slugify_text("Αθήνα", "ascii") == slugify_text("ΑΘΉΝΑ", "ascii")
    assert slugify_text("Café", "ascii") == slugify_text("cafe", "ascii") == "cafe"
    assert slugify_text("اقتصاد", "ascii") != slugify_text("اقتصادي", "ascii")


# ---- problems while writing ----------------------------------------------------------------

@pytest.fixture
def refusing_disk(monkeypatch):
    """A disk that refuses one name (as a file system with shorter names would)."""
    from newsarchive import render
    real = render.write_file

    def write_file(target, rel, *args, **kwargs):
        if "refused" in rel:
            raise OSError(errno.ENAMETOOLONG, "File name too long")
        return real(target, rel, *args, **kwargs)
    monkeypatch.setattr(render, "write_file", write_file)


def test_page_the_disk_refuses_names_its_article_and_keeps_the_previous_site(make_site, refusing_disk):
    config = make_site({"articles/ok.md": article("Fine")}, config=FAST)
    assert build(config).code == 0
    before = tree_digest(out_of(config))
    (config.parent / "articles/2021").mkdir()
    (config.parent / "articles/2021/bad.md").write_text(article("Refused title", date="2021-05-16"), encoding="utf-8")
    result = build(config)
    assert result.code == 1
    assert "2021/bad.md: error: cannot write its page '2021/05/refused-title/index.html': File name too long" in result.err
    assert "staging" not in result.err
    assert tree_digest(out_of(config)) == before


def test_keep_going_skips_the_unwritable_article_and_writes_the_rest(make_site, refusing_disk):
    config = make_site({"articles/ok.md": article("Fine"), "articles/bad.md": article("Refused title", date="2021-05-16", tags="[t]")}, config=FAST)
    result = build(config, "--keep-going")
    assert result.code == 0, result.err
    assert "bad.md: error: cannot write its page" in result.err
    assert "skipped 1 (1 whose pages could not be written)" in result.out
    out = out_of(config)
    assert (out / "2021/05/fine/index.html").is_file() and not (out / "2021/05/refused-title").exists()
    assert "Refused title" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_full_disk_is_the_whole_sites_problem_even_with_keep_going(make_site, monkeypatch):
    from newsarchive import render

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    config = make_site({"articles/ok.md": article("Fine")}, config=FAST)
    monkeypatch.setattr(render, "write_file", full)
    result = build(config, "--keep-going")
    assert result.code == 1 and "cannot write the site: No space left on device" in result.err
    assert not out_of(config).exists()


def test_every_name_in_a_hostile_site_fits_and_is_nfc(make_site):
    config = make_site({
        "articles/a.md": article(LONG_TITLES["chinese"], tags=f'["{"ت" * 200}", "{NFD_CAFE}"]', section="CON"),
        "articles/b.md": article(LONG_TITLES["greek"], date="2021-05-16", author=f'"{"Ω" * 200}"'),
    }, config=FAST + "permalink: /{section}/{year}/{slug}/\n")
    result = build(config)
    assert result.code == 0, result.err
    assert_every_name_fits(out_of(config))
    assert not (out_of(config) / "con").exists() and not (out_of(config) / "sections/con").exists()


def test_a_file_under_articles_where_an_article_needs_its_folder_is_that_articles_problem(make_site):
    config = make_site({"articles/foo.md": article("Foo"), "articles/bar.md": article("Bar"), "articles/2021/05/foo": "plain file\n"}, config=FAST)
    result = build(config)
    assert result.code == 1
    assert "foo.md: error: articles/2021/05/foo is a file at '2021/05/foo', where foo.md needs a folder for its page" in result.err
    kept = build(config, "--keep-going")
    assert kept.code == 0 and "skipped 1 (1 whose pages could not be written)" in kept.out
    out = out_of(config)
    assert (out / "2021/05/bar/index.html").is_file() and (out / "2021/05/foo").read_text() == "plain file\n"


def test_a_long_file_name_under_articles_is_updated_in_place_on_a_rebuild(make_site):
    name = "n" * 250 + ".txt"
    config = make_site({"articles/a.md": article("A"), f"articles/{name}": "one\n"}, config=FAST)
    assert build(config).code == 0
    target = config.parent / "articles" / name
    target.write_text("two\n")
    os.utime(target, (1_700_000_000, 1_700_000_000))
    result = build(config)
    assert result.code == 0, result.err
    assert (out_of(config) / name).read_text() == "two\n"
    assert not [n for n in os.listdir(out_of(config)) if ".na-tmp-" in n]


def test_slug_page_beside_the_home_pagination_is_a_page_of_its_own(make_site):
    """Decided: /page/ is a folder the home listing uses only for /page/2/ and on, so an
    article may be /page/ itself; nothing is overwritten and both are written."""
    config = make_site({"articles/a.md": article("A", slug="page"), "articles/b.md": article("B", date="2021-05-16")},
                       config=FAST + "permalink: /{slug}/\nper_page: 1\n")
    assert build(config).code == 0
    out = out_of(config)
    assert "<title>A" in (out / "page/index.html").read_text(encoding="utf-8")
    assert (out / "page/2/index.html").is_file()


POOLS = ["abc", "é\u0301ÉçÇ", "اقتصادغزة", "東京港", "Ωαβ", "ßẞİı", "\u200d\u200c\ufe0f", "👩‍👩‍👧🎉", " -_.", "CON NUL aux lpt1 com9",
         ":?*<>|\"", "%/\\#", "\u0301\u0308", "ǅǄ", "ﬁﬃ"]


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_random_hostile_names_and_dates_end_in_a_site_or_named_problems(make_site, seed):
    """Names drawn from scripts, marks, joiners, reserved words and forbidden characters, in
    every length class, with dates at both edges: --keep-going exits 0, no traceback, and
    every name written fits and is NFC."""
    import json
    import random
    rnd = random.Random(seed)

    def text(n):
        return json.dumps("".join(rnd.choice(rnd.choice(POOLS)) for _ in range(n)), ensure_ascii=False)
    files = {}
    for i in range(6):
        fields = {"slug": text(rnd.choice([1, 5, 100, 300]))} if rnd.random() < .5 else {}
        fields["tags"] = "[" + ", ".join(text(rnd.choice([1, 10, 300])) for _ in range(3)) + "]"
        fields["section"] = text(rnd.choice([2, 300]))
        fields["author"] = text(rnd.choice([2, 300]))
        date = rnd.choice(["2021-05-15", "0001-01-01", "9999-12-31", "9999-12-31T23:30", "0001-01-01T00:10:00+00:20", "1850-03-01T10:00"])
        files[f"articles/a{i}.md"] = article(text(rnd.choice([3, 40, 200, 400])), date=date, **fields)
    style = rnd.choice(["auto", "ascii", "unicode"])
    permalink = rnd.choice(["/{year}/{month}/{slug}/", "/{slug}/", "/{section}/{slug}/", "/{lang}/{year}/{slug}-{day}/"])
    config = make_site(files, config=FAST + f"slug_style: {style}\npermalink: {permalink}\ntimezone: {rnd.choice(['UTC', 'Europe/Paris', 'Etc/GMT+12'])}\n")
    result = build(config, "--keep-going")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert not re.search(r"built 0\b", result.out), result.out  # some articles got through
    assert_every_name_fits(out_of(config))
