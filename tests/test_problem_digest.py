"""Warnings at scale: many of one kind collapse into one line; the full list stays available."""
from __future__ import annotations

from newsarchive.errors import Problem, warning
from newsarchive.problem_digest import group_problems, report_text, terminal_lines

from conftest import article, run_cli


def _site_with_missing_images(make_site, count: int):
    files = {f"articles/2021/a{i:02d}.md": article(f"Story {i}", f"2021-05-{i + 1:02d}", image=f"img/photo{i}.jpg") for i in range(count)}
    files["articles/2021/lone.md"] = article("Lone", "2021-06-01", related="[no-such-slug]")
    return make_site(files)


def test_many_missing_images_print_as_one_line_with_count_and_first_files(make_site):
    config = _site_with_missing_images(make_site, 12)
    result = run_cli("build", "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    image_lines = [line for line in lines if "not found (looked beside the article" in line]
    assert len(image_lines) == 1
    report = config.parent / ".cache" / "last-build-report.txt"
    assert image_lines[0].startswith("warning: 12 × image '…' not found (looked beside the article, in articles/ and in static/) — "
                                     "in 2021/a11.md:4, 2021/a10.md:4, 2021/a09.md:4 and 9 more (full list in ")
    assert image_lines[0].endswith("last-build-report.txt)")
    assert lines[lines.index(image_lines[0]) + 1] == "    hint: fix the path or put the file under articles/ or static/"
    # a kind seen once is printed as it always was
    assert "2021/lone.md:4: warning: related article 'no-such-slug' not found" in lines
    text = report.read_text(encoding="utf-8")
    assert "## 12 × warning: image '…' not found" in text
    for i in range(12):
        assert f"2021/a{i:02d}.md:4: warning: image 'img/photo{i}.jpg' not found" in text
    assert "13 warnings" in result.out


def test_verbose_prints_every_warning(make_site):
    config = _site_with_missing_images(make_site, 7)
    result = run_cli("build", "--config", config, "--jobs", "1", "--verbose")
    assert result.code == 0, result.err
    assert sum("warning: image 'img/photo" in line for line in result.err.splitlines()) == 7
    assert " × " not in result.err


def test_up_to_date_rebuild_collapses_too_and_a_clean_build_clears_the_report(make_site):
    config = _site_with_missing_images(make_site, 6)
    run_cli("build", "--config", config, "--jobs", "1")
    again = run_cli("build", "--config", config, "--jobs", "1")
    assert "the site is up to date" in again.out
    assert "warning: 6 × image '…' not found" in again.err
    for path in (config.parent / "articles" / "2021").glob("a*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("image: ", "subtitle_unused: "), encoding="utf-8")
    (config.parent / "articles" / "2021" / "lone.md").unlink()
    clean = run_cli("build", "--config", config, "--jobs", "1")
    assert clean.code == 0, clean.err
    assert (config.parent / ".cache" / "last-build-report.txt").read_text(encoding="utf-8") == "no problems\n"


def test_few_of_a_kind_stay_in_full_and_errors_come_first():
    problems = [warning(f"image 'x{i}.jpg' not found", f"a{i}.md", 3) for i in range(5)]
    problems.append(Problem("bad date '2021-13-01'", "b.md", 2))
    lines = terminal_lines(problems)
    assert lines[0] == "b.md:2: error: bad date '2021-13-01'"
    assert lines[1:] == [f"a{i}.md:3: warning: image 'x{i}.jpg' not found" for i in range(5)]
    groups = group_problems(problems)
    assert [(g.severity, g.kind, len(g.problems)) for g in groups] == [
        ("error", "bad date '…'", 1), ("warning", "image '…' not found", 5)]
    assert report_text([]) == "no problems\n"


def test_a_symlink_planted_as_the_report_file_is_replaced_never_written_through(make_site):
    config = _site_with_missing_images(make_site, 3)
    article_file = config.parent / "articles" / "2021" / "lone.md"
    before = article_file.read_bytes()
    cache = config.parent / ".cache"
    cache.mkdir(exist_ok=True)
    (cache / "last-build-report.txt").symlink_to(article_file)
    (cache / ".last-build-report.txt.stamp").symlink_to(article_file)
    result = run_cli("build", "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    assert article_file.read_bytes() == before
    report = cache / "last-build-report.txt"
    assert not report.is_symlink() and "2021/a00.md:4: warning: image 'img/photo0.jpg' not found" in report.read_text(encoding="utf-8")
    assert not (cache / ".last-build-report.txt.stamp").is_symlink()
    assert not list(cache.glob("*.partial"))
