"""The cache's keys cover the generator's own code: an edit of a view or of a helper the
templates call is followed by an incremental build equal to a clean one, without --full."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, article, tree_digest
from newsarchive.version import code_digest

CONFIG = "title: Code key\nbase_url: https://example.org/\nsearch: false\n"
FILES = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15", "Dock workers are back.", tags="[Port]"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]"),
}


def copy_package(to: Path) -> Path:
    """The package and the default theme, as a clone lays them out, in a folder of its own."""
    for name in ("newsarchive", "templates", "static"):
        shutil.copytree(REPO / name, to / name, ignore=shutil.ignore_patterns("__pycache__"))
    return to


def build_with(package: Path, config: Path, *args: str) -> str:
    """A build run by the package copy in `package` (its own process, so its own code digest)."""
    script = "import sys, newsarchive.cli as c; assert c.__file__.startswith(sys.argv[1]); sys.exit(c.main(sys.argv[2:]))"
    env = dict(os.environ, PYTHONPATH=str(package), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", script, str(package), "build", "--config", str(config), "--jobs", "1", *args],
                          cwd=package, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("module, old, new, shown", [
    ("views.py", "**card_values(article),", '**card_values(article), "title": article.title + " (edited view)",', "Strike ends (edited view)"),
    ("templates.py", "return i18n.format_date(value, lang or page[\"lang\"], config.date_format)",
     "return i18n.format_date(value, lang or page[\"lang\"], config.date_format) + \" (edited helper)\"",
     "(edited helper)"),
])
def test_an_edit_of_the_code_is_followed_by_an_incremental_build_equal_to_a_clean_one(make_site, tmp_path, module, old, new, shown):
    package = copy_package(tmp_path / "package")
    config = make_site(dict(FILES), config=CONFIG)
    build_with(package, config)
    edit(package / "newsarchive" / module, old, new)
    build_with(package, config)
    rebuilt = tree_digest(config.parent / "_site")
    assert shown in (config.parent / "_site/index.html").read_text(encoding="utf-8")
    build_with(package, config, "--full", "--output", str(tmp_path / "clean"))
    assert rebuilt == tree_digest(tmp_path / "clean")


def test_the_code_digest_changes_with_any_source_file_and_is_computed_once(tmp_path):
    assert code_digest() == code_digest() and code_digest.cache_info().currsize == 1
    package = copy_package(tmp_path / "package")
    script = "from newsarchive.version import code_digest; print(code_digest())"
    env = dict(os.environ, PYTHONPATH=str(package), PYTHONDONTWRITEBYTECODE="1")

    def digest() -> str:
        return subprocess.run([sys.executable, "-c", script], cwd=package, env=env, capture_output=True, text=True, check=True).stdout
    before = digest()
    assert before.strip() == code_digest()  # the copy's source is the same as this one's
    (package / "newsarchive/deploy/run.py").write_text((package / "newsarchive/deploy/run.py").read_text() + "\n# a comment\n")
    assert digest() != before
