"""config.yaml → Config: defaults, type checks with key and line, suggestions, paths."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.config import (
    DEFAULT_STATIC, DEFAULT_TEMPLATES, OPTION_NAMES, OPTIONS, FEEDS, TAXONOMIES, Config, load_config, parse_config,
)
from newsarchive.errors import ConfigError

CONFIG = Path("/srv/site/config.yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, CONFIG)
    return [str(p) for p in info.value.problems]


def only_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_empty_config_gives_every_default():
    config = parse_config("", CONFIG)
    assert config.title == "News archive"
    assert config.description == ""
    assert config.base_url == "http://localhost:8000/"
    assert config.language == "en"
    assert config.timezone == "UTC"
    assert config.permalink == "/{year}/{month}/{slug}/"
    assert config.per_page == 20
    assert config.feed_entries == 50
    assert config.index_links is False
    assert config.allow_raw_html is False
    assert config.slug_style == "auto"
    assert config.date_format == "long"
    assert config.author == ""
    assert config.taxonomies == TAXONOMIES == ("tags", "sections", "sources", "authors")
    assert config.archives is True
    assert config.feeds == FEEDS == ("site", "tags", "sections")
    assert config.translations == {}
    assert config.extra == {}


def test_comment_only_config_gives_defaults():
    assert parse_config("# nothing yet\n", CONFIG).per_page == 20


def test_option_defaults_match_the_config_dataclass():
    config = parse_config("", CONFIG)
    for option in OPTIONS:
        expected = tuple(option.default) if option.name in ("taxonomies", "feeds") else option.default
        if option.name == "output_dir":  # a path beside config.yaml
            expected = CONFIG.parent / option.default
        assert getattr(config, option.name) == expected, option.name


def test_every_option_is_a_field_of_config():
    fields = set(Config.__dataclass_fields__)
    assert set(OPTION_NAMES) <= fields


def test_values_are_read():
    config = parse_config(
        "title: Velmar\nper_page: 10\nindex_links: true\nslug_style: unicode\ntimezone: Europe/Paris\n"
        "extra: {logo: x.svg, n: 3}\ntranslations: {fr: {read_also: 'À lire aussi'}}\n",
        CONFIG,
    )
    assert (config.title, config.per_page, config.index_links, config.slug_style) == ("Velmar", 10, True, "unicode")
    assert config.timezone == "Europe/Paris" and str(config.tzinfo) == "Europe/Paris"
    assert config.extra == {"logo": "x.svg", "n": 3}
    assert config.translations == {"fr": {"read_also": "À lire aussi"}}


def test_bom_and_crlf_are_accepted():
    config = parse_config("\ufefftitle: X\r\nper_page: 5\r\n", CONFIG)
    assert (config.title, config.per_page) == ("X", 5)


@pytest.mark.parametrize("text", ["title: 1984", "title: true", "title: 1984.10", "author: 007"])
def test_text_options_take_the_value_as_typed(text):
    key, typed = text.split(": ")
    assert getattr(parse_config(text, CONFIG), key) == typed


def test_language_no_stays_norwegian():
    assert parse_config("language: no\n", CONFIG).language == "no"


def test_null_value_keeps_the_default():
    assert parse_config("per_page:\ntitle: null\n", CONFIG).per_page == 20
    assert parse_config("title: null\n", CONFIG).title == "News archive"


@pytest.mark.parametrize("text, message", [
    ("per_page: ten", "config.yaml:2: error: 'per_page' must be a whole number, not 'ten'"),
    ("per_page: 2.5", "config.yaml:2: error: 'per_page' must be a whole number, not 2.5"),
    ("per_page: true", "config.yaml:2: error: 'per_page' must be a whole number, not True"),
    ("feed_entries: '10'", "config.yaml:2: error: 'feed_entries' must be a whole number, not '10'"),
    ("index_links: yes", "config.yaml:2: error: 'index_links' must be true or false, not 'yes'"),
    ("allow_raw_html: 1", "config.yaml:2: error: 'allow_raw_html' must be true or false, not 1"),
    ("archives: 'true'", "config.yaml:2: error: 'archives' must be true or false, not 'true'"),
    ("feeds: maybe", "config.yaml:2: error: 'feeds' must be true or false, or a list, not 'maybe'"),
    ("title: [a, b]", "config.yaml:2: error: 'title' must be text, not ['a', 'b']"),
    ("description: {a: 1}", "config.yaml:2: error: 'description' must be text, not {'a': 1}"),
    ("taxonomies: tags", "config.yaml:2: error: 'taxonomies' must be a list, not 'tags'"),
    ("translations: [fr]", "config.yaml:2: error: 'translations' must be a mapping, not ['fr']"),
    ("extra: 3", "config.yaml:2: error: 'extra' must be a mapping, not 3"),
])
def test_wrong_type_names_key_value_and_line(text, message):
    assert only_problem("# site settings\n" + text).startswith(message)


def test_wrong_type_hint_is_the_options_doc():
    assert only_problem("per_page: ten\n").endswith("hint: Articles per listing page (home, tags, sections, archives).")


@pytest.mark.parametrize("text, message", [
    ("per_page: 0", "'per_page' must be 1 or more"),
    ("feed_entries: -3", "'feed_entries' must be 1 or more"),
    ("slug_style: latin", "'slug_style' must be one of: auto, ascii, unicode"),
    ("language: english", "'language' must be a language code such as en, fr, ar or pt-BR"),
    ("date_format: '  '", "'date_format' must not be empty"),
    ("taxonomies: [tags, categories]", "'taxonomies' has unknown entry 'categories'; choose from: tags, sections, sources, authors"),
])
def test_value_checks_name_key_and_line(text, message):
    assert only_problem("# site settings\n" + text).startswith("config.yaml:2: error: " + message)


def test_unknown_key_suggests_the_closest():
    assert only_problem("title: X\nper_pag: 10\n") == "config.yaml:2: error: unknown key 'per_pag'\n    hint: did you mean 'per_page'?"


def test_unknown_key_with_nothing_close_lists_valid_keys():
    message = only_problem("zzzzzz: 1\n")
    assert message.startswith("config.yaml:1: error: unknown key 'zzzzzz'\n    hint: valid keys: title, description, base_url")


def test_several_problems_are_reported_together_in_file_order():
    found = problems("per_page: ten\nfeeds: maybe\nper_pag: 3\ntimezone: Mars/Olympus\n")
    assert [p.split(": error: ")[0] for p in found] == ["config.yaml:1", "config.yaml:2", "config.yaml:3", "config.yaml:4"]
    assert "'per_page' must be a whole number" in found[0]
    assert "'feeds' must be true or false" in found[1]
    assert "unknown key 'per_pag'" in found[2]
    assert "'timezone' is not a known time zone" in found[3]


def test_a_bad_nested_value_does_not_hide_the_other_problems():
    found = problems("extra: {a: 1, a: 2}\nper_page: ten\n")
    assert found[0] == "config.yaml:1: error: 'extra': key 'a' appears twice (first on line 1)"
    assert found[1].startswith("config.yaml:2: error: 'per_page' must be a whole number")


def test_self_referencing_alias_is_a_config_error():
    assert only_problem("extra: &x [*x]\n") == "config.yaml:1: error: 'extra': an alias refers to the value that contains it"


def test_duplicate_key_names_both_lines():
    assert only_problem("title: A\nper_page: 3\ntitle: B\n").startswith(
        "config.yaml:3: error: invalid YAML: key 'title' appears twice (first on line 1)")


def test_yaml_syntax_error_has_a_line_and_a_hint():
    message = only_problem("title: X\ntaxonomies: [tags, sections\nfeeds: true\n")
    assert message.startswith("config.yaml:2: error: invalid YAML: ")
    assert message.endswith("hint: check indentation and quote values that contain ': '")


def test_config_that_is_not_a_mapping_is_an_error():
    assert only_problem("- title\n- X\n").startswith("config.yaml:1: error: invalid YAML: the file must be a mapping of keys to values")


@pytest.mark.parametrize("given, expected", [
    ("https://example.org", "https://example.org/"),
    ("https://example.org/", "https://example.org/"),
    ("https://example.org/archive", "https://example.org/archive/"),
    ("http://localhost:8000/news/", "http://localhost:8000/news/"),
])
def test_base_url_gets_a_trailing_slash(given, expected):
    assert parse_config(f"base_url: {given}\n", CONFIG).base_url == expected


@pytest.mark.parametrize("given", [
    "ftp://example.org/", "example.org", "/archive/", "https://", "javascript:alert(1)", "https://exa mple.org/",
    "https://example.org/?lang=fr", "https://example.org?x", "https://example.org/#top",
])
def test_base_url_must_be_absolute_http(given):
    assert only_problem(f"base_url: '{given}'\n").startswith(
        "config.yaml:1: error: 'base_url' must be an absolute http(s) URL such as https://example.org/")


def test_unknown_timezone_suggests_the_closest():
    assert only_problem("timezone: Europe/Pari\n") == "config.yaml:1: error: 'timezone' is not a known time zone; did you mean 'Europe/Paris'?"


@pytest.mark.parametrize("given", ["Europe", "../etc/passwd", "/etc/localtime"])
def test_timezone_that_is_a_folder_or_a_path_is_an_error_not_a_crash(given):
    assert only_problem(f"timezone: '{given}'\n").startswith("config.yaml:1: error: 'timezone' is not a known time zone")


@pytest.mark.parametrize("permalink", ["/{year}/{month}/{slug}/", "/{slug}/", "/{lang}/{section}/{year}/{month}/{day}/{slug}/", "/news/{slug}/"])
def test_valid_permalinks(permalink):
    assert parse_config(f"permalink: '{permalink}'\n", CONFIG).permalink == permalink


@pytest.mark.parametrize("permalink, message", [
    ("/{year}/{month}/", "'permalink' must contain {slug} so that every article gets its own URL"),
    ("/{year}/{title}/", "'permalink' has unknown placeholder {title}; use {year}, {month}, {day}, {slug}, {section}, {lang}"),
    ("/{year}/../{slug}/", "'permalink' must not contain '.' or '..' segments or backslashes"),
    ("/./{slug}/", "'permalink' must not contain '.' or '..' segments or backslashes"),
    ("/a\\b/{slug}/", "'permalink' must not contain '.' or '..' segments or backslashes"),
    ("{year}/{slug}/", "'permalink' must start and end with '/', e.g. /{year}/{month}/{slug}/"),
    ("/{year}/{slug}", "'permalink' must start and end with '/', e.g. /{year}/{month}/{slug}/"),
])
def test_permalink_rules(permalink, message):
    assert only_problem(f"permalink: '{permalink}'\n") == f"config.yaml:1: error: {message}"


def test_taxonomies_subset_keeps_canonical_order():
    assert parse_config("taxonomies: [authors, tags]\n", CONFIG).taxonomies == ("tags", "authors")


def test_taxonomies_may_be_empty():
    assert parse_config("taxonomies: []\n", CONFIG).taxonomies == ()


def test_output_dir_defaults_to_site_beside_the_config():
    config = parse_config("", CONFIG)
    assert config.site_dir == Path("/srv/site")
    assert config.output_dir == Path("/srv/site/_site")
    assert config.articles_dir == Path("/srv/site/articles")
    assert config.cache_dir == Path("/srv/site/.cache")


def test_output_dir_can_be_given():
    assert parse_config("", CONFIG, Path("/tmp/out")).output_dir == Path("/tmp/out")


def test_site_templates_and_static_come_before_the_default_theme(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    config = parse_config("", tmp_path / "config.yaml")
    assert config.template_dirs == (tmp_path / "templates", DEFAULT_TEMPLATES)
    assert config.static_dirs == (tmp_path / "static", DEFAULT_STATIC)


def test_without_own_theme_folders_only_the_default_theme_is_used(tmp_path):
    config = parse_config("", tmp_path / "config.yaml")
    assert config.template_dirs == (DEFAULT_TEMPLATES,)
    assert config.static_dirs == (DEFAULT_STATIC,)


def test_the_projects_own_config_does_not_list_the_default_theme_twice():
    config = parse_config("", DEFAULT_TEMPLATES.parent / "config.yaml")
    assert config.template_dirs == (DEFAULT_TEMPLATES,)


def test_load_config_reads_the_file_and_makes_paths_absolute(tmp_path, monkeypatch):
    (tmp_path / "config.yaml").write_text("title: Mine\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("config.yaml"), Path("out"))
    assert config.title == "Mine"
    assert config.config_path == tmp_path / "config.yaml"
    assert config.output_dir == tmp_path / "out"


def test_load_config_accepts_the_site_folder(tmp_path):
    (tmp_path / "config.yaml").write_text("title: Folder\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert config.title == "Folder"
    assert config.output_dir == tmp_path / "_site"


def test_missing_config_file_is_a_config_error_naming_the_path(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml")
    [problem] = info.value.problems
    assert problem.path == str(tmp_path / "nope.yaml")
    assert str(problem) == f"{tmp_path / 'nope.yaml'}: error: config file not found\n    hint: run from your site folder or pass --config PATH/config.yaml"


def test_non_utf8_config_names_the_path_line_and_column(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"title: X\ndescription: Caf\xe9 du port\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    [problem] = info.value.problems
    assert (problem.path, problem.line) == (str(path), 2)
    assert problem.message == "not valid UTF-8: byte 0xE9 at line 2, column 17"
    assert problem.hint == "save the file as UTF-8"


def test_config_error_lists_every_problem_in_its_text():
    with pytest.raises(ConfigError) as info:
        parse_config("per_page: ten\nfeeds: maybe\n", CONFIG)
    assert str(info.value).count("config.yaml:") == 2


@pytest.mark.parametrize("typed, feeds", [
    ("true", ("site", "tags", "sections")), ("false", ()), ("[site]", ("site",)), ("[sections, site]", ("site", "sections")),
])
def test_feeds_all_none_or_a_list(typed, feeds):
    assert parse_config(f"feeds: {typed}\n", CONFIG).feeds == feeds


def test_feeds_list_with_unknown_entry_is_an_error():
    with pytest.raises(ConfigError) as info:
        parse_config("feeds: [site, authors]\n", CONFIG)
    assert "config.yaml:1: error: 'feeds' has unknown entry 'authors'; choose from: site, tags, sections" in str(info.value)
