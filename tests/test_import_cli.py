"""`python build.py import`: files written, the archive builds, rules of bad input, re-import, no overwrite."""
from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime, timezone

import pytest

from conftest import run_cli, tree_digest
from import_inputs import (EN_NO_SECTION, FR_CHASSEURS, FR_QODS, PAGE_JSONLD, PAGE_OG, PAGE_TIME, TITLE_ONLY, crlf_bom,
                           write_raw_folder)
from newsarchive import __version__
from newsarchive.dates import utc_stamp
from newsarchive.importers.batch import Progress

SLUG_QODS = "commandant-en-chef-de-la-force-qods-contacte-le-hamas"
SLUG_CHASSEURS = "les-chasseurs-sionistes-bientot-vises"


@pytest.fixture
def archive(make_site):
    return make_site({}, config="title: Imported\nbase_url: https://news.example.org/\nlanguage: en\n")


def test_raw_folder_imports_with_complete_front_matter_and_builds_with_related_both_ways(archive, tmp_path):
    paths = write_raw_folder(tmp_path / "scrape")
    before = tree_digest(tmp_path / "scrape")
    result = run_cli("import", tmp_path / "scrape", "--date", "2021-05-15", "--config", archive, "--jobs", "1")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "imported: read 6 files, imported 6, skipped 0; 0 warnings"
    articles = archive.parent / "articles"
    qods = (articles / f"2021/05/{SLUG_QODS}.md").read_bytes()
    assert qods.decode("utf-8") == f"""---
title: "Commandant en chef de la Force Qods contacte le Hamas"
date: 2021-05-15
date_source: "--date"
slug: "{SLUG_QODS}"
lang: fr
section: "TV"
source: "FRENCH PRESS TV"
captions:
  - text: "US Rep. Ilhan Omar (D-MN) talks with Speaker Nancy Pelosi on the East Steps of the US Capitol in Washington, DC."
    credit: "AFP"
  - text: "Le commandant en chef de la Force Qods du CGRI, général Qaani a salué la Résistance."
    credit: "Tasnim/Archives"
related:
  - "{SLUG_CHASSEURS}"
  - {{title: "Un titre qui ne correspond à rien"}}
provenance:
  captured: "{utc_stamp(datetime.fromtimestamp(os.stat(paths['fr_qods']).st_mtime, timezone.utc))}"
  file: "{os.path.relpath(paths['fr_qods'], tmp_path / 'scrape')}"
  digest: "sha256:{hashlib.sha256(FR_QODS.encode()).hexdigest()}"
  extractor: "newsarchive {__version__}"
import_sha256: {hashlib.sha256(FR_QODS.encode()).hexdigest()}
---
Le commandant en chef\u00a0de la Force Qods du CGRI contacte le Hamas pour discuter des évolutions à Gaza.

Cité par Fars News samedi 15 mai,\u00a0le général Qaani s’est entretenu au téléphone avec Ismail Haniyeh.

Le général Qaani a salué la réponse de la Résistance.
"""
    chasseurs = (articles / f"2021/05/{SLUG_CHASSEURS}.md").read_bytes()
    assert b"\r" not in chasseurs and not chasseurs.startswith(b"\xef\xbb\xbf")  # input had BOM + CRLF
    assert f'related:\n  - "{SLUG_QODS}"\n'.encode() in chasseurs  # resolved the other way, in the same run
    assert tree_digest(tmp_path / "scrape") == before  # inputs never modified

    built = run_cli("build", "--config", archive)
    assert built.code == 0, built.err
    assert "0 warnings" in built.out
    site = archive.parent / "_site"
    qods_page = (site / f"2021/05/{SLUG_QODS}/index.html").read_text(encoding="utf-8")
    chasseurs_page = (site / f"2021/05/{SLUG_CHASSEURS}/index.html").read_text(encoding="utf-8")
    assert f'href="../../../2021/05/{SLUG_CHASSEURS}/"' in qods_page
    assert f'href="../../../2021/05/{SLUG_QODS}/"' in chasseurs_page
    checked = run_cli("check", "--config", archive)
    assert checked.code == 0, checked.out + checked.err


