"""Packaging step: the wheel gets the default theme from the top-level templates/ and static/.

Those two folders stay the theme's one source (the clone's layout); at build time they are
copied into the package as newsarchive/default_theme/, where newsarchive.config looks first.
Everything else about the package is declared in pyproject.toml.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

THEME_FOLDERS = ("templates", "static")


class build_py_with_theme(build_py):
    """build_py, plus the default theme copied into the built package (not in editable installs,
    which run from the clone and find the top-level folders themselves)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in THEME_FOLDERS:
            self.copy_tree(name, str(Path(self.build_lib, "newsarchive", "default_theme", name)))


setup(cmdclass={"build_py": build_py_with_theme})
