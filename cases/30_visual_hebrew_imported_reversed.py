"""An old Israeli page in *visual* Hebrew: <meta charset="iso-8859-8"> (which the WHATWG
standard and every browser treat as visual order: the bytes are stored in display order, left
to right, and shown without bidi reordering), its headline "השביתה בנמל נמשכת" stored reversed
as such pages store it. Promise: pages are decoded as a browser decodes them (ISO-8859-8 is
one of the encodings named). Defect: iso-8859-8 is read as logical text (the same as
iso-8859-8-i), so the imported title and text are the reversed strings: the built site, which
lays Hebrew out right to left, shows every line backwards ("תכשמנ למנב התיבשה")."""
import pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
TITLE = "השביתה בנמל נמשכת"
TEXT = "עובדי הנמל התאספו ביום שני בשער הראשי של הנמל ודרשו שכר טוב יותר ותנאי עבודה בטוחים יותר"


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    visual = lambda line: line[::-1]  # what a visual-order page stores for one line of logical text
    html = (f'<!doctype html><html lang="he"><head><meta charset="iso-8859-8"><meta property="og:title" content="{visual(TITLE)}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00+03:00"></head><body><article>'
            f'<h1>{visual(TITLE)}</h1><p>{visual(TEXT)}</p><p>{visual(TEXT + " בשבוע הבא")}</p></article></body></html>')
    (tmp / "in" / "visual.html").write_bytes(html.encode("iso8859_8"))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    text = next(site.glob("articles/2021/05/*.md")).read_text()
    title = re.search(r'^title: "(.*)"$', text, re.M).group(1)
    if title != TITLE:
        print(f"DEFECT: title imported as {title!r} (reversed), the page reads {TITLE!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
