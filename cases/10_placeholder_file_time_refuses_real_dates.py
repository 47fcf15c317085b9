"""Saved pages whose modification time is a placeholder, as archives without times leave
them: 1970-01-01 (tar --mtime=@0, Nix/Bazel/reproducible copies) and 1980-01-01 (zip files
with no timestamps). Each page has article:published_time 2021-05-15. Promise: dates are the
page's own; a placeholder is never used (0001-01-01 and the Unix epoch are refused as
placeholders when they are dates). Defect: the file time is taken as the capture time without
the same check, so the page's real date is refused as "after the capture (1970-01-01)" and
nothing is imported (and provenance would record a 1970 capture)."""
import datetime, os, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    times = {"from-tar.html": 0, "from-zip.html": datetime.datetime(1980, 1, 1, tzinfo=datetime.timezone.utc).timestamp()}
    for name, stamp in times.items():
        path = tmp / "in" / name
        title = f"Dockers walk out {name[5:8]}"
        path.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
                        f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article>'
                        f'<h1>{title}</h1>{PARA}</article></body></html>')
        os.utime(path, (stamp, stamp))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", str(tmp / "in")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    written = list(site.glob("articles/2021/05/*.md"))
    bad = []
    if len(written) != 2:
        bad.append(f"{2 - len(written)} of 2 pages dated 2021-05-15 were refused because their file time is a placeholder "
                   "(1970-01-01 / 1980-01-01), taken as the capture time")
    for md in written:
        if '"1970-01-01' in md.read_text() or '"1980-01-01' in md.read_text():
            bad.append(f"{md.name}: provenance records a placeholder capture time")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
