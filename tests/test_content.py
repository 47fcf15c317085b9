"""content: one article file → Article, following DESIGN's "Front matter" rules to the letter."""
from __future__ import annotations

import json
from dataclasses import fields
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings, strategies as st

from newsarchive.article_codec import article_from_json, article_to_json
from newsarchive.content import Article, LoadContext, Related, parse_article, text_direction
from newsarchive.markup import MarkdownRenderer
from newsarchive.urls import segment_problem
from newsarchive.usertext import clean_text, visible

PARIS = ZoneInfo("Europe/Paris")
CTX = LoadContext(
    permalink="/{year}/{month}/{slug}/",
    default_lang="en",
    tz=PARIS,
    slug_style="ascii",
)
RENDERER = MarkdownRenderer()


def doc(*front: str, body: str = "First paragraph.") -> str:
    return "\n".join(["---", *front, "---", body, ""])


def load(text: str | bytes, path: str = "2021/story.md", ctx: LoadContext = CTX):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return parse_article(data, path, ctx, RENDERER)


def ok(*front: str, body: str = "First paragraph.", ctx: LoadContext = CTX, path: str = "2021/story.md") -> Article:
    result = load(doc(*front, body=body), path, ctx)
    assert result.article is not None, [str(p) for p in result.problems]
    assert not [p for p in result.problems if p.is_error]
    return result.article


def base(*front: str, **kw) -> Article:
    return ok("title: A title", "date: 2021-05-15", *front, **kw)


def problems(text: str | bytes, path: str = "2021/story.md") -> list[str]:
    result = load(text, path)
    assert result.article is None
    return [str(p) for p in result.problems]


def warnings_of(*front: str, body: str = "First paragraph.") -> list[str]:
    result = load(doc("title: A title", "date: 2021-05-15", *front, body=body))
    assert result.article is not None
    return [str(p) for p in result.problems]


# Values as typed

def test_tag_NO_stays_text():
    assert base("tags: [NO, yes, true, 1984, null]").tags == ("NO", "yes", "true", "1984", "null")


@pytest.mark.parametrize("typed, expected", [
    ("1984", "1984"), ("true", "true"), ("1984.10", "1984.10"), ("NO", "NO"), ("0x1F", "0x1F"),
    ("2021-05-15", "2021-05-15"), ("'  padded  '", "padded"), ('"quoted: yes"', "quoted: yes"),
])
def test_title_stays_the_text_as_typed(typed, expected):
    assert ok(f"title: {typed}", "date: 2021-05-15").title == expected


def test_text_fields_keep_what_was_typed():
    article = base("section: 2021", "source: true", "image_caption: 1.50", "image_credit: NO", "summary: 42")
    assert (article.section, article.source, article.image_caption, article.image_credit, article.summary) == ("2021", "true", "1.50", "NO", "42")


# Dates

def test_date_only_is_midnight_in_the_config_timezone():
    article = base()
    assert article.date == datetime(2021, 5, 15, tzinfo=PARIS)
    assert article.date.utcoffset() == timedelta(hours=2)
    assert article.date_only is True


def test_naive_datetime_takes_config_timezone():
    article = ok("title: T", "date: 2021-05-15T10:30:00")
    assert article.date == datetime(2021, 5, 15, 10, 30, tzinfo=PARIS)
    assert article.date.utcoffset() == timedelta(hours=2)
    assert article.date_only is False


def test_naive_datetime_in_winter_takes_the_winter_offset():
    assert ok("title: T", "date: 2021-01-15 10:30").date.utcoffset() == timedelta(hours=1)


def test_datetime_keeps_its_own_offset():
    article = ok("title: T", "date: 2021-05-15T10:30:00+04:30")
    assert article.date.utcoffset() == timedelta(hours=4, minutes=30)
    assert (article.date.hour, article.date.minute) == (10, 30)