def test_reimport_changes_nothing_and_a_different_article_never_overwrites(archive, tmp_path):
    write_raw_folder(tmp_path / "scrape")
    assert run_cli("import", tmp_path / "scrape", "--date", "2021-05-15", "--config", archive, "--jobs", "1").code == 0
    articles = archive.parent / "articles"
    first = tree_digest(articles)
    again = run_cli("import", tmp_path / "scrape", "--date", "2021-05-15", "--config", archive, "--jobs", "1")
    assert again.code == 0
    assert again.out.splitlines()[-1] == "imported: read 6 files, imported 0, 6 already imported, skipped 0; 0 warnings"
    assert tree_digest(articles) == first

    other = tmp_path / "other"
    other.mkdir()
    (other / "same-title.txt").write_text(FR_QODS.replace("Le général Qaani a salué la réponse", "Autre texte, autre article"), encoding="utf-8")
    result = run_cli("import", other, "--date", "2021-05-15", "--config", archive, "--jobs", "1")
    assert result.code == 0
    assert (articles / f"2021/05/{SLUG_QODS}-2.md").exists()
    assert tree_digest(articles) == {**first, **{k: v for k, v in tree_digest(articles).items() if k.endswith("-2.md")}}
    assert run_cli("build", "--config", archive).code == 0


def test_problems_stop_the_import_unless_keep_going(archive, tmp_path):
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    (scrape / "good.txt").write_text(EN_NO_SECTION, encoding="utf-8")
    (scrape / "empty.txt").write_bytes(b"")
    (scrape / "title.txt").write_text(TITLE_ONLY, encoding="utf-8")
    articles = archive.parent / "articles"
    failed = run_cli("import", scrape, "--date", "2021-05-15", "--config", archive, "--jobs", "1")
    assert failed.code == 1
    assert f"{scrape / 'empty.txt'}: error: the file is empty" in failed.err
    assert f"{scrape / 'title.txt'}:3: error: only a title ('A title and nothing else') and no text" in failed.err
    assert "nothing was written" in failed.err
    assert list(articles.rglob("*")) == []

    going = run_cli("import", scrape, "--date", "2021-05-15", "--config", archive, "--keep-going", "--jobs", "1")
    assert going.code == 0
    assert going.out.splitlines()[-1] == "imported: read 3 files, imported 1, skipped 2 (1 empty, 1 no text); 0 warnings"
    assert [p.name for p in articles.rglob("*.md")] == ["port-workers-in-rotterdam-begin-a-week-long-strike-over-automation-plans.md"]


def test_without_a_year_the_import_needs_date(archive, tmp_path):
    (tmp_path / "seed.txt").write_text(FR_QODS, encoding="utf-8")
    result = run_cli("import", tmp_path / "seed.txt", "--config", archive)
    assert result.code == 1
    assert f"{tmp_path / 'seed.txt'}: error: no date with a year in the file" in result.err
    assert run_cli("import", tmp_path / "seed.txt", "--config", archive, "--date", "15/05/2021").code == 2


def test_dry_run_writes_nothing_and_shows_what_would_be_written(archive, tmp_path):
    write_raw_folder(tmp_path / "scrape")
    result = run_cli("import", tmp_path / "scrape", "--date", "2021-05-15", "--config", archive, "--dry-run", "--jobs", "1")
    assert result.code == 0
    assert f"articles/2021/05/{SLUG_QODS}.md (from {tmp_path / 'scrape' / 'fr' / '001_qods.txt'})" in result.out
    assert result.out.splitlines()[-1] == "dry run: read 6 files, would import 6, skipped 0; 0 warnings; nothing was written"
    assert list((archive.parent / "articles").rglob("*")) == []


def test_symlink_leading_outside_the_folder_is_refused(archive, tmp_path):
    outside = tmp_path / "private.txt"
    outside.write_text(EN_NO_SECTION, encoding="utf-8")
    scrape = tmp_path / "scrape"
    scrape.mkdir()
    (scrape / "es.txt").write_text("Mundo\n\nUn título de prueba\n\nUn párrafo de texto.\n", encoding="utf-8")
    os.symlink(outside, scrape / "link.txt")
    result = run_cli("import", scrape, "--date", "2021-05-15", "--config", archive, "--jobs", "1")
    assert result.code == 0
    assert f"{scrape / 'link.txt'}: warning: this symlink leads outside {scrape}; it was not read" in result.err
    assert result.out.splitlines()[-1] == "imported: read 1 file, imported 1, skipped 0; 1 warning"


