"""Pathological bodies: bounded cost, an error naming the file and line, skipped with --keep-going."""
from __future__ import annotations

import time

import pytest

from conftest import article, run_cli
from newsarchive.limits import nesting_problem

CONFIG = "title: Limits\nbase_url: https://example.org/\n"


def test_nesting_is_measured_on_quotes_lists_brackets_and_tags():
    assert nesting_problem("> " * 65 + "deep", 5, "a.md", 64).line == 5
    assert nesting_problem("> " * 64 + "fine", 5, "a.md", 64) is None
    listing = "".join("    " * i + "- item\n" for i in range(70))
    assert nesting_problem(listing, 10, "a.md", 64).line == 10 + 64
    assert "brackets" in nesting_problem("text\n" + "[" * 65 + "x" + "]" * 65, 1, "a.md", 64).message
    assert nesting_problem("[" * 40 + "\n\n" + "[" * 40, 1, "a.md", 64) is None  # a blank line ends a paragraph
    assert "<div>" in nesting_problem("<div>" * 65, 1, "a.md", 64).message


def test_ordinary_html_is_not_taken_for_nesting():
    flat = "<p>one<p>two<br><img src='a.jpg'>" * 100 + "<ul>" + "<li>x" * 200 + "</ul>"
    balanced = "<div><span>x</span></div>" * 500
    assert nesting_problem(flat, 1, "a.md", 64) is None
    assert nesting_problem(balanced, 1, "a.md", 64) is None
    assert nesting_problem("- - - x\n1. > quoted item\n---------\n", 1, "a.md", 64) is None


def test_type_placeholders_in_code_are_no_tags():
    """Rust and Terraform docs write `Result<Vec<u32>>` and `<TYPE>` in code: Markdown escapes them, so they
    nest nothing (two real pages were refused for that); an unclosed fence hides nothing."""
    fenced = "Intro:\n\n```\n" + "let x: Vec<u32> = y;\n" * 80 + "```\n\nAfter."
    spans = "\n".join(f"Set `<ARG{i}>` and ``<T>`` here." for i in range(80))
    assert nesting_problem(fenced, 1, "a.md", 64) is None
    assert nesting_problem(spans, 1, "a.md", 64) is None
    unclosed = "```\n" + "<div>" * 65
    assert "<div>" in nesting_problem(unclosed, 1, "a.md", 64).message
    in_html_block = "<section>`" + "<div>" * 65 + "`</section>"  # Markdown leaves an HTML block's backticks alone
    assert "<div>" in nesting_problem(in_html_block, 1, "a.md", 64).message


def test_link_addresses_in_angle_brackets_are_no_tags(make_site):
    """An imported Wikipedia page (a table of 70 rows, each linking "[SBS](<https://zh.wikipedia.org/wiki/SBS_(…)>)", the
    form Markdown needs for an address with parentheses) failed the build: "HTML tags nest deeper (<https>)"."""
    rows = "".join(f"| 2010-02-{n % 28 + 1:02d} | [SBS](<https://zh.wikipedia.org/wiki/SBS_(TV{n})>) | show |\n" for n in range(70))
    body = "| date | channel | show |\n|---|---|---|\n" + rows + "\nSee <https://example.org/a_(b)> too."
    assert nesting_problem(body, 1, "a.md", 64) is None
    result, _, site = _build(make_site, {"articles/2021/wiki.md": article("Wiki table", body=body)})
    assert result.code == 0, result.err
    assert 'href="https://zh.wikipedia.org/wiki/SBS_(TV69)"' in next(site.rglob("wiki*/index.html")).read_text(encoding="utf-8")


def _build(make_site, files: dict, config: str = CONFIG, *args):
    config_path = make_site({"articles/2021/fine.md": article("Fine", body="A fine article."), **files}, config=config)
    started = time.monotonic()
    result = run_cli("build", "--config", config_path, "--jobs", "1", *args)
    return result, time.monotonic() - started, config_path.parent / "_site"


