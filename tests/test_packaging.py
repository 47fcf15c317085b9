"""The sdist and wheel carry the default theme, and the installed `newsarchive` command builds any
site from any folder byte for byte as `python build.py` does in the clone.

Offline and quick: the sdist is built with the pinned setuptools (requirements-dev.txt) and the
wheel from it with `pip wheel --no-build-isolation`; the fresh virtual environment gets only
the wheel (`--no-deps`) and borrows the clone environment's packages through a .pth file.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, tree_digest

pytestmark = pytest.mark.slow  # builds a wheel and an sdist and installs them in a fresh venv

NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "_site", ".cache", "bench", "tests", "build", "dist", "*.egg-info",
                                    "__pycache__", ".pytest_cache", ".hypothesis", ".*.staging-*", ".*.old-*")


def run(*command, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def theme_files() -> dict[str, bytes]:
    return {p.relative_to(REPO).as_posix(): p.read_bytes() for folder in ("templates", "static") for p in sorted((REPO / folder).rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class Installed:
    root: Path
    sdist: Path
    wheel: Path
    venv: Path
    env: dict

    def newsarchive(self, *args, cwd: Path) -> subprocess.CompletedProcess:
        return run(self.venv / "bin/newsarchive", *args, cwd=cwd, env=self.env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"  # setuptools writes build/ and *.egg-info beside the sources: never in the clone
    shutil.copytree(REPO, source, ignore=NOT_SOURCE, symlinks=True)
    dist = root / "dist"
    run(sys.executable, "-c", "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])", dist, cwd=source)
    (sdist,) = dist.glob("newsarchive-*.tar.gz")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", dist, sdist, cwd=root)
    (wheel,) = dist.glob("newsarchive-*.whl")

    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    own_site = Path(run(venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root, env=env).stdout.strip())
    clone_site = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (own_site / "clone_dependencies.pth").write_text("".join(f"{p}\n" for p in clone_site), encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", venv / "bin/python", "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=root, env=env)
    return Installed(root, sdist, wheel, venv, env)


def test_sdist_carries_the_theme_and_what_builds_the_wheel(installed):
    with tarfile.open(installed.sdist) as tar:
        top = installed.sdist.name.removesuffix(".tar.gz")
        members = {m.name.removeprefix(top + "/"): m for m in tar.getmembers() if m.isfile()}
        assert {"pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "newsarchive/__init__.py"} <= set(members)
        shipped = {name: tar.extractfile(m).read() for name, m in members.items() if name.startswith(("templates/", "static/"))}
    assert shipped == theme_files()


def test_wheel_carries_the_theme_every_package_and_the_pinned_dependencies(installed):
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        packaged = {name.removeprefix("newsarchive/default_theme/"): wheel.read(name) for name in names if name.startswith("newsarchive/default_theme/")}
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert packaged == theme_files()
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "newsarchive").rglob("*.py") if "__pycache__" not in p.parts}
    assert "newsarchive/commands/init.py" in modules and modules - names == set()  # subpackages found, not listed by hand
    requires = {line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist: ") and "extra ==" not in line}
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert requires == set(declared)
    pinned = set(re.findall(r"^([^#\s-][^\s#]*)", (REPO / "requirements.txt").read_text(encoding="utf-8"), re.M))
    assert requires <= pinned


def test_installed_command_inits_and_builds_outside_the_clone_like_build_py(installed):
    root = installed.root
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    located = run(installed.venv / "bin/python", "-c",
                  "import newsarchive, newsarchive.config as c; print(newsarchive.__file__); print(c.DEFAULT_TEMPLATES); print(c.DEFAULT_STATIC)",
                  cwd=elsewhere, env=installed.env).stdout.split()
    assert all(Path(p).resolve().is_relative_to(installed.venv.resolve()) for p in located), located
    assert located[1].endswith("newsarchive/default_theme/templates")

    init = installed.newsarchive("init", "newsroom", "--title", "Velmar Coast", "--language", "fr", cwd=root)
    assert "newsarchive build --config newsroom/config.yaml" in init.stdout
    build = installed.newsarchive("build", "--config", "../newsroom/config.yaml", cwd=elsewhere)
    pages = int(re.search(r"wrote (\d+) pages", build.stdout).group(1))
    assert pages >= 15 and "built 1, skipped 0" in build.stdout

    shutil.rmtree(root / "newsroom/.cache")  # the clone's build must not reuse what the installed one cached
    run(sys.executable, "build.py", "--config", root / "newsroom/config.yaml", "--output", root / "clone_site", "--quiet", cwd=REPO)
    installed_site = tree_digest(root / "newsroom/_site")
    assert "index.html" in installed_site and "css/site.css" in installed_site
    assert installed_site == tree_digest(root / "clone_site")


def test_installed_command_builds_the_sample_archive_like_build_py(installed):
    sample = installed.root / "sample"
    shutil.copytree(REPO / "articles", sample / "articles")
    shutil.copy(REPO / "config.yaml", sample / "config.yaml")
    build = installed.newsarchive("build", "--config", sample / "config.yaml", "--output", installed.root / "sample_installed", cwd=installed.root)
    assert re.search(r"skipped 2 \(1 drafts, 1 under embargo\); 0 warnings; wrote \d+ pages", build.stdout), build.stdout
    shutil.rmtree(sample / ".cache")
    run(sys.executable, "build.py", "--config", sample / "config.yaml", "--output", installed.root / "sample_clone", "--quiet", cwd=REPO)
    built = tree_digest(installed.root / "sample_installed")
    assert len([p for p in built if p.endswith(".html")]) > 100
    assert built == tree_digest(installed.root / "sample_clone")


def test_installed_version_comes_from_the_package_metadata(installed):
    version = re.search(r"^Version: (.+)$", zipfile.ZipFile(installed.wheel).read(
        f"newsarchive-{installed.wheel.name.split('-')[1]}.dist-info/METADATA").decode("utf-8"), re.M).group(1)
    assert installed.newsarchive("--version", cwd=installed.root).stdout == f"newsarchive {version}\n"
    help_text = installed.newsarchive("--help", cwd=installed.root).stdout
    assert help_text.startswith("usage: newsarchive ") and f"newsarchive {version}: build a static website" in help_text
    assert run(sys.executable, "build.py", "--version", cwd=REPO).stdout == f"newsarchive {version}\n"
