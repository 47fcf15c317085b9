"""Extraction quality of `newsarchive import` on public labelled benchmarks, side by side with plain
`trafilatura.extract` (the same installed version) in the same run.

    python bench/extraction.py --scrapinghub DIR [--trafilatura-eval DIR] [--readability DIR] [--fundus DIR]
        [--l3s-gn1 DIR] [--dragnet DIR] [--jobs 2]

--scrapinghub DIR: a checkout of github.com/scrapinghub/article-extraction-benchmark (181 pages,
  `html/*.html.gz` and `ground-truth.json`). Metric: that benchmark's own, re-implemented here:
  word tokens (`\\w+`), shingles of 4, per page TP/FP/FN counted over the shingle multisets and
  normalised by their sum; precision and recall are the means over the pages where they are
  defined, F1 their harmonic mean. Plain trafilatura is run as the benchmark's runner runs it
  (`extract(html, include_comments=False)` on the page read as UTF-8).
--trafilatura-eval DIR: the `tests` folder of a checkout of github.com/adbar/trafilatura
  (`evaldata.json`, `eval/`, `cache/`). Metric: that project's own: each page has snippets
  that must be in the text ("with") and snippets that must not ("without"); whitespace-
  normalised substring matches summed over all pages; plain trafilatura is run with the
  project's canonical settings (include_comments=False, include_tables=True, include_formatting=False).
--readability DIR: a checkout of github.com/mozilla/readability (130 pages under `test/test-pages/`:
  `source.html`, `expected.html`, the article Readability extracts, and `expected-metadata.json`).
  Metric: the ScrapingHub one above, the reference being the text of `expected.html`; plain
  trafilatura is `extract(bytes, include_comments=False)`. Metadata agreement as well: the title
  (equal after whitespace normalisation) and, where the metadata has a `publishedTime`, the day
  of the date, for the import and for trafilatura's own `extract_metadata` side by side.
--fundus DIR: `tests/resources/parser/test_data` of a checkout of github.com/flairNLP/fundus (MIT):
  about 260 news pages crawled 2023-2026 from publishers of 40 countries in 25 languages
  (`<country>/<Publisher>_<date>.html.gz`, `meta.info` with each page's URL and crawl date), and for
  each publisher the fields its hand-written parser must extract (`<Publisher>.json`, one entry per
  parser version: title, authors, publishing_date, topics, body as summary + sections of headline
  and paragraphs). Fundus has no benchmark metric of its own (its tests ask for equality), so the
  ScrapingHub metric is used, the reference being the body's summary, headlines and paragraphs;
  plain trafilatura is `extract(bytes, include_comments=False)`. The page's version entry is the
  one whose title is in the page (in version order when several are).

--l3s-gn1 DIR, --dragnet DIR, --cleaneval DIR, --cleanportaleval DIR: see bench/extraction_sets.py (the ScrapingHub metric; plain trafilatura is
  `extract(bytes, include_comments=False)`).

"ours" is what the import writes as the article's body: `parse_page` on the file's bytes
(undated pages given a date, as `--date` does), turned to plain text by `plain_text` (links by
their text, no heading or list marks, no emphasis marks); the same function is applied to
plain trafilatura's output. Mojibake (UTF-8 read as a legacy encoding: "Ã©", "â€™", "Ð¡")
is counted in the titles and bodies. Nothing is fetched at run time.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extraction_sets import cleaneval_jobs, dragnet_jobs, l3s_gn1_jobs

_TOKEN = re.compile(r"\w+")
_CP1252_CONTINUATION = "".join(bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0)).replace("\xa0", "")
# UTF-8 read as windows-1252 ("â€™") or as ISO-8859-1 ("â\x80\x99", what libxml2 makes of an undeclared page)
_CONTINUATION = "[" + re.escape(_CP1252_CONTINUATION) + "\u0080-\u009f\u00a1-\u00bf]"
# a lead byte's character followed by as many continuation bytes' as its sequence has: Czech "blíže" is no
# mojibake ("í" leads a 3-byte sequence, and one "ž" follows it)
MOJIBAKE = re.compile(f"[\u00c2-\u00df]{_CONTINUATION}|[\u00e0-\u00ef]{_CONTINUATION}{{2}}|[\u00f0-\u00f4]{_CONTINUATION}{{3}}")


_LINK = re.compile(r"!?\[(?P<title>(?:\\.|[^\]\\])*)\]\((?:<[^>\s]*>|(?:[^()\s]|\([^()\s]*\))+)\)")


def plain_text(markdown: str) -> str:
    """Links by their text, no heading, list or emphasis marks: the words a reader sees."""
    text = _LINK.sub(lambda m: m.group("title"), markdown)
    text = re.sub(r"^(?:#{1,6}\s+|[-*]\s+|\d+\.\s+)", "", text, flags=re.M)
    text = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=\S)(.+?)(?<=\S)\*", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"</?(?:sub|sup|del|ins|mark|s|u|kbd|small)>", "", text)  # inline HTML the body keeps
    text = text.replace("&lt;", "<")
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)  # Markdown's escapes


# --- the ScrapingHub benchmark's metric ---------------------------------------------------------

def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def shingle_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    wanted, found = shingles(true), shingles(pred)
    tp = sum(min(wanted[k], found[k]) for k in wanted.keys() | found.keys())
    fp = sum(max(0, found[k] - wanted[k]) for k in wanted.keys() | found.keys())
    fn = sum(max(0, wanted[k] - found[k]) for k in wanted.keys() | found.keys())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_scores(counts: list[tuple[float, float, float]]) -> dict:
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)
    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r}


# --- trafilatura's evaluation metric --------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def snippet_counts(item: dict, text: str | None) -> tuple[int, int, int, int]:
    found = _norm(text or "")
    tp = sum(1 for s in item["with"] if _norm(s) in found) if text else 0
    fp = sum(1 for s in item["without"] if _norm(s) in found) if text else 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def snippet_scores(counts: list[tuple[int, int, int, int]]) -> dict:
    tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
    p, r = tp / (tp + fp), tp / (tp + fn)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r, "accuracy": (tp + tn) / (tp + fp + fn + tn)}


# --- the runners ------------------------------------------------------------------------------------

def _ours(data: bytes, name: str) -> dict:
    """The import's title, body and date; a date that only `--date` gave counts as none."""
    from newsarchive.importers.html import parse_page
    from newsarchive.importers.model import ImportedArticle, ImportSettings
    result = parse_page(data, name, ImportSettings(default_lang="en", date="2000-01-01"))
    if not isinstance(result, ImportedArticle):
        return {"title": "", "body": "", "date": None}
    return {"title": result.title, "body": result.body, "date": result.date if result.date_source != "--date" else None}


