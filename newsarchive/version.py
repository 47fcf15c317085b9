"""The version a user is shown: the installed distribution's metadata, or `__version__` in a clone.

Asked only by `--version` and `--help`: importing importlib.metadata costs more than a quick build.
"""
from __future__ import annotations

from pathlib import Path

from . import __version__


def package_version() -> str:
    if (Path(__file__).resolve().parent.parent / "pyproject.toml").is_file():
        return __version__  # a clone: its source is the truth, whatever an earlier `pip install .` left in metadata
    from importlib import metadata
    try:
        return metadata.version("newsarchive")
    except metadata.PackageNotFoundError:  # unpacked without metadata, e.g. a copied folder on PYTHONPATH
        return __version__
