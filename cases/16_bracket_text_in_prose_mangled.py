"""A page whose prose contains bracket-then-parenthesis text, as articles about Markdown,
wikis or citations do: "Footnotes look like [1](#note) in the old format, and images like
![alt](pic.png) in the new one." (plain text on the page, no link). Promise: the article's
text is extracted (at least as well as trafilatura), links with parentheses kept. Defect:
the link rewriter takes trafilatura's escaped "\\[1\\](#note)" for a link, finds its address
not a web address, and keeps only its "title" with the escapes' backslashes: the built page
reads "Footnotes look like \\1\\ in the old format, and images like !\\alt\\ in the new one."."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")
SENTENCE = "Footnotes look like [1](#note) in the old format, and images like ![alt](pic.png) in the new one."


def main():
    import lxml.html
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "guide.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Markdown guide">'
        '<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><h1>Markdown guide</h1>'
        f'{PARA}<p>{SENTENCE}</p></article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    b = subprocess.run([PY, BUILD, "build", "--config", str(site / "config.yaml")], capture_output=True, text=True)
    if b.returncode != 0:
        print("build failed:", b.stderr); return 1
    html = (site / "_site/2021/05/markdown-guide/index.html").read_text()
    shown = [" ".join(p.text_content().split()) for p in lxml.html.fromstring(html).iter("p") if "Footnotes" in p.text_content()]
    if shown != [SENTENCE]:
        print(f"DEFECT: the page shows {shown[0] if shown else 'nothing'!r}, the original text was {SENTENCE!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
