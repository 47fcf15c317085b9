"""JSON-LD in shapes news sites really publish: a LiveBlogPosting (schema.org's type for live
blogs, a BlogPosting), a WebPage whose `mainEntity` is the NewsArticle, and an array holding
an array. Each gives author, keywords and articleSection. Promise: tags, section and author
"come from the page's own metadata" (JSON-LD). Defect: only top-level items (or @graph) whose
@type ends in "Article" or is BlogPosting/Report are read, so these three pages are imported
with no author, no tags and no section at all (silently)."""
import json, pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def article(headline):
    return {"@type": "NewsArticle", "headline": headline, "datePublished": "2021-05-15T10:00:00Z",
            "author": {"@type": "Person", "name": "Jane Doe"}, "keywords": "Strikes, Ports", "articleSection": "Business"}


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    live = dict(article("Port strike live"), **{"@type": "LiveBlogPosting"})
    shapes = {"live.html": ("Port strike live", {"@context": "https://schema.org", **live}),
              "main.html": ("Dockers vote", {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": article("Dockers vote")}),
              "nested.html": ("Ferry resumes", [[{"@context": "https://schema.org", **article("Ferry resumes")}]])}
    for name, (title, ld) in shapes.items():
        (tmp / "in" / name).write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body><article><h1>{title}</h1>{PARA}'
            f'</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    bad = []
    for md in sorted(site.glob("articles/2021/05/*.md")):
        text = md.read_text().split("\n---\n", 1)[0]
        missing = [key for key in ("author", "tags", "section") if not re.search(rf"^{key}: ", text, re.M)]
        if missing:
            bad.append(f"{md.name}: the JSON-LD's {', '.join(missing)} not imported")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
