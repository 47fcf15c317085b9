"""Command line: `python build.py [command] [options]`.

Exit codes: 0 success · 1 the input has problems (config, articles, templates) or
check found broken links · 2 wrong usage · 3 an internal error (a bug: please report it) ·
130 stopped by SIGINT (Ctrl-C) · 143 stopped by SIGTERM.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import traceback
from pathlib import Path

from .commands import build as build_command
from .commands import check as check_command
from .commands import deploy as deploy_command
from .commands import import_ as import_command
from .commands import init as init_command
from .commands import new as new_command
from .commands import serve as serve_command
from .errors import BuildError
from .version import package_version
from .interrupts import Interrupted, stop_on_signals

COMMANDS = {"build": build_command, "check": check_command, "new": new_command, "init": init_command,
            "import": import_command, "serve": serve_command, "deploy": deploy_command}


def make_parser(prog: str = "python build.py", version: str = "") -> argparse.ArgumentParser:
    """`version` is left out unless asked for (see version.py)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"newsarchive {version}".rstrip() + ": build a static website from a folder of news articles.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {version}", help="print the version and exit")
    parser.set_defaults(prog=prog)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        if getattr(module, "TAKES_CONFIG", True):
            command.add_argument("--config", type=Path, default=Path("config.yaml"), metavar="PATH",
                                 help="the site's config.yaml (default: ./config.yaml); articles/, templates/, static/ are beside it")
        module.add_arguments(command)
    parser.epilog = "commands and options:\n" + "\n".join(
        "  " + sub.choices[name].format_usage().replace("usage: ", "").strip() + f"\n      {COMMANDS[name].HELP}"
        for name in COMMANDS
    ) + "\n\nWith no command, 'build' runs. Exit codes: 0 ok, 1 problems in the input, 2 usage, 3 internal error."
    return parser


def run_as(prog: str) -> str:
    """The command as this user can type it again, for hints ("view it: … serve"): the
    installed `newsarchive`, or this very interpreter and script (a clone's system Python
    lacks the dependencies that its .venv holds)."""
    if prog == "newsarchive" or Path(sys.argv[0]).name != "build.py":
        return prog
    python = sys.executable or "python3"
    if shutil.which("python3") == python:
        python = "python3"
    return f"{_shown(python)} {_shown(sys.argv[0] or 'build.py')}"


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return shlex.quote(relative if not relative.startswith("..") else path)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    prog = "newsarchive" if Path(sys.argv[0]).stem == "newsarchive" else "python build.py"
    parser = make_parser(prog, package_version() if {"-h", "--help", "--version"} & set(argv) else "")
    parser.set_defaults(run_as=run_as(prog))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    try:
        with stop_on_signals():
            return COMMANDS[args.command].run(args)
    except Interrupted as exc:
        print(f"stopped by {exc}; " + ("the new site had already been written whole" if exc.committed
                                        else "the previous site is untouched"), file=sys.stderr)
        return exc.exit_code
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous site is untouched", file=sys.stderr)
        return 130
    except Exception:
        traceback.print_exc()
        print("internal error: this is a bug in newsarchive, not in your files; please report it with the lines above", file=sys.stderr)
        return 3
