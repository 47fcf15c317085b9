"""Shared fixtures: throwaway site folders and an in-process command line."""
from __future__ import annotations

import contextlib
import hashlib
import io
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
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliResult(code, out.getvalue(), err.getvalue())


def tree_digest(root: Path, search_index: bool = False) -> dict[str, str]:
    """Every file below `root` by relative path → sha256, to compare whole output folders.
    Pagefind's bundles under pagefind/ are left out unless `search_index=True`: their filter files
    are not byte-reproducible (Pagefind 1.5.2 writes filter values in hash-map order), so whole-site
    equality is judged on everything else; bundles.json stays, and test_search checks the index."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and (search_index or not _in_search_bundle(p.relative_to(root).as_posix()))}


def _in_search_bundle(rel: str) -> bool:
    return rel.startswith("pagefind/") and rel != "pagefind/bundles.json"


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


@pytest.fixture
def make_site(tmp_path):
    """make_site({"articles/2021/a.md": "...", ...}, config="title: X") → path of config.yaml."""
    def make(files: dict[str, str | bytes], config: str = "title: Test site\nbase_url: https://example.org/\n", name: str = "site") -> Path:
        root = tmp_path / name
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
    return make


# --- builds compared with clean builds (the incremental, edit and plan tests share these) ------

def tree(root: Path) -> dict[str, bytes]:
    """Every file's bytes but Pagefind's bundle files, which are not byte-reproducible (see tree_digest)."""
    return {rel: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and not _in_search_bundle(rel := p.relative_to(root).as_posix())}


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
