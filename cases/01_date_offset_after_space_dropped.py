"""A page's article:published_time written "2021-05-15 23:30:00 -0500" (a space before the
offset, as many CMSs print it) or "2021-05-15T10:30:00+02" (ISO 8601 hour-only offset).
Promise: the date is kept "with its offset as written". Defect: the offset is silently
dropped, the article is dated 23:30 in the site's time zone (UTC) instead of 04:30Z the next
day, i.e. a wrong instant (and here even the wrong day)."""
import pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")


def page(title, when):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{when}"></head><body><article><h1>{title}</h1>{PARA}'
            f'</article></body></html>')


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "a.html").write_text(page("Dockers walk out again", "2021-05-15 23:30:00 -0500"))
    (tmp / "in" / "b.html").write_text(page("Ferry service resumes", "2021-05-15T10:30:00+02"))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    bad = []
    want = {"dockers-walk-out-again.md": ("-05:00", "2021-05-16T04:30:00Z"), "ferry-service-resumes.md": ("+02:00", "2021-05-15T08:30:00Z")}
    for name, (offset, utc) in want.items():
        text = next(site.glob(f"articles/2021/05/{name}")).read_text()
        date = re.search(r"^date: (.*)$", text, re.M).group(1)
        if offset not in date and not date.endswith("Z") and utc not in date:
            bad.append(f"{name}: date is {date!r}; the page's offset {offset} was dropped (instant should be {utc})")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
