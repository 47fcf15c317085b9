"""An imported article the user has annotated: after its `provenance:` block they added a
comment line "# note: checked against the print edition, p. 4" and a `summary:` key. A later
crawl brings a new capture of the page, so the import updates the file. Promise: "every other
front-matter line stays as the file has it (tags or a summary you changed are kept)"; never
lose user data. Defect: the comment line is taken as part of the provenance block's span and
deleted when provenance is replaced (the summary survives; the note is gone, and it is not
in the kept version either, which holds only title and body)."""
import io, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")
NOTE = "# note: checked against the print edition, p. 4"


def make_warc(path, captured, body):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://ex.com/a", "response", payload=io.BytesIO(body), http_headers=http,
                                                      warc_headers_dict={"WARC-Date": captured}))


def page(extra=""):
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Alpha story">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article>{PARA}{extra}'
            '</article></body></html>').encode()


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    make_warc(tmp / "first.warc.gz", "2021-05-16T10:00:00Z", page())
    subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "first.warc.gz")], check=True, capture_output=True)
    article = site / "articles/2021/05/alpha-story.md"
    text = article.read_text().replace("import_sha256:", f'{NOTE}\nsummary: "My own summary"\nimport_sha256:', 1)
    article.write_text(text)
    make_warc(tmp / "second.warc.gz", "2021-05-20T10:00:00Z",
              page("<p>Update: the strike ended on Friday after a deal on pay was agreed by both sides.</p>"))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "second.warc.gz")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    after = article.read_text()
    bad = []
    if "updated" not in p.stdout:
        print("the file was not updated; cannot check"); return 2
    if NOTE not in after:
        bad.append(f"the user's comment line {NOTE!r} was deleted by the update")
    if 'summary: "My own summary"' not in after:
        bad.append("the user's summary was deleted by the update")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
