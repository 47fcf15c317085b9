"""A saved page whose file name is not UTF-8 (b"caf\\xe9 story.html": an old Latin-1 name,
common on archives copied from Windows/Samba disks or unzipped from old zips). Promise: bad
input gives a clear message naming the file, never a traceback. Defect: the name goes into
`provenance.file` as a lone surrogate, and writing the article fails with
"UnicodeEncodeError: surrogates not allowed": a traceback and exit 3 ("internal error"),
even with --keep-going, so the other (good) files are not imported either."""
import os, pathlib, subprocess, sys, tempfile

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
    folder = os.path.join(os.fsencode(str(tmp)), b"in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9 story.html"), "wb") as handle:
        handle.write(page("Cafe owners join the strike"))
    with open(os.path.join(folder, b"good.html"), "wb") as handle:
        handle.write(page("Dockers walk out"))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", os.fsdecode(folder)],
                       capture_output=True, text=True, errors="replace")
    print(p.stdout + p.stderr)
    bad = []
    if "Traceback" in p.stderr or p.returncode == 3:
        bad.append(f"traceback / internal error (exit {p.returncode}) for a file name that is not UTF-8")
    if not list(site.glob("articles/2021/05/dockers-walk-out.md")):
        bad.append("with --keep-going the good file good.html was not imported either")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
