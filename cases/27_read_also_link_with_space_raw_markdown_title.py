"""A "Read also" link whose address holds a space, as badly made CMS links do:
<p>Read also: <a href="https://ex.com/a b">Spaces in the address</a></p>.
Promise: "read also" links become `related` entries (the title, and the URL when it is a web
address), once each. Defect: the link becomes two entries: a correct one, and one whose
*title* is the raw Markdown "[Spaces in the address](<https://ex.com/a b>)", which the built
article shows verbatim in its "Read also" list."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def main():
    import lxml.html
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "a.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Port strike">'
        '<meta property="article:published_time" content="2021-05-15T10:00:00Z"><link rel="canonical" href="https://ex.com/news/strike">'
        f'</head><body><article><h1>Port strike</h1>{PARA}<p>Read also: <a href="https://ex.com/a b">Spaces in the address</a></p>'
        '</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    front = (site / "articles/2021/05/port-strike.md").read_text().split("\n---\n")[0]
    entries = [line for line in front.splitlines() if line.startswith("  - ")]
    print("\n".join(entries))
    bad = []
    if any("](" in line for line in entries):
        bad.append("a related entry's title is raw Markdown: " + next(line for line in entries if "](" in line).strip())
    if len(entries) != 1:
        bad.append(f"one 'Read also' link gave {len(entries)} related entries")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
