"""A 255 KB .warc.gz whose one record has a 256 MB header line (a gzip member of "X-Junk: AAAA…"
with no line break: a corrupt or hostile crawl). Promise: memory bounded per record whatever
the compression ("no record is read past 32 MB"); a damaged record is a warning naming the
file and offset. Defect: warcio reads the header line whole before any cap applies: the
import peaks near 900 MB (a normal import of one page: ~55 MB), and the record is then
counted as "1 not a page" with no warning at all."""
import gzip, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
SIZE = 256 * 1024 * 1024
LIMIT_MB = 250


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    path = tmp / "header.warc.gz"
    with open(path, "wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=6) as member:
        member.write(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://ex.com/a\r\nX-Junk: ")
        block = b"A" * (1 << 20)
        for _ in range(SIZE >> 20):
            member.write(block)
        member.write(b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    code = ("import resource,subprocess,sys; p=subprocess.run(sys.argv[1:],capture_output=True,text=True); "
            "print(p.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.stderr.write(p.stdout+p.stderr)")
    p = subprocess.run([sys.executable, "-c", code, PY, BUILD, "import", "--config", str(site / "config.yaml"), "--jobs", "1", str(path)],
                       capture_output=True, text=True)
    rc, kb = p.stdout.split()[:2]
    peak = int(kb) / 1024
    print(p.stderr)
    print(f"{path.name}: {path.stat().st_size} bytes, import exit {rc}, peak {peak:.0f} MB")
    bad = []
    if peak > LIMIT_MB:
        bad.append(f"a {path.stat().st_size // 1024} KB crawl made the import use {peak:.0f} MB (bound: 32 MB per record)")
    if ": warning:" not in p.stderr and ": error:" not in p.stderr:
        bad.append("the damaged record is not named in any warning")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