def test_own_offset_decides_the_day_and_url_month_not_utc():
    article = ok("title: Late night", "date: 2021-05-15T23:30:00-05:00")
    assert article.date.astimezone(timezone.utc).day == 16
    assert (article.date.year, article.date.month, article.date.day) == (2021, 5, 15)
    assert article.url == "/2021/05/late-night/"


def test_new_years_eve_with_negative_offset_stays_in_its_year():
    article = ok("title: Late night", "date: 2021-12-31T23:30:00-05:00")
    assert article.date.astimezone(timezone.utc).year == 2022
    assert article.date.year == 2021
    assert article.url == "/2021/12/late-night/"


def test_z_offset_is_utc():
    article = ok("title: T", "date: 2021-05-15T10:30:00Z")
    assert article.date.utcoffset() == timedelta(0)
    assert article.date.hour == 10


@pytest.mark.parametrize("typed, offset", [
    ("2021-05-15 10:30:00 +02:00", timedelta(hours=2)),
    ("2021-05-15T10:30:00 -0500", timedelta(hours=-5)),
    ("2021-05-15 10:30 Z", timedelta(0)),
])
def test_space_before_offset_is_accepted(typed, offset):
    article = ok("title: T", f"date: {typed}")
    assert article.date.utcoffset() == offset
    assert (article.date.hour, article.date.minute) == (10, 30)


def test_quoted_date_is_read_like_a_plain_one():
    assert ok("title: T", "date: '2021-05-15T10:30:00+02:00'").date == datetime(2021, 5, 15, 10, 30, tzinfo=timezone(timedelta(hours=2)))


def test_updated_is_optional_and_parsed_like_date():
    article = base("updated: 2021-05-16T08:00:00+01:00")
    assert article.updated == datetime(2021, 5, 16, 8, tzinfo=timezone(timedelta(hours=1)))
    assert article.updated_date_only is False
    assert base().updated is None
    day = base("updated: 2021-05-16")
    assert day.updated == datetime(2021, 5, 16, tzinfo=PARIS) and day.updated_date_only is True


def test_empty_quoted_updated_is_ignored():
    assert base("updated: ''").updated is None


@pytest.mark.parametrize("typed", ["15/05/2021", "2021-02-30", "2021-5-1", "2021", "yesterday", "2021-05-15T25:00", "2021-05-15T10:30+99:00"])
def test_invalid_date_names_file_line_and_value(typed):
    assert problems(doc("title: T", f"date: '{typed}'")) == [
        f"2021/story.md:3: error: 'date' is not a date: '{typed}'\n"
        "    hint: write YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with an optional offset like +02:00"
    ]


def test_invalid_updated_names_its_line():
    assert problems(doc("title: T", "date: 2021-05-15", "updated: soon"))[0].startswith("2021/story.md:4: error: 'updated' is not a date: 'soon'")


# Tags, authors

def test_tags_as_a_list():
    assert base("tags: [Gaza, Hamas, Iran]").tags == ("Gaza", "Hamas", "Iran")


def test_tags_as_block_list():
    assert base("tags:", "  - Gaza", "  - Hamas").tags == ("Gaza", "Hamas")


def test_tags_as_comma_separated_string():
    assert base("tags: Gaza, Hamas ,  Iran,").tags == ("Gaza", "Hamas", "Iran")


def test_a_quoted_tag_in_a_list_may_contain_a_comma():
    assert base("tags: ['Paris, Texas', Film]").tags == ("Paris, Texas", "Film")


def test_duplicate_tags_by_slug_collapse_keeping_the_first_spelling():
    assert base("tags: [Gaza, gaza, GAZA, ' Gaza ', Hamas, Gaza!]").tags == ("Gaza", "Hamas")


def test_empty_tags_are_dropped():
    assert base("tags: ['', '  ', x]").tags == ("x",)
    assert base("tags:").tags == ()


