"""Pages dated only in their text, in the forms their languages really use:
Arabic with Arabic-Indic digits "نشر في ١٥ مايو ٢٠٢١", Persian "۲۵ اردیبهشت ۱۴۰۰"
(Solar Hijri, = 2021-05-15), Thai with the Buddhist-era year "15 พฤษภาคม 2564" (= 2021).
Promise: dates from the page "in any written form". Defect: the Arabic and Persian pages get
"no publication date in the page"; the Thai one is refused with a wrong reason ("is after the
capture (…): not a publication date": 2564 read as a Gregorian year). In a crawl these pages
are silently skipped as "no date (index page)"."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding "
        "better pay and safer conditions for the night shift workers.</p><p>Officials said talks would resume later "
        "this week, but union leaders warned that the stoppage could spread to other ports.</p>")
PAGES = {"ar": "نشر في ١٥ مايو ٢٠٢١", "fa": "۲۵ اردیبهشت ۱۴۰۰", "th": "15 พฤษภาคม 2564"}


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    for lang, written in PAGES.items():
        title = f"Port strike {lang}"
        (tmp / "in" / f"{lang}.html").write_text(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'</head><body><article><h1>{title}</h1><p class="date">{written}</p>{PARA}</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", str(tmp / "in")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    bad = []
    for lang, written in PAGES.items():
        found = [md for md in site.glob("articles/**/*.md") if f'title: "Port strike {lang}"' in md.read_text()]
        if not found:
            bad.append(f"{lang}.html: the date {written!r} (2021-05-15) was not read; the page was not imported")
        elif "date: 2021-05-15" not in found[0].read_text():
            bad.append(f"{lang}.html: imported with a wrong date")
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
