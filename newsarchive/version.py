"""The version a user is shown: the installed distribution's metadata, or `__version__` in a clone.

Asked only by `--version` and `--help`: importing importlib.metadata costs more than a quick build.
"""
from __future__ import annotations

from pathlib import Path

from . import __version__


def package_version() -> str:
    from importlib import metadata
    try:
        distribution = metadata.distribution("newsarchive")
    except metadata.PackageNotFoundError:
        return __version__
    installed = Path(distribution.locate_file("newsarchive/__init__.py")).resolve()
    if installed != Path(__file__).resolve().parent / "__init__.py":  # another copy is installed; this one runs from a clone
        return __version__
    return distribution.version
