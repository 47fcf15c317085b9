"""A French page whose headline starts with a dateline: og:title "Paris – Une nuit de
manifestations", og:site_name "Le Parisien". Promise: the site name is stripped from titles
("… – TechCrunch", "Le Monde | …"), nothing else. Defect: "Paris" is a substring of
"leparisien", so it is taken for the site's name and cut: the title becomes
"Une nuit de manifestations"."""
import pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
PARA = ("<p>Des milliers de personnes ont défilé dans les rues de la capitale jusqu'au petit matin, à l'appel des "
        "syndicats du port et des transports.</p><p>La préfecture a recensé plusieurs incidents près de la gare, "
        "mais aucun blessé grave n'a été signalé.</p>")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    title = "Paris – Une nuit de manifestations"
    (tmp / "in" / "a.html").write_text(
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title} - Le Parisien</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="Le Parisien">'
        f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head>'
        f'<body><article><h2>Actualité</h2>{PARA}</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    text = next(site.glob("articles/2021/05/*.md")).read_text()
    got = re.search(r"^title: (.*)$", text, re.M).group(1)
    if got != f'"{title}"':
        print(f"DEFECT: title written as {got}, expected \"{title}\" (the dateline 'Paris' was taken for the site name 'Le Parisien')")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
