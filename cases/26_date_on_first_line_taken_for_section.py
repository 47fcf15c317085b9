"""Scraped text whose first line is its date (a common scraper layout):
"2021-05-15 / Port strike enters third day / body…", "15 May 2021 / …", "Saturday 15 May 2021 / …".
Promise: "a line holding only a date, 2021-05-15 … → date" (also in words); a file is refused
for no date only when it has none. Defect: the first line is taken for a *section* (short, no
final punctuation) before the date-line rule is tried, so all three files are refused with the
false message "no date with a year in the file"; with --date they are imported with
`section: "2021-05-15"` and the --date instead of their own date."""
import pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
FILES = {"a.txt": "2021-05-15\n\nPort strike enters third day\n\nThe dockers gathered at the main gate on Monday.\n\nTalks resume Friday.\n",
         "b.txt": "15 May 2021\n\nFerry talks collapse\n\nThe ferry operators walked out of the talks.\n",
         "c.txt": "Saturday 15 May 2021\n\nUnion vote set\n\nMembers will vote next week.\n"}


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    for name, text in FILES.items():
        (tmp / "in" / name).write_text(text)
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), "--keep-going", str(tmp / "in")],
                       capture_output=True, text=True)
    print(p.stdout + p.stderr)
    bad = []
    for name in FILES:
        said = [line for line in p.stderr.splitlines() if name in line and "no date" in line]
        if said:
            bad.append(f"{name}: refused — {said[0].split(': ', 2)[-1]} — though its first line is its date")
    for md in site.glob("articles/**/*.md"):
        text = md.read_text()
        if re.search(r'^section: "(2021-05-15|15 May 2021|Saturday 15 May 2021)"', text, re.M):
            bad.append(f"{md.name}: the date line became the section")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
