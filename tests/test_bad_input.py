"""Bad input: every problem names the file (and line) and what to do; the previous site stays untouched."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import article, run_cli, tree_digest, write_site



@pytest.fixture(scope="module")
def published_once(tmp_path_factory):
    """A site built once for the file: (its folder, digest of its output)."""
    config = write_site(tmp_path_factory.mktemp("published") / "site", {"articles/2021/good.md": article("Good article", tags="[A]")})
    assert run_cli("build", "--config", config).code == 0
    return config.parent, tree_digest(config.parent / "_site")


@pytest.fixture
def published(published_once, tmp_path):
    """A copy of that built site (sources, cache and output) for the test to break; returns
    (config path, output folder, digest of the output)."""
    built, digest = published_once
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    assert tree_digest(root / "_site") == digest
    return root / "config.yaml", root / "_site", digest


CASES = {
    "latin1": (b"---\ntitle: Caf\xe9\ndate: 2021-01-01\n---\nbody\n", "bad.md:2: error: not valid UTF-8: byte 0xE9 at line 2, column 11", "iconv"),
    "no_front_matter": ("Just text\n", "bad.md:1: error: no front matter", "start the file with '---'"),
    "unclosed": ("---\ntitle: X\ndate: 2021-01-01\nbody\n", "bad.md:1: error: the front matter opened on line 1 is never closed", "add a line '---'"),
    "empty": ("", "bad.md:1: error: the file is empty", None),
    "yaml_syntax": ("---\ntitle: X\ndate: 2021-01-01\ntags: [a, b\n---\nbody\n", "bad.md:4: error: invalid YAML in the front matter", "quote values"),
    "missing_title": ("---\ndate: 2021-01-01\n---\nbody\n", "bad.md:2: error: 'title' is missing", "add a line 'title: …'"),
    "missing_date": ("---\ntitle: X\n---\nbody\n", "bad.md:2: error: 'date' is missing", "date: 2024-05-01"),
    "bad_date": ("---\ntitle: X\ndate: 15/05/2021\n---\nbody\n", "bad.md:3: error: 'date' is not a date: '15/05/2021'", "YYYY-MM-DD"),
    "title_list": ("---\ntitle: [a, b]\ndate: 2021-01-01\n---\nbody\n", "bad.md:2: error: 'title' must be text", None),
    "slug_escape": ("---\ntitle: X\ndate: 2021-01-01\nslug: ../../etc\n---\nbody\n", "bad.md:4: error: slug '../../etc' must be a single path segment", "port-strike"),
    "slug_dot": ("---\ntitle: X\ndate: 2021-01-01\nslug: ..\n---\nbody\n", "bad.md:4: error: slug '..' must not start with '.'", None),
    "duplicate_key": ("---\ntitle: X\ntitle: Y\ndate: 2021-01-01\n---\nbody\n", "bad.md:3: error: invalid YAML in the front matter: key 'title' appears twice (first on line 2)", None),
    "bad_draft": ("---\ntitle: X\ndate: 2021-01-01\ndraft: maybe\n---\nbody\n", "bad.md:4: error: 'draft' must be true or false", None),
    "bad_related": ("---\ntitle: X\ndate: 2021-01-01\nrelated:\n  - {link: x}\n---\nbody\n", "bad.md:5: error: each 'related' entry must be a slug", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_article_fails_names_file_and_line_and_keeps_previous_site(published, case):
    config, out, before = published
    data, message, hint = CASES[case]
    target = config.parent / "articles/2021/bad.md"
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "2021/" + message in result.err
    if hint:
        assert hint in result.err
    assert "Traceback" not in result.err
    assert "build failed: read 2 articles, built 0, skipped 1 (1 with errors)" in result.err
    assert tree_digest(out) == before
    assert [p.name for p in config.parent.iterdir() if "staging" in p.name] == []


def test_every_bad_article_is_reported_not_just_the_first(published):
    config, out, before = published
    (config.parent / "articles/b1.md").write_text("no front matter\n")
    (config.parent / "articles/b2.md").write_text("---\ntitle: X\n---\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "b1.md:1: error" in result.err and "b2.md:2: error: 'date' is missing" in result.err
    assert "2 errors" in result.err


def test_keep_going_builds_the_rest_and_exits_zero(published):
    config, out, before = published
    (config.parent / "articles/2021/bad.md").write_text("---\ntitle: X\n---\n")
    (config.parent / "articles/2021/second.md").write_text(article("Second good"))
    result = run_cli("build", "--config", config, "--keep-going")
    assert result.code == 0
    assert "bad.md:2: error: 'date' is missing" in result.err
    assert "read 3 articles, built 2, skipped 1 (1 with errors)" in result.out
    assert (out / "2021/05/second-good/index.html").is_file()


def test_two_articles_with_one_url_name_both_files(published):
    config, out, before = published
    (config.parent / "articles/2021/copy.md").write_text(article("Good article", tags="[A]"))
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "2 articles would have the URL /2021/05/good-article/: 2021/copy.md and 2021/good.md" in result.err
    assert "slug" in result.err
    assert tree_digest(out) == before


def test_url_collision_ignores_case_so_macos_never_overwrites(published):
    config, out, before = published
    (config.parent / "articles/2021/upper.md").write_text(article("Other", slug="Good-Article"))
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "2021/good.md" in result.err and "2021/upper.md" in result.err


def test_keep_going_skips_both_colliding_articles(published):
    config, out, before = published
    (config.parent / "articles/2021/copy.md").write_text(article("Good article"))
    result = run_cli("build", "--config", config, "--keep-going")
    assert result.code == 0
    assert "skipped 2 (2 with a URL collision)" in result.out
    assert not (out / "2021/05/good-article").exists()


def test_article_colliding_with_a_generated_page_is_an_error(make_site):
    config = make_site({"articles/a.md": article("X", slug="tags", tags="[t]")}, config="title: X\npermalink: /{slug}/\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "a.md: error: two pages would be written to 'tags/index.html': a.md and tags index" in result.err


def test_related_slug_that_matches_nothing_is_a_warning_naming_file_and_line(make_site):
    config = make_site({"articles/a.md": "---\ntitle: A\ndate: 2021-01-01\nrelated:\n  - nowhere\n---\nx\n"})
    result = run_cli("build", "--config", config)
    assert result.code == 0
    assert "a.md:5: warning: related article 'nowhere' not found" in result.err
    assert "1 warning" in result.out


def test_strict_turns_warnings_into_failure(make_site):
    config = make_site({"articles/a.md": "---\ntitle: A\ndate: 2021-01-01\nimage: nope.jpg\n---\nx\n"})
    result = run_cli("build", "--config", config, "--strict")
    assert result.code == 1
    assert "a.md:4: warning: image 'nope.jpg' not found" in result.err
    assert not (config.parent / "_site").exists()


def test_config_unknown_key_suggests_closest(make_site):
    config = make_site({}, config="title: X\nper_pag: 10\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "config.yaml:2: error: unknown key 'per_pag'" in result.err and "did you mean 'per_page'?" in result.err


def test_config_wrong_type_names_key_and_line(make_site):
    config = make_site({}, config="title: X\nper_page: ten\nfeeds: maybe\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "config.yaml:2: error: 'per_page' must be a whole number, not 'ten'" in result.err
    assert "config.yaml:3: error: 'feeds' must be true or false, or a list" in result.err


def test_missing_config_file_is_a_clear_error(tmp_path):
    result = run_cli("build", "--config", tmp_path / "nope.yaml")
    assert result.code == 1
    assert "nope.yaml: error: config file not found" in result.err


def test_template_error_names_template_and_line_and_keeps_previous_site(published):
    config, out, before = published
    (config.parent / "templates").mkdir()
    (config.parent / "templates/article.html").write_text("<p>{{ article.title }}</p>\n<p>{{ article.nope }}</p>\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "templates/article.html:2: error: template error while rendering /2021/05/good-article/" in result.err
    assert "nope" in result.err and "Traceback" not in result.err
    assert tree_digest(out) == before


def test_template_syntax_error_names_line(published):
    config, out, before = published
    (config.parent / "templates").mkdir()
    (config.parent / "templates/listing.html").write_text("ok\n{% for x in %}\n")
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "listing.html:2: error: template error" in result.err
    assert tree_digest(out) == before


def test_asset_that_would_overwrite_a_page_is_an_error(published):
    config, out, before = published
    (config.parent / "articles/robots.txt").write_text("User-agent: *\n")  # an .html file is never published (filepolicy.py)
    result = run_cli("build", "--config", config)
    assert result.code == 1
    assert "articles/robots.txt would overwrite" in result.err and "'robots.txt'" in result.err
    assert tree_digest(out) == before
