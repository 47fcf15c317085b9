"""A folder: on this machine (plain file copies, no rsync needed), or user@host:/path via rsync.

A local folder is compared by content, like `rsync -a --checksum`: every file there is
hashed, and a file is replaced by writing a temporary copy beside it and renaming it, so a
reader never sees half a file. A remote one is handed to rsync (with the user's own ssh
set-up), which does the same comparison at the other end.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from ..output import MARKER
from ..safepaths import resolves_inside
from . import TargetSpec, deploy_problem


class FolderTarget:
    parallel = 4

    def __init__(self, spec: TargetSpec, site_dirs: tuple[Path, ...], base_dir: Path):
        self.name = spec.name
        self.spec = spec
        raw = spec.url[len("file://"):] if spec.url.startswith("file://") else spec.url
        self.root = Path(os.path.abspath(base_dir / os.path.expanduser(raw)))
        self.description = str(self.root)
        for folder in site_dirs:
            if resolves_inside(folder, self.root) or resolves_inside(self.root, folder):
                raise deploy_problem(f"the folder {self.root} holds or lies inside {folder}", spec,
                                     "deploy to a folder of its own, outside the site's files and its output")
        if self.root == Path(self.root.anchor) or self.root.resolve() == Path.home().resolve():
            raise deploy_problem(f"refusing to deploy into {self.root}", spec, "deploy to a folder of its own")

    def digest(self, data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def list(self) -> dict[str, str]:
        held: dict[str, str] = {}
        if not self.root.exists():
            return held
        if not self.root.is_dir():
            raise deploy_problem(f"{self.root} is not a folder", self.spec)
        for folder, dirs, names in os.walk(self.root):
            dirs.sort()
            for name in sorted(names):
                abs_path = Path(folder) / name
                if name == MARKER or ".na-deploy-" in name or abs_path.is_symlink():
                    continue
                held[abs_path.relative_to(self.root).as_posix()] = self.digest(abs_path.read_bytes())
        return held

    def put(self, output_path: str, abs_path: Path) -> None:
        final = self._inside(output_path)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.parent / f".{final.name}.na-deploy-{os.getpid()}"
        shutil.copyfile(abs_path, temporary)
        os.replace(temporary, final)

    def delete(self, output_path: str) -> None:
        final = self._inside(output_path)
        final.unlink(missing_ok=True)
        parent = final.parent
        while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def finish(self, uploaded: int, deleted: int) -> str | None:
        return None

    def close(self) -> None:
        pass

    def _inside(self, output_path: str) -> Path:
        final = self.root / output_path
        if not resolves_inside(final.parent, self.root):
            raise deploy_problem(f"'{output_path}' would be written outside {self.root} (a symlink there?)", self.spec)
        return final


class RsyncTarget:
    """Not a put/delete target: rsync compares and transfers in one run (see `sync`)."""
    parallel = 1

    def __init__(self, spec: TargetSpec):
        self.name = spec.name
        self.spec = spec
        self.destination = spec.url if spec.url.endswith("/") else spec.url + "/"
        self.description = self.destination

    def sync(self, out_dir: Path, *, dry_run: bool, delete: bool) -> tuple[list[str], list[str], int]:
        """(uploaded, deleted, unchanged) as rsync itemizes them."""
        command = ["rsync", "-a", "--checksum", "--itemize-changes", "--exclude", f"/{MARKER}", "--exclude", ".*.na-tmp-*"]
        command += ["--delete"] if delete else []
        command += ["--dry-run"] if dry_run else []
        try:
            done = subprocess.run(command + [str(out_dir.resolve()) + "/", self.destination], capture_output=True, text=True)
        except FileNotFoundError:
            raise deploy_problem("rsync is not installed", self.spec, "install rsync, or deploy to a local folder or another target") from None
        if done.returncode != 0:
            raise deploy_problem(f"rsync failed (exit {done.returncode}): {done.stderr.strip()}", self.spec,
                                 "nothing half-done is lost: fix the cause and run deploy again")
        uploaded, deleted = parse_itemized(done.stdout)
        total = sum(1 for _, _, names in os.walk(out_dir) for name in names) - (out_dir / MARKER).is_file()
        return uploaded, deleted, total - len(uploaded)

    def close(self) -> None:
        pass


def parse_itemized(text: str) -> tuple[list[str], list[str]]:
    """Files sent (`<f…`/`>f…`) and deleted (`*deleting`) in rsync's --itemize-changes output."""
    uploaded, deleted = [], []
    for line in text.splitlines():
        if line.startswith("*deleting "):
            name = line[len("*deleting "):].strip()
            if not name.endswith("/"):
                deleted.append(name)
        elif line[:2] in ("<f", ">f") and len(line) > 12:
            uploaded.append(line[12:])
    return uploaded, deleted
