"""--date 2021-05-14 (a Friday) given for inputs whose text says the day is Saturday 15 May:
(a) a saved page with no date of its own, "On Saturday, May 15 the dockers…";
(b) scraped text "On Saturday the 15th of May …" (a common English form).
Promise: a warning when --date contradicts the text's weekday. Defect: neither import warns
(exit 0, "0 warnings"); both articles are silently dated 2021-05-14."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "weekday.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Dockers gather at the gate">'
        '</head><body><article><h1>Dockers gather at the gate</h1><p>On Saturday, May 15 the dockers gathered at the main gate of '
        'the port, demanding better pay and safer conditions for the night shift.</p><p>Officials said talks would resume later '
        'this week, but union leaders warned that the stoppage could spread to other ports.</p></article></body></html>')
    (tmp / "in" / "strike.txt").write_text(
        "Port strike goes on\n\nOn Saturday the 15th of May the dockers gathered at the main gate.\n\nTalks will resume later this week.\n")
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--date", "2021-05-14", str(tmp / "in")],
                       capture_output=True, text=True)
    out = p.stdout + p.stderr
    print(out)
    bad = [f"{name}: --date 2021-05-14 (Friday) contradicts 'Saturday … 15 May' in the text, and no warning names it"
           for name in ("weekday.html", "strike.txt") if not any(name in line and "warning" in line for line in out.splitlines())]
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
