"""Compare the built site with a target, then upload and delete only the difference.

Like Hugo's deploy: an explicit plan first (what goes up, what goes away, what stays),
then the transfer. Theme files and images go up before the pages that use them; a file
that fails after its retries is reported with everything that was and was not sent, and
a second run, comparing again, sends only what is still missing. Deletions are limited to
what the target's manifest says this site put there (manifest.py); the manifest is written
before the first file goes up (listing what is about to be there) and again at the end.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import Problem
from ..mediatypes import SHORT_CACHE, cache_control
from ..output import MARKER
from . import DeployError, Target, deploy_problem
from .manifest import MANIFEST, Ownership, published_after, reserved_problems, split_ownership

RETRIES = 4  # attempts per file
BACKOFF_SECONDS = 0.5  # doubled after each failed attempt


@dataclass(frozen=True)
class DeployPlan:
    uploads: tuple[str, ...]
    deletes: tuple[str, ...]  # only filled with --delete, and only with files this site put there
    unchanged: int
    extra_remote: int  # files the target has and the site does not (kept without --delete)
    ownership: Ownership = Ownership((), ())


@dataclass
class DeployResult:
    plan: DeployPlan
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # output path → last error
    note: str | None = None


def site_files(output_dir: Path) -> dict[str, Path]:
    """Every file of the built site by output path; the output marker and a build's temporary files are not the site."""
    files: dict[str, Path] = {}
    root = output_dir.resolve()
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if name == MARKER and folder == str(root) or ".na-tmp-" in name:
                continue
            abs_path = Path(folder) / name
            files[abs_path.relative_to(root).as_posix()] = abs_path
    return files


def plan_deploy(local: dict[str, Path], remote: dict[str, str], digest: Callable[[bytes], str], delete: bool,
                manifest: bytes | None = None, site: str = "") -> DeployPlan:
    uploads = [rel for rel, abs_path in local.items() if remote.get(rel) != digest(abs_path.read_bytes())]
    gone = sorted(rel for rel in remote if rel not in local)
    uploads.sort(key=lambda rel: (cache_control(rel) == SHORT_CACHE, rel))  # assets first, pages and feeds last
    ownership = split_ownership(gone, manifest, site)
    return DeployPlan(tuple(uploads), ownership.ours if delete else (), len(local) - len(uploads), len(gone), ownership)


def check_plan(target: Target, spec, plan: DeployPlan, local: dict[str, Path], delete: bool, force: bool) -> None:
    """Refuse before anything is sent: names this target cannot hold, and `--delete` over foreign files without `--force`."""
    refused = reserved_problems(local) + target.refused_names(list(local))
    if refused:
        shown = "; ".join(f"{rel!r}: {why}" for rel, why in refused[:8]) + (f" (and {len(refused) - 8} more)" if len(refused) > 8 else "")
        raise deploy_problem(f"{len(refused)} file name(s) of the site cannot be sent to this target, so nothing was sent: {shown}",
                             spec, "rename the files in articles/ or static/ (or the slugs that make them), then deploy again")
    if delete and plan.ownership.foreign and not force:
        message, hint = plan.ownership.refusal()
        raise deploy_problem(message, spec, hint)


def transfer(target: Target, plan: DeployPlan, local: dict[str, Path],
             on_done: Callable[[str, str], None] = lambda verb, rel: None, site: str = "") -> DeployResult:
    """Write the manifest (with what is about to be there), upload in parallel with retries and
    back-off, then delete, then write the final manifest; finish only when all went well."""
    result = DeployResult(plan)
    error = _with_retries(target.write_manifest, published_after(set(local), plan.ownership, set(), site).to_bytes())
    if error:
        result.failed[MANIFEST] = error
        return result
    with ThreadPoolExecutor(max_workers=max(1, target.parallel)) as pool:
        futures = {pool.submit(_with_retries, target.put, rel, local[rel]): rel for rel in plan.uploads}
        for future in as_completed(futures):
            rel = futures[future]
            error = future.result()
            if error:
                result.failed[rel] = error
            else:
                result.uploaded.append(rel)
                on_done("uploaded", rel)
    if not result.failed:
        for rel in plan.deletes:
            error = _with_retries(target.delete, rel)
            if error:
                result.failed[rel] = error
            else:
                result.deleted.append(rel)
                on_done("deleted", rel)
    if not result.failed:
        error = _with_retries(target.write_manifest, published_after(set(local), plan.ownership, set(result.deleted), site).to_bytes())
        if error:
            result.failed[MANIFEST] = error
    if not result.failed:
        result.note = target.finish(len(result.uploaded), len(result.deleted))
    return result


def _with_retries(action: Callable, *args) -> str | None:
    """None when done; else the last error, after RETRIES attempts spaced by doubling pauses."""
    pause = BACKOFF_SECONDS
    for attempt in range(RETRIES):
        try:
            action(*args)
            return None
        except DeployError as exc:
            return "; ".join(p.message for p in exc.problems)  # a refusal, not a hiccup: retrying will not help
        except Exception as exc:  # the clients' errors (network, throttling, a full disk) are worth another try
            last = f"{type(exc).__name__}: {exc}"
        if attempt < RETRIES - 1:
            time.sleep(pause)
            pause *= 2
    return last


def failure_problem(name: str, result: DeployResult) -> Problem:
    """What was sent, what was not, and that running deploy again finishes the job."""
    plan = result.plan
    not_sent = [rel for rel in plan.uploads if rel not in result.uploaded]
    not_deleted = [rel for rel in plan.deletes if rel not in result.deleted]
    shown = "; ".join(f"{_name(rel)}: {error}" for rel, error in sorted(result.failed.items())[:5])
    more = len(result.failed) - 5
    lines = [f"deploy to {name} stopped: uploaded {len(result.uploaded)} of {len(plan.uploads)}, "
             f"deleted {len(result.deleted)} of {len(plan.deletes)}; {len(result.failed)} failed: {shown}"
             + (f" (and {more} more)" if more > 0 else "")]
    if not_sent:
        lines.append("not sent: " + ", ".join(map(_name, not_sent[:20])) + (f" (and {len(not_sent) - 20} more)" if len(not_sent) > 20 else ""))
    if not_deleted:
        lines.append("not deleted: " + ", ".join(map(_name, not_deleted[:20])) + (f" (and {len(not_deleted) - 20} more)" if len(not_deleted) > 20 else ""))
    return Problem("\n    ".join(lines), hint="fix the cause and run deploy again: it compares again and sends only what is still missing")


def _name(rel: str) -> str:
    return rel if rel.isprintable() else repr(rel)
