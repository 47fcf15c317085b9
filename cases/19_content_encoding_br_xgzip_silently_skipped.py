"""A crawl whose article was recorded as the server sent it, with Content-Encoding: br
(Brotli: what Chrome-based crawlers such as Browsertrix store for most modern sites), and
another with Content-Encoding: zstd; and two gzip pages labelled "x-gzip" (the legacy alias
HTTP says to treat as gzip) and "gzip, gzip" (encoded twice, as some proxies do). Promise: pages in WARCs are imported; gzip Content-Encoding
inside the payload is decoded; bad input gives a clear message naming the record; nothing is
lost silently. Defect: warcio has no Brotli/zstd decoder here, the compressed bytes are parsed
as HTML (so are the x-gzip and double-gzip pages), and every one is counted as "not a page"
with 0 warnings: no warning,
no hint (e.g. "install brotli"), the story is simply gone from the import.
The Brotli payload below is the compressed form of a normal article page (made with Node's
zlib.brotliCompressSync), embedded so the script needs no Brotli library."""
import base64, gzip, io, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
BROTLI_PAGE = base64.b64decode("G34CAJwH5ZZnrJtC3dVLyKptqe58N6qGRiOJ3+GSPEJUUVNhb0acihoAzX8+Y/IEHPN8zFZoEVWwvusvKb4lzB47e+26trK0MxOW8iLmL7gk/2yJmnS8pj5+S5QOwDUNF2+8KuOJuFogEhv2S371syy091/SSCu0jG02bjQtYI4s3/g6S3nzYGXz76qyUoaYBEVi/xdcqPxRnqD1yMeJ1tXxwYTyKs4S7FqffQwu1Y+yEDHwN1GGhXBqLkjMgpWvkbRWpSdm9KapE4aDz4IxsqNeWVzID+FDYIRObbOkuWLG/dexMCGIDYOH9ZDUW4Ww0CgJxelbpyNs+gZLwlm+zgFBlsKxfvoL7QA=")


def make_warc(path, records):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, encoding, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", encoding)],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2021-05-16T10:00:00Z"}))


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    plain = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="TITLE">'
             '<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><p>The harbour '
             'strike continued on Monday as dockers gathered at the main gate of the port, demanding better pay and safer '
             'conditions for the night shift workers.</p><p>Officials said talks would resume later this week.</p></article></body></html>')
    make_warc(tmp / "crawl.warc.gz", [("https://ex.com/brotli-story", "br", BROTLI_PAGE),
                                      ("https://ex.com/zstd-story", "zstd", BROTLI_PAGE),
                                      ("https://ex.com/x-gzip-story", "x-gzip", gzip.compress(plain.replace("TITLE", "X gzip").encode())),
                                      ("https://ex.com/twice-story", "gzip, gzip",
                                       gzip.compress(gzip.compress(plain.replace("TITLE", "Twice").encode())))])
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", str(tmp / "crawl.warc.gz")],
                       capture_output=True, text=True)
    out = p.stdout + p.stderr
    print(out)
    imported = list(site.glob("articles/2021/05/*.md"))
    bad = []
    encodings = {"https://ex.com/brotli-story": "br", "https://ex.com/zstd-story": "zstd", "https://ex.com/x-gzip-story": "x-gzip",
                 "https://ex.com/twice-story": "gzip, gzip"}
    for url, encoding in encodings.items():
        named = any(url in line and ("warning" in line or "error" in line) for line in out.splitlines())
        got = any(url in md.read_text() for md in imported)
        if not got and not named:
            bad.append(f"{url} (Content-Encoding {encoding}) was neither imported nor named in a "
                       "warning: it was silently counted as 'not a page'")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
