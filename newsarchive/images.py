"""Local images made fit to publish: sizes for the page, smaller versions, no hidden metadata.

Every JPEG, PNG and WebP file under articles/ gets, with Pillow: its width and height (after
its EXIF orientation is applied), 2–3 widths for article pages and 1–2 for listing cards,
each in WebP and in its own format, and a 1200-px version for Open Graph. Every version,
and the copy of the original the site publishes, is written without EXIF, XMP or comments
(a phone photo's GPS position must not reach the site); an original that carries none is
published as it is.

Versions are made once per image content (`.cache/images/<sha256>/`, with a `meta.json`
listing them) and reused by every later build, so a rebuild with no new image makes none.
They are made in forked processes that run while articles load. A file Pillow cannot read is
a warning naming it, and the original is published and shown unchanged. SVG files only
get their size, read from their root element.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .walk import SourceFile, source_file
from .errors import Problem, warning
from .parallel import can_fork, start_tied
from .urls import quote_path
from .segments import bounded

RECIPE = "2"  # bump when the versions made change: older cache entries are then ignored
DISPLAY_WIDTHS = (640, 1024, 1600)
THUMB_WIDTHS = (320, 640)
OG_WIDTH = 1200
FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
OUTPUT_FOLDER = "_img"
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "Description", "Comment", "Author")


@dataclass(frozen=True, slots=True)
class Variant:
    url: str  # site-absolute
    width: int
    height: int
    mime: str


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What pages need to show one image; every URL site-absolute."""
    url: str  # the published original (metadata stripped)
    width: int
    height: int
    mime: str
    display: tuple[Variant, ...]  # WebP and the original format, for article pages
    thumbs: tuple[Variant, ...]  # the same, smaller, for listing cards
    og: Variant | None  # None for SVG, which is shown as it is


def version_paths(info: ImageInfo) -> set[str]:
    """The output paths of an image's resized versions (display, thumbnails, Open Graph): what
    a build leaves out with the file when no published article uses it (status.py, embargo.py)."""
    return {unquote(v.url).lstrip("/") for v in (*info.display, *info.thumbs, info.og) if v is not None}


@dataclass(frozen=True)
class ImageJob:
    asset: SourceFile
    digest: str  # sha256 of the file
    folder: str  # the cache folder of this content


@dataclass(frozen=True)
class Images:
    """The outcome for a build: infos by site path, files to publish, warnings."""
    infos: dict[str, ImageInfo]  # "/images/x.jpg" (unquoted site path) → info
    files: list[SourceFile]  # versions to copy, with output paths as source_path
    replaced: dict[str, SourceFile]  # asset source path → its stripped copy in the cache
    problems: tuple[Problem, ...] = ()
    made: int = 0  # images processed this build (the rest came from the cache)