def test_deep_quotes_lists_and_tags_are_errors_naming_file_and_line(make_site):
    files = {
        "articles/quotes.md": article("Quotes", body=">" * 5000 + " deep"),
        "articles/lists.md": article("Lists", body="intro\n\n" + "".join("    " * i + "- x\n" for i in range(100))),
        "articles/inline-lists.md": article("Inline lists", body="- " * 3000 + "x"),
        "articles/brackets.md": article("Brackets", body="[" * 20000 + "x" + "]" * 20000),
        "articles/divs.md": article("Divs", body="<div>" * 100000),
    }
    result, seconds, _ = _build(make_site, files)
    assert result.code == 1
    assert "quotes.md:5: error: quotes and lists nest 5000 levels deep, past max_nesting (64)" in result.err
    assert "lists.md:71: error: quotes and lists nest 65 levels deep" in result.err
    assert "inline-lists.md:5: error: quotes and lists nest 3000 levels deep" in result.err
    assert "brackets.md:5: error: brackets nest deeper" in result.err
    assert "divs.md:5: error: HTML tags nest deeper (<div>)" in result.err
    assert "internal error" not in result.err
    assert seconds < 30


def test_keep_going_skips_pathological_files_and_builds_the_rest(make_site):
    files = {"articles/huge.md": article("Huge", body="word " * 400_000), "articles/deep.md": article("Deep", body=">" * 5000)}
    result, seconds, out = _build(make_site, files, CONFIG, "--keep-going")
    assert result.code == 0, result.err
    assert "huge.md: error: the file is 2,000,038 bytes, more than max_article_bytes (1,000,000); not converted" in result.err
    assert "read 3 articles, built 1, skipped 2 (2 with errors)" in result.out
    assert (out / "2021" / "05" / "fine" / "index.html").is_file()
    assert seconds < 30


def test_limits_are_configurable(make_site):
    files = {"articles/deep.md": article("Deep", body="".join("    " * i + "- level\n" for i in range(80)))}
    result, _, out = _build(make_site, files, CONFIG + "max_nesting: 100\n")
    assert result.code == 0, result.err
    assert (out / "2021" / "05" / "deep" / "index.html").read_text(encoding="utf-8").count("<ul>") == 80
    files = {"articles/big.md": article("Big", body="word " * 300)}
    result, _, _ = _build(make_site, files, CONFIG + "max_article_bytes: 1000\n")
    assert "big.md: error: the file is 1,537 bytes, more than max_article_bytes (1,000)" in result.err


def test_a_slow_conversion_is_stopped_at_the_time_limit(make_site):
    notes = "".join(f"Claim {i}.[^{i}]\n\n[^{i}]: Source {i}.\n\n" for i in range(12000))
    result, seconds, _ = _build(make_site, {"articles/notes.md": article("Notes", body=notes)}, CONFIG + "max_article_seconds: 1\n")
    assert result.code == 1
    assert "notes.md: error: converting the body took more than max_article_seconds (1 s); stopped" in result.err
    assert seconds < 15


def test_a_converter_failure_is_an_error_naming_the_file_never_internal(make_site):
    config = CONFIG + "max_nesting: 100000\n"
    result, _, _ = _build(make_site, {"articles/recursive.md": article("Recursive", body="- " * 3000 + "x")}, config, "--keep-going")
    assert result.code == 0, result.err
    assert "recursive.md:5: error: the body nests too deeply to convert" in result.err
    assert "internal error" not in result.err


def test_the_time_limit_survives_a_swallowed_first_signal(monkeypatch):
    """A finalizer running when the timer fires swallows the exception; the next firing stops the block."""
    import gc
    import sys
    from newsarchive.limits import TooSlow, time_limit
    swallowed = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: swallowed.append(unraisable.exc_type))

    class SwallowsInFinalizer:
        def __del__(self):
            time.sleep(0.3)  # the first expiry lands here, where its exception is ignored

    started = time.monotonic()
    with pytest.raises(TooSlow):
        with time_limit(0.1):
            junk = SwallowsInFinalizer()
            junk.cycle = junk
            del junk
            gc.collect()
            while time.monotonic() - started < 30:
                sum(range(1000))
    assert TooSlow in swallowed
    assert time.monotonic() - started < 10  # stopped long before the loop's own end, even on a loaded machine
