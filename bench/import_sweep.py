"""Check by machine every article an import wrote from a pool of real pages (bench/real_pages.py),
for the defect classes of issue 27, and count them: a sweep that a person could not do by reading
thousands of files.

    .venv/bin/python bench/import_sweep.py SITE --pool POOL [--log IMPORT_STDERR] [--show 5]

SITE is the archive `build.py import POOL --keep-going` wrote into (its articles/ folder is read);
each article's `provenance.file` names its page in POOL, so a defect that the page itself carries
(mojibake saved into the page, a share button in its text) is not counted against the import.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import yaml

# UTF-8 read as windows-1252 ("Ã©", "â€™", "Ð¡", Greek "Î±", Chinese "ä¸­", Korean "ê°€") or as windows-1251
# ("РЎРѕ"), a legacy encoding read as Latin-1 (runs of accented letters), and U+FFFD
_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122"
_CP1251_CONT = "ЂЃѓЉЊЌЋЏђљњќћџЎўЈҐЁЄЇІіґёєјЅѕї°±µ¶·№"
MOJIBAKE = re.compile(f"Ã[{_CONT}]|â€|[ÐÑÎÏ][{_CONT}]|Â[\u00a0-\u00bf]|[äåæçèéêëìí][{_CONT}]{{2}}"
                      f"|(?:[РС][{_CP1251_CONT}]){{2}}|[\u00a1-\u00ff]{{6,}}|\ufffd")
SHARE = re.compile(r"^\W*(share|tweet|teilen|partager|compartir|condividi|delen|udostępnij|поделиться|pin it|email|e-mail|"
                   r"facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram|print|imprimer|drucken)"
                   r"(\s+(on|sur|en|auf|via|this|cet article|this article|artikel|to|par))?"
                   r"(\s+(facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|telegram|e-?mail|messenger|google\+?))?\W*$", re.I)
SHARE_INLINE = re.compile(r"\b(share on (facebook|twitter|linkedin)|partager sur (facebook|twitter)|auf facebook teilen|"
                          r"compartir en (facebook|twitter)|tweet this|share this (article|story))\b", re.I)
SEPARATED = re.compile(r"^(?P<head>.+?)\s+[|\-–—:·»/]\s+(?P<tail>[^|\-–—:·»/]{2,60})$")
PIPE_ROW = re.compile(r"^\|.*\|\s*$")
LINK = re.compile(r"\]\(")
TERM_LIMIT = 80
AUTHOR_JUNK = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,6}|[A-Z]{2,6})|(?i:name|view profile|profile|admin|username)")


def front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    return (yaml.safe_load(text[3:end]) or {}), text[end + 4:].lstrip("\n")


def as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def page_text(pool: Path, name: str, cache: dict) -> str | None:
    """The page's text when it is valid UTF-8 (to see whether it carries a pattern itself), else None."""
    if name not in cache:
        try:
            raw = (pool / name).read_bytes()
        except OSError:
            raw = b""
        cache.clear()
        try:
            cache[name] = raw.decode("utf-8")
        except UnicodeDecodeError:
            cache[name] = None
    return cache[name]


def site_words(meta: dict) -> set[str]:
    """Words that name the site: its source and the host of its address."""
    words = set()
    for value in as_list(meta.get("source")):
        words.add(value.lower())
    prov = meta.get("provenance") or {}
    host = re.sub(r"^www\d?\.", "", (re.match(r"https?://([^/]+)", str(prov.get("url") or meta.get("source_url") or "")) or [None, ""])[1].lower())
    if host:
        words.add(host)
        words.add(host.split(".")[0])
    return {w for w in words if len(w) >= 3}


def keeps_site_name(title: str, meta: dict) -> bool:
    found = SEPARATED.match(title)
    if not found:
        return False
    tail = re.sub(r"[^\w.]+", "", found.group("tail").lower())
    return any(w.replace(" ", "") in tail or tail in w.replace(" ", "").replace("-", "") for w in site_words(meta) if tail)


def pipe_paragraphs(body: str) -> bool:
    """A table written one row per paragraph (rows parted by blank lines): it renders as paragraphs of pipes."""
    paragraphs = [p.strip() for p in body.split("\n\n")]
    for first, second in zip(paragraphs, paragraphs[1:]):
        if PIPE_ROW.match(first) and "\n" not in first and PIPE_ROW.match(second) and "\n" not in second:
            return True
    return False


def broken_links(body: str) -> list[str]:
    """Link targets whose parentheses do not balance, or a '>)' left of an address's closing parenthesis."""
    bad = []
    for found in LINK.finditer(body):
        if body.startswith("<", found.end()):  # <address> form: any parentheses allowed up to ">)"
            end = body.find(">)", found.end())
            if end < 0 or "\n" in body[found.end():end]:
                bad.append(body[found.end():found.end() + 100].split("\n")[0])
            continue
        depth, at = 1, found.end()
        while at < len(body) and depth and body[at] != "\n":
            depth += {"(": 1, ")": -1}.get(body[at], 0)
            at += 1
        target = body[found.end():at - 1]
        if depth or target.endswith(">") or "%29>" in target:
            bad.append(target[:100])
    return bad


