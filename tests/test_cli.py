"""The command line: help, exit codes, `new`, running from another folder."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime

from conftest import REPO, article, run_cli
from newsarchive import cli


def test_help_lists_every_command_and_option():
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0
    for word in ("build", "check", "new", "--config", "--output", "--drafts", "--keep-going", "--strict", "Exit codes"):
        assert word in result.stdout, word


def test_no_arguments_builds_from_the_current_folder(make_site, monkeypatch):
    config = make_site({"articles/a.md": article("A")})
    monkeypatch.chdir(config.parent)
    result = run_cli()
    assert result.code == 0
    assert (config.parent / "_site/index.html").is_file()
    assert "view it: python build.py serve, then open the address it prints" in result.out


def test_the_hint_names_the_interpreter_and_script_that_ran(make_site):
    """A clone's system Python lacks the dependencies: the hint repeats the .venv's python that ran."""
    config = make_site({"articles/a.md": article("A")})
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(config)], cwd=config.parent,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    python = "python3" if shutil.which("python3") == sys.executable else sys.executable
    assert f"view it: {python} {REPO / 'build.py'} serve --config {config}, then open the address it prints" in result.stdout


def test_output_dir_in_config_is_where_the_site_goes(make_site):
    config = make_site({"articles/a.md": article("A")}, config="output_dir: public\n")
    assert run_cli("--config", config, "--quiet").code == 0
    assert (config.parent / "public/index.html").is_file()
    assert not (config.parent / "_site").exists()
    other = config.parent / "elsewhere"
    assert run_cli("--config", config, "--output", other, "--quiet").code == 0  # --output wins
    assert (other / "index.html").is_file()


def test_options_without_command_mean_build(make_site):
    config = make_site({"articles/a.md": article("A")})
    assert run_cli("--config", config, "--quiet").code == 0


def test_unknown_option_is_usage_error():
    assert run_cli("build", "--nope").code == 2


def test_internal_error_exits_3_and_says_it_is_a_bug(make_site, monkeypatch):
    config = make_site({"articles/a.md": article("A")})

    def explode(args):
        raise RuntimeError("boom")
    monkeypatch.setattr(cli.command_module("build"), "run", explode)  # the module the CLI imports when build runs
    result = run_cli("build", "--config", config)
    assert result.code == 3
    assert "internal error: this is a bug in newsarchive" in result.err


def test_new_creates_an_article_that_builds(make_site):
    config = make_site({}, config="title: X\ntimezone: Asia/Tehran\nlanguage: fr\n")
    result = run_cli("new", "--config", config, "Élections: le « second tour »", "--tags", "Politique, Vote", "--section", "Monde")
    assert result.code == 0
    year = datetime.now().year
    created = config.parent / f"articles/{year}/elections-le-second-tour.md"
    text = created.read_text(encoding="utf-8")
    assert 'title: "Élections: le « second tour »"' in text
    assert "lang: fr" in text and 'tags: ["Politique", "Vote"]' in text and "+03:30" in text
    build = run_cli("build", "--config", config)
    assert build.code == 0, build.err
    assert "built 1" in build.out


def test_new_never_overwrites(make_site):
    config = make_site({})
    assert run_cli("new", "--config", config, "Same").code == 0
    target = next((config.parent / "articles").rglob("same.md"))
    target.write_text("my edits")
    result = run_cli("new", "--config", config, "Same")
    assert result.code == 1
    assert "already exists; nothing was written" in result.err
    assert target.read_text() == "my edits"


def test_check_without_a_built_site_says_build_first(make_site):
    config = make_site({})
    result = run_cli("check", "--config", config)
    assert result.code == 1
    assert "run 'python build.py' first" in result.err
