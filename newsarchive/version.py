"""Which code is running: the version a user is shown, the installed dependencies' versions,
and a digest of the package's own source, which the cache's keys carry (rebuild/keys.py) so
that editing the generator (a view, a helper the templates call) rebuilds what it shapes.

Asked by `--version`, `--help` and every build: importing importlib.metadata costs more than
a quick build, so versions are read off folder names and the source digest is computed once
per process from the files' bytes.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

from . import __version__

PACKAGE_DIR = Path(__file__).resolve().parent


def package_version() -> str:
    if (PACKAGE_DIR.parent / "pyproject.toml").is_file():
        return __version__  # a clone: its source is the truth, whatever an earlier `pip install .` left in metadata
    from importlib import metadata
    try:
        return metadata.version("newsarchive")
    except metadata.PackageNotFoundError:  # unpacked without metadata, e.g. a copied folder on PYTHONPATH
        return __version__


@cache
def code_digest() -> str:
    """A digest of every .py file of the package (paths sorted, bytes as they are): any edit of
    the generator's code changes it, however small, and `__version__` alone never moves.
    About 0.5 MB of source, read once per process (a millisecond or two)."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    files = []
    for folder, dirs, names in os.walk(PACKAGE_DIR):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    for path in sorted(files):
        with open(path, "rb") as handle:
            data = handle.read()
        digest.update(f"\0{os.path.relpath(path, PACKAGE_DIR)}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        digest.update(data)
    return digest.hexdigest()


def package_versions(names: tuple[str, ...]) -> list[str]:
    """Installed versions, read off the `name-version.dist-info` folder names: importing
    importlib.metadata and asking it costs more than a whole up-to-date check."""
    wanted = {_distribution_key(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            stem = entry[: -len(".dist-info")]
            if entry.endswith(".dist-info") and stem.count("-") == 1:  # "dist-info" holds a hyphen of its own
                name, version = stem.split("-")
                key = _distribution_key(name)
                if key in wanted and key not in found:
                    found[key] = version
        if len(found) == len(wanted):
            break
    missing = [wanted[key] for key in wanted if key not in found]
    if missing:  # installed some other way (an egg, a system package): ask the standard library
        from importlib import metadata
        found.update((_distribution_key(n), metadata.version(n)) for n in missing)
    return [found[key] for key in wanted]


def _distribution_key(name: str) -> str:
    """`python-slugify`, `python_slugify` and `Python.Slugify` name one distribution."""
    return re.sub(r"[-_.]+", "_", name).lower()
