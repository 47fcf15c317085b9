"""A crawl of a password-protected site (a paywall or a staging server) made with the
credentials in the seed URL, so the WARC-Target-URI is https://editor:hunter2@news.example/a
(warcio, Heritrix and wpull keep the URL as requested). Promise: the site is safe to
publish; provenance never publishes what it should not (absolute paths are refused);
source is "the site name". Defect: the user name and password are published: in
`source_url`, `provenance.url`, and as the article's *source* "editor:hunter2@news.example",
which becomes a public taxonomy page /sources/editor-hunter2-news-example/ listed on the home
page, the sources index, the feed and the sitemap."""
import io, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def main():
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Port strike">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article>{PARA}</article></body></html>')
    with open(tmp / "staging.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://editor:hunter2@news.example/a", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=http,
                                                      warc_headers_dict={"WARC-Date": "2021-05-16T10:00:00Z"}))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "staging.warc.gz")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stdout, p.stderr); return 1
    b = subprocess.run([PY, BUILD, "build", "--config", str(site / "config.yaml")], capture_output=True, text=True)
    if b.returncode != 0:
        print("build failed:", b.stderr); return 1
    leaked = sorted(str(f.relative_to(site)) for f in (site / "_site").rglob("*")
                    if f.is_file() and b"hunter2" in f.read_bytes())
    leaked += sorted(str(f.relative_to(site)) for f in (site / "_site").rglob("*hunter2*"))
    if leaked:
        print(f"DEFECT: the crawl's password 'hunter2' is published in {len(leaked)} files/paths, e.g. {leaked[:5]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
