"""Which files under articles/ the site may publish: nothing a browser would run.

articles/ holds what contributors, scrapers and crawls bring, so it is not trusted the way the
theme's static/ is (copied as it is). A file beside the articles is published only when:
- its name ends in .jpg, .jpeg, .png, .webp, .gif or .avif and its bytes are one of those
  raster images (read from the bytes, not the name: HTML named photo.jpg is refused);
- it is an SVG drawing with nothing active: only drawing elements of the SVG namespace, no
  script, no event handler, no link or reference outside the file, no foreignObject, no
  animation, no DOCTYPE, entity or processing instruction (`svg_problem`);
- any other name, when it is not a kind a browser or a web server runs or renders as a page
  (ACTIVE_SUFFIXES: .html, .xml, .js, .php…, also inside the name, as in x.php.jpg) and its
  first bytes do not look like HTML or XML
  (a host may serve an unknown name without a type, and a browser would then sniff it).
A refused file is not published and is a warning naming it; an article that shows it as its
image gets an "image not found" warning at the line, beside the one naming why.
Verdicts are kept by file stat in .cache/files.json, so an unchanged file is not read again.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, warning
from .segments import reserved_problem

if TYPE_CHECKING:
    from .walk import SourceFile

RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
IMAGE_SUFFIXES = RASTER_SUFFIXES + (".svg",)
ACTIVE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".mht", ".mhtml", ".xml", ".xsl", ".xslt", ".rss", ".atom",
    ".svgz", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".wasm", ".swf", ".hta", ".htc", ".vbs", ".jar", ".appcache",
    ".php", ".php3", ".php4", ".php5", ".php7", ".phtml", ".phar", ".cgi", ".pl", ".py", ".rb", ".asp", ".aspx",
    ".jsp", ".jspx", ".htaccess", ".htpasswd", ".shtml", ".ssi", ".xbap", ".manifest", ".webmanifest",
})
SNIFF_BYTES = 1024
POLICY = 2  # bump when a rule changes: the verdicts kept in .cache/files.json are then made again
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feDropShadow", "feFlood",
    "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "feTile", "feTurbulence",
})
_MARKUP = re.compile(rb"\s*<(?:[!?]|[a-zA-Z])")
_URL_REF = re.compile(r"url\s*\(\s*(?![\"']?\s*#)", re.I)


def raster_kind(head: bytes) -> str | None:
    """The raster image format the first bytes of a file announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "AVIF"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG file may carry active content, or None when it is only a drawing."""
    from xml.parsers import expat  # here: a build that reads no new SVG never loads the parser
    found: list[str] = []

    def refuse(why: str):
        found.append(why)
        raise _Stop

    def start(name: str, attrs: dict) -> None:
        ns, _, local = name.rpartition(" ")
        if ns != SVG_NS or local not in SVG_ELEMENTS:
            refuse(f"it holds a <{local}> element" + ("" if ns == SVG_NS else " from outside SVG"))
        if not found_root and local != "svg":
            refuse("its root is not <svg>")
        found_root.append(True)
        for key, value in attrs.items():
            attr_ns, _, attr = key.rpartition(" ")
            if attr.lower().startswith("on"):
                refuse(f"its <{local}> has an event handler ({attr})")
            if attr == "href" and attr_ns in ("", XLINK_NS) and not value.strip().startswith("#"):
                refuse(f"its <{local}> links outside the file ({value[:40]!r})")
            if _URL_REF.search(value) or "javascript:" in value.lower().replace(" ", ""):
                refuse(f"its <{local}> refers outside the file ({attr}={value[:40]!r})")
            if attr == "style" and ("@" in value or "\\" in value or "expression" in value.lower()):
                refuse(f"its <{local}> has a style that may load or run something")

    found_root: list[bool] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = lambda *a: refuse("it has a DOCTYPE (entities can expand or load other files)")
    parser.EntityDeclHandler = lambda *a: refuse("it declares entities")
    parser.ProcessingInstructionHandler = lambda target, data: refuse(f"it holds a processing instruction (<?{target}…?>)")
    parser.ExternalEntityRefHandler = lambda *a: refuse("it refers to an external entity")
    try:
        parser.Parse(data, True)
    except _Stop:
        return found[0]
    except expat.ExpatError as exc:
        return f"it is not well-formed XML ({expat.ErrorString(exc.code)}, line {exc.lineno})"
    return None if found_root else "it holds no <svg> element"


class _Stop(Exception):
    pass


def file_problem(name: str, head: bytes, read_all) -> str | None:
    """Why a file under articles/ named `name` (whose first bytes are `head`) may not be
    published, or None; `read_all()` gives its whole content when an SVG must be checked."""
    for part in name.split("/"):  # CON.png, aux/x.jpg: a copy of the site cannot exist on Windows
        why = reserved_problem(part) if part.casefold() not in ("index.html", "feed.xml", "404.html") else None
        if why and "Windows" in why:
            return f"'{part}' {why}; rename it"
    lower = name.lower()
    suffix = os.path.splitext(lower)[1] if "." in lower.rsplit("/", 1)[-1] else ""
    inner = [f".{part}" for part in lower.rsplit("/", 1)[-1].split(".")[1:-1]]
    if any(part in ACTIVE_SUFFIXES for part in inner):  # Apache maps every suffix of a name: x.php.jpg may run as PHP
        return f"its name holds '{next(p for p in inner if p in ACTIVE_SUFFIXES)}', which some web servers run or serve as a page whatever follows it"
    if lower.endswith(RASTER_SUFFIXES):
        if raster_kind(head) is None:
            shown = "HTML or XML" if _MARKUP.match(head) else "something else"
            return f"its name says image but its bytes are {shown}, not a JPEG, PNG, WebP, GIF or AVIF image"
        return None
    if suffix == ".svg":
        why = svg_problem(read_all())
        return f"SVG drawings are published only when nothing in them can run or load: {why}" if why else None
    if suffix in ACTIVE_SUFFIXES or lower.rsplit("/", 1)[-1] in ACTIVE_SUFFIXES:
        return f"'{suffix or lower}' files are pages or programs a browser or web server would run"
    if _MARKUP.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "its first bytes are HTML or XML, which a browser may show as a page of this site"
    return None


def publishable(assets: list[SourceFile], cache_dir: Path) -> tuple[list[SourceFile], list[Problem]]:
    """The files of `assets` the site may publish, and a warning for each one refused."""
    memo_path = cache_dir / "files.json"
    try:
        kept_memo = json.loads(memo_path.read_text(encoding="utf-8"))
        memo = kept_memo["files"] if kept_memo.get("policy") == POLICY else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        memo = {}
    if not isinstance(memo, dict):
        memo = {}
    fresh: dict[str, list] = {}
    kept, problems = [], []
    for asset in assets:
        stat = list(asset.stat)
        hit = memo.get(asset.source_path)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == stat:
            why = hit[1]
        else:
            why = _check(asset)
        fresh[asset.source_path] = [stat, why]
        if why is None:
            kept.append(asset)
        else:
            problems.append(warning(f"'{asset.source_path}' is not published: {why}", asset.source_path,
                                    hint="convert images to JPEG, PNG or WebP; files of the theme belong in static/"))
    if fresh != memo:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = memo_path.with_name(f"files.json.tmp{os.getpid()}")
        temporary.write_text(json.dumps({"policy": POLICY, "files": fresh}, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, memo_path)
    return kept, problems


def _check(asset: SourceFile) -> str | None:
    try:
        with open(asset.abs_path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)

            def read_all() -> bytes:
                return head + handle.read()
            return file_problem(asset.source_path, head, read_all)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
