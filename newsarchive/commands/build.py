from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from ..clock import add_now_argument
from ..config import load_config
from ..config_cache import FILE_NAME as CONFIG_RECORD
from ..errors import ConfigError
from ..parallel import default_jobs
from ..pipeline import BuildOptions, build
from ..progress import Progress
from ..problem_digest import recorded, terminal_lines, write_report

HELP = "build the site into the output folder (default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: _site/ beside the config file)")
    parser.add_argument("--drafts", action="store_true", help="also build articles marked 'draft: true'")
    parser.add_argument("--keep-going", action="store_true", help="skip bad articles, build the rest and exit 0")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (broken 'related' slugs, missing images…)")
    parser.add_argument("--jobs", type=job_count, default=default_jobs(), metavar="N",
                        help=f"processes for loading and rendering (default: all cores, here {default_jobs()})")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="load and render on a Dask cluster, e.g. tcp://host:8786 (needs newsarchive[dask]; see README, Large archives)")
    parser.add_argument("--full", action="store_true", help="ignore the build cache: parse every article and write the whole site anew")
    add_now_argument(parser)
    parser.add_argument("--profile", action="store_true", help="print the seconds spent in each stage")
    parser.add_argument("--quiet", action="store_true", help="print only problems and the final report line")
    parser.add_argument("--verbose", action="store_true",
                        help="print every problem; otherwise more than 5 of one kind show as one line (all are in .cache/last-build-report.txt)")


def job_count(text: str) -> int:
    """--jobs N, for every command that takes it."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("must be a whole number, 1 or more")
    return int(text)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config, args.output)  # a refused build makes no .cache folder
    progress = Progress(enabled=not args.quiet)
    try:
        report = build(config, BuildOptions(drafts=args.drafts, keep_going=args.keep_going, strict=args.strict,
                                            jobs=args.jobs, full=args.full, scheduler=args.scheduler, now=args.now), progress.build_stage)
    finally:
        progress.end_build()
    # config.yaml's validated values, kept for the next build (config_cache.py): load_config keeps them
    # itself once .cache exists, so only a first build that succeeded has them to keep here
    if report.ok and not (config.cache_dir / CONFIG_RECORD).is_file():
        try:
            load_config(args.config, args.output, keep=True)
        except ConfigError:  # config.yaml changed during the build: the next build reads it anew
            pass
    problems = recorded(report.problems)  # grouped once, for the report file and the terminal both
    report_path = write_report(config.cache_dir, problems)
    for line in terminal_lines(problems, verbose=args.verbose, report_path=report_path and _shown(report_path)):
        print(line, file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(("built: " if report.ok else "build failed: ") + report.summary(), file=sys.stdout if report.ok else sys.stderr)
    if args.profile:
        print("stages: " + report.profile())
    if report.ok and not args.quiet:
        run_as = getattr(args, "run_as", "python build.py")
        config_arg = f" --config {shlex.quote(str(args.config))}" if args.config != Path("config.yaml") else ""
        if args.output is None:
            print(f"view it: {run_as} serve{config_arg}, then open the address it prints")
        else:  # serve builds into the configured folder; this one is served as it is
            print(f"view it: python3 -m http.server -d {shlex.quote(str(_shown(config.output_dir)))} 8000, then open http://localhost:8000/")
    return 0 if report.ok else 1


def _shown(path: Path) -> Path:
    """A path relative to the current folder when inside it, else absolute."""
    relative = os.path.relpath(path)
    return Path(relative) if not relative.startswith("..") else path
