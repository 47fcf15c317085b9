"""Where a path really leads: a symlink may point anywhere, so files are trusted by their real path.

A link under articles/, static/ or templates/ that stays inside that folder behaves as a
normal file; one that leaves it is refused, so a contributed symlink never publishes the
builder's own files.
"""
from __future__ import annotations

import os
from pathlib import Path


def resolves_inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """True when `path`, every symlink followed, is `root` itself or lies under it."""
    real = os.path.realpath(path)
    real_root = os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def refused_link_hint(root: Path) -> str:
    return f"this symlink leads outside {root.name}/; replace it with a copy of the file, or a link that stays inside {root.name}/"
