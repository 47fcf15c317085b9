"""A folder: on this machine (plain file copies, no rsync needed), or user@host:/path via rsync.

A local folder is compared by content, like `rsync -a --checksum`: every file there is
hashed, and a file is replaced by writing a temporary copy beside it and renaming it, so a
reader never sees half a file. The copy's name (`.newsarchive-deploy-tmp-PID-N`) is short,
whatever the file's own name, and tells the next deploy to remove it if this one is killed.
A remote one is handed to rsync (with the user's own ssh set-up), which does the same
comparison at the other end, with its temporary files kept in one folder the next run
empties. File names travel as data, never through a shell, so any name the build makes
(tab, newline, quotes, a leading dash) arrives as it is.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..output import MARKER
from ..safepaths import resolves_inside
from . import TargetSpec, deploy_problem
from .manifest import MANIFEST, TEMPORARY_PREFIX, split_ownership

_LEFTOVER = re.compile(re.escape(TEMPORARY_PREFIX) + r"-(\d+)-\d+\Z|\..*\.na-deploy-(\d+)\Z")  # this version's, and older ones'


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
        self._numbers = itertools.count()

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
                rel = abs_path.relative_to(self.root).as_posix()
                if name == MARKER or rel == MANIFEST or _LEFTOVER.match(name) or abs_path.is_symlink():
                    continue
                try:
                    held[rel] = self.digest(abs_path.read_bytes())
                except OSError as exc:
                    raise deploy_problem(f"cannot read {abs_path}: {exc.strerror or exc}", self.spec) from None
        return held

    def refused_names(self, output_paths: list[str]) -> list[tuple[str, str]]:
        """Any name the build wrote, a folder holds (the same kind of file system); but not through
        a symlink in the target that leads out of it."""
        refused, checked = [], {}
        for rel in output_paths:
            parent = (self.root / rel).parent
            if parent not in checked:
                checked[parent] = resolves_inside(parent, self.root)
            if not checked[parent]:
                refused.append((rel, f"its folder in the target is a symlink leading out of {self.root}"))
        return refused

    def read_manifest(self) -> bytes | None:
        try:
            return (self.root / MANIFEST).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise deploy_problem(f"cannot read {self.root / MANIFEST}: {exc.strerror or exc}", self.spec) from None

    def write_manifest(self, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self._temporary(self.root)
        temporary.write_bytes(data)
        os.replace(temporary, self.root / MANIFEST)

    def remove_leftovers(self) -> int:
        """Temporary copies left by a deploy that was killed (its process is gone)."""
        removed = 0
        for folder, _, names in os.walk(self.root):
            for name in names:
                found = _LEFTOVER.match(name)
                if found and not _alive(int(found[1] or found[2])):
                    Path(folder, name).unlink(missing_ok=True)
                    removed += 1
        return removed

    def put(self, output_path: str, abs_path: Path) -> None:
        final = self._inside(output_path)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._temporary(final.parent)
        try:
            shutil.copyfile(abs_path, temporary)
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)

    def _temporary(self, folder: Path) -> Path:
        return folder / f"{TEMPORARY_PREFIX}-{os.getpid()}-{next(self._numbers)}"

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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


class RsyncTarget:
    """Not a put/delete target: rsync compares and transfers in one run (see `sync`), then deletes
    by name only files the manifest says this site put there (`--delete-missing-args`)."""
    parallel = 1

    def __init__(self, spec: TargetSpec):
        self.name = spec.name
        self.spec = spec
        self.destination = spec.url if spec.url.endswith("/") else spec.url + "/"
        self.description = self.destination
        if self.destination.startswith("-"):
            raise deploy_problem("the url starts with '-', which rsync would read as an option", spec,
                                 "write it as user@host:/path")

    def sync(self, output_dir: Path, *, dry_run: bool, delete: bool, force: bool = False,
             site: str = "") -> tuple[list[str], list[str], int, int]:
        """(uploaded, deleted, unchanged, files the target has and the site not) as rsync itemizes them."""
        from .manifest import published_after, reserved_problems
        from .run import site_files
        local = site_files(output_dir)
        refused = reserved_problems(local)
        if refused:
            raise deploy_problem(f"the site holds {refused[0][0]!r}, {refused[0][1]}; nothing was sent", self.spec,
                                 "rename or remove that file in static/")
        source = str(output_dir.resolve()) + "/"
        excludes = ["--exclude", f"/{MARKER}", "--exclude", f"/{MANIFEST}", "--exclude", f"/{TEMPORARY_PREFIX}/",
                    "--exclude", ".*.na-tmp-*"]
        with tempfile.TemporaryDirectory(prefix="newsarchive-rsync-") as work:
            work_dir = Path(work)
            remote_manifest = self._fetch(MANIFEST, work_dir / "remote-manifest")
            uploads, gone = parse_itemized(self._rsync("-a", "--checksum", "--dry-run", "--delete", "--itemize-changes",
                                                       *excludes, source, self.destination))
            ownership = split_ownership(gone, remote_manifest, site)
            if delete and ownership.foreign and not force:
                message, hint = ownership.refusal()
                raise deploy_problem(message, self.spec, hint)
            deletes = list(ownership.ours) if delete else []
            if dry_run:
                return uploads, deletes, len(local) - len(uploads), len(gone)
            empty = work_dir / "empty"
            (empty / TEMPORARY_PREFIX).mkdir(parents=True)
            # the folder for rsync's temporary files: made, and emptied of a killed run's leftovers
            self._rsync("-r", "--delete", "--filter", f"+ /{TEMPORARY_PREFIX}/***", "--filter", "- *", str(empty) + "/", self.destination)
            self._send_manifest(work_dir, published_after(set(local), ownership, set(), site).to_bytes())
            uploaded, _ = parse_itemized(self._rsync("-a", "--checksum", "--itemize-changes", f"--temp-dir={TEMPORARY_PREFIX}",
                                                     *excludes, source, self.destination))
            if deletes:
                self._rsync("-r", "--from0", "--files-from=-", "--delete-missing-args", str(empty) + "/", self.destination,
                            stdin=b"".join(os.fsencode(rel) + b"\0" for rel in deletes))
            self._send_manifest(work_dir, published_after(set(local), ownership, set(deletes), site).to_bytes())
            (empty / TEMPORARY_PREFIX).rmdir()
            self._rsync("-r", "--delete", "--filter", f"+ /{TEMPORARY_PREFIX}/", "--filter", "- *", str(empty) + "/", self.destination)
        return uploaded, deletes, len(local) - len(uploaded), len(gone)

    def _send_manifest(self, work_dir: Path, data: bytes) -> None:
        (work_dir / "manifest").mkdir(exist_ok=True)
        (work_dir / "manifest" / MANIFEST).write_bytes(data)
        self._rsync(str(work_dir / "manifest" / MANIFEST), self.destination)

    def _fetch(self, rel: str, into: Path) -> bytes | None:
        """A file of the target, or None when it has none."""
        done = self._run(["rsync", self.destination + rel, str(into)])
        if done.returncode == 23 and b"No such file or directory" in done.stderr:
            return None
        self._check(done)
        return into.read_bytes()

    def _rsync(self, *args: str, stdin: bytes | None = None) -> bytes:
        done = self._run(["rsync", *args], stdin)
        self._check(done)
        return done.stdout

    def _run(self, command: list[str], stdin: bytes | None = None):
        try:
            return subprocess.run(command, input=stdin, capture_output=True)
        except FileNotFoundError:
            raise deploy_problem("rsync is not installed", self.spec, "install rsync, or deploy to a local folder or another target") from None

    def _check(self, done) -> None:
        if done.returncode != 0:
            raise deploy_problem(f"rsync failed (exit {done.returncode}): {os.fsdecode(done.stderr).strip()}", self.spec,
                                 "nothing half-done is lost: fix the cause and run deploy again")

    def close(self) -> None:
        pass


def parse_itemized(text: str | bytes) -> tuple[list[str], list[str]]:
    """Files sent (`<f…`/`>f…`) and deleted (`*deleting`) in rsync's --itemize-changes output.

    rsync writes a name's unprintable bytes (a newline, a tab) as `\\#ooo` and a backslash
    before `#` as `\\#134`, so each line holds one name, decoded here back to its bytes."""
    uploaded, deleted = [], []
    raw = os.fsencode(text) if isinstance(text, str) else text
    for line in raw.split(b"\n"):
        name = os.fsdecode(re.sub(rb"\\#([0-7]{3})", lambda found: bytes([int(found[1], 8)]), line[12:]))
        if line.startswith(b"*deleting ") and len(line) > 12:
            if not name.endswith("/"):
                deleted.append(name)
        elif line[:2] in (b"<f", b">f") and len(line) > 12:
            uploaded.append(name)
    return uploaded, deleted
