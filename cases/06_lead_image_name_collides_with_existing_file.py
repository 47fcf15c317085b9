"""The archive already holds articles/2021/05/port-strike.png (the user's photo, used by their
own article harbour-day.md). A crawl brings the page "Port strike" with a lead image (a red
PNG the crawl holds). Promise: two things that would get the same path get different
names; nothing is overwritten; import is all-or-nothing with a clear error.
Defect: the slug is checked against .md paths only, so the image is planned at the user's
port-strike.png. Without --keep-going the whole import fails ("could not be written: it
exists already") though nothing the user did is wrong; with --keep-going port-strike.md is
written anyway with `image: port-strike.png`: it shows the user's unrelated photo, and the
summary says "imported 0"."""
import io, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def png(color):
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "PNG")
    return out.getvalue()


def make_warc(path, records):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, content_type, body in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2021-05-16T10:00:00Z"}))


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    month = site / "articles" / "2021" / "05"
    month.mkdir(parents=True)
    (month / "harbour-day.md").write_text('---\ntitle: "Harbour day"\ndate: 2021-05-10\nimage: port-strike.png\n'
                                          'image_alt: "Our own photo"\n---\nOur own article.\n')
    mine = png("blue")
    (month / "port-strike.png").write_bytes(mine)
    (tmp / "in").mkdir()
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Port strike">'
            '<meta property="og:image" content="https://ex.com/pic.png">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article>{PARA}</article></body></html>')
    make_warc(tmp / "in" / "crawl.warc.gz", [("https://ex.com/pic.png", "image/png", png("red")),
                                             ("https://ex.com/a", "text/html; charset=utf-8", page.encode())])
    bad = []
    cmd = [PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")]
    p = subprocess.run(cmd, capture_output=True, text=True)
    print(p.stdout + p.stderr)
    if p.returncode != 0:
        bad.append("without --keep-going the import fails: the new article's image was planned at the user's port-strike.png")
    p = subprocess.run(cmd + ["--keep-going"], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    for md in month.glob("*.md"):
        text = md.read_text()
        if md.name != "harbour-day.md" and "image:" in text:
            name = text.split("image:", 1)[1].split("\n", 1)[0].strip().strip('"')
            if (month / name).read_bytes() == mine:
                bad.append(f"{md.name} (imported) has image: {name}, which is the user's own photo, not the page's lead image")
    if (month / "port-strike.png").read_bytes() != mine:
        bad.append("the user's port-strike.png was overwritten")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
