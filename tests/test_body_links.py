"""Every src/href in a body (Markdown or raw HTML) that points to a local path with no file
or page behind it is a warning naming the article and line."""
from __future__ import annotations

from conftest import article, run_cli, tiny_jpeg

BODY = """First paragraph.

<img src="x">

![Photo](photo.jpg) and ![Gone](gone.jpg)

<p><a href="/tags/port/">Port</a> <a href="/tags/nowhere/">Nowhere</a> <a href="../2021/05/b/">B</a></p>

[Folder](missing/) [Other](b.md) [Ghost](ghost.md) [Section](/sections/world) [Page](/2021/05/b/index.html)

<a href="https://example.com/x">out</a> [top](#first) [mail](mailto:a@b.c)
"""


def test_links_that_lead_nowhere_are_warnings_with_line(make_site, tmp_path):
    config = make_site({
        "articles/a.md": article("A", tags="[port]", section="World", body=BODY),
        "articles/b.md": article("B"),
        "articles/photo.jpg": tiny_jpeg(),
        "articles/raw/c.md": article("C", body='<p>text</p>\n\n<img src="pics/none.png" alt="">\n'),
    }, config="title: T\nbase_url: https://example.org/\nallow_raw_html: false\n")
    result = run_cli("build", "--config", config, "--output", tmp_path / "out")
    assert result.code == 0, result.err
    warnings = sorted(line for line in result.err.splitlines() if ": warning: " in line)
    assert warnings == [
        "a.md:11: warning: the body links to '/gone.jpg', which is not a file under articles/ or static/",
        "a.md:13: warning: the body links to '/tags/nowhere/', which is neither a file under articles/ or static/ nor a page of the site",
        "a.md:15: warning: the body links to '/missing/', which is neither a file under articles/ or static/ nor a page of the site",
        "a.md:15: warning: the body links to the article '/ghost.md', which is not in the archive (or is a draft)",
        "a.md:9: warning: the body links to '/x', which is neither a file under articles/ or static/ nor a page of the site",
        "raw/c.md:7: warning: the body links to '/raw/pics/none.png', which is not a file under articles/ or static/",
    ]
    assert "6 warnings" in result.out


def test_strict_fails_on_a_raw_html_image_that_leads_nowhere(make_site, tmp_path):
    config = make_site({"articles/a.md": article("A", body='Text.\n\n<img src="x">\n')})
    result = run_cli("build", "--config", config, "--output", tmp_path / "out", "--strict")
    assert result.code == 1
    assert "a.md:7: warning: the body links to '/x'" in result.err
