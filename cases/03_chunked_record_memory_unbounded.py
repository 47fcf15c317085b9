"""A 260 KB WARC record whose HTTP payload uses Transfer-Encoding: chunked with one big chunk:
(a) in a .warc.gz, one 256 MB chunk of spaces; (b) in a plain .warc, a chunk of 250 KB of
Content-Encoding: gzip data that inflates to 256 MB.
Promise: "no record is read past 32 MB, whatever its compression"; memory bounded per record.
Defect: warcio's chunked reader reads the whole chunk (and inflates it) in one call before
newsarchive's 32 MB cap applies: the import peaks at ~2x the bomb size (≈560 MB here; a
2 GB chunk, which warcio allows, costs 4+ GB). The page is then refused as too large, but
only after the memory was spent."""
import gzip, pathlib, resource, subprocess, sys, tempfile, uuid, zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
SIZE = 256 * 1024 * 1024
LIMIT_MB = 250  # generous: the cap is 32 MB per record, plus the interpreter and libraries


def warc_headers(length, url):
    return (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\nWARC-Date: 2021-05-16T10:00:00Z\r\n"
            f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n").encode()


def gz_warc_one_big_chunk(path):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
    head, tail = b"%x\r\n" % SIZE, b"\r\n0\r\n\r\n"
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=6) as g:
        g.write(warc_headers(len(http) + len(head) + SIZE + len(tail), "https://ex.com/big"))
        g.write(http + head)
        block = b" " * (1 << 20)
        for _ in range(SIZE >> 20):
            g.write(block)
        g.write(tail + b"\r\n\r\n")


def plain_warc_gzip_chunk(path):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = b"".join([c.compress(b" " * (1 << 20)) for _ in range(SIZE >> 20)] + [c.flush()])
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
    payload = http + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    with open(path, "wb") as f:
        f.write(warc_headers(len(payload), "https://ex.com/big2") + payload + b"\r\n\r\n")


def peak_of_import(site, path):
    """Peak RSS (MB) of a child process running the import."""
    code = ("import resource,subprocess,sys; p=subprocess.run(sys.argv[1:],capture_output=True,text=True); "
            "print(p.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.stderr.write(p.stderr)")
    p = subprocess.run([sys.executable, "-c", code, PY, BUILD, "import", "--config", str(site / "config.yaml"), "--jobs", "1", str(path)],
                       capture_output=True, text=True)
    rc, kb = p.stdout.split()[:2]
    return int(rc), int(kb) / 1024, p.stderr


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    bad = []
    for name, make in (("a.warc.gz", gz_warc_one_big_chunk), ("b.warc", plain_warc_gzip_chunk)):
        path = tmp / name
        make(path)
        rc, peak, err = peak_of_import(site, path)
        print(f"{name}: {path.stat().st_size} bytes on disk, import exit {rc}, peak {peak:.0f} MB")
        if peak > LIMIT_MB:
            bad.append(f"{name} ({path.stat().st_size // 1024} KB) made the import use {peak:.0f} MB (bound: 32 MB per record)")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
