"""A Japanese page in Shift_JIS that says it is Latin-1 — <meta charset="iso-8859-1"> left by
a template, or an HTTP `charset=ISO-8859-1` (Apache's old AddDefaultCharset) in a crawl.
Promise (decode.py, README): a declared single-byte encoding whose reading glues symbols to
letters while detection reads the bytes cleanly as CJK gives way to detection ("<meta
charset=iso-8859-1> on a Korean page: its bytes say otherwise"); EUC-KR, GB18030 and EUC-JP
pages are indeed rescued. Defect: Shift_JIS is not — its lead bytes 0x81-0x9F include bytes
windows-1252 leaves undefined, the strict decode fails, and the "replace" fallback skips the
CJK check: title and text are imported as mojibake with U+FFFD ("�`‚ÌƒXƒgƒ‰ƒCƒL…")."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
TITLE = "港のストライキが続く"
TEXT = ("月曜日、港の正門に港湾労働者が集まり、夜勤労働者の賃上げと安全な労働条件を求めた。交渉は今週後半に再開される予定だが、"
        "組合指導者は合意に至らなければストライキが他の港に広がる可能性があると警告した。")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    html = (f'<!doctype html><html lang="ja"><head><meta charset="iso-8859-1"><meta property="og:title" content="{TITLE}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00+09:00"></head><body><article><h1>{TITLE}</h1>'
            f'<p>{TEXT}</p><p>{TEXT[::-1]}</p></article></body></html>')
    (tmp / "in" / "sjis.html").write_bytes(html.encode("cp932"))
    (tmp / "in" / "eucjp.html").write_bytes(html.replace(TITLE, TITLE + "2").encode("euc_jp"))  # the control: rescued
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    texts = {md.name: md.read_text() for md in site.glob("articles/2021/05/*.md")}
    sjis = [t for t in texts.values() if 'file: "sjis.html"' in t]
    bad = []
    if not sjis or f'title: "{TITLE}"' not in sjis[0] or TEXT[:20] not in sjis[0]:
        shown = [line for line in sjis[0].splitlines() if line.startswith("title:")][0] if sjis else "nothing"
        bad.append(f"sjis.html (Shift_JIS labelled iso-8859-1) imported as {shown}, not {TITLE!r}")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
