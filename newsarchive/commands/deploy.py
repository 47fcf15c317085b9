"""`deploy [TARGET]`: bring the output up to date, then publish only what changed to a target named in config.yaml."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..clock import add_now_argument
from ..config import load_config
from ..deploy import DeployError, TargetSpec, open_target
from ..deploy.manifest import MANIFEST
from ..deploy.run import check_plan, failure_problem, plan_deploy, site_files, transfer
from ..errors import BuildError, Problem
from ..parallel import default_jobs
from ..pipeline import BuildOptions, build
from ..progress import Progress

HELP = "publish the built site to a target named under 'deploy:' in config.yaml, sending only what changed"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", nargs="?", metavar="TARGET", help="a name under 'deploy:' in config.yaml (default: the first)")
    parser.add_argument("--output", type=Path, metavar="DIR", help="the built site (default: _site/ beside the config file)")
    add_now_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="list what would be uploaded and deleted, change nothing")
    parser.add_argument("--delete", action="store_true",
                        help=f"delete files an earlier deploy of this site put there (listed in the target's {MANIFEST}) "
                             "that the site no longer has; never any other file")
    parser.add_argument("--force", action="store_true",
                        help="with --delete: go on although the target holds files no deploy of this site put there (they are kept)")


def choose_target(config, name: str | None) -> TargetSpec:
    targets = config.deploy
    if not targets:
        raise BuildError(Problem("no deploy targets in config.yaml", str(config.config_path),
                                 hint='add e.g.  deploy: {production: {url: "s3://my-bucket/"}}  (see README, "Deploying")'))
    if name is None:
        name = next(iter(targets))
    elif name not in targets:
        raise BuildError(Problem(f"no deploy target named '{name}'", str(config.config_path),
                                 hint="the targets are: " + ", ".join(targets)))
    entry = targets[name]
    return TargetSpec(name, entry["url"], entry.get("endpoint"), entry.get("region"), entry.get("branch", "gh-pages"))


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config, args.output)
    spec = choose_target(config, args.target)
    progress = Progress(sys.stdout)
    try:
        report = build(config, BuildOptions(jobs=default_jobs(), now=args.now), progress.build_stage)
    finally:
        progress.end_build()
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if not report.ok:
        print("build failed: " + report.summary() + "\nnothing was deployed", file=sys.stderr)
        return 1
    if not report.up_to_date:
        print("the site was not up to date, so it was built first: " + report.summary())
    output_dir = config.output_dir
    protected = (config.config_path, output_dir, config.articles_dir, *config.template_dirs, *config.static_dirs)
    target = open_target(spec, tuple(protected), config.site_dir)
    return publish(target, spec, output_dir, config.base_url, progress, dry_run=args.dry_run, delete=args.delete, force=args.force)


def publish(target, spec: TargetSpec, output_dir: Path, site: str, progress: Progress, *,
            dry_run: bool = False, delete: bool = False, force: bool = False) -> int:
    """Send a built output folder to an open target (which is closed after); the exit code."""
    try:
        if hasattr(target, "sync"):
            uploaded, deleted, unchanged, extra = target.sync(output_dir, dry_run=dry_run, delete=delete, force=force, site=site)
            return _summary(spec.name, dry_run, uploaded, deleted, unchanged, extra - len(deleted))
        local = site_files(output_dir)
        remote = target.list()
        plan = plan_deploy(local, remote, target.digest, delete, target.read_manifest(), site)
        check_plan(target, spec, plan, local, delete, force)
        if dry_run:
            return _summary(spec.name, True, plan.uploads, plan.deletes, plan.unchanged, plan.extra_remote - len(plan.deletes))
        removed = target.remove_leftovers()
        if removed:
            print(f"removed {removed} temporary file(s) an interrupted deploy had left in the target")
        progress.start_transfer(len(plan.uploads) + len(plan.deletes), f"deploying to {spec.name}")
        try:
            result = transfer(target, plan, local, lambda verb, rel: progress.file_done(verb, shown(rel)), site)
        finally:
            progress.end_transfer()
        if result.failed:
            print(failure_problem(spec.name, result), file=sys.stderr)
            return 1
        if result.note:
            print(result.note)
        return _summary(spec.name, False, result.uploaded, result.deleted, plan.unchanged, plan.extra_remote - len(result.deleted),
                        listed=False)
    except DeployError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"deploy to {spec.name} failed; run it again once the cause is fixed", file=sys.stderr)
        return 1
    finally:
        target.close()


def _summary(name: str, dry_run: bool, uploaded, deleted, unchanged: int, extra_remote: int, listed: bool = True) -> int:
    if listed:
        verb = ("would upload", "would delete") if dry_run else ("uploaded", "deleted")
        for rel in uploaded:
            print(f"  {verb[0]} {shown(rel)}")
        for rel in deleted:
            print(f"  {verb[1]} {shown(rel)}")
    if extra_remote:
        print(f"{extra_remote} files on the target are not in the site; kept (deploy --delete removes those an earlier deploy of this site put there)")
    if dry_run:
        print(f"dry run for {name}: would upload {len(uploaded)}, delete {len(deleted)}, unchanged {unchanged}; nothing was changed")
    else:
        print(f"deployed to {name}: uploaded {len(uploaded)}, deleted {len(deleted)}, unchanged {unchanged}")
    return 0


def shown(rel: str) -> str:
    """A file name on one line: quoted with escapes when it holds a newline, a tab or another unprintable character."""
    return rel if rel.isprintable() else repr(rel)
