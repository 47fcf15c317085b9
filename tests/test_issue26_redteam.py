"""The red team's findings on provenance, versions and translations (issue 26), each as the
concrete outcome the fix gives."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import article, clean_build, edit_article as edit, rebuild, tree
from newsarchive.config import load_config
from newsarchive.pipeline import BuildOptions, build

SITE_CONFIG = "title: t\nbase_url: http://localhost:8000/\nlanguage: en\nsearch: false\n"


def failing_build(site: Path):
    report = build(load_config(site / "config.yaml"), BuildOptions(jobs=1))
    assert not report.ok
    return report


# a failed build never poisons the cache ------------------------------------------------

def provenance_article(file_value: str) -> str:
    return article("B", "2021-05-15T11:00:00Z", "Text.", slug="b",
                   provenance=f"\n  url: https://wire.example/b\n  captured: 2021-05-15T12:00:00Z\n  file: {file_value}")


@pytest.mark.parametrize("fixed", ["'other.warc.gz'", '"crawl.warc.gz"'])
def test_fixing_a_provenance_line_after_a_failed_build_builds(make_site, tmp_path, fixed):
    site = make_site({"articles/b.md": provenance_article('"crawl.warc.gz"')}, config=SITE_CONFIG).parent
    rebuild(site)
    (site / "articles/b.md").write_text(provenance_article('"C:\\Users\\x.warc"'), encoding="utf-8")  # \U: bad YAML escape
    report = failing_build(site)
    assert any("b.md" in str(p) for p in report.problems)
    (site / "articles/b.md").write_text(provenance_article(fixed), encoding="utf-8")
    rebuild(site)
    assert tree(site / "_site") == clean_build(site, tmp_path)
    rebuild(site)  # and the one after
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_an_edit_parsed_by_a_failed_build_is_not_lost(make_site, tmp_path):
    files = {"articles/b.md": provenance_article('"crawl.warc.gz"'),
             "articles/c.md": article("C", "2021-05-16T11:00:00Z", "Old body.", slug="c")}
    site = make_site(files, config=SITE_CONFIG).parent
    rebuild(site)
    (site / "articles/b.md").write_text(provenance_article('"C:\\Users\\x.warc"'), encoding="utf-8")
    edit(site, "c.md", "Old body.", "New body.")  # parsed and cached by the build that fails
    failing_build(site)
    (site / "articles/b.md").write_text(provenance_article("'other.warc.gz'"), encoding="utf-8")
    rebuild(site)
    page = (site / "_site/2021/05/c/index.html").read_text(encoding="utf-8")
    assert "New body." in page and "Old body." not in page
    assert tree(site / "_site") == clean_build(site, tmp_path)


def test_a_text_edit_after_a_success_still_renders_from_the_records(make_site):
    site = make_site({"articles/b.md": provenance_article('"crawl.warc.gz"')}, config=SITE_CONFIG).parent
    rebuild(site)
    (site / "articles/b.md").write_text(provenance_article('"C:\\Users\\x.warc"'), encoding="utf-8")
    failing_build(site)
    (site / "articles/b.md").write_text(provenance_article('"crawl.warc.gz"'), encoding="utf-8")
    assert not rebuild(site).from_records  # after a failure: the normal rebuild
    edit(site, "b.md", "Text.", "More text.")
    assert rebuild(site).from_records  # the success recorded: edits take the quick way again
