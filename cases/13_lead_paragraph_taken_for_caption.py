"""Scraped text whose lead paragraph (right after the title) ends in a parenthesis that is
not a photo credit: "Consumer prices rose 4.2% in April (up from 2.6% in March)", and a wire
lead ending "… on Tuesday. (AFP)". Promise: only caption lines (a caption ending in a credit
such as "(AFP photo)") become `captions`; every other line is a paragraph of the body.
Defect: any line after the title ending in "(≤6 words)" is taken for a caption: the lead
paragraph disappears from the article's body and is shown only in the "Source of this copy"
block as a picture caption "credited" to "up from 2.6% in March"."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
TEXTS = {
    "inflation.txt": ("Inflation hits three-year high\n\nConsumer prices rose 4.2% in April (up from 2.6% in March)\n\n"
                      "Economists had expected a smaller rise.\n\nThe central bank meets next week.\n",
                      "Consumer prices rose 4.2% in April (up from 2.6% in March)"),
    "strike.txt": ("Strike ends\n\nThe dockers voted to return to work on Tuesday. (AFP)\n\nThe port reopens on Wednesday.\n",
                   "The dockers voted to return to work on Tuesday."),
}


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    for name, (text, _) in TEXTS.items():
        (tmp / "in" / name).write_text(text)
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--date", "2021-05-15", str(tmp / "in")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    bad = []
    for md in site.glob("articles/2021/05/*.md"):
        front, body = md.read_text().split("\n---\n", 1)
        for name, (_, lead) in TEXTS.items():
            if f'file: "{name}"' in front and lead.split(" (")[0].rstrip(".") not in body:
                bad.append(f"{name}: the lead paragraph {lead!r} is not in the body"
                           + (" (it was made a picture caption)" if "captions:" in front else ""))
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
