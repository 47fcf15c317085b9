"""Short news sentences that name a social network next to the word "share":
"Share prices of Facebook fell 5% on Monday." and "Users can now share videos on WhatsApp, the
company said." Promise: share/social widgets are dropped; the article's text is kept (at
least as well as trafilatura). Defect: both paragraphs are taken for share bars and silently
removed from the body (trafilatura alone keeps them)."""
import pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY, BUILD = str(ROOT / ".venv/bin/python"), str(ROOT / "build.py")
SENTENCES = ("Share prices of Facebook fell 5% on Monday.", "Users can now share videos on WhatsApp, the company said.")


def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    site = tmp / "site"
    subprocess.run([PY, BUILD, "init", str(site)], check=True, capture_output=True)
    (tmp / "in").mkdir()
    body = ("<p>Technology stocks had a difficult start to the week as investors weighed new rules on data and "
            "advertising announced by regulators on Friday evening.</p>"
            f"<p>{SENTENCES[0]}</p><p>Analysts said the fall reflected worries about advertising revenue in Europe, where "
            f"the new rules take effect next year.</p><p>{SENTENCES[1]}</p><p>The feature had been tested in Brazil and "
            "India since the start of the year, according to people familiar with the matter.</p>")
    (tmp / "in" / "stocks.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="Tech stocks slide">'
        '<meta property="article:published_time" content="2021-05-15T10:00:00Z"></head><body><article><h1>Tech stocks slide</h1>'
        f'{body}</article></body></html>')
    p = subprocess.run([PY, BUILD, "import", "--config", str(site / "config.yaml"), str(tmp / "in")], capture_output=True, text=True)
    if p.returncode != 0:
        print("import failed:", p.stderr); return 1
    text = (site / "articles/2021/05/tech-stocks-slide.md").read_text()
    bad = [f"the sentence {s!r} was dropped from the body" for s in SENTENCES if s not in text]
    for b in bad:
        print("DEFECT:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
