"""redteam7: hand edits a careless user makes between builds (the config cache of the last session,
.cache/config.json, and the rebuild room): each incremental build equals a clean build, whole tree."""
from __future__ import annotations

import os
import shutil

import pytest

from conftest import article, clean_build, rebuild, tree, write_site

CONFIG = "title: Harbour Archive\nbase_url: https://example.org/\nlanguage: en\nsearch: false\nper_page: 2\n"
FILES = {f"articles/2021/a{i}.md": article(f"Story number {i}", f"2021-0{i}-15", f"Body of story {i}.", tags="[Port]")
         for i in range(1, 5)}


def _same_stat_edit(path, old: str, new: str) -> None:
    """Replace `old` by `new` (same length), then put the file's modification time back."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.slow  # 12 s at load 20
def test_hand_edits_between_builds_each_equal_a_clean_build(tmp_path):
    config = write_site(tmp_path / "site", FILES, CONFIG)
    site = config.parent
    rebuild(site)
    steps = {
        "config.yaml edited, same size and time": lambda: _same_stat_edit(config, "Harbour Archive", "Harbour Archivf"),
        "config.yaml made a symlink to another file": lambda: (
            (site / "other.yaml").write_text(CONFIG.replace("per_page: 2", "per_page: 3"), encoding="utf-8"),
            config.unlink(), config.symlink_to("other.yaml")),
        "the symlink's target edited": lambda: (site / "other.yaml").write_text(CONFIG.replace("Harbour", "Ferry"), encoding="utf-8"),
        "an article edited, same size and time": lambda: _same_stat_edit(site / "articles/2021/a2.md", "story 2", "STORY 2"),
        "pages and a stylesheet deleted from the output": lambda: (
            shutil.rmtree(site / "_site/2021/02"), (site / "_site/css/site.css").unlink(), (site / "_site/tags/port/index.html").unlink()),
        "an article moved to another folder": lambda: os.renames(site / "articles/2021/a3.md", site / "articles/moved/a3.md"),
    }
    for name, step in steps.items():
        step()
        rebuild(site)
        assert tree(site / "_site") == clean_build(site, tmp_path), name
    shown = (site / "_site/index.html").read_text(encoding="utf-8")
    assert "Ferry Archive" in shown and "STORY 2" in (site / "_site/2021/02/story-number-2/index.html").read_text(encoding="utf-8")


def _png(color: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image
    data = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(data, "PNG")
    return data.getvalue()


def test_an_image_replaced_at_the_same_size_and_time_is_published_again(tmp_path):
    """An article's image (or a static file) rewritten with other bytes of the same size, its modification
    time put back (`cp -p`, `rsync -t`, a tool that keeps it): the up-to-date check compared only size and
    time of the files beside the articles, said 'the site is up to date' and kept the old picture."""
    first, second = _png((10, 20, 30)), _png((30, 20, 10))
    assert len(first) == len(second) and first != second
    files = {"articles/2021/story.md": article("Story", "2021-05-15", "Body.", image="pic.png"),
             "articles/2021/pic.png": first, "static/extra.png": first}
    config = write_site(tmp_path / "site", files, CONFIG)
    site = config.parent
    rebuild(site)
    for rel in ("articles/2021/pic.png", "static/extra.png"):
        path = site / rel
        before = path.stat()
        path.write_bytes(second)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    rebuild(site)
    assert (site / "_site/extra.png").read_bytes() == second
    assert tree(site / "_site") == clean_build(site, tmp_path)