def test_saved_pages_of_three_layouts_and_options_in_parallel(archive, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, page in (("og.html", PAGE_OG), ("ledger.htm", PAGE_JSONLD), ("amman.html", PAGE_TIME)):
        (pages / name).write_text(page, encoding="utf-8")
    result = run_cli("import", pages, "--config", archive, "--drafts", "--section", "Monde", "--jobs", "2")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "imported: read 3 files, imported 3, skipped 0; 0 warnings"
    amman = next((archive.parent / "articles/2022/01").glob("*.md")).read_text(encoding="utf-8")
    assert 'section: "Monde"\n' in amman and "draft: true\n" in amman and "date: 2022-01-20\n" in amman
    ledger = (archive.parent / "articles/2023/02/rail-fares-rise-by-5-9-in-march.md").read_text(encoding="utf-8")
    assert 'section: "Business"\n' in ledger and 'author: ["Sam Okafor", "Lena Berg"]\n' in ledger
    built = run_cli("build", "--config", archive, "--drafts")
    assert built.code == 0 and "built 3" in built.out and "0 warnings" in built.out


def test_read_also_resolves_both_ways_with_an_article_imported_before(archive, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "qods.txt").write_text(FR_QODS, encoding="utf-8")
    (tmp_path / "b" / "chasseurs.txt").write_bytes(crlf_bom(FR_CHASSEURS))
    assert run_cli("import", tmp_path / "a", "--date", "2021-05-15", "--config", archive, "--jobs", "1").code == 0
    qods_file = archive.parent / f"articles/2021/05/{SLUG_QODS}.md"
    assert '  - {title: "Les chasseurs sionistes bientôt visés\u00a0?"}\n' in qods_file.read_text(encoding="utf-8")
    dry = run_cli("import", tmp_path / "b", "--date", "2021-05-16", "--config", archive, "--jobs", "1", "--dry-run")
    assert f"would link {archive.parent}/articles/2021/05/{SLUG_QODS}.md to {SLUG_CHASSEURS}" in dry.out
    assert dry.out.splitlines()[-1] == "dry run: read 1 file, would import 1, would link 1 earlier article to them, skipped 0; 0 warnings; nothing was written"
    later = run_cli("import", tmp_path / "b", "--date", "2021-05-16", "--config", archive, "--jobs", "1")
    assert later.out.splitlines()[-1] == "imported: read 1 file, imported 1, linked 1 earlier article to them, skipped 0; 0 warnings"
    chasseurs = (archive.parent / f"articles/2021/05/{SLUG_CHASSEURS}.md").read_text(encoding="utf-8")
    assert f'related:\n  - "{SLUG_QODS}"\n' in chasseurs  # the new one links the one already there
    qods = qods_file.read_text(encoding="utf-8")
    assert f'related:\n  - "{SLUG_CHASSEURS}"\n  - {{title: "Un titre qui ne correspond à rien"}}\n' in qods  # and back
    built = run_cli("build", "--config", archive)
    assert built.code == 0 and "0 warnings" in built.out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_rich_bar_on_a_terminal_and_plain_lines_elsewhere():
    terminal = _Terminal()
    bar = Progress(1000, 10, stream=terminal)
    bar.advance(500, 5)
    bar.close()
    assert bar.bar is not None and "importing" in terminal.getvalue()
    plain = io.StringIO()
    lines = Progress(1000, 10, stream=plain)
    for _ in range(10):
        lines.advance(100, 1)
    assert plain.getvalue().splitlines()[0].startswith("importing: 10% (1 of 10 files")
    assert len(plain.getvalue().splitlines()) == 9


def test_date_option_must_be_a_real_date(archive, tmp_path):
    (tmp_path / "seed.txt").write_text(FR_QODS, encoding="utf-8")
    result = run_cli("import", tmp_path / "seed.txt", "--config", archive, "--date", "2021-02-30")
    assert result.code == 2 and "write a real date as YYYY-MM-DD" in result.err