def _run_page(job: tuple[str, str, bytes, dict]) -> dict:
    import trafilatura
    kind, name, data, plain_options = job
    plain_input = data.decode("utf-8", "replace") if kind == "scrapinghub" else data
    plain = trafilatura.extract(plain_input, **plain_options) or ""
    ours = _ours(data, name)
    page = {"name": name, "plain": plain_text(plain), "ours": plain_text(ours["body"]), "title": ours["title"],
            "date": ours["date"], "bytes": len(data)}
    if kind == "readability":
        from trafilatura.utils import load_html
        tree = load_html(data)
        document = trafilatura.extract_metadata(tree) if tree is not None else None
        page["plain_title"] = (document.title or "") if document is not None else ""
        page["plain_date"] = (document.date or None) if document is not None else None
    return page


def scrapinghub_jobs(root: Path) -> tuple[list, dict]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    jobs = [("scrapinghub", key, gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()),
             {"include_comments": False}) for key in sorted(truth)]
    return jobs, truth


def trafilatura_jobs(root: Path) -> tuple[list, dict]:
    evaldata = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    jobs, items = [], {}
    for url in sorted(evaldata):
        item = evaldata[url]
        path = next((p for p in (root / "cache" / item["file"], root / "eval" / item["file"]) if p.is_file()), None)
        if path is None:
            continue
        items[url] = item
        jobs.append(("trafilatura", url, path.read_bytes(),
                     {"include_comments": False, "include_tables": True, "include_formatting": False}))
    return jobs, items


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th",
               "blockquote", "pre", "figure", "figcaption", "section", "article", "dd", "dt", "dl", "hr"}


def html_text(html: str) -> str:
    """The words of an HTML fragment, a line break at each block's edges (no two words glued)."""
    from lxml import html as lxml_html
    tree = lxml_html.fromstring(html or "<div></div>")
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return tree.text_content()


REAL_PAGE_BYTES = 5000


