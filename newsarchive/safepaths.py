"""Where a path really leads: a symlink may point anywhere, so files are trusted by their real path.

A link under articles/, static/ or templates/ that stays inside that folder behaves as a
normal file; one that leaves it is refused, so a contributed symlink never publishes the
builder's own files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def resolves_inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """True when `path`, every symlink followed, is `root` itself or lies under it.
    A path that cannot be resolved (a link loop, a NUL byte) is not inside."""
    try:
        real = os.path.realpath(path, strict=False)
        real_root = os.path.realpath(root)
    except (OSError, ValueError):
        return False
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class RefusedLink:
    """A symlink the walk did not follow: `path` as the user sees it (e.g. "static/etc"),
    `target` where it leads, and why ("outside" its folder, or a "loop"); or a file or folder
    whose name is not UTF-8 ("name": its bytes shown escaped, `target` empty)."""
    path: str
    target: str
    reason: str = "outside"

    def message(self) -> str:
        folder = self.path.split("/", 1)[0]
        if self.reason == "name":
            return "the name is not UTF-8; skipped: never read, never copied"
        if self.reason == "loop":
            return f"symlink leads back into a folder above it ({self.target}); not followed"
        return f"symlink leads outside {folder}/ (to {self.target}); refused: never read, never copied"

    def hint(self) -> str:
        folder = self.path.split("/", 1)[0]
        if self.reason == "name":
            return "rename it in UTF-8 (e.g. convmv -f latin1 -t utf-8): no URL, feed or terminal can show these bytes"
        return refused_link_hint(Path(folder))


def link_target(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.readlink(path)


def refused_link_hint(root: Path) -> str:
    return f"this symlink leads outside {root.name}/; replace it with a copy of the file, or a link that stays inside {root.name}/"
