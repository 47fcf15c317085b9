"""Shared fixtures: throwaway site folders and an in-process command line."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsarchive.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> CliResult:
    """The command line in this process; after a build that succeeded, every XML file of the
    site is parsed (assert_xml_parses), so every fixture build checks its feeds and sitemaps."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    built = _built_site(args) if code == 0 else None
    if built is not None:
        assert_xml_parses(built)
    return CliResult(code, out.getvalue(), err.getvalue())


def _built_site(args) -> Path | None:
    """The output folder of a `build` command line (the command named or left out), if it exists."""
    words = [str(a) for a in args]
    if words and not words[0].startswith("-") and words[0] != "build":
        return None
    if "--dry-run" in words:
        return None
    value = lambda flag: words[words.index(flag) + 1] if flag in words[:-1] else None  # noqa: E731
    output = value("--output")
    config = Path(value("--config") or "config.yaml")
    folder = Path(output) if output else config.parent / "_site"
    return folder if folder.is_dir() else None


def assert_xml_parses(site: Path) -> int:
    """Parse every .xml file below `site` with a real XML parser (feeds, tag and section feeds,
    sitemaps, the news sitemap); fails naming the file and the parser's message. Returns how many."""
    import xml.etree.ElementTree as ElementTree

    count = 0
    for path in sorted(site.rglob("*.xml")):
        try:
            ElementTree.parse(path)
        except ElementTree.ParseError as exc:
            raise AssertionError(f"{path.relative_to(site)} is not well-formed XML: {exc}") from None
        count += 1
    return count


def tree_digest(root: Path) -> dict[str, str]:
    """Every file below `root` by relative path → sha256, to compare whole output folders
    (the search index included: newsarchive.search_canonical makes it byte-reproducible)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file()}


def tiny_jpeg(color: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A real, metadata-free JPEG: the image stage reads every local image, so fake bytes would warn."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 10), color).save(out, format="JPEG")
    return out.getvalue()


def article(title: str = "A title", date: str = "2021-05-15", body: str = "First paragraph.", **fields) -> str:
    """Front matter + body; `fields` values are written verbatim after 'key: '."""
    lines = ["---", f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()] + ["---", body, ""]
    return "\n".join(lines)


DEFAULT_CONFIG = "title: Test site\nbase_url: https://example.org/\n"


def write_site(root: Path, files: dict[str, str | bytes], config: str = DEFAULT_CONFIG) -> Path:
    """A site folder at `root`: config.yaml, articles/ and `files` (relative path → text or bytes);
    returns the path of config.yaml. For a module fixture that builds a site its tests only read."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    return root / "config.yaml"


def built_site(root: Path, files: dict[str, str | bytes], config: str) -> Path:
    """The output folder of a site written under `root` and built once by the command line."""
    assert run_cli("build", "--config", write_site(root, files, config)).code == 0
    return root / "_site"


@pytest.fixture
def make_site(tmp_path):
    """make_site({"articles/2021/a.md": "...", ...}, config="title: X") → path of config.yaml."""
    def make(files: dict[str, str | bytes], config: str = DEFAULT_CONFIG, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config)
    return make


# --- the order `make test` hands tests out in ----------------------------------------------

def _shares_a_fixture_beyond_the_test(item) -> bool:
    """Whether the test uses a fixture of this suite kept for its module, class or the session
    (pytest's own, such as tmp_path_factory, cost nothing to set up again)."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", None)
    if definitions is None:
        return True
    return any(d.scope != "function" and d.baseid for defs in definitions.values() for d in defs)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """In a pytest-xdist worker (`make test`, --dist worksteal), the slow tests go first: each
    one that uses no module fixture on its own, and the files whose slow tests share one as a
    whole (their fixture is still built once). A worker then ends on short tests, and the other
    takes half of what it has left, instead of idling while it finishes a long one. Elsewhere
    the order is pytest's."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    alone = {id(item) for item in slow if not _shares_a_fixture_beyond_the_test(item)}
    files = {item.path for item in slow if id(item) not in alone}
    first = [item for item in items if id(item) in alone or item.path in files]
    taken = {id(item) for item in first}
    items[:] = first + [item for item in items if id(item) not in taken]


# --- builds compared with clean builds (the incremental, edit and plan tests share these) ------

def tree(root: Path) -> dict[str, bytes]:
    """Every file's bytes, the search index's included (newsarchive.search_canonical makes it reproducible)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def rebuild(site: Path, **options):
    """Build the site in `site` (its config.yaml) in this process; the build must succeed."""
    from newsarchive.config import load_config
    from newsarchive.pipeline import BuildOptions, build
    report = build(load_config(site / "config.yaml"), BuildOptions(jobs=options.pop("jobs", 1), **options))
    assert report.ok, [str(p) for p in report.problems]
    return report


def clean_build(site: Path, tmp: Path, **options) -> dict[str, bytes]:
    """The same site built from scratch, in a copy with no cache and no previous output: its `tree`."""
    import shutil
    copy = tmp / "clean"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "_site"))
    rebuild(copy, **options)
    return tree(copy / "_site")


def edit_article(site: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` by `new` in articles/`rel`, which must hold it."""
    path = site / "articles" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_steps_equal_clean_builds(site: Path, tmp: Path, steps, *, check=None, **options) -> None:
    """Build `site`, then for each (name, rel, old, new) step: replace `old` by `new` in
    articles/`rel`, rebuild incrementally, and compare the whole output tree with a clean build
    of the same input (same options); `check(name, report)` adds the step's own assertions.
    Each failure names the step."""
    rebuild(site, **options)
    for name, rel, old, new in steps:
        edit_article(site, rel, old, new)
        report = rebuild(site, **options)
        assert tree(site / "_site") == clean_build(site, tmp, **options), name
        if check is not None:
            check(name, report)


# --- Pagefind's own output, put in canonical order (what search_canonical does to a bundle in memory) ---

def canonicalise_bundle(folder: Path) -> None:
    """Rewrite a folder Pagefind wrote itself (its CLI or its package's client) in canonical order,
    to compare it with the bundles newsarchive writes."""
    from newsarchive.search_canonical import canonical_files
    before = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    after = canonical_files(before)
    for rel in before.keys() - after.keys():
        (folder / rel).unlink()
    for rel, data in after.items():
        if before.get(rel) != data:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)


def read_index_file(path: Path):
    """The CBOR value inside one of Pagefind's gzipped index files."""
    from newsarchive.search_canonical import decode_index
    return decode_index(path.read_bytes(), path)
