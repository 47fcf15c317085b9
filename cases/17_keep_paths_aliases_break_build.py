"""`import --keep-paths` of a crawl of the outlet's own old site in which one story was
captured under both spellings of its address (an hour apart, only a server comment differing), http://localhost:8000/news/port-strike and
…/news/port-strike/ (old CMSs answer both; crawlers follow both). Promise: after import,
`build.py build` succeeds; one article per URL. Defect: the two spellings give two articles
("port-strike" and "port-strike-2") each with its own alias, and the build then refuses them
("alias '/news/port-strike' is claimed by … too"): the site can no longer be built until the
user edits the imported files by hand."""
import io, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


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
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Port strike">'
            '<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><h1>Port strike</h1>'
            f'{PARA}</article></body></html>').encode()
    # the same page, served an hour apart (only the server's timing comment differs, as in real crawls)
    make_warc(tmp / "old-site.warc.gz", [("http://localhost:8000/news/port-strike", "2021-05-16T10:00:00Z", page + b"<!-- 10:00 -->"),
                                        ("http://localhost:8000/news/port-strike/", "2021-05-16T11:00:00Z", page + b"<!-- 11:00 -->")])
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-paths", str(tmp / "old-site.warc.gz")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    if p.returncode != 0:
        print("import failed"); return 1
    b = subprocess.run([PY, BUILD, "build", "--config", str(site / "config.yaml")], capture_output=True, text=True)
    print(b.stderr[-1500:])
    bad = []
    if b.returncode != 0:
        bad.append(f"build fails after `import --keep-paths` (exit {b.returncode})")
    imported = sorted(f.name for f in site.glob("articles/2021/05/*.md"))
    if len(imported) != 1:
        bad.append(f"one story under two spellings of its URL became {len(imported)} articles: {imported}")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