def test_tag_that_is_a_list_names_its_line():
    assert problems(doc("title: T", "date: 2021-05-15", "tags:", "  - a", "  - [b, c]")) == ["2021/story.md:6: error: each entry of 'tags' must be text"]


def test_tags_as_mapping_is_an_error():
    assert problems(doc("title: T", "date: 2021-05-15", "tags: {a: 1}")) == ["2021/story.md:4: error: 'tags' must be a list or a comma-separated text"]


def test_author_string_or_list():
    assert base("author: Jane Doe").authors == ("Jane Doe",)
    assert base("author: [Jane Doe, Ali Hassan]").authors == ("Jane Doe", "Ali Hassan")
    assert base().authors == ()


def test_author_string_with_comma_stays_one_author():
    assert base("author: Doe, Jane").authors == ("Doe, Jane",)


# Unknown keys

def test_unknown_keys_are_kept_in_extra_with_yaml_1_2_types():
    article = base("rating: 5", "ratio: 1.5", "flag: yes", "country: NO", "live: true", "nothing: null",
                   "when: 2021-05-15", "places: [Gaza, 1]", "meta: {a: 'b'}", "code: '007'")
    assert article.extra == {
        "rating": 5, "ratio": 1.5, "flag": "yes", "country": "NO", "live": True, "nothing": None,
        "when": "2021-05-15", "places": ["Gaza", 1], "meta": {"a": "b"}, "code": "007",
    }


def test_known_keys_are_not_in_extra():
    assert base("tags: [x]", "section: TV").extra == {}


def test_bad_extra_value_names_key_and_line():
    assert problems(doc("title: T", "date: 2021-05-15", "loop: &x [*x]")) == ["2021/story.md:4: error: 'loop': an alias refers to the value that contains it"]


# Summary

def test_summary_defaults_to_first_paragraph_plain_text():
    body = "Some **bold** and [a link](https://example.org) text.[^1]\n\nSecond paragraph.\n\n[^1]: The note."
    assert base(body=body).summary == "Some bold and a link text."


def test_summary_default_skips_heading_and_image_only_paragraph():
    assert base(body="# Heading\n\n![alt](photo.jpg)\n\nThe lead &amp; more.").summary == "The lead & more."


def test_summary_keeps_superscript_that_is_not_a_footnote():
    assert base(body="Le 1<sup>er</sup> mai.").summary == "Le 1er mai."


def test_explicit_summary_is_kept():
    assert base("summary: Short one.", body="Long body.").summary == "Short one."


def test_empty_body_gives_empty_summary():
    assert base(body="").summary == ""


# Slugs

def test_slug_defaults_to_slugified_title():
    assert ok("title: Commandant en chef de la Force Qods contacte le Hamas", "date: 2021-05-15").slug == "commandant-en-chef-de-la-force-qods-contacte-le-hamas"


def test_slug_default_transliterates_accents():
    assert ok('title: "L\'armée à Gaza : déjà 3 jours"', "date: 2021-05-15").slug == "l-armee-a-gaza-deja-3-jours"


def test_unicode_slug_style_keeps_letters_and_percent_encodes_the_url():
    ctx = LoadContext("/{year}/{month}/{slug}/", "en", PARIS, "unicode")
    article = ok("title: Élections à Gaza", "date: 2021-05-15", ctx=ctx)
    assert article.slug == "élections-à-gaza"
    assert article.url == "/2021/05/%C3%A9lections-%C3%A0-gaza/"


def test_explicit_slug_is_kept_as_typed():
    assert base("slug: Force_Qods-2021").slug == "Force_Qods-2021"
    assert base("slug: 1984").slug == "1984"
    assert base("slug: 1984").url == "/2021/05/1984/"


def test_explicit_slug_with_percent_is_encoded():
    assert base("slug: '100%'").url == "/2021/05/100%25/"


def test_empty_quoted_slug_falls_back_to_the_title():
    assert base("slug: ''").slug == "a-title"


