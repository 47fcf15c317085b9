"""Red-team cases for issue 23, invented from the classes (not from the issue's list).

Each test names the hostile input, the defect it found and the concrete outcome now expected.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import article, run_cli
from newsarchive.config import parse_config
from newsarchive.errors import ConfigError
from newsarchive.filepolicy import file_problem

CONFIG = Path("/srv/site/config.yaml")


def config_problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, CONFIG)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("base_url", [
    'https://ex.org/x\\"><script>alert(1)</script>/',  # quotes and angle brackets: not URL characters
    "https://ex.org/a<b/",
    "https://ex.org/a>b/",
    "https://ex.org/a`b/",
    "https://ex.org/a{b}/",
    "https://ex.org/a|b/",
    "https://ex.org/a^b/",
    "https://ex.org/x\\u202e/",  # a bidi override hidden in every published URL
    "https://ex.org/x\\u200b/",  # zero-width space
    "https://ex.org/x\\u00a0y/",  # no-break space
    "https://ex.org/%2e%2e/",  # browsers read %2e%2e as '..': every URL would leave the sub-path
    "https://ex.org/a/%2E/",
])
def test_base_url_with_characters_no_url_may_hold_is_refused(base_url):
    found = config_problems(f'title: T\nbase_url: "{base_url}"\n')
    assert len(found) == 1
    assert "base_url" in found[0] and "config.yaml:2" in found[0]


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://ex.org/archive/", "https://ex.org/ar%20chive/",
                                      "https://xn--caf-dma.example/", "https://café.example/news/", "https://[::1]:8080/x/"])
def test_ordinary_base_urls_still_pass(base_url):
    config = parse_config(f'title: T\nbase_url: "{base_url}"\n', CONFIG)
    assert config.base_url == base_url


FAST = "title: Hostile\nbase_url: https://example.org/\nsearch: false\n"


@pytest.mark.parametrize("title", ['"\\u202e\\u202c"', '"\\u200b\\u200b"', '"\\ufeff \\u2066\\u2069"', '"\\U000E0041\\U000E0042"',
                                   '"\\u3164"', '"\\u00ad\\u034f"'])
def test_a_title_of_only_invisible_characters_is_empty(make_site, title):
    """Found: a title of bidi controls, zero-width or tag characters passed the 'is empty' rule and
    published a page whose <title>, <h1> and every card link showed nothing."""
    config = make_site({"articles/a.md": article(title), "articles/b.md": article("Visible")}, config=FAST)
    result = run_cli("--config", config, "--keep-going")
    assert result.code == 0, result.err
    assert "a.md:2: error: 'title' is empty" in result.err
    assert "built 1" in result.out + result.err
    site = config.parent / "_site"
    assert sorted(p.name for p in (site / "2021" / "05").iterdir() if p.is_dir()) == ["visible"]


def test_invisible_tags_sections_and_authors_make_no_page(make_site):
    """Found: a tag of only U+200B (and a section/source/author of only U+FEFF, U+00AD, U+034F)
    became a term page whose name and links showed nothing."""
    config = make_site({"articles/a.md": article("Visible", tags='["\\u200b", "\\u202e\\u202c", "Real"]',
                                                 section='"\\ufeff"', source='"\\u00ad"', author='["\\u034f", "Jane"]')},
                       config=FAST)
    result = run_cli("--config", config, "--keep-going")
    assert result.code == 0, result.err
    site = config.parent / "_site"
    assert sorted(p.name for p in (site / "tags").iterdir()) == ["index.html", "real"]
    assert sorted(p.name for p in (site / "authors").iterdir()) == ["index.html", "jane"]
    assert not (site / "sections").exists() or sorted(p.name for p in (site / "sections").iterdir()) == ["index.html"]
    assert not (site / "sources").exists() or sorted(p.name for p in (site / "sources").iterdir()) == ["index.html"]


def test_image_alt_and_other_extra_keys_are_cleaned_like_every_field(make_site):
    """Found: `image_alt` (an extra key the default theme publishes in <img alt>) kept U+000B,
    U+001B, U+FFFE and an unclosed U+202E: an HTML page with control characters, reversed text,
    and no warning. Every text under an extra key is now cleaned and balanced like a known field."""
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
    config = make_site({"articles/a.md": article("Pictured", image="p.png", image_alt='"alt \\x0b\\x1b \\u202e tail \\uFFFE"',
                                                 credits='{"by": "x\\x01y \\u2067z"}'),
                        "articles/p.png": png}, config=FAST)
    result = run_cli("--config", config, "--keep-going")
    assert result.code == 0, result.err
    assert "a.md:5: warning: 'image_alt' holds characters XML cannot carry (U+000B, U+001B, U+FFFE)" in result.err
    assert "a.md:6: warning: 'credits' holds characters XML cannot carry (U+0001)" in result.err
    page = (config.parent / "_site" / "2021" / "05" / "pictured" / "index.html").read_text(encoding="utf-8")
    assert 'alt="alt  \u202e tail \u202c"' in page
    for char in "\x0b\x1b\ufffe":
        assert char not in page


def test_slug_named_like_a_host_file_without_a_dot_is_that_articles_problem(make_site):
    """Found: with `permalink: /{slug}/`, `slug: _redirects` put the article at _redirects/index.html;
    the build then could not write the Netlify rules file `_redirects` ("Is a directory") and
    stopped, with --keep-going too, naming no article. The folder check only looked at names
    with a '.', and `_redirects` has none."""
    config = make_site({"articles/a.md": article("Rules", slug="_redirects", aliases="[/old-rules/]"),
                        "articles/b.md": article("Other")},
                       config=FAST + "permalink: /{slug}/\n")
    result = run_cli("--config", config, "--keep-going")
    assert result.code == 0, result.err
    assert "a.md" in result.err and "_redirects" in result.err and "Is a directory" not in result.err
    site = config.parent / "_site"
    assert (site / "other" / "index.html").is_file()
    assert not (site / "_redirects").is_dir()


def test_a_dollar_in_a_redirect_target_is_not_a_server_variable(make_site):
    """Probed (held): a '$' in a redirect target would be a variable in nginx's `return` and a
    back-reference in Apache's RedirectMatch target; targets are written percent-encoded (%24)."""
    config = make_site({"articles/a.md": article("Dollar", slug="'a$host'", aliases="[/old-a/]"),
                        "articles/b.md": article("One", slug="'b$1'", aliases="[/old-b/]")}, config=FAST)
    result = run_cli("--config", config, "--keep-going")
    assert result.code == 0, result.err
    site = config.parent / "_site"
    nginx = (site / "nginx-redirects.conf").read_text(encoding="utf-8")
    apache = (site / "apache-redirects.conf").read_text(encoding="utf-8")
    assert 'location = "/old-a/" { return 301 "/2021/05/a%24host/"; }' in nginx
    assert 'RedirectMatch 301 "^/old-b/(index\\.html)?$" "/2021/05/b%241/"' in apache
    assert "$host" not in nginx and "$1" not in apache
    assert (site / "2021" / "05" / "a$host" / "index.html").is_file()


