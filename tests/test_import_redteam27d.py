"""Red team 27d's cases (session 9): hostile saved pages and crawls (each failed before its fix)."""
from __future__ import annotations

from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportedArticle, ImportSettings

from conftest import run_cli

SETTINGS = ImportSettings(default_lang="en")
CONFIG = "title: Red team\nbase_url: https://news.example.org/\nlanguage: en\n"
FILLER = ("The harbour authority said on Monday that the strike would continue until the wage talks resumed "
          "with the union, and the trucks queued along the coast road.")


def _page(head: str = "", title: str = "Harbour strike enters third day", date: str | None = "2021-05-15T10:00:00+02:00") -> bytes:
    dated = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'{dated}{head}</head><body><article><h1>{title}</h1><p>{FILLER}</p><p>{FILLER} Again.</p>'
            "</article></body></html>").encode()


def test_a_json_ld_block_nested_too_deep_is_ignored_not_the_whole_page():
    """A JSON-LD script of 5,000 nested arrays: json.loads raised RecursionError, and the page, whose
    text and meta date a browser shows, was refused ("the page could not be extracted (RecursionError…")."""
    for nested in ("[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000):
        result = parse_page(_page(f'<script type="application/ld+json">{nested}</script>'), "p.html", SETTINGS)
        assert isinstance(result, ImportedArticle), result
        assert result.title == "Harbour strike enters third day"
        assert (result.date, result.date_source) == ("2021-05-15T10:00:00+02:00", "meta")
        assert FILLER in result.body