@pytest.mark.parametrize("title", ['"!!!"', "🎉🎉", '"?"'])
def test_title_without_letters_takes_the_file_name_as_slug(title):
    assert ok(f"title: {title}", "date: 2021-05-15", path="2021/port-strike.md").slug == "port-strike"


@pytest.mark.parametrize("title", ['"!!!"', "🎉🎉"])
def test_slug_is_never_empty_even_without_letters_anywhere(title):
    slug = ok(f"title: {title}", "date: 2021-05-15", path="2021/!!.md").slug
    assert re.fullmatch(r"x-[0-9a-f]{8}", slug)


@pytest.mark.parametrize("slug, message", [
    ("a/b", "slug 'a/b' must be a single path segment: no '/', '\\' or control characters"),
    ("../../etc", "slug '../../etc' must be a single path segment: no '/', '\\' or control characters"),
    ("..", "slug '..' must not start with '.' (it would escape the output folder or be hidden)"),
    (".hidden", "slug '.hidden' must not start with '.' (it would escape the output folder or be hidden)"),
    ("a\\\\b", "slug 'a\\b' must be a single path segment: no '/', '\\' or control characters"),
])
def test_unsafe_slug_is_an_error_naming_file_and_line(slug, message):
    assert problems(doc("title: T", "date: 2021-05-15", f'slug: "{slug}"')) == [
        f"2021/story.md:4: error: {message}\n    hint: use one word or words joined by '-', e.g. 'port-strike'"
    ]


# Encoding and layout

def test_bom_and_crlf_are_accepted():
    data = "\ufeff---\r\ntitle: Café\r\ndate: 2021-05-15\r\ntags: [a]\r\n---\r\nFirst line.\r\n".encode("utf-8")
    result = load(data)
    assert result.problems == ()
    assert (result.article.title, result.article.tags, result.article.summary) == ("Café", ("a",), "First line.")


def test_latin1_file_names_line_and_column_of_first_bad_byte():
    data = "---\ntitle: Café\ndate: 2021-05-15\n---\n".encode("latin-1")
    assert problems(data) == [
        "2021/story.md:2: error: not valid UTF-8: byte 0xE9 at line 2, column 11\n"
        "    hint: re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 FILE`)"
    ]


def test_bad_byte_in_the_body_names_its_line():
    data = b"---\ntitle: T\ndate: 2021-05-15\n---\nok\n\x93quoted\x94\n"
    assert problems(data)[0].startswith("2021/story.md:6: error: not valid UTF-8: byte 0x93 at line 6, column 1")


def test_missing_front_matter_is_an_error_on_line_1():
    assert problems("Just a text.\n")[0].startswith("2021/story.md:1: error: no front matter: the first line must be '---'")


def test_unclosed_front_matter_is_an_error():
    assert problems("---\ntitle: T\ndate: 2021-05-15\nbody\n")[0].startswith(
        "2021/story.md:1: error: the front matter opened on line 1 is never closed")


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "\ufeff"])
def test_empty_file_is_an_error(text):
    assert problems(text)[0].startswith("2021/story.md:1: error: the file is empty")


def test_front_matter_may_close_with_three_dots():
    assert load("---\ntitle: T\ndate: 2021-05-15\n...\nBody.\n").article.summary == "Body."


def test_empty_front_matter_is_an_error():
    assert problems("---\n---\nBody\n")[0].startswith("2021/story.md:2: error: the front matter is empty")


def test_front_matter_that_is_not_a_mapping_is_an_error():
    assert problems("---\n- a\n- b\n---\nBody\n") == ["2021/story.md:2: error: the front matter must be 'key: value' lines"]


def test_yaml_syntax_error_line_is_the_files_line():
    found = problems(doc("title: T", "date: 2021-05-15", "tags: [a, b"))
    assert len(found) == 1
    assert found[0].startswith("2021/story.md:4: error: invalid YAML in the front matter: ")
    assert found[0].endswith("hint: quote values that contain ': ' or start with [ { * & ! % @ `")


