"""Two unrelated articles of one outlet — an English story on a port strike and a French story
on the grape harvest — whose page template carries the edition switcher in its head, as many
multilingual news sites do: <link rel="alternate" hreflang="es" href="https://ex.com/es/"> and
the same for /de/ (the Spanish and German *home pages*, not translations of the story).
Promise: articles are grouped as translations when their pages declare each other as
translations. Defect: the two stories are joined through the shared home-page addresses and
get the same translation_key: the built port-strike page announces the grape-harvest story as
its French translation (hreflang="fr" link, language switcher)."""
import pathlib, re, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
EDITIONS = '<link rel="alternate" hreflang="es" href="https://ex.com/es/"><link rel="alternate" hreflang="de" href="https://ex.com/de/">'


def page(lang, title, canonical, paragraphs):
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="2021-05-15T10:00:00Z"><link rel="canonical" href="{canonical}">'
            f'{EDITIONS}</head><body><article><h1>{title}</h1>' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    (tmp / "in" / "strike.html").write_text(page("en", "Port strike enters third day", "https://ex.com/en/port-strike", [
        "The harbour strike continued on Monday as dockers gathered at the main gate of the port, demanding better pay.",
        "Officials said talks would resume later this week, but union leaders warned that the stoppage could spread."]))
    (tmp / "in" / "vendanges.html").write_text(page("fr", "Les vendanges commencent tôt", "https://ex.com/fr/vendanges", [
        "Les vignerons de la région ont commencé les vendanges avec deux semaines d'avance cette année, en raison de la chaleur.",
        "La récolte s'annonce abondante, selon les premiers relevés des coopératives viticoles du département."]))
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    keys = {}
    for md in site.glob("articles/2021/05/*.md"):
        found = re.search(r"^translation_key: (.*)$", md.read_text(), re.M)
        keys[md.name] = found.group(1) if found else None
    print(keys)
    values = [k for k in keys.values() if k]
    if len(values) == 2 and values[0] == values[1]:
        print(f"DEFECT: two unrelated stories share translation_key {values[0]} (joined through the edition home pages "
              "/es/ and /de/ both declare): the site presents one as the other's translation")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
