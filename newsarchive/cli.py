"""Command line: `python build.py [command] [options]`.

Exit codes: 0 success · 1 the input has problems (config, articles, templates) or
check found broken links · 2 wrong usage · 3 an internal error (a bug: please report it) ·
130 stopped by SIGINT (Ctrl-C) · 143 stopped by SIGTERM.
"""
from __future__ import annotations

import argparse
import importlib
import os
import shlex
import shutil
import sys
from pathlib import Path
from types import ModuleType

from .errors import BuildError
from .version import package_version
from .interrupts import Interrupted, stop_on_signals

# Command name → its module in newsarchive.commands, imported when that command runs or help
# lists them all: a build imports neither the deploy nor the check machinery.
COMMAND_MODULES = {"build": "build", "check": "check", "new": "new", "init": "init",
                   "import": "import_", "serve": "serve", "deploy": "deploy"}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"newsarchive.commands.{COMMAND_MODULES[name]}")


def make_parser(prog: str = "python build.py", version: str = "", only: str | None = None) -> argparse.ArgumentParser:
    """`version` is left out unless asked for (see version.py). `only`: the one command the
    arguments name, whose parser alone is made (the others' modules stay unimported)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"newsarchive {version}".rstrip() + ": build a static website from a folder of news articles.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {version}", help="print the version and exit")
    parser.set_defaults(prog=prog)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {name: command_module(name) for name in ([only] if only else COMMAND_MODULES)}
    for name, module in modules.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        if getattr(module, "TAKES_CONFIG", True):
            command.add_argument("--config", type=Path, default=Path("config.yaml"), metavar="PATH",
                                 help="the site's config.yaml (default: ./config.yaml); articles/, templates/, static/ are beside it")
        module.add_arguments(command)
    parser.epilog = "commands and options:\n" + "\n".join(
        "  " + sub.choices[name].format_usage().replace("usage: ", "").strip() + f"\n      {modules[name].HELP}"
        for name in modules
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
    asks_help = bool({"-h", "--help", "--version"} & set(argv))
    only = argv[0] if argv[0] in COMMAND_MODULES and not asks_help else None
    parser = make_parser(prog, package_version() if asks_help else "", only)
    parser.set_defaults(run_as=run_as(prog))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    try:
        with stop_on_signals():
            return command_module(args.command).run(args)
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
        import traceback  # here: a build that goes well never loads it
        traceback.print_exc()
        print("internal error: this is a bug in newsarchive, not in your files; please report it with the lines above", file=sys.stderr)
        return 3
