"""What a rebuild with nothing (or one article's text) to do still costs (issue 28): it
imports no renderer or parser, starts no pool (from 4,096 pages or names, one bare forked
helper stats half of them: parallel.in_two), and an archive full of warnings costs no
Problem per article, while printing and keeping exactly what the last build did."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from newsarchive.problem_digest import REPORT_NAME, RecordedProblems, report_text, terminal_lines

from conftest import article, clean_build, edit_article, rebuild, run_cli, tree

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("jinja2", "markdown", "babel", "nh3", "PIL", "pygments", "slugify", "text_unidecode", "multiprocessing",
         "importlib.metadata", "newsarchive.commands.deploy", "newsarchive.commands.check", "newsarchive.markup",
         # nor the content model, the YAML parser (config.yaml's values come from .cache: config_cache.py),
         # the URL record's reader, Dask's task names or the config's validation helpers
         "yaml", "newsarchive.content", "newsarchive.article_codec", "newsarchive.frontmatter", "newsarchive.rebuild.shown",
         "newsarchive.links", "newsarchive.corrections", "uuid", "difflib", "zoneinfo",
         "pickle", "queue", "traceback", "pyexpat")


def _warned_site(make_site, count: int = 7) -> Path:
    files = {f"articles/2021/a{i:02d}.md": article(f"Story {i}", f"2021-05-{i + 1:02d}", image=f"img/photo{i}.jpg",
                                                   body=f"Body of story {i}.")
             for i in range(count)}
    files["articles/2021/lone.md"] = article("Lone", "2021-06-01", related="[no-such-slug]")
    return make_site(files, config="title: Test site\nbase_url: https://example.org/\nsearch: false\n").parent


def _cli_in_subprocess(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """The command line in a fresh interpreter, and the modules it had imported when done."""
    script = ("import json, sys; from newsarchive.cli import main; code = main(sys.argv[1:]); "
              "print(json.dumps(sorted(sys.modules)), file=sys.stderr); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    *err, modules = done.stderr.splitlines()
    done.stderr = "\n".join(err)
    return done, json.loads(modules)


def test_a_no_change_build_imports_no_renderer_parser_or_pool(make_site):
    site = _warned_site(make_site)
    first, _ = _cli_in_subprocess("build", "--config", str(site / "config.yaml"), "--jobs", "2")
    assert first.returncode == 0, first.stderr
    done, modules = _cli_in_subprocess("build", "--config", str(site / "config.yaml"), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert "the site is up to date" in done.stdout
    assert [m for m in HEAVY if m in modules] == []
    assert done.stderr == first.stderr and "warning: 7 × image '…' not found" in done.stderr  # printed as the last build did


def test_package_versions_come_from_dist_info_names_without_importlib_metadata():
    script = ("import sys; from newsarchive.version import package_versions; "
              "print(package_versions(('jinja2', 'markdown', 'pyyaml', 'python-slugify'))); "
              "print('importlib.metadata' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    from importlib import metadata
    versions = [metadata.version(n) for n in ("jinja2", "markdown", "pyyaml", "python-slugify")]
    assert done.stdout.splitlines() == [repr(versions), "False"]


def test_up_to_date_reports_recorded_problems_without_reading_them_one_by_one(make_site):
    site = _warned_site(make_site)
    rebuild(site)
    report_file = site / ".cache" / REPORT_NAME
    first = run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    written = report_file.read_text(encoding="utf-8")
    stamp = report_file.stat().st_mtime_ns

    again = rebuild(site)
    assert again.up_to_date and isinstance(again.problems, RecordedProblems)
    assert "8 warnings" in again.summary()
    lines = terminal_lines(again.problems, report_path=Path("R"))
    assert again.problems._problems is None  # counts and lines came from the digest: no Problem was made
    assert lines[0].startswith("warning: 7 × image '…' not found")
    assert lines[0].endswith(" and 4 more (full list in R)\n    hint: fix the path or put the file under articles/ or static/")
    assert list(again.problems) == [p for p in again.problems]  # and they read as Problems when asked
    assert report_text(again.problems) == written

    second = run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    assert second.err == first.err and "the site is up to date" in second.out
    assert report_file.stat().st_mtime_ns == stamp  # intact: left as it was
    report_file.write_text("damaged", encoding="utf-8")
    third = run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    assert third.err == first.err and report_file.read_text(encoding="utf-8") == written  # written anew
    assert run_cli("build", "--config", site / "config.yaml", "--jobs", "1", "--strict").code == 1


def test_an_edit_with_warnings_keeps_every_warning_in_place_and_equals_a_clean_build(make_site, tmp_path):
    site = _warned_site(make_site)
    rebuild(site)
    edit_article(site, "2021/a03.md", "Body of story 3.", "Body of story 3, corrected.")
    edited = rebuild(site)
    assert edited.from_records and edited.parsed == 1
    assert isinstance(edited.problems, RecordedProblems) and edited.problems._problems is None  # as recorded, unread
    assert tree(site / "_site") == clean_build(site, tmp_path)
    clean = rebuild(tmp_path / "clean")  # up to date: the clean build's own problems, as recorded
    assert [str(p) for p in edited.problems] == [str(p) for p in clean.problems]

    edit_article(site, "2021/a03.md", "title: Story 3", "# a comment line\ntitle: Story 3")  # the image line moves
    moved = rebuild(site)
    assert moved.from_records
    assert "2021/a03.md:5: warning: image 'img/photo3.jpg' not found (looked beside the article, in articles/ and in static/)" in [
        str(p).split("\n")[0] for p in moved.problems]
    assert tree(site / "_site") == clean_build(site, tmp_path)
    assert [str(p) for p in rebuild(site).problems] == [str(p) for p in moved.problems]  # kept as the edit found them
    report = (site / ".cache" / REPORT_NAME)
    run_cli("build", "--config", site / "config.yaml", "--jobs", "1")
    assert "2021/a03.md:5: warning: image 'img/photo3.jpg'" in report.read_text(encoding="utf-8")


def test_the_cli_makes_only_the_parser_of_the_command_it_runs_but_help_lists_them_all():
    done, modules = _cli_in_subprocess("build", "--config", "no-such-folder/config.yaml")
    assert done.returncode == 1
    assert "newsarchive.commands.build" in modules and "newsarchive.commands.serve" not in modules
    helped, _ = _cli_in_subprocess("--help")
    for name in ("build", "check", "new", "init", "import", "serve", "deploy"):
        assert f"python build.py {name} " in helped.stdout or f"  {name} " in helped.stdout
    wrong, _ = _cli_in_subprocess("bogus")
    assert wrong.returncode == 2 and "invalid choice: 'bogus'" in wrong.stderr
