"""Pages whose CMS printed "no date" (timestamp 0) in its own time zone, as PHP's date() and
JavaScript's toISOString-with-offset do: article:published_time "1970-01-01T01:00:00+01:00"
(Paris), "1969-12-31T19:00:00-05:00" (New York), "1970-01-01T05:30:00+05:30" (Delhi).
Promise: dates are never a placeholder; "1970-01-01T00:00:00Z" is refused as "the Unix
epoch (timestamp 0)". Defect: the same instant written with an offset is accepted: the
articles are filed under articles/1970/01/ and articles/1969/12/ with date_source "meta"
(also accepted: 1900-01-01T00:00:00Z and 1899-12-30, the SQL Server / OLE "zero dates")."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")
EPOCHS = ("1970-01-01T01:00:00+01:00", "1969-12-31T19:00:00-05:00", "1970-01-01T05:30:00+05:30")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    for number, when in enumerate(EPOCHS):
        title = f"Dockers walk out part {number}"
        (tmp / "in" / f"p{number}.html").write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{when}"></head><body><article><h1>{title}</h1>{PARA}'
            f'</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", "--date", "2021-05-15",
                        str(tmp / "in")], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    bad = []
    for md in sorted(site.glob("articles/19*/*/*.md")):
        date = next(line for line in md.read_text().splitlines() if line.startswith("date:"))
        bad.append(f"{md.relative_to(site)}: {date} — timestamp 0 in a local time zone taken as the publication date")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
