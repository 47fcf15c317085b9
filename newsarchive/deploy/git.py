"""A git branch (gh-pages and the like) whose whole tree is the site.

Everything happens in a throwaway bare repository with git's plumbing (read-tree,
hash-object, update-index, write-tree, commit-tree), so the user's own checkout, index and
working branch are never touched. The branch's last commit is fetched, the changed files
are written over its tree, and a commit is made and pushed only when the tree changed.
The manifest of what this site put there (manifest.py) is a file of that tree. Names go to
git NUL-terminated (and C-quoted for hash-object), so a tab, a newline or a quote stays in
the name; names git will not store (a `.git` part, `git~1`) are found by trying the whole
list on a scratch index first, and refused before anything is sent. Authentication is the
user's own git and ssh set-up.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from . import TargetSpec, deploy_problem
from .manifest import MANIFEST

ZERO = "0" * 40


class GitTarget:
    parallel = 1  # puts only record; the objects are written in one batch at the end

    def __init__(self, spec: TargetSpec, base_dir: Path):
        self.name = spec.name
        self.spec = spec
        remote = spec.url[len("git+"):] if spec.url.startswith("git+") else spec.url
        if remote.startswith("-"):
            raise deploy_problem("the url starts with '-', which git would read as an option", spec,
                                 "write the repository's url or path (./-name for a folder whose name starts with '-')")
        is_path = "://" not in remote and ":" not in remote.split("/", 1)[0]
        self.remote = os.path.abspath(base_dir / os.path.expanduser(remote)) if is_path else remote  # git runs elsewhere
        self.branch = spec.branch
        self.description = f"{self.remote} branch {self.branch}"
        self.workdir = tempfile.TemporaryDirectory(prefix="newsarchive-deploy-")
        self.git_dir = Path(self.workdir.name) / "repo.git"
        self.env = {**os.environ, "GIT_DIR": str(self.git_dir), "GIT_INDEX_FILE": str(Path(self.workdir.name) / "index"),
                    "GIT_TERMINAL_PROMPT": "0"}
        self.env.pop("GIT_WORK_TREE", None)
        self.parent: str | None = None
        self.puts: dict[str, Path] = {}
        self.deletes: list[str] = []
        self.manifest_sha: str | None = None
        self.manifest: bytes | None = None
        self._git("init", "--quiet", "--bare", str(self.git_dir), env={k: v for k, v in self.env.items() if k != "GIT_DIR"})
        if not self._has_identity():
            self.env.update(GIT_AUTHOR_NAME="newsarchive", GIT_AUTHOR_EMAIL="newsarchive@localhost",
                            GIT_COMMITTER_NAME="newsarchive", GIT_COMMITTER_EMAIL="newsarchive@localhost")

    def digest(self, data: bytes) -> str:
        return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()

    def list(self) -> dict[str, str]:
        heads = self._git("ls-remote", "--heads", self.remote, f"refs/heads/{self.branch}",
                          hint="check the url and that your git/ssh set-up can reach it")
        if heads.strip():
            self._git("fetch", "--quiet", "--depth=1", self.remote, f"refs/heads/{self.branch}:refs/heads/{self.branch}")
            self.parent = self._git("rev-parse", f"refs/heads/{self.branch}").strip()
            self._git("read-tree", self.parent)
        held: dict[str, str] = {}
        if self.parent:
            for entry in self._git("ls-tree", "-r", "-z", self.parent).split("\0"):
                if entry:
                    meta, path = entry.split("\t", 1)
                    mode, kind, sha = meta.split()
                    if path == MANIFEST:
                        self.manifest_sha = sha
                    elif kind == "blob":
                        held[path] = sha
        return held

    def refused_names(self, output_paths: list[str]) -> list[tuple[str, str]]:
        """The names git leaves out of an index (it says "Ignoring path" and goes on), found on a scratch index."""
        empty = self._git("hash-object", "-w", "--stdin", stdin=b"").strip()
        scratch = {**self.env, "GIT_INDEX_FILE": str(Path(self.workdir.name) / "scratch-index")}
        self._git("update-index", "-z", "--index-info", env=scratch,
                  stdin=b"".join(b"100644 %s\t%s\0" % (empty.encode(), os.fsencode(rel)) for rel in output_paths))
        kept = set(self._git("ls-files", "-z", env=scratch).split("\0"))
        Path(scratch["GIT_INDEX_FILE"]).unlink(missing_ok=True)
        return [(rel, "git does not store this name (a '.git' part, or a name Windows reserves for it)")
                for rel in output_paths if rel not in kept]

    def read_manifest(self) -> bytes | None:
        return self._git("cat-file", "blob", self.manifest_sha, binary=True) if self.manifest_sha else None

    def write_manifest(self, data: bytes) -> None:
        self.manifest = data  # goes into the commit with the files

    def remove_leftovers(self) -> int:
        return 0  # the work happens in a temporary repository; the branch gets whole commits only

    def put(self, output_path: str, abs_path: Path) -> None:
        self.puts[output_path] = abs_path

    def delete(self, output_path: str) -> None:
        self.deletes.append(output_path)

    def finish(self, uploaded: int, deleted: int) -> str | None:
        manifest_same = self.manifest is None or self.digest(self.manifest) == self.manifest_sha
        if not self.puts and not self.deletes and self.parent and manifest_same:
            return f"no new commit: branch {self.branch} already holds this site"
        rels = list(self.puts)
        shas = self._git("hash-object", "-w", "--no-filters", "--stdin-paths",
                         stdin=b"".join(_c_quoted(os.fsencode(self.puts[rel])) + b"\n" for rel in rels)).split()
        entries = [(sha, rel) for rel, sha in zip(rels, shas)]
        if self.manifest is not None:
            entries.append((self._git("hash-object", "-w", "--stdin", stdin=self.manifest).strip(), MANIFEST))
        records = [b"100644 %s\t%s\0" % (sha.encode(), os.fsencode(rel)) for sha, rel in entries]
        records += [b"0 %s\t%s\0" % (ZERO.encode(), os.fsencode(rel)) for rel in self.deletes]
        self._git("update-index", "-z", "--index-info", stdin=b"".join(records))
        tree = self._git("write-tree").strip()
        if self.parent and tree == self._git("rev-parse", f"{self.parent}^{{tree}}").strip():
            return f"no new commit: branch {self.branch} already holds this site"
        message = f"newsarchive deploy: {uploaded} uploaded, {deleted} deleted"
        commit = self._git("commit-tree", tree, *(["-p", self.parent] if self.parent else []), "-m", message).strip()
        self._git("push", "--quiet", self.remote, f"{commit}:refs/heads/{self.branch}",
                  hint="someone else may have pushed to this branch meanwhile: run deploy again")
        return f"pushed commit {commit[:12]} to {self.branch}"

    def close(self) -> None:
        self.workdir.cleanup()

    def _has_identity(self) -> bool:
        found = subprocess.run(["git", "config", "user.email"], env=self.env, capture_output=True, text=True, cwd=self.workdir.name)
        return bool(found.stdout.strip())

    def _git(self, *args: str, stdin: bytes | None = None, hint: str | None = None, env: dict | None = None,
             binary: bool = False):
        """git's output as text (names decoded as the file system does, so no byte is lost), or bytes."""
        try:
            done = subprocess.run(["git", *args], env=env or self.env, input=stdin, capture_output=True,
                                  cwd=self.workdir.name, timeout=600)
        except FileNotFoundError:
            raise deploy_problem("git is not installed", self.spec, "install git") from None
        if done.returncode != 0:
            said = os.fsdecode(done.stderr).strip() or os.fsdecode(done.stdout).strip()
            raise deploy_problem(f"git {args[0]} failed: {said}", self.spec, hint)
        return done.stdout if binary else os.fsdecode(done.stdout)


def _c_quoted(path: bytes) -> bytes:
    """A path as git reads a C-quoted line: a newline or a leading quote in it survives --stdin-paths."""
    escaped = path.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n").replace(b"\r", b"\\r")
    return b'"' + escaped + b'"'
