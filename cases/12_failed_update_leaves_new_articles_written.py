"""A second crawl brings (a) a later capture, with a correction, of a page the archive already
holds in articles/2021/04/ and (b) a new page for articles/2021/05/. The update of the
existing file cannot be written (its folder is made immutable with chattr +i here; a full
disk, a read-only mount or a permission problem do the same).
Promise: without --keep-going an error writes nothing ("import failed: …; nothing was
written"). Defect: the new article is placed first and the updates are written after, so
the failed update leaves articles/2021/05/bravo-story.md written while the command says
"nothing was written" and exits 1.
Needs root (or CAP_LINUX_IMMUTABLE) and a file system with chattr; exits 2 when it cannot set it."""
import io, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def page(title, when, extra=""):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{when}"></head><body><article><h1>{title}</h1>{PARA}{extra}'
            f'</article></body></html>').encode()


def make_warc(path, records):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, captured, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": captured}))


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    make_warc(tmp / "first.warc.gz", [("https://ex.com/a", "2021-05-10T10:00:00Z", page("Alpha story", "2021-04-20T10:00:00Z"))])
    subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "first.warc.gz")], check=True, capture_output=True)
    correction = "<p>Correction: an earlier version of this story misstated how many dockers joined the walkout.</p>"
    make_warc(tmp / "second.warc.gz", [("https://ex.com/a", "2021-05-20T10:00:00Z", page("Alpha story", "2021-04-20T10:00:00Z", correction)),
                                       ("https://ex.com/b", "2021-05-20T10:00:00Z", page("Bravo story", "2021-05-15T10:00:00Z"))])
    locked = site / "articles" / "2021" / "04"
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
        print("cannot run: chattr +i is not available here")
        return 2
    try:
        p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "second.warc.gz")],
                           capture_output=True, text=True)
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    print(p.stdout + p.stderr)
    bad = []
    written = sorted(str(f.relative_to(site / "articles")) for f in (site / "articles" / "2021" / "05").glob("*.md"))
    if p.returncode != 0 and written:
        bad.append(f"the import failed (exit {p.returncode}"
                   + (", saying 'nothing was written'" if "nothing was written" in p.stderr else "") + f") but wrote {written}")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
