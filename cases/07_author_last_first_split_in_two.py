"""Authors written "Last, First", as library-style metadata and many CMSs give them:
<meta name="author" content="Doe, Jane"> and JSON-LD author [{"@type": "Person", "name":
"Smith, John"}, {"@type": "Person", "name": "Roe, Richard"}]. Promise: author lists are split
("By Jane Doe and John Roe" gives two authors) without inventing people. Defect: the comma
inside one person's name splits it: "Doe, Jane" becomes two authors "Doe" and "Jane", and the
two JSON-LD Person objects become four authors (author pages /authors/doe/, /authors/jane/...)."""
import json, pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def page(title, head):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z">{head}</head><body><article>'
            f'<h1>{title}</h1>{PARA}</article></body></html>')


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "a.html").write_text(page("Dockers walk out", '<meta name="author" content="Doe, Jane">'))
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2021-05-15T10:00:00Z",
          "author": [{"@type": "Person", "name": "Smith, John"}, {"@type": "Person", "name": "Roe, Richard"}]}
    (tmp / "in" / "b.html").write_text(page("Ferry talks fail", f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    bad = []
    for name, want in (("dockers-walk-out.md", 1), ("ferry-talks-fail.md", 2)):
        text = (site / "articles/2021/05" / name).read_text()
        line = re.search(r"^author: (.*)$", text, re.M).group(1)
        count = len(json.loads(line)) if line.startswith("[") else 1
        if count != want:
            bad.append(f"{name}: author: {line} — {want} person(s) on the page became {count} authors")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
