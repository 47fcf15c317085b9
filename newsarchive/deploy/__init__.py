"""Publishing the built site: compare it with what a target holds, then send only the difference.

Each target (s3.py, git.py, folder.py) answers three questions through one small
interface, `Target`: what do you hold (path → digest), put this file, delete that one;
`finish()` makes the result live where that takes a last step (a git commit and push).
Each also keeps the manifest of what this site published there (manifest.py), and says
which file names it cannot hold, so they are refused before anything is sent.
run.py compares and transfers; config's `deploy:` mapping names the targets.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import BuildError, Problem


class Target(Protocol):
    name: str
    description: str  # where the files go, for messages
    parallel: int  # puts at once

    def digest(self, data: bytes) -> str: ...
    def list(self) -> dict[str, str]: ...  # every file held, but the manifest and deploys' temporary files
    def refused_names(self, output_paths: list[str]) -> list[tuple[str, str]]: ...  # (path, why) for names it cannot hold
    def read_manifest(self) -> bytes | None: ...  # after list()
    def write_manifest(self, data: bytes) -> None: ...
    def remove_leftovers(self) -> int: ...  # temporary files an interrupted deploy left in the target
    def put(self, output_path: str, abs_path: Path) -> None: ...
    def delete(self, output_path: str) -> None: ...
    def finish(self, uploaded: int, deleted: int) -> str | None: ...  # a note for the user, or None
    def close(self) -> None: ...


@dataclass(frozen=True)
class TargetSpec:
    """One entry of config.yaml's `deploy:` mapping."""
    name: str
    url: str
    endpoint: str | None = None
    region: str | None = None
    branch: str = "gh-pages"

    @property
    def kind(self) -> str:
        return target_kind(self.url)


def target_kind(url: str) -> str:
    """s3, git, rsync or folder, read off the URL's shape."""
    if url.startswith("s3://"):
        return "s3"
    if url.startswith("git+") or url.endswith(".git") or url.endswith(".git/"):
        return "git"
    head = url.split("/", 1)[0]
    if ":" in head and "://" not in url and not (len(head) == 2 and head[0].isalpha()):  # user@host:/path, not C:
        return "rsync"
    return "folder"


def open_target(spec: TargetSpec, site_dirs: tuple[Path, ...], base_dir: Path) -> Target:
    """The target for a config entry; `site_dirs` are folders a local target must never hold or lie in;
    a relative path is taken from `base_dir`, the folder of config.yaml."""
    if spec.kind == "s3":
        from .s3 import S3Target
        return S3Target(spec)
    if spec.kind == "git":
        from .git import GitTarget
        return GitTarget(spec, base_dir)
    if spec.kind == "rsync":
        from .folder import RsyncTarget
        return RsyncTarget(spec)
    from .folder import FolderTarget
    return FolderTarget(spec, site_dirs, base_dir)


class DeployError(BuildError):
    pass


def deploy_problem(message: str, spec: TargetSpec, hint: str | None = None) -> DeployError:
    return DeployError(Problem(f"deploy to {spec.name}: {message}", spec.url, hint=hint))
