from __future__ import annotations

import argparse
from datetime import datetime

from ..config import load_config
from ..errors import BuildError, Problem
from ..slugs import article_slug

HELP = "create articles/YYYY/<slug>.md with front matter for a new article"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", help="the article's title")
    parser.add_argument("--lang", help="language code (default: the config's language)")
    parser.add_argument("--section", help="section (category)")
    parser.add_argument("--tags", help="comma-separated tags")
    parser.add_argument("--draft", action="store_true", help="mark it as a draft")


def front_matter(title: str, date: datetime, *, lang: str, section: str | None, tags: str | None, draft: bool) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ["---", f"title: {quoted(title)}", f"date: {date.isoformat(timespec='seconds')}", f"lang: {lang}"]
    if section:
        lines.append(f"section: {quoted(section)}")
    if tags:
        lines.append("tags: [" + ", ".join(quoted(t.strip()) for t in tags.split(",") if t.strip()) + "]")
    if draft:
        lines.append("draft: true")
    lines += ["---", "", "Write the lead paragraph here.", ""]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if not args.title.strip():
        raise BuildError(Problem("the title is empty", hint='python build.py new "A title"'))
    now = datetime.now(config.tzinfo).replace(microsecond=0)
    slug = article_slug(args.title, "", config.slug_style, limit=200)  # the file name, with '.md', under 255 bytes
    target = config.articles_dir / f"{now.year:04d}" / f"{slug}.md"
    if target.exists():
        raise BuildError(Problem("an article file with this name already exists; nothing was written", str(target), hint="choose another title, or edit that file"))
    target.parent.mkdir(parents=True, exist_ok=True)
    text = front_matter(args.title.strip(), now, lang=args.lang or config.language, section=args.section, tags=args.tags, draft=args.draft)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    print(f"created {target}")
    return 0
