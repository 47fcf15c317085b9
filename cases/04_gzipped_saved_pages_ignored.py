"""Saved web pages kept gzipped, as crawlers and benchmark sets store them: `story.html.gz`
in a folder, the same given by name, and `wget.html` whose bytes are gzip (saved with its
Content-Encoding). Promise: import takes saved web pages ".html, .htm, gzipped"; bad input
gives a clear message naming the file. Defect: the .html.gz in a folder is silently left out
(not even counted in "read N files"), by name it is refused as "not a file that can be
imported", and the gzip bytes in .html are "not an HTML page"."""
import gzip, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def page(title):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><h1>{title}</h1>'
            f'{PARA}</article></body></html>').encode()


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "story.html.gz").write_bytes(gzip.compress(page("Gzipped saved page")))
    (tmp / "in" / "wget.html").write_bytes(gzip.compress(page("Gzip bytes saved as html")))
    (tmp / "one").mkdir()
    (tmp / "one" / "other.htm.gz").write_bytes(gzip.compress(page("Gzipped page given by name")))
    bad = []
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", str(tmp / "in")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    written = "\n".join(f.read_text() for f in site.glob("articles/2021/05/*.md"))
    if "Gzipped saved page" not in written:
        said = "story.html.gz" in p.stdout + p.stderr
        bad.append("story.html.gz in the imported folder was not imported" + ("" if said else ", and nothing names it (silently skipped)"))
    if "Gzip bytes saved as html" not in written:
        bad.append("wget.html (gzip-compressed bytes) was not imported")
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "one" / "other.htm.gz")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    if p.returncode != 0:
        bad.append(f"other.htm.gz given by name was refused: {p.stderr.strip().splitlines()[0] if p.stderr.strip() else p.returncode}")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