def check(meta: dict, body: str, page: str | None, today: date) -> dict[str, str]:
    """The defect classes this article shows (class -> an example)."""
    found: dict[str, str] = {}
    title = str(meta.get("title") or "")
    for where, text in (("title", title), ("body", body)):
        hit = MOJIBAKE.search(text)
        if hit and (page is None or hit.group(0) not in page):
            legacy = " (page not UTF-8)" if page is None else ""
            found[f"mojibake in {where}{legacy}"] = text[max(0, hit.start() - 20):hit.end() + 20]
    if keeps_site_name(title, meta):
        found["title keeps site name"] = title
    for key in ("tags", "section", "author", "source"):
        for value in as_list(meta.get(key)):
            if len(value) > TERM_LIMIT:
                found[f"{key} over {TERM_LIMIT} chars"] = value[:120]
            if key == "tags" and (value.count(",") >= 2 or (value.count(",") == 1 and len(value) > 30)):
                found["comma-joined tag"] = value[:120]
    for value in as_list(meta.get("author")):
        if AUTHOR_JUNK.fullmatch(value) or ":" in value:
            found["author is a host name, a label or credits"] = value[:120]
    when = meta.get("date")
    if isinstance(when, str):  # "2014-12-26T11:42" (no seconds) is no YAML timestamp; the build reads it as ISO
        try:
            when = datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            pass
    day = when.date() if isinstance(when, datetime) else when if isinstance(when, date) else None
    if day is None:
        found["date unreadable"] = str(when)
    elif day.year < 1800 or day > today:
        found["date out of range"] = str(when)
    if pipe_paragraphs(body):
        found["table as pipe paragraphs"] = next(p for p in body.split("\n\n") if PIPE_ROW.match(p.strip()))[:120]
    links = broken_links(body)
    if links:
        found["link with broken parentheses"] = links[0]
    for line in body.splitlines():
        bare = re.sub(r"[*_#>\[\]]|\(https?://[^)]*\)|^\s*[-+*]\s+", "", line).strip()
        if bare and (SHARE.match(bare) or SHARE_INLINE.search(bare)):
            found["share widget text"] = line.strip()[:120]
            break
    if not body.strip():
        found["empty body"] = ""
    if meta.get("date_source") == "--date":
        found["no date found in the page (--date used)"] = title[:80]
    return found


def sweep(site: Path, pool: Path, show: int, flagged_to: Path | None = None) -> int:
    counts: Counter = Counter()
    flagged: list[str] = []  # "class<TAB>page" of every defect found, to import those pages again after a fix
    examples: dict[str, list[str]] = defaultdict(list)
    today = date.today()
    cache: dict[str, str] = {}
    files = sorted((site / "articles").rglob("*.md"))
    titles: Counter = Counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        meta, body = front_matter(text)
        titles[str(meta.get("title"))] += 1
        name = str((meta.get("provenance") or {}).get("file") or "")
        page = page_text(pool, name, cache) if name else None
        for defect, example in check(meta, body, page, today).items():
            counts[defect] += 1
            flagged.append(f"{defect}\t{name}")
            if len(examples[defect]) < show:
                examples[defect].append(f"{path.relative_to(site)} ({name}): {example!r}")
    shared = {t: n for t, n in titles.items() if n >= 3}  # one title on many pages: a site's name, not a headline
    if shared:
        counts["title shared by 3 or more articles"] = sum(shared.values())
        examples["title shared by 3 or more articles"] = [f"{n} × {t!r}" for t, n in sorted(shared.items(), key=lambda kv: -kv[1])[:show]]
    if flagged_to:
        flagged_to.write_text("".join(f"{line}\n" for line in flagged), encoding="utf-8")
    print(f"articles read: {len(files)}")
    for defect, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{count:6d}  {defect}")
        for example in examples[defect]:
            print(f"          {example}")
    return 0


def log_counts(log: Path) -> None:
    """Tracebacks and error lines of the import's own output."""
    text = log.read_text(encoding="utf-8", errors="replace")
    print(f"import log: {text.count('Traceback')} tracebacks, "
          f"{sum(1 for line in text.splitlines() if ': error' in line.lower() or line.lower().startswith('error'))} error lines")
    for line in text.splitlines()[-3:]:
        print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--log", type=Path, help="the import's standard error, saved")
    parser.add_argument("--show", type=int, default=5, help="examples shown per class")
    parser.add_argument("--flagged", type=Path, help="write 'class<TAB>page' of every defect found to this file")
    args = parser.parse_args()
    if args.log:
        log_counts(args.log)
    return sweep(args.site, args.pool, args.show, args.flagged)


if __name__ == "__main__":
    sys.exit(main())
