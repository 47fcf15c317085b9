"""withholding.py: one rule decides which files held-back articles (embargoed, withdrawn) take
with them, in one pass, whichever of the two holds an article back."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from conftest import article, clean_build, rebuild, tiny_jpeg, tree

NOW = datetime(2026, 12, 7, 12, tzinfo=timezone.utc)
EMBARGO = "2099-01-01T00:00:00Z"
HELD = {"embargo": dict(embargo=EMBARGO), "withdrawn": dict(status="withdrawn", reason='"A court order."')}


def _files(kind: str) -> dict:
    return {
        # a page bundle held back: its folder's files go with it, linked or not
        "articles/2021/held/index.md": article("Held piece", "2021-05-10", "Its ![chart](chart.jpg) and [data](data.csv).",
                                               image="lead.jpg", slug="held", **HELD[kind]),
        "articles/2021/held/chart.jpg": tiny_jpeg((1, 2, 3)),
        "articles/2021/held/data.csv": "a,b\n1,2\n",
        "articles/2021/held/notes.txt": "linked from nowhere",
        "articles/2021/held/lead.jpg": tiny_jpeg((4, 5, 6)),
        "articles/2021/held/shared.jpg": tiny_jpeg((7, 8, 9)),
        # published articles using the held one's files: by body, by "read also", by an earlier version
        "articles/2021/a.md": article("Harbour reopens", "2021-05-12", "A photo: ![shared](held/shared.jpg)."),
        "articles/2021/b.md": article("Port strike ends", "2021-05-08", "Dockers vote.",
                                      related="[{title: The data, url: /2021/held/data.csv}]"),
        "articles/2021/c.md": article("Ferry timetable", "2021-05-01", "New times.",
                                      versions='\n  - captured: 2021-04-30T08:00:00Z\n    body: "Old times, see [chart](/2021/held/chart.jpg)."'),
    }


@pytest.mark.parametrize("kind", ["embargo", "withdrawn"])
def test_held_back_articles_take_their_files_but_not_what_published_ones_use(make_site, kind):
    config = make_site(_files(kind))
    site = config.parent
    rebuild(site, now=NOW)
    files = {path for path in tree(site / "_site") if path.startswith("2021/held/")}
    assert "2021/held/shared.jpg" in files       # a published body shows it
    assert "2021/held/data.csv" in files         # a published "read also" URL names it
    assert "2021/held/chart.jpg" in files        # a published article's earlier version shows it
    assert "2021/held/notes.txt" not in files    # the bundle's own file, used by no one else
    assert not any(p.startswith("2021/held/lead") for p in files)  # its lead image and every version of it


@pytest.mark.parametrize("kind", ["embargo", "withdrawn"])
def test_both_holds_at_once_are_one_pass_and_incremental_equals_clean(make_site, tmp_path, kind):
    files = _files(kind)
    other = "withdrawn" if kind == "embargo" else "embargo"
    files["articles/2021/other/index.md"] = article("Other held", "2021-05-11", "![s](../held/lead.jpg)", slug="other", **HELD[other])
    files["articles/2021/other/own.jpg"] = tiny_jpeg((10, 11, 12))
    config = make_site(files)
    site = config.parent
    rebuild(site, now=NOW)
    built = tree(site / "_site")
    assert "2021/other/own.jpg" not in built and "2021/held/lead.jpg" not in built
    # a published article starts using the other one's file: published, as in a clean build
    (site / "articles/2021/a.md").write_text(article("Harbour reopens", "2021-05-12", "![x](other/own.jpg)"), encoding="utf-8")
    rebuild(site, now=NOW)
    after = tree(site / "_site")
    assert "2021/other/own.jpg" in after
    assert after == clean_build(site, tmp_path, now=NOW)
