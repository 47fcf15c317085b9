"""Real pages imported as a user would, the built site judged by the acceptance kit.

    python bench/import_accept.py --out /tmp/import-accept [--scrapinghub DIR] [--readability DIR]
                                  [--trafilatura-eval DIR] [--kit ../shared/accept/check_site.py]

For each set given: a new site (`build.py init`), `build.py import FOLDER --keep-going` (for
Readability's set a second pass with `--date 2020-01-01` for its undated test pages, as a user
would), `build.py build`, then the kit with every page validated (`--sample 0`); the import's
summary line and the kit's verdict line are printed. With `--scrapinghub`, a WARC of real pages
(`crawl.warc.gz`) is written too and imported the same way: 40 pages served with their HTTP
`Content-Type`, and pages whose header charset differs from their `<meta>` (UTF-8 pages served
re-encoded as windows-1251, EUC-KR and Shift_JIS with their stale `<meta charset=utf-8>`).

--scrapinghub DIR: github.com/scrapinghub/article-extraction-benchmark (`html/*.html.gz`);
--readability DIR: Mozilla Readability's `test/test-pages` (each `<name>/source.html`);
--trafilatura-eval DIR: trafilatura's `tests` folder (`cache/*.html`, and the first 40 of `eval/`).
Nothing is fetched at run time; the pages are copied under --out, never into the repository.
"""
from __future__ import annotations

import argparse
import gzip
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON, BUILD = sys.executable, str(ROOT / "build.py")
LEGACY = (("windows-1251", "Самые"), ("windows-1251", "Диета"), ("euc-kr", "엔터"), ("shift_jis", "商標"))


def pages_of(args, out: Path) -> dict[str, Path]:
    sets = {}
    if args.scrapinghub:
        folder = sets["scrapinghub"] = out / "scrapinghub"
        folder.mkdir(parents=True, exist_ok=True)
        for page in sorted(Path(args.scrapinghub, "html").glob("*.html.gz")):
            (folder / page.name[:-3]).write_bytes(gzip.decompress(page.read_bytes()))
    if args.readability:
        folder = sets["readability"] = out / "readability"
        folder.mkdir(parents=True, exist_ok=True)
        for source in sorted(Path(args.readability).glob("*/source.html")):
            shutil.copyfile(source, folder / f"{source.parent.name}.html")
    if args.trafilatura_eval:
        folder = sets["trafilatura"] = out / "trafilatura"
        folder.mkdir(parents=True, exist_ok=True)
        for page in sorted(Path(args.trafilatura_eval, "cache").glob("*.html")):
            shutil.copyfile(page, folder / page.name)
        for page in sorted(Path(args.trafilatura_eval, "eval").glob("*.html"))[:40]:
            shutil.copyfile(page, folder / f"eval-{page.name}")
    if args.scrapinghub:
        sets["warc"] = write_warc(sorted(sets["scrapinghub"].glob("*.html")), out / "warc")
    return sets


def write_warc(pages: list[Path], folder: Path) -> Path:
    """40 pages as served (utf-8 header), then legacy-encoded copies of pages in Cyrillic, Hangul and Japanese."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records = []
    for number, page in enumerate(pages[:40]):
        records.append((f"https://bench.example/page/{number}", page.read_bytes(), "text/html; charset=utf-8"))
    for encoding, word in LEGACY:
        page = next((p for p in pages if word in p.read_text("utf-8", "replace")[:20000]), None)
        if page is not None:
            text = page.read_bytes().decode("utf-8")
            records.append((f"https://bench.example/{encoding}/{page.stem[:12]}", text.encode(encoding, "xmlcharrefreplace"),
                            f"text/html; charset={encoding}"))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "crawl.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, (url, body, content_type) in enumerate(records):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                                  ("Date", "Mon, 01 Dec 2026 10:00:00 GMT")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": f"2026-12-01T10:{number // 60:02d}:{number % 60:02d}Z"}))
    return folder


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return next((line for line in reversed(lines) if re.match(r"(imported|import failed|built|accept):", line)), lines[-1] if lines else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--scrapinghub")
    parser.add_argument("--readability")
    parser.add_argument("--trafilatura-eval")
    parser.add_argument("--kit", default=str(ROOT.parent / "shared" / "accept" / "check_site.py"))
    args = parser.parse_args()
    out = Path(args.out)
    for name, folder in pages_of(args, out).items():
        site = out / f"site-{name}"
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([PYTHON, BUILD, "init", str(site)], check=True, capture_output=True)
        print(f"{name}: {run([PYTHON, BUILD, 'import', str(folder), '--keep-going'], site)}")
        if name == "readability":
            print(f"{name} (--date): {run([PYTHON, BUILD, 'import', str(folder), '--keep-going', '--date', '2020-01-01'], site)}")
        print(f"{name}: {run([PYTHON, BUILD, 'build'], site)}")
        print(f"{name}: {run([sys.executable, args.kit, '_site', '--base-url', 'http://localhost:8000/', '--sample', '0', '--out', str(out / f'kit-{name}')], site)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
