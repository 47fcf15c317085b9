"""A user keeps raw material inside articles/ in a hidden folder the build does not read,
named by date: articles/.import-20211231/ (scrapes waiting to be imported), and a hidden
note articles/2021/05/.todo.import-20211231. Then they run any import (here one that fails:
a mistyped path). Promise: the input files are only read; never lose user data; only the
temporary files *of a killed import* are removed. Defect: anything named like a leftover
(".import-<digits>", ".<x>.import-<digits>") whose "process" is not running is deleted
recursively — 20211231 is no process id (above pid_max), yet the folder with the user's
files and the note are removed ("removed …, left by an import that was interrupted"),
even though the import itself then fails and "nothing was written"."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    stash = site / "articles" / ".import-20211231"
    stash.mkdir(parents=True)
    (stash / "scrape-001.txt").write_text("Port strike\n\n2021-12-31\n\nThe only copy of this scrape.\n")
    (site / "articles" / "2021" / "05").mkdir(parents=True)
    note = site / "articles" / "2021" / "05" / ".todo.import-20211231"
    note.write_text("articles still to import on new year's eve\n")
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "scrpe")], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    bad = []
    if not (stash / "scrape-001.txt").exists():
        bad.append("articles/.import-20211231/ (the user's folder, no import's: 20211231 is above pid_max) was deleted")
    if not note.exists():
        bad.append("articles/2021/05/.todo.import-20211231 (the user's note) was deleted")
    for x in bad:
        print("DEFECT:", x)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
