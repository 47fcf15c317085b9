"""`--version` and `--help` show the installed distribution's version, or __version__ in a clone."""
from __future__ import annotations

import sys

from conftest import run_cli
from newsarchive import __version__
from newsarchive.version import package_version


def test_version_and_help_show_the_version():
    assert run_cli("--version").out == f"newsarchive {__version__}\n"
    help_text = run_cli("--help").out
    assert f"newsarchive {__version__}: build a static website" in help_text and "--version" in help_text


def test_metadata_installed_earlier_does_not_lend_its_version_to_the_clone(tmp_path, monkeypatch):
    info = tmp_path / "newsarchive-9.9.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: newsarchive\nVersion: 9.9.9\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    from importlib import metadata
    assert metadata.version("newsarchive") == "9.9.9"
    assert package_version() == __version__
