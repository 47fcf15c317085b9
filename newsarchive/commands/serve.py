"""`serve`: build, serve on this machine under the base_url path, rebuild on every change, reload open tabs."""
from __future__ import annotations

import argparse
import sys

from ..clock import add_now_argument
from ..progress import Progress

HELP = "build, serve the site on this machine, and rebuild and reload open pages whenever a file changes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests for this host name (repeatable); localhost, IP addresses and --host always are")
    parser.add_argument("--drafts", action="store_true", help="also build articles marked 'draft: true'")
    add_now_argument(parser)
    parser.add_argument("--no-reload", action="store_true", help="do not reload open pages after a rebuild (no script is added)")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError("must be a port number, 0 to 65535")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from ..serve import ServeOptions, serve  # the server and watcher load only when serve runs

    progress = Progress(sys.stdout)

    def say(text: str) -> None:
        print(text, flush=True)

    options = ServeOptions(args.config, host=args.host, port=args.port, drafts=args.drafts, live_reload=not args.no_reload, now=args.now,
                           allowed_hosts=tuple(args.allow_host))
    return serve(options, say, progress.build_stage, progress.end_build)
