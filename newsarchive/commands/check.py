"""Check a built site: every internal link and anchor, every feed and the sitemap."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from ..config import load_config

HELP = "check the built site: internal links and anchors, Atom feeds, sitemap"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "srcset", "iframe": "src", "video": "src", "audio": "src"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, metavar="DIR", help="the built site (default: _site/ beside the config file)")


@dataclass
class CheckReport:
    pages: int = 0
    links: int = 0
    feeds: int = 0
    sitemap_urls: int = 0
    broken: list[str] = field(default_factory=list)


class _PageScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, int]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        wanted = _LINK_ATTRS.get(tag)
        value = attrs.get(wanted) if wanted else None
        if value:
            line = self.getpos()[0]
            if wanted == "srcset":
                self.links += [(part.strip().split(" ")[0], line) for part in value.split(",") if part.strip()]
            else:
                self.links.append((value, line))


def check_site(output_dir: Path, base_url: str) -> CheckReport:
    report = CheckReport()
    scans: dict[Path, _PageScan] = {}
    for path in sorted(output_dir.rglob("*.html")):
        scan = _PageScan()
        scan.feed(path.read_text(encoding="utf-8", errors="replace"))
        scans[path.resolve()] = scan
    report.pages = len(scans)
    for page, scan in scans.items():
        shown = page.relative_to(output_dir.resolve()).as_posix()
        for url, line in scan.links:
            report.links += 1
            problem = _link_problem(url, page, output_dir.resolve(), scans)
            if problem:
                report.broken.append(f"{shown}:{line}: {problem}")
    for path in sorted(output_dir.rglob("*.xml")):
        shown = path.relative_to(output_dir).as_posix()
        try:
            root = ElementTree.parse(path).getroot()
        except ElementTree.ParseError as exc:
            report.broken.append(f"{shown}: not well-formed XML: {exc}")
            continue
        if root.tag == f"{ATOM}feed":
            report.feeds += 1
            report.broken += [f"{shown}: {p}" for p in _feed_problems(root, output_dir, base_url)]
        elif root.tag in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
            for loc in root.iter(f"{SITEMAP}loc"):
                report.sitemap_urls += 1
                if not _absolute_target_exists(loc.text or "", output_dir, base_url):
                    report.broken.append(f"{shown}: sitemap URL {loc.text} has no file in the site")
    return report


def _target_file(path: Path) -> Path:
    return path / "index.html" if path.is_dir() else path


def _link_problem(url: str, page: Path, root: Path, scans: dict[Path, _PageScan]) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:", "data:")):
        return None
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):
        return None  # site-root links are only used where a page can be served at any depth (404.html)
    else:
        target = Path(os.path.normpath(page.parent / unquote(parts.path)))
        if root not in target.parents and target != root:
            return f"link '{url}' points outside the site"
        target = _target_file(target)
        if not target.exists():
            return f"broken link '{url}'"
    if parts.fragment and target.suffix == ".html":
        scan = scans.get(target.resolve())
        if scan is not None and unquote(parts.fragment) not in scan.ids:
            return f"link '{url}' points to a missing anchor #{parts.fragment}"
    return None


def _absolute_target_exists(url: str, output_dir: Path, base_url: str) -> bool:
    if not url.startswith(base_url):
        return False
    rel = unquote(urlsplit(url).path[len(urlsplit(base_url).path):])
    return _target_file(output_dir / rel).exists()


def _feed_problems(root, output_dir: Path, base_url: str) -> list[str]:
    problems = []
    for name in ("id", "title", "updated"):
        if root.find(f"{ATOM}{name}") is None:
            problems.append(f"feed has no <{name}>")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            if entry.find(f"{ATOM}{name}") is None:
                problems.append(f"an entry has no <{name}>")
        for link in entry.findall(f"{ATOM}link"):
            href = link.get("href", "")
            if href.startswith(base_url) and not _absolute_target_exists(href, output_dir, base_url):
                problems.append(f"entry link {href} has no page in the site")
    return problems


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config, args.output)
    if not config.output_dir.is_dir():
        print(f"{config.output_dir}: error: no built site here\n    hint: run 'python build.py' first", file=sys.stderr)
        return 1
    report = check_site(config.output_dir, config.base_url)
    for problem in report.broken:
        print(problem, file=sys.stderr)
    print(f"checked {report.pages} pages with {report.links} links, {report.feeds} feeds, {report.sitemap_urls} sitemap URLs: {len(report.broken)} problems")
    return 1 if report.broken else 0