class ImageWork:
    """Images started at discovery and collected before planning, so that Pillow works while
    the articles load."""

    def __init__(self, assets: list[SourceFile], cache_dir: Path, jobs: int):
        self.root = cache_dir / "images"
        self.root.mkdir(parents=True, exist_ok=True)
        self.images = [a for a in assets if a.source_path.lower().endswith(SUFFIXES)]
        self.vectors = [a for a in assets if a.source_path.lower().endswith(".svg")]
        self.jobs_list = [ImageJob(a, d, str(self.root / f"{d}-{RECIPE}")) for a, d in self._digests()]
        todo = {job.folder: job for job in reversed(self.jobs_list) if not os.path.isfile(os.path.join(job.folder, "meta.json"))}
        self.todo = sorted(todo.values(), key=lambda job: job.folder)  # one job per content
        self.processes, self.release = _start(self.todo, jobs)

    def _digests(self) -> list[tuple[SourceFile, str]]:
        """Content hashes, remembered by file stat so an unchanged image is not read again."""
        memo_path = self.root / "hashes.json"
        try:
            memo = json.loads(memo_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            memo = {}
        result, fresh = [], {}
        for asset in self.images:
            key = asset.abs_path
            stat = list(asset.stat)
            hit = memo.get(key)
            if hit and hit[0] == stat:
                digest = hit[1]
            else:
                with open(asset.abs_path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            fresh[key] = [stat, digest]
            result.append((asset, digest))
        if fresh != memo:
            _write_atomic(memo_path, json.dumps(fresh, sort_keys=True))
        return result

    def collect(self) -> Images:
        _finish(self.processes, self.release, self.todo)
        infos, files, replaced, problems = {}, {}, {}, []
        for job in self.jobs_list:
            meta = _read_meta(job)
            source_path = job.asset.source_path
            if "error" in meta:
                problems.append(warning(
                    f"cannot read image '{source_path}': {meta['error']}; it is published and shown as it is",
                    source_path, hint="re-save it as JPEG, PNG or WebP, or check that the file is complete"))
                continue
            info, made_files = _info(meta, job)
            infos["/" + source_path] = info
            files.update((f.source_path, f) for f in made_files)  # two same-named files of one content share versions
            if meta["stripped"]:
                replaced[source_path] = _cached_file(source_path, os.path.join(job.folder, meta["stripped"]))
        for asset in self.vectors:
            size = svg_size(asset.abs_path)
            if size:
                infos["/" + asset.source_path] = ImageInfo(quote_path("/" + asset.source_path), *size, "image/svg+xml", (), (), None)
        return Images(infos, list(files.values()), replaced, tuple(problems), made=len(self.todo))


_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.S)
_LENGTH = re.compile(rb'\s(width|height|viewBox)\s*=\s*["\']([^"\']*)["\']')


def svg_size(abs_path: str) -> tuple[int, int] | None:
    """An SVG's intrinsic size from its root's width/height (plain or px numbers), else its
    viewBox; None when neither says (then the page gives no size)."""
    try:
        with open(abs_path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    root = _SVG_ROOT.search(head)
    if not root:
        return None
    attrs = {k.decode(): v.decode("ascii", "replace").strip() for k, v in _LENGTH.findall(root.group(0))}
    try:
        width, height = (float(attrs[k].removesuffix("px")) for k in ("width", "height"))
    except (KeyError, ValueError):
        try:
            width, height = (float(n) for n in attrs.get("viewBox", "").replace(",", " ").split()[2:4])
        except ValueError:
            return None
    return (round(width), round(height)) if width > 0 and height > 0 else None


def _info(meta: dict, job: ImageJob) -> tuple[ImageInfo, list[SourceFile]]:
    source_path = job.asset.source_path
    original_url = quote_path("/" + source_path)
    out_folder = f"{OUTPUT_FOLDER}/{job.digest[:16]}"
    stem = bounded(posixpath.splitext(posixpath.basename(source_path))[0], limit=200)  # <stem>-<width>.<ext> under 255 bytes
    files: dict[str, SourceFile] = {}

    def variant(entry: list) -> Variant:
        name, width, height, mime = entry
        if name is None:  # the original itself, at full size
            return Variant(original_url, width, height, mime)
        rel = f"{out_folder}/{stem}-{name}"
        files.setdefault(rel, _cached_file(rel, os.path.join(job.folder, name)))
        return Variant(quote_path("/" + rel), width, height, mime)

    info = ImageInfo(
        url=original_url, width=meta["width"], height=meta["height"], mime=meta["mime"],
        display=tuple(variant(v) for v in meta["display"]), thumbs=tuple(variant(v) for v in meta["thumbs"]),
        og=variant(meta["og"]),
    )
    return info, list(files.values())


def _cached_file(rel: str, abs_path: str) -> SourceFile:
    st = os.stat(abs_path)
    folder, name = os.path.split(abs_path)
    return source_file(rel, folder, st, name)


def _read_meta(job: ImageJob) -> dict:
    try:
        return json.loads(Path(job.folder, "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a worker died before writing it
        return {"error": f"no result ({exc})"}


def _start(todo: list[ImageJob], jobs: int) -> tuple[list, object]:
    """Fork up to `jobs` processes over the images to make, tied to the build so a killed
    build leaves none behind; none when there is nothing to do or no fork (then `collect`
    makes them here)."""
    if not todo or not can_fork():
        return [], None
    workers = max(1, min(jobs, len(todo)))
    return start_tied(_make_all, [(todo[i::workers],) for i in range(workers)])


def _finish(processes: list, release, todo: list[ImageJob]) -> None:
    for process in processes:
        process.join()
    if release is not None:
        release()
    for job in todo:  # no fork, or a worker that died: make what is missing here
        if not os.path.isfile(os.path.join(job.folder, "meta.json")):
            _make(job)


def _make_all(jobs: list[ImageJob]) -> None:
    for job in jobs:
        _make(job)


def _make(job: ImageJob) -> None:
    """Every version of one image into its cache folder; meta.json last, so a folder
    without one is unfinished and made again."""
    os.makedirs(job.folder, exist_ok=True)
    try:
        meta = make_versions(job.asset.abs_path, job.folder)
    except Exception as exc:  # Pillow raises many kinds for a bad file
        meta = {"error": f"{type(exc).__name__}: {exc}".rstrip(": ")}
    _write_atomic(Path(job.folder, "meta.json"), json.dumps(meta, sort_keys=True))


def make_versions(abs_path: str, folder: str) -> dict:
    """Open, orient, strip and resize one image; returns what meta.json records. Files are
    named by width only: two files with the same content share them, each under its own name."""
    from PIL import Image, ImageOps  # here: a build with no new image never imports Pillow
    with Image.open(abs_path) as opened:
        fmt = opened.format
        if fmt not in FORMATS:
            raise ValueError(f"{fmt or 'unknown'} images are not resized (only JPEG, PNG and WebP)")
        opened.load()
        had_metadata = bool(opened.getexif()) or any(key in opened.info for key in METADATA_KEYS)
        image = ImageOps.exif_transpose(opened).copy()
    icc = image.info.get("icc_profile")
    image.info = {}
    ext, mime = FORMATS[fmt]
    width, height = image.size

    made: dict[tuple[int, str], list] = {}

    def save(target_width: int, target_fmt: str) -> list:
        if (target_width, target_fmt) not in made:
            made[(target_width, target_fmt)] = _save(target_width, target_fmt)
        return made[(target_width, target_fmt)]

    def _save(target_width: int, target_fmt: str) -> list:
        target_ext, target_mime = FORMATS[target_fmt]
        if target_fmt == fmt and target_width >= width:
            return [None, width, height, mime]
        target_height = max(1, round(height * target_width / width)) if target_width < width else height
        target_width = min(target_width, width)
        resized = image if target_width == width else image.resize((target_width, target_height), Image.Resampling.LANCZOS)
        filename = f"{target_width}.{target_ext}"
        _encode(resized, os.path.join(folder, filename), target_fmt, icc)
        return [filename, target_width, target_height, target_mime]

    def widths(wanted: tuple[int, ...]) -> list[int]:
        return sorted({min(w, width) for w in wanted})

    display = [save(w, "WEBP") for w in widths(DISPLAY_WIDTHS)] + [save(w, fmt) for w in widths(DISPLAY_WIDTHS)]
    thumbs = [save(w, "WEBP") for w in widths(THUMB_WIDTHS)] + [save(w, fmt) for w in widths(THUMB_WIDTHS)]
    og_fmt = "JPEG" if fmt == "WEBP" else fmt
    og = save(min(OG_WIDTH, width), og_fmt)
    stripped = None
    if had_metadata:
        stripped = f"original.{ext}"
        _encode(image, os.path.join(folder, stripped), fmt, icc, full=True)
    return {"width": width, "height": height, "mime": mime, "display": display, "thumbs": thumbs, "og": og,
            "stripped": stripped}


def _encode(image, target: str, fmt: str, icc, *, full: bool = False) -> None:
    options: dict = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        options.update(quality=90 if full else 82, optimize=True, progressive=True)
    elif fmt == "WEBP":
        options.update(quality=80, method=2)  # method 4 takes 2-3x the time for files ~10 % smaller
    elif fmt == "PNG":
        options.update(optimize=True)
    temporary = f"{target}.tmp{os.getpid()}"
    image.save(temporary, fmt, **options)
    os.replace(temporary, target)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f"{path.name}.tmp{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, temporary.with_name(path.name))


def picture_view(info: ImageInfo, kind: str) -> dict:
    """Plain data for a template's <picture>: `kind` is "display" or "thumbs"."""
    variants = info.display if kind == "display" else info.thumbs
    webp = [v for v in variants if v.mime == "image/webp"]
    fallback = [v for v in variants if v.mime != "image/webp"]
    largest = fallback[-1] if fallback else Variant(info.url, info.width, info.height, info.mime)
    return {
        "webp": [{"url": v.url, "width": v.width} for v in webp],
        "fallback": [{"url": v.url, "width": v.width} for v in fallback],
        "src": largest.url, "width": largest.width, "height": largest.height, "type": info.mime,
    }


def info_digest(info: ImageInfo | None) -> str:
    return repr(info) if info else ""