def test_control_character_in_front_matter_names_the_line():
    # one XML cannot carry is left out with a warning (usertext.py); the others YAML refuses stay errors
    [warning] = warnings_of("summary: bad\x0bchar")
    assert warning.startswith("2021/story.md:4: warning: the front matter holds characters XML cannot carry (U+000B); they are left out of the site")
    assert ok("title: T", "date: 2021-05-15", "summary: bad\x0bchar").summary == "badchar"
    assert problems(doc("title: T", "date: 2021-05-15", "summary: bad\x7fchar"))[0].startswith(
        "2021/story.md:4: error: invalid YAML in the front matter: unacceptable character U+007F: control characters are not allowed")


def test_line_separator_pasted_into_a_title_is_a_space_and_lines_stay_right():
    assert ok("title: Gaza\u2028Talks resume", "date: 2021-05-15").title == "Gaza Talks resume"
    assert problems(doc("title: A\u2028B", "date: 2021-05-15", "draft: maybe")) == ["2021/story.md:4: error: 'draft' must be true or false, not 'maybe'"]


def test_colon_in_unquoted_title_names_the_line():
    assert problems(doc("date: 2021-05-15", "title: Gaza: the talks resume"))[0].startswith(
        "2021/story.md:3: error: invalid YAML in the front matter: mapping values are not allowed")


def test_duplicate_key_names_both_file_lines():
    assert problems(doc("title: A", "date: 2021-05-15", "title: B")) == [
        "2021/story.md:4: error: invalid YAML in the front matter: key 'title' appears twice (first on line 2)\n"
        "    hint: quote values that contain ': ' or start with [ { * & ! % @ `"
    ]


def test_missing_title_and_date_are_both_reported():
    assert problems(doc("tags: [a]")) == [
        "2021/story.md:2: error: 'title' is missing\n    hint: add a line 'title: …' to the front matter",
        "2021/story.md:2: error: 'date' is missing\n    hint: add a line like 'date: 2024-05-01' or 'date: 2024-05-01T09:30:00+02:00'",
    ]


@pytest.mark.parametrize("typed", ["", '""', "'   '"])
def test_empty_title_is_an_error(typed):
    assert problems(doc(f"title: {typed}", "date: 2021-05-15")) == ["2021/story.md:2: error: 'title' is empty\n    hint: write the title after 'title: '"]


@pytest.mark.parametrize("typed", ["~", "null", ""])
def test_null_optional_field_means_not_given(typed):
    loaded = load(doc("title: T", "date: 2021-05-15", f"section: {typed}", f"source: {typed}"))
    assert loaded.article.section is None and loaded.article.source is None


@pytest.mark.parametrize("typed", ["[a, b]", "{a: b}"])
def test_title_that_is_a_list_or_mapping_is_an_error(typed):
    assert problems(doc("date: 2021-05-15", f"title: {typed}")) == ["2021/story.md:3: error: 'title' must be text, not a list or mapping"]


def test_empty_date_is_an_error():
    assert problems(doc("title: T", "date:")) == ["2021/story.md:3: error: 'date' is empty\n    hint: write the date after 'date: '"]


# Draft

@pytest.mark.parametrize("typed, expected", [("true", True), ("True", True), ("yes", True), ("false", False), ("no", False), ("''", False)])
def test_draft_true_or_false(typed, expected):
    assert base(f"draft: {typed}").draft is expected


def test_draft_defaults_to_false():
    assert base().draft is False


@pytest.mark.parametrize("typed", ["maybe", "1", "0"])
def test_invalid_draft_names_file_and_line(typed):
    assert problems(doc("title: T", "date: 2021-05-15", f"draft: {typed}")) == [f"2021/story.md:4: error: 'draft' must be true or false, not '{typed}'"]


# Related