def readability_jobs(root: Path) -> tuple[list, dict]:
    pages = root / "test" / "test-pages" if (root / "test" / "test-pages").is_dir() else root
    jobs, truth = [], {}
    for folder in sorted(p for p in pages.iterdir() if (p / "source.html").is_file() and (p / "expected.html").is_file()):
        metadata_path = folder / "expected-metadata.json"
        metadata = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path.is_file() else {}
        truth[folder.name] = {"articleBody": html_text((folder / "expected.html").read_text(encoding="utf-8")),
                              "metadata": metadata}
        jobs.append(("readability", folder.name, (folder / "source.html").read_bytes(), {"include_comments": False}))
    return jobs, truth


def fundus_reference(body: dict) -> str:
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n\n".join(parts)


def fundus_jobs(root: Path) -> tuple[list, dict]:
    import html as html_entities
    jobs, truth = [], {}
    for meta in sorted(root.glob("*/meta.info")):
        for file_name in sorted(json.loads(meta.read_text(encoding="utf-8"))):
            path = meta.parent / file_name
            if not path.is_file():
                continue
            data = gzip.decompress(path.read_bytes())
            publisher = file_name.split("_", 1)[0]
            versions = json.loads((meta.parent / f"{publisher}.json").read_text(encoding="utf-8"))
            page_text = _spaces(html_entities.unescape(data.decode("utf-8", "replace")))
            named = [v for v in sorted(versions, key=lambda v: [int(n) for n in re.findall(r"\d+", v)])
                     if _spaces(versions[v].get("title"))[:40] in page_text]
            siblings = sorted(p.name for p in meta.parent.glob(f"{publisher}_*.html.gz"))
            version = named[min(siblings.index(file_name), len(named) - 1)] if named else None
            if version is None or "body" not in versions[version]:
                continue
            key = f"{meta.parent.name}/{file_name}"
            truth[key] = dict(versions[version], articleBody=fundus_reference(versions[version]["body"]))
            jobs.append(("fundus", key, data, {"include_comments": False}))
    return jobs, truth


def _spaces(text: str | None) -> str:
    return " ".join((text or "").split())


_SEGMENT_EDGE = re.compile(r"\s*(?:[|｜–—·•»«:@_\-]{1,2}|\[)")


def same_headline(title: str, reference: str) -> bool:
    """Equal, or equal to the reference less a segment after (or before) a separator: Readability
    keeps the site's name in a title ("How to Build a Terrarium | eHow"), the import strips it."""
    title, reference = _spaces(title), _spaces(reference)
    if not title or title == reference:
        return bool(title)
    if reference.startswith(title):
        return bool(_SEGMENT_EDGE.match(reference[len(title):]))
    if reference.endswith(title):
        return bool(_SEGMENT_EDGE.match(reference[:-len(title)][::-1].replace("[", "]")))
    return False


def metadata_agreement(pages: list[dict], truth: dict) -> dict:
    """Titles equal after whitespace normalisation (and equal but for a site segment); the day of
    the date where the reference has one."""
    result = {}
    for runner, title_key, date_key in (("ours", "title", "date"), ("plain", "plain_title", "plain_date")):
        titled = [p for p in pages if _spaces(truth[p["name"]]["metadata"].get("title"))]
        dated = [p for p in pages if truth[p["name"]]["metadata"].get("publishedTime")]
        result[runner] = {
            "titles": (sum(_spaces(p[title_key]) == _spaces(truth[p["name"]]["metadata"]["title"]) for p in titled), len(titled)),
            "headlines": sum(same_headline(p[title_key], truth[p["name"]]["metadata"]["title"]) for p in titled),
            "dates": (sum((p[date_key] or "")[:10] == truth[p["name"]]["metadata"]["publishedTime"][:10] for p in dated), len(dated)),
            "undated": sum(not p[date_key] for p in dated),
        }
    return result