def test_a_read_also_title_of_only_invisible_characters_shows_the_address(make_site):
    """Found: a "read also" entry {title: "\\u200b\\u202e", url: …} published a link whose text
    showed nothing (an invisible link); like an empty title, it now shows its address."""
    config = make_site({"articles/a.md": article("Linked", related='[{title: "\\u200b\\u202e", url: "https://ex.org/x"}]')},
                       config=FAST)
    result = run_cli("--config", config, "--keep-going")
    assert result.code == 0, result.err
    page = (config.parent / "_site" / "2021" / "05" / "linked" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://ex.org/x" rel="external noopener">https://ex.org/x</a>' in page
    assert "\u200b" not in page


def test_config_texts_shown_on_every_page_are_xml_safe_and_bidi_balanced():
    """Found: config `title: "\\u202eSite\\x0b"` (and description, author, a date_format literal,
    translations) went as written into every page: U+000B/U+0001/U+001B in the HTML, and an
    unclosed U+202E in <title> and in each byline's <time>, reversing what follows. Characters
    XML forbids are now an error naming the key and line; bidi controls are balanced."""
    found = config_problems('title: T\ndescription: "d\\x01"\nauthor: "a\\x1b"\ndate_format: "d MMMM y \'\\x0b\'"\n'
                            'translations: {en: {read_also: "\\x0bRA"}}\n')
    assert [p.split(": error: ")[0] for p in found] == ["config.yaml:2", "config.yaml:3", "config.yaml:4", "config.yaml:5"]
    assert "'description' holds characters XML cannot carry (U+0001)" in found[0]
    config = parse_config('title: "\\u202eSite"\ndate_format: "d MMMM y \'\\u202e\'"\ntranslations: {en: {read_also: "\\u2067RA"}}\n', CONFIG)
    assert config.title == "\u202eSite\u202c"
    assert config.date_format == "d MMMM y '\u202e'\u202c"  # the closer outside the quotes is a literal to Babel too
    assert config.translations == {"en": {"read_also": "\u2067RA\u2069"}}


@pytest.mark.parametrize("updated", ["2019-01-01", "2020-05-04T23:59:59+00:00", "2020-05-05T01:00:00+02:00"])
def test_updated_before_date_is_named_and_left_out(make_site, updated):
    """Found: `updated` before `date` built with no warning and published <updated> before
    <published> in the feed (the feed's own <updated> a year before its newest entry) and
    dateModified before datePublished in JSON-LD."""
    config = make_site({"articles/a.md": article("Time", date="2020-05-05T00:00:00+00:00", updated=updated)}, config=FAST)
    result = run_cli("--config", config)
    assert result.code == 0, result.err
    assert f"a.md:4: warning: 'updated' {updated} is before 'date' 2020-05-05T00:00:00+00:00; it is left out" in result.err
    site = config.parent / "_site"
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2020-05-05T00:00:00+00:00</updated>" in feed and "2019-" not in feed and "2020-05-04" not in feed
    page = (site / "2020" / "05" / "time" / "index.html").read_text(encoding="utf-8")
    assert '"dateModified": "2020-05-05T00:00:00+00:00"' in page or '"dateModified"' not in page


def test_updated_on_the_same_instant_in_another_offset_is_kept(make_site):
    config = make_site({"articles/a.md": article("Time", date="2020-05-05T00:00:00+00:00", updated="2020-05-05T02:00:00+02:00")}, config=FAST)
    result = run_cli("--config", config)
    assert result.code == 0 and "before" not in result.err, result.err


@pytest.mark.parametrize("name", ["CON.png", "aux/photo.png", "nul.tar.gz", "lpt1.pdf", "photos./a.png"])
def test_files_windows_cannot_hold_are_not_published(name):
    """Found: an image 'CON.png' beside an article was copied to the site as CON.png (slugs named
    CON are refused, files were not): the site could not be checked out or served from Windows."""
    why = file_problem(name, b"\x89PNG\r\n\x1a\n" + bytes(16), lambda: b"")
    assert why is not None and "Windows" in why and "rename it" in why


@pytest.mark.parametrize("name", ["console.png", "a/nullable.png", "com.png", "auxiliary/x.png"])
def test_names_that_only_start_like_a_device_are_published(name):
    assert file_problem(name, b"\x89PNG\r\n\x1a\n" + bytes(16), lambda: b"") is None