def test_related_entries_of_every_form():
    article = base(
        "related:",
        "  - des-dizaines-de-missiles",
        "  - {title: Outside, url: 'https://example.org/x'}",
        "  - title: Only a title",
        "  - {slug: other, title: Shown title}",
    )
    assert article.related == (
        Related(slug="des-dizaines-de-missiles", line=5),
        Related(title="Outside", url="https://example.org/x", line=6),
        Related(title="Only a title", line=7),
        Related(slug="other", title="Shown title", line=8),
    )


def test_related_as_comma_separated_string():
    assert base("related: one, two").related == (Related(slug="one", line=4), Related(slug="two", line=4))


def test_related_with_unknown_key_names_line_and_key():
    assert problems(doc("title: T", "date: 2021-05-15", "related:", "  - ok", "  - {link: x}")) == [
        "2021/story.md:6: error: each 'related' entry must be a slug, {title, url} or {title}\n    hint: unexpected key 'link'"
    ]


def test_related_with_url_but_no_title_is_an_error():
    assert problems(doc("title: T", "date: 2021-05-15", "related:", "  - {url: 'https://x.org'}")) == [
        "2021/story.md:5: error: each 'related' entry must be a slug, {title, url} or {title}\n    hint: give at least a title"
    ]


def test_related_nested_list_is_an_error():
    assert problems(doc("title: T", "date: 2021-05-15", "related:", "  - [a, b]")) == [
        "2021/story.md:5: error: each 'related' entry must be a slug, {title, url} or {title}"
    ]


def test_related_entry_with_duplicate_key_is_an_error_not_a_crash():
    assert problems(doc("title: T", "date: 2021-05-15", "related:", "  - {title: a, title: b}")) == [
        "2021/story.md:5: error: invalid 'related' entry: key 'title' appears twice (first on line 5)"
    ]


# Images (resolved against the other files when the site is assembled: see test_site.py)

def test_image_is_kept_as_written_with_its_line():
    article = base("image: photo.jpg", "image_caption: The port at dawn", "image_credit: Tasnim")
    assert (article.image, article.image_line, article.image_caption, article.image_credit) == ("photo.jpg", 4, "The port at dawn", "Tasnim")


# Source URL

@pytest.mark.parametrize("url", ["https://example.org/a", "http://example.org", "HTTPS://EXAMPLE.ORG/"])
def test_source_url_http_or_https_is_kept(url):
    assert base(f"source_url: '{url}'").source_url == url


@pytest.mark.parametrize("url", ["ftp://example.org/a", "//example.org/a", "www.example.org", "javascript:alert(1)", "https://"])
def test_source_url_must_be_http(url):
    assert problems(doc("title: T", "date: 2021-05-15", f"source_url: '{url}'")) == [
        f"2021/story.md:4: error: 'source_url' must be a web address starting with https:// or http://, not '{url}'"
    ]


def test_section_and_source():
    article = base("section: TV", "source: French Press TV")
    assert (article.section, article.source) == ("TV", "French Press TV")


# Language and direction

def test_lang_defaults_to_config():
    assert base().lang == "en"


@pytest.mark.parametrize("lang", ["ar", "fa", "he", "ar-EG", "fa_IR", "AR"])
def test_rtl_languages(lang):
    assert base(f"lang: {lang}").dir == "rtl"


@pytest.mark.parametrize("lang", ["en", "fr", "pt-BR", "arn"])
def test_ltr_languages(lang):
    assert text_direction(lang) == "ltr"


def test_lang_no_stays_norwegian():
    assert base("lang: no").lang == "no"


def test_invalid_lang_is_an_error_with_line():
    assert problems(doc("title: T", "date: 2021-05-15", "lang: french!")) == [
        "2021/story.md:4: error: 'lang' is not a language code: 'french!'\n    hint: use a code such as en, fr, ar or pt-BR"
    ]


# URL, body, links

