"""Share bars as real article templates write them, inside the article element:
<p>Share this article: <a>Facebook</a> | <a>X</a> | <a>WhatsApp</a></p> (English), and the
Arabic one "شارك على فيسبوك شارك على تويتر" (share on Facebook, share on Twitter), for a
site whose "read also"/share markers the importer knows in Arabic. Promise: share/social widgets
are dropped from the text. Defect: both bars are kept as paragraphs of the article body (the
English one with its three sharer links)."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")
BARS = {"Share this article": '<p>Share this article: <a href="https://facebook.com/sharer/sharer.php?u=x">Facebook</a> | '
                              '<a href="https://twitter.com/intent/tweet?url=x">X</a> | <a href="https://wa.me/?text=x">WhatsApp</a></p>',
        "شارك على فيسبوك": "<p>شارك على فيسبوك شارك على تويتر</p>"}


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "a.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Port strike">'
        '<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><h1>Port strike</h1>'
        f'{PARA}{"".join(BARS.values())}<p>The strike ended on Friday after a deal on pay and night-shift conditions was agreed.</p>'
        '</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    body = (site / "articles/2021/05/port-strike.md").read_text().split("\n---\n", 1)[1]
    bad = [f"the share bar {start!r}… is in the article body" for start in BARS if start in body]
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
