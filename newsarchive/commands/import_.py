"""`python build.py import PATH...`: scraped text, saved pages and WARC crawls → articles/YYYY/MM/<slug>.md."""
from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from ..parallel import default_jobs
from .build import job_count

HELP = "import raw scraped text (.txt), saved web pages (.html) and WARC crawls (.warc, .warc.gz) as articles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (walked recursively)")
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="date for inputs that give none (scraped text often has no year); YYYY alone dates a text by the 'samedi 15 mai' it names")
    parser.add_argument("--lang", type=_lang, metavar="L", help="language of every imported article (default: from the input, else the config's language)")
    parser.add_argument("--source", metavar="S", help="source (outlet) for inputs that name none")
    parser.add_argument("--section", metavar="S", help="section for inputs that have none")
    parser.add_argument("--keep-going", action="store_true", help="write the good articles, list the bad ones, exit 0")
    parser.add_argument("--dry-run", action="store_true", help="write nothing; show what would be written")
    parser.add_argument("--drafts", action="store_true", help="mark every imported article 'draft: true'")
    parser.add_argument("--keep-paths", action="store_true",
                        help="keep each page's old path as an alias (it redirects to the article) when its host is base_url's or a --site-host")
    parser.add_argument("--site-host", action="append", metavar="HOST",
                        help="with --keep-paths: another host name whose paths are this site's (repeatable), e.g. www.example.org")
    parser.add_argument("--jobs", type=job_count, default=default_jobs(), metavar="N", help=f"processes that parse (default: all cores, here {default_jobs()})")


def _date(text: str) -> str:
    """YYYY-MM-DD, or YYYY alone (the year of texts that name their day, "samedi 15 mai"); not before 1800."""
    try:
        if re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", text) and (len(text) == 4 or date.fromisoformat(text)) and int(text[:4]) >= 1800:
            return text
    except ValueError:
        pass
    raise argparse.ArgumentTypeError("write a real date as YYYY-MM-DD (or the year alone, YYYY), not before 1800")


def _lang(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", text):
        raise argparse.ArgumentTypeError("use a language code such as en, fr, ar or pt-BR")
    return text


def run(args: argparse.Namespace) -> int:
    from ..importers.command import run_import
    return run_import(args)