def test_url_from_permalink_with_section_and_lang():
    ctx = LoadContext("/{lang}/{section}/{year}/{month}/{day}/{slug}/", "en", PARIS, "ascii")
    assert ok("title: Port", "date: 2021-05-07", "section: Économie", "lang: fr", ctx=ctx).url == "/fr/economie/2021/05/07/port/"
    assert ok("title: Port", "date: 2021-05-07", ctx=ctx).url == "/en/articles/2021/05/07/port/"


def test_body_is_rendered_apart_from_the_article_and_words_counted():
    result = load(doc("title: A title", "date: 2021-05-15", body="Hello *big* world.\n\nTwo."))
    assert result.body == "<p>Hello <em>big</em> world.</p>\n<p>Two.</p>"
    assert result.article.word_count == 4
    assert "body" not in {f.name for f in fields(result.article)}


def test_content_hash_is_the_files_sha256():
    import hashlib
    text = doc("title: A title", "date: 2021-05-15")
    assert load(text).article.content_hash == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("date", ["2021-05-15", "2021-05-15T10:30:00+04:30", "2021-10-31 02:30", "2021-05-15T10:30:00Z"])
def test_article_json_round_trip_is_exact(date):
    ctx = LoadContext("/{year}/{month}/{slug}/", "en", PARIS, "auto")
    article = ok("title: T", f"date: {date}", "updated: 2021-06-01", "tags: [a, B]", "author: [X, Y]",
                 "related: [x, {title: y, url: 'https://e.org'}]", "extra: {a: [1, 2.5, null, true]}", ctx=ctx)
    again = article_from_json(article_to_json(article))
    assert again == article
    assert again.date.isoformat() == article.date.isoformat() and again.date.tzname() == article.date.tzname()


def test_local_links_are_recorded_site_absolute():
    assert base(body="[a](other.md#x) ![p](photo.jpg)").local_links == ("/2021/other.md", "/2021/photo.jpg")


def test_sort_key_is_newest_first_then_source_path():
    new = ok("title: T", "date: 2021-05-16", path="b.md")
    old_b = ok("title: T", "date: 2021-05-15", path="b.md")
    old_a = ok("title: T", "date: 2021-05-15", path="a.md")
    assert sorted([old_b, new, old_a], key=lambda a: a.sort_key) == [new, old_a, old_b]


# Properties

def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes, with astral characters as \\U (libyaml rejects surrogate pairs)."""
    return re.sub(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}", lambda m: "\\U%08x" % ord(json.loads(f'"{m.group()}"')), json.dumps(text))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1).filter(lambda t: t.strip()))
def test_any_quoted_title_round_trips_as_its_stripped_text(title):
    expected = clean_text(title)[0].strip()  # what XML cannot carry left out, bidi controls balanced (usertext.py)
    assume(visible(expected))  # a title of only invisible characters is empty (usertext.visible)
    article = ok(f"title: {yaml_quoted(title)}", "date: 2021-05-15")
    assert article.title == expected
    assert article.slug and segment_problem(article.slug) is None


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1).filter(lambda t: t.strip()), min_size=1, max_size=4))
def test_any_quoted_tags_round_trip_as_their_stripped_text(tags):
    expected = [clean_text(t)[0].strip() for t in tags]
    assume(visible(expected[0]))  # an invisible tag is left out
    article = base("tags: [" + ", ".join(yaml_quoted(t) for t in tags) + "]")
    assert article.tags[0] == expected[0]
    assert set(article.tags) <= set(expected)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=30).filter(lambda t: t.strip()))
def test_any_title_gets_a_safe_slug_in_unicode_style_too(title):
    assume(visible(clean_text(title)[0].strip()))  # a title of only invisible characters is empty
    ctx = LoadContext("/{year}/{month}/{slug}/", "en", PARIS, "unicode")
    slug = ok(f"title: {yaml_quoted(title)}", "date: 2021-05-15", ctx=ctx, path="2021/!.md").slug
    assert slug and segment_problem(slug) is None