def run(jobs: list, workers: int) -> list[dict]:
    if workers <= 1:
        return [_run_page(job) for job in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_run_page, jobs, chunksize=4))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scrapinghub", type=Path)
    parser.add_argument("--trafilatura-eval", type=Path)
    parser.add_argument("--readability", type=Path)
    parser.add_argument("--fundus", type=Path)
    parser.add_argument("--l3s-gn1", type=Path, help="the folder holding original/ and annotated/")
    parser.add_argument("--dragnet", type=Path, help="the folder holding HTML/ and Corrected/ (or input/ and GoldStandard/)")
    parser.add_argument("--cleaneval", type=Path, help="CleanEval's final set: the folder holding input/ and GoldStandard/")
    parser.add_argument("--cleanportaleval", type=Path, help="CleanPortalEval: the folder holding input/ and GoldStandard/")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each set")
    parser.add_argument("--json", type=Path, help="write the per-page texts and the scores here")
    parser.add_argument("--package-root", type=Path, help="import newsarchive from this folder (to measure another version)")
    args = parser.parse_args()
    if args.package_root:
        sys.path.insert(0, str(args.package_root.resolve()))
    report = {}
    rows, metadata_rows = [], []
    for name, root, make, score in (
            ("ScrapingHub article-extraction-benchmark", args.scrapinghub, scrapinghub_jobs, "shingle"),
            ("trafilatura evaluation set", args.trafilatura_eval, trafilatura_jobs, "snippet"),
            ("Mozilla Readability test pages", args.readability, readability_jobs, "shingle"),
            ("Fundus news parser test pages", args.fundus, fundus_jobs, "shingle"),
            ("L3S-GN1 Google News articles", args.l3s_gn1, l3s_gn1_jobs, "shingle"),
            ("Dragnet news and blog pages", args.dragnet, dragnet_jobs, "shingle"),
            ("CleanEval final test set", args.cleaneval, cleaneval_jobs, "shingle"),
            ("CleanPortalEval news portal pages", args.cleanportaleval, cleaneval_jobs, "shingle")):
        if root is None:
            continue
        jobs, truth = make(root)
        jobs = jobs[: args.limit] if args.limit else jobs
        started = time.monotonic()
        pages = run(jobs, args.jobs)
        seconds = time.monotonic() - started
        scores = {}
        for runner in ("plain", "ours"):
            if score == "shingle":
                scores[runner] = shingle_scores([shingle_tp_fp_fn(truth[p["name"]].get("articleBody", ""), p[runner]) for p in pages])
            else:
                scores[runner] = snippet_scores([snippet_counts(truth[p["name"]], p[runner]) for p in pages])
        mojibake = {"ours titles": sum(bool(MOJIBAKE.search(p["title"])) for p in pages),
                    "ours bodies": sum(bool(MOJIBAKE.search(p["ours"])) for p in pages),
                    "plain bodies": sum(bool(MOJIBAKE.search(p["plain"])) for p in pages),
                    "ours empty": sum(not p["ours"].strip() for p in pages)}
        report[name] = {"pages": len(pages), "seconds": round(seconds, 1), "scores": scores, "mojibake": mojibake}
        if make is readability_jobs:
            agreement = report[name]["metadata"] = metadata_agreement(pages, truth)
            for runner, label in (("plain", "trafilatura extract_metadata"), ("ours", "newsarchive import")):
                a = agreement[runner]
                metadata_rows.append(f"| {name} | {label} | {a['titles'][0]}/{a['titles'][1]} | {a['headlines']}/{a['titles'][1]} "
                                     f"| {a['dates'][0]}/{a['dates'][1]} | {a['undated']} |")
        subsets = [(f"{name} ({len(pages)} pages)", pages, scores)]
        if make is readability_jobs:  # the pages under 5 kB are Readability's hand-written unit fixtures (lorem ipsum)
            real = [p for p in pages if p["bytes"] >= REAL_PAGE_BYTES]
            subsets.append((f"{name}, real pages only ({len(real)}: source.html of 5 kB or more)", real,
                            {runner: shingle_scores([shingle_tp_fp_fn(truth[p["name"]]["articleBody"], p[runner]) for p in real])
                             for runner in ("plain", "ours")}))
            report[name]["real_pages_scores"] = subsets[-1][2]
        for label_set, _, set_scores in subsets:
            for runner, label in (("plain", "plain trafilatura.extract"), ("ours", "newsarchive import")):
                s = set_scores[runner]
                rows.append(f"| {label_set} | {label} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} |")
        print(f"{name}: {len(pages)} pages in {seconds:.0f} s; mojibake {mojibake}", file=sys.stderr)
        if args.json:
            if score == "shingle":  # each page's F1, to find the pages one extractor loses
                for p in pages:
                    for runner in ("plain", "ours"):
                        tp, fp, fn = shingle_tp_fp_fn(truth[p["name"]].get("articleBody", ""), p[runner])
                        p[f"{runner}_f1"] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
            report[name]["pages_detail"] = pages
    import trafilatura
    print(f"trafilatura {trafilatura.__version__}")
    print("| benchmark | extractor | F1 | precision | recall |\n|---|---|---|---|---|")
    print("\n".join(rows))
    if metadata_rows:
        print("\n| benchmark | metadata from | titles equal | titles equal but for a site segment | dates: same day | dates: none found |\n|---|---|---|---|---|---|")
        print("\n".join(metadata_rows))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
