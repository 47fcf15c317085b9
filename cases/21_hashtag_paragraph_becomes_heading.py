"""A saved page whose paragraphs start with a hashtag or "#1": "#MeToo campaigners gathered
outside the court…", "#1 seed Osaka withdrew from the tournament…" (everyday news prose).
Promise: the article's text is kept as text (scraped .txt is escaped: "\\#MeToo"); Markdown
characters in page text do not change its structure. Defect: pages' text goes into the
Markdown body unescaped at line start, and Python-Markdown reads "#MeToo …" as a level-1
heading: the built article shows two extra <h1> headings ("MeToo campaigners…", "1 seed
Osaka…"), the '#' gone."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")
LINES = ("#MeToo campaigners gathered outside the court on Monday as the trial entered its third week.",
         "#1 seed Osaka withdrew from the tournament on Tuesday, citing her mental health.")


def main():
    import lxml.html
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "week.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="The week in brief">'
        '<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><h1>The week in brief</h1>'
        + PARA + "".join(f"<p>{line}</p>" for line in LINES) + "</article></body></html>")
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    b = subprocess.run([PY, BUILD, "build", "--config", str(site / "config.yaml")], capture_output=True, text=True)
    if b.returncode != 0:
        print("build failed:", b.stderr); return 1
    doc = lxml.html.fromstring((site / "_site/2021/05/the-week-in-brief/index.html").read_text())
    headings = [" ".join(h.text_content().split()) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    paragraphs = [" ".join(p.text_content().split()) for p in doc.iter("p")]
    bad = []
    for line in LINES:
        if line not in paragraphs:
            made = [h for h in headings if h.startswith(line[1:20])]
            bad.append(f"the paragraph {line[:40]!r}… is not shown as written" + (f"; it became a heading {made[0][:40]!r}…" if made else ""))
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
