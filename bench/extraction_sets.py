"""Loaders of the labelled sets `bench/extraction.py` reads besides its first four: each returns the jobs
(kind, name, page bytes, plain trafilatura's options) and, per page, the reference text as `articleBody`.
Kept apart so the runner stays short; the data is read from local checkouts, never committed.

--l3s-gn1 DIR: L3S-GN1 (Kohlschütter et al., WSDM 2010; research use only): 621 news articles from 408
  sites, linked from six English-language Google News portals in the first half of 2008, each page in
  `original/<uuid>.html` and the same page annotated by human assessors in `annotated/<uuid>.html`
  (`<span class="x-nc-selN">`: 1 headline, 2 full text, 3 supplemental such as captions, 4 related
  content, 5 comments, 0 not content). Reference: the full-text blocks (sel2) in page order; the headline
  is left out (the import moves it to `title`, plain trafilatura's text has none) and so are captions,
  related links and comments. A copy is in github.com/geodrome/page-signal
  (`L3S-GN1-20100130203947-00001/`).
--dragnet DIR: the Dragnet data (Moz, 2012; AGPLv3): about 1,380 pages of news sites and blogs in
  `HTML/<name>.html` (or `input/`) and, for each, the text a person copied from the page shown with
  JavaScript off in `Corrected/<name>.html.corrected.txt` (or `GoldStandard/<name>.txt`); the reader
  comments after the line `!@#$%^&*()  COMMENTS` are left out of the reference. The HTML is in
  github.com/seomoz/dragnet_data's tarballs, and unpacked in github.com/j-szulc/html-cleaning-dataset-merged
  (`dragnet_data/`). When the folder holds Dragnet's `test.txt` (its test split, 415 names), only those
  pages are read.
--cleaneval DIR, --cleanportaleval DIR: CleanEval (Baroni et al., LREC 2008; the shared task's final test set:
  681 pages of the English web of 2006 with a gold text, news, blogs, forums and more) and CleanPortalEval
  (ppke-nlpg, 71 pages of five news portals: BBC, WSJ blogs, MSNBC, the Washington Post's blogs, with a
  gold text made by CleanEval's guidelines), both as `input/<name>.html` and `GoldStandard/<name>.txt` in
  github.com/j-szulc/html-cleaning-dataset-merged (`cleaneval-final/`, `CleanPortalEval-master/`).
  Reference: the gold text less its first line ("URL: …") and CleanEval's block marks (`<p>`, `<h>`,
  `<l>`), entities unescaped; it keeps the headings and every block of running text a person judged
  content (the page's title too: neither runner has it in its text).
"""
from __future__ import annotations

import re
from pathlib import Path

FULL_TEXT_CLASS = "x-nc-sel2"
_COMMENTS_LINE = re.compile(r"^[!@#$%^&*()]{4,}\s*COMMENTS\s*$", re.M)


def annotated_full_text(annotated: bytes) -> str:
    """The text of the blocks the assessors marked full text, one line each, in page order."""
    from lxml import html as lxml_html
    tree = lxml_html.fromstring(annotated.decode("utf-8", "replace"))
    blocks = tree.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {FULL_TEXT_CLASS} ')]")
    outermost = [b for b in blocks if not any(FULL_TEXT_CLASS in (a.get("class") or "") for a in b.iterancestors())]
    return "\n".join(" ".join(b.text_content().split()) for b in outermost)


def l3s_gn1_jobs(root: Path) -> tuple[list, dict]:
    jobs, truth = [], {}
    for page in sorted((root / "original").glob("*.html")):
        annotated = root / "annotated" / page.name
        if not annotated.is_file():
            continue
        truth[page.stem] = {"articleBody": annotated_full_text(annotated.read_bytes())}
        jobs.append(("l3s-gn1", page.stem, page.read_bytes(), {"include_comments": False}))
    return jobs, truth


def reference_text(data: bytes) -> str:
    """A reference file's text: UTF-8, or UTF-16 where it starts with that byte-order mark (Dragnet's page 49)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")


def article_part(corrected: str) -> str:
    """A Dragnet reference less the reader comments after its separator line."""
    return _COMMENTS_LINE.split(corrected, 1)[0]


def dragnet_jobs(root: Path) -> tuple[list, dict]:
    pages, references = ((root / "HTML", root / "Corrected") if (root / "HTML").is_dir()
                         else (root / "input", root / "GoldStandard"))
    split = root / "test.txt"
    names = set(split.read_text(encoding="utf-8").split()) if split.is_file() else None
    jobs, truth = [], {}
    for page in sorted(pages.glob("*.html")):
        if names is not None and page.stem not in names:
            continue
        reference = next((p for p in (references / f"{page.name}.corrected.txt", references / f"{page.stem}.txt")
                          if p.is_file()), None)
        if reference is None:
            continue
        truth[page.stem] = {"articleBody": article_part(reference_text(reference.read_bytes()))}
        jobs.append(("dragnet", page.stem, page.read_bytes(), {"include_comments": False}))
    return jobs, truth


_CLEANEVAL_MARK = re.compile(r"^\s*<[phl]>\s*", re.M | re.I)


def cleaneval_reference(gold: str) -> str:
    """A CleanEval gold text less its "URL:" line and its block marks."""
    import html as html_entities
    gold = re.sub(r"\A\s*URL:[^\n]*", "", gold)
    return html_entities.unescape(_CLEANEVAL_MARK.sub("", gold))


def cleaneval_jobs(root: Path) -> tuple[list, dict]:
    jobs, truth = [], {}
    for page in sorted((root / "input").glob("*.html")):
        gold = root / "GoldStandard" / f"{page.stem}.txt"
        if not gold.is_file():
            continue
        truth[page.stem] = {"articleBody": cleaneval_reference(reference_text(gold.read_bytes()))}
        jobs.append(("cleaneval", page.stem, page.read_bytes(), {"include_comments": False}))
    return jobs, truth
