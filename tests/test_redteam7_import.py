"""redteam7: hostile pages given to `import` (issue 27's new extraction code): what the import
writes must build, and a page it cannot read whole is named, never imported with its text lost."""
from __future__ import annotations

import pytest

from conftest import run_cli

PARAGRAPH = "The harbour council met on Tuesday evening to discuss ferry timetable number {} and its budget. "


def _page(body: str, title: str = "Harbour council") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2021-05-15T10:30:00+02:00"></head>'
            f'<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>')


@pytest.fixture
def small_limit_archive(make_site):
    return make_site({}, config="title: T\nbase_url: https://example.org/\nlanguage: en\nmax_article_bytes: 4000\n")


def test_an_article_over_max_article_bytes_is_refused_by_the_import_not_by_the_next_build(small_limit_archive, tmp_path):
    """A page whose text is larger than config.yaml's max_article_bytes was imported, and every later
    build then failed on the file the import wrote."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "long.txt").write_text("Harbour council\n\n" + "\n\n".join(PARAGRAPH.format(i) * 3 for i in range(30)) + "\n",
                                    encoding="utf-8")
    (pages / "short.txt").write_text("Short story\n\n" + PARAGRAPH.format(1) + "\n", encoding="utf-8")
    result = run_cli("import", pages, "--date", "2021-05-15", "--config", small_limit_archive, "--jobs", "1")
    assert result.code == 1
    assert "long.txt: error:" in result.err and "max_article_bytes (4,000)" in result.err, result.err
    assert not list((small_limit_archive.parent / "articles").rglob("*.md"))  # nothing written
    result = run_cli("import", pages, "--date", "2021-05-15", "--config", small_limit_archive, "--jobs", "1", "--keep-going")
    assert result.code == 0, result.err
    assert [p.name for p in (small_limit_archive.parent / "articles").rglob("*.md")] == ["short-story.md"]
    assert run_cli("build", "--config", small_limit_archive).code == 0
