"""`init PATH`: a new site folder that builds at once; it never writes into a folder that holds anything."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from conftest import REPO, run_cli, tree_digest
from newsarchive.commands import init
from newsarchive.config import DEFAULT_STATIC, DEFAULT_TEMPLATES, OPTIONS, load_config


def test_init_writes_config_example_article_and_gitignore_that_build(tmp_path):
    site = tmp_path / "newsroom"
    result = run_cli("init", site, "--title", "Velmar: the «coast» # archive", "--base-url", "https://example.org/archive/")
    assert result.code == 0, result.err
    year = datetime.now(timezone.utc).year
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        ".gitignore", "articles/%d/welcome.md" % year, "config.yaml"]
    assert (site / ".gitignore").read_text(encoding="utf-8").splitlines()[1:3] == ["_site/", ".cache/"]
    config = load_config(site / "config.yaml")
    assert (config.title, config.base_url, config.language) == ("Velmar: the «coast» # archive", "https://example.org/archive/", "en")
    built = run_cli("build", "--config", site / "config.yaml")
    assert built.code == 0, built.err
    assert "read 1 articles, built 1, skipped 0; 0 warnings" in built.out
    page = (site / f"_site/{year}/{datetime.now(timezone.utc).month:02d}/welcome/index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Welcome to your news archive</h1>", page)
    assert (site / "_site/tags/guide/index.html").is_file() and (site / "_site/sections/notes/index.html").is_file()


def test_config_lists_every_key_with_its_meaning(tmp_path):
    assert run_cli("init", tmp_path / "s").code == 0
    text = (tmp_path / "s/config.yaml").read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]
    assert len(blocks) == len(OPTIONS)
    for option, block in zip(OPTIONS, blocks):
        *comment, setting = block.strip().splitlines()
        assert " ".join(line.removeprefix("# ") for line in comment) == option.doc
        active = option.name in init.ACTIVE_KEYS
        assert setting.startswith(f"{option.name}: " if active else f"# {option.name}: "), setting


def test_init_prints_the_next_two_commands(tmp_path):
    result = run_cli("init", tmp_path / "my site")
    commands = [line.strip() for line in result.out.splitlines() if line.startswith("  ")]
    assert commands == [
        f"python build.py build --config '{tmp_path}/my site/config.yaml'",
        f"python build.py serve --config '{tmp_path}/my site/config.yaml'   # then open the address it prints",
    ]


@pytest.mark.parametrize("language, lang, title, slug", [
    ("en", "en", "Welcome to your news archive", "welcome"),
    ("fr", "fr", "Bienvenue dans vos archives de presse", "bienvenue"),
    ("ar", "ar", "مرحبًا بكم في أرشيفكم الإخباري", "marhaban"),
    ("es", "es", "Bienvenido a su archivo de noticias", "bienvenida"),
    ("fr-CA", "fr", "Bienvenue dans vos archives de presse", "bienvenue"),
    ("de", "en", "Welcome to your news archive", "welcome"),
])
def test_example_article_is_in_the_chosen_language(tmp_path, language, lang, title, slug):
    site = tmp_path / "s"
    assert run_cli("init", site, "--language", language).code == 0
    config = load_config(site / "config.yaml")
    assert config.language == language
    year = datetime.now(timezone.utc).year
    text = (site / f"articles/{year}/{slug}.md").read_text(encoding="utf-8")
    assert f'title: "{title}"' in text and f"\nlang: {lang}\n" in text
    assert run_cli("build", "--config", site / "config.yaml", "--quiet").code == 0
    html = (site / f"_site/{year}/{datetime.now(timezone.utc).month:02d}/{slug}/index.html").read_text(encoding="utf-8")
    assert f'lang="{lang}"' in html and title in html
    if lang == "ar":
        assert 'dir="rtl"' in html


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    site = tmp_path / "existing"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", site)
    assert result.code == 1
    assert f"{site}: error: the folder is not empty (it holds notes.txt); nothing was written" in result.err
    assert [p.name for p in site.iterdir()] == ["notes.txt"]


def test_init_refuses_a_file(tmp_path):
    target = tmp_path / "config.yaml"
    target.write_text("title: X\n", encoding="utf-8")
    result = run_cli("init", target)
    assert result.code == 1 and f"{target}: error: exists and is not a folder" in result.err
    assert target.read_text(encoding="utf-8") == "title: X\n"


def test_init_accepts_an_empty_folder(tmp_path):
    assert run_cli("init", tmp_path).code == 0
    assert (tmp_path / "config.yaml").is_file()


def test_bad_values_are_named_and_nothing_is_written(tmp_path):
    result = run_cli("init", tmp_path / "s", "--language", "french!", "--base-url", "example.org", "--title", " ")
    assert result.code == 1
    assert "error: --language must be a language code such as en, fr, ar or pt-BR, not 'french!'" in result.err
    assert "error: --base-url must be an absolute http(s) URL" in result.err and "not 'example.org'" in result.err
    assert "error: --title is empty" in result.err
    assert not (tmp_path / "s").exists()


def test_theme_copies_the_default_theme_and_the_build_uses_the_copy(tmp_path):
    site = tmp_path / "s"
    result = run_cli("init", site, "--theme")
    assert result.code == 0 and "templates/, static/" in result.out
    assert tree_digest(site / "templates") == tree_digest(DEFAULT_TEMPLATES)
    assert tree_digest(site / "static") == tree_digest(DEFAULT_STATIC)
    assert run_cli("build", "--config", site / "config.yaml", "--quiet").code == 0
    assert (site / "_site/css/site.css").read_bytes() == (DEFAULT_STATIC / "css/site.css").read_bytes()
    (site / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}<p>Edited theme</p>{% endblock %}', encoding="utf-8")
    (site / "static/css/site.css").write_text("body { color: teal }\n", encoding="utf-8")
    assert run_cli("build", "--config", site / "config.yaml", "--quiet").code == 0
    assert "<p>Edited theme</p>" in (site / "_site/404.html").read_text(encoding="utf-8")
    assert (site / "_site/css/site.css").read_text(encoding="utf-8") == "body { color: teal }\n"


def test_init_takes_no_config_option(tmp_path):
    assert run_cli("init", tmp_path / "s", "--config", tmp_path / "c.yaml").code == 2


def test_init_runs_through_build_py_from_another_folder(tmp_path):
    result = subprocess.run([sys.executable, REPO / "build.py", "init", "site", "--language", "ar"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    python = "python3" if shutil.which("python3") == sys.executable else sys.executable
    assert f"{python} {REPO / 'build.py'} build --config site/config.yaml" in result.stdout  # the interpreter that has the dependencies
    assert load_config(tmp_path / "site/config.yaml").title == "الأرشيف الإخباري"



def test_a_folder_that_cannot_be_made_is_named_not_a_traceback(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", tmp_path / "notes.txt/site")
    assert result.code == 1
    assert f"{tmp_path / 'notes.txt/site'}: error: cannot write: Not a directory" in result.err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
