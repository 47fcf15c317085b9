"""Fuzzing whole article files (front matter + Markdown + raw HTML): no input may cause an
internal error, and no <script>, on*= handler or javascript: URL may reach the output.

`make test` runs a few seconds of it; `FUZZ_EXAMPLES=100000 pytest tests/test_fuzz.py`
is the long run (see BENCHMARKS.md, "Hardening")."""
from __future__ import annotations

import os
import re
from datetime import timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from newsarchive.content import LoadContext, parse_article
from newsarchive.markup import MarkdownRenderer

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FAST = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 1000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE_HTML = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "<a href=' jav&#x09;ascript:alert(1)'>x</a>", "<svg onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>", "<body onload=alert(1)>", "<style>*{x:expression(alert(1))}</style>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>", "<div onclick=\"alert(1)\">d</div>", "<math><mtext><script>x</script>",
    "<img src=\"x\" ONERROR=\"alert(1)\">", "<a href=\"data:text/html,<script>alert(1)</script>\">d</a>",
    "<object data=\"x.swf\"></object>", "<form action=\"javascript:x\"><input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>", "<!-- <script>x</script> -->", "<![CDATA[<script>x</script>]]>",
    "<p style=\"background:url(javascript:alert(1))\">s</p>", "<img src=`x` onerror=`alert(1)`>",
    "<a href=\"&#106;avascript:alert(1)\">e</a>", "<table><td onmouseover=alert(1)>t</td></table>",
]
MARKDOWN = [
    "# Heading", "## Sub *heading* {#id .class onclick=alert(1)}", "> quote\n> > nested", "- a\n    - b\n        - c",
    "1. one\n2. two", "[link](https://example.org)", "[js](javascript:alert(1))", "![img](photo.jpg)",
    "<javascript:alert(1)>", "[ref][r]\n\n[r]: javascript:alert(1)", "`code <script>`", "```\n<script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <script>x</script> | c |", "Footnote[^1]\n\n[^1]: note <img src=x onerror=alert(1)>",
    "*emph* **strong** _u_", "---", "&amp; &lt;script&gt; &#60;script&#62;", "[x](../../../etc/passwd)",
    "{: onclick=\"alert(1)\"}", "text{: onmouseover=alert(1) }", "<https://example.org>", "a  \nb",
    "[a](<javascript:alert(1)>)", "![x](x \"title\" onerror=alert(1))", "\\<script>", "[[[[x]]]]", ">>>>>> deep",
]
FRONT_KEYS = ["title", "date", "updated", "slug", "tags", "section", "source", "source_url", "author", "lang", "summary",
              "image", "image_caption", "image_credit", "related", "draft", "extra_key", "onload"]
YAML_VALUES = [
    "Plain title", "\"<script>alert(1)</script>\"", "2021-05-15", "2021-05-15T10:30:00+04:30", "15/05/2021", "[a, b, c]",
    "{a: 1}", "&anchor x", "*anchor", "!!python/object:os.system x", "[[[[[]]]]]", "null", "~", "yes", "NO", "1984",
    "\"javascript:alert(1)\"", "https://example.org/x", "|\n  multi\n  line", "\"\\u0000\"", "'<img src=x onerror=alert(1)>'",
    "[{title: T, url: 'javascript:alert(1)'}]", "- a\n- b", "\"\"", "'", "\"unclosed", "{{ jinja }}", "{% raw %}",
]


@st.composite
def article_files(draw) -> bytes:
    """A whole article file: usually valid front matter, sometimes broken; a body mixing
    Markdown, raw (often hostile) HTML and arbitrary text."""
    lines = []
    if draw(st.integers(0, 9)):
        lines.append("---")
        if draw(st.integers(0, 9)):
            lines += ["title: " + draw(st.sampled_from(["A title", "\"<b>x</b>\"", "T <script>x</script>", "Titre é"])),
                      "date: " + draw(st.sampled_from(["2021-05-15", "2021-05-15T10:30:00+04:30", "2021-05-15 08:00", "2021-13-45"] + ["2021-05-15"] * 6))]
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3, 6]))):
            key = draw(st.sampled_from(FRONT_KEYS))
            value = draw(st.one_of(st.sampled_from(YAML_VALUES), st.text(max_size=30)))
            lines.append(f"{key}: {value}")
        if draw(st.integers(0, 9)):
            lines.append("---")
    parts = draw(st.lists(st.one_of(st.sampled_from(HOSTILE_HTML), st.sampled_from(MARKDOWN), st.text(max_size=40),
                                    st.text(alphabet="<>/=\"' ab&#;:[]()!*_`>-|\n\t{}", max_size=40)), max_size=12))
    separators = draw(st.lists(st.sampled_from(["", " ", "\n", "\n\n", "\n    "]), min_size=len(parts), max_size=len(parts)))
    body = "".join(p + s for p, s in zip(parts, separators))
    text = "\n".join(lines) + "\n" + body
    encoding = draw(st.sampled_from(["utf-8"] * 8 + ["utf-8-sig", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = data.replace(b"\n", b"\r\n")
    return data


class _Unsafe(HTMLParser):
    """Collects script/style elements, on*= handlers and script URLs in an HTML text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "svg", "math", "form", "body"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "srcset", "data", "formaction") and value:
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append(f"{tag} {name}={value}")


def test_the_checker_sees_what_the_sanitizer_removes():
    raw = MarkdownRenderer(allow_raw_html=True)
    data = ("---\ntitle: T\ndate: 2021-01-01\n---\n" + "\n\n".join(HOSTILE_HTML)).encode()
    unsafe = unsafe_parts(parse_article(data, "a.md", CONTEXT, raw).body)
    assert "<script>" in unsafe and "img onerror=" in unsafe and "a href=javascript:alert(1)" in unsafe
    assert unsafe_parts(parse_article(data, "a.md", CONTEXT, RENDERER).body) == []


def unsafe_parts(fragment: str) -> list[str]:
    parser = _Unsafe()
    parser.feed(fragment)
    parser.close()
    return parser.found


CONTEXT = LoadContext(permalink="/{year}/{month}/{slug}/", default_lang="en", tz=timezone.utc, slug_style="auto")
RENDERER = MarkdownRenderer()


@FAST
@given(article_files())
def test_any_article_file_loads_without_internal_error_and_safe_body(data):
    result = parse_article(data, "2021/fuzz.md", CONTEXT, RENDERER)  # any exception here would be an internal error
    assert result.article is not None or any(p.is_error for p in result.problems)
    for problem in result.problems:
        assert problem.path == "2021/fuzz.md" and problem.message
    if result.article is not None:
        assert unsafe_parts(result.body) == []
        assert "<script" not in result.body.lower()


def _page_findings(out: Path) -> set[str]:
    found = set()
    for page in out.rglob("*.html"):
        found.update(unsafe_parts(page.read_text(encoding="utf-8")))
    return found


@settings(max_examples=max(3, EXAMPLES // 100), deadline=None, derandomize=EXAMPLES <= 1000,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(st.lists(article_files(), min_size=1, max_size=12))
def test_whole_builds_of_fuzzed_articles_never_fail_internally_nor_publish_scripts(tmp_path_factory, files):
    site = tmp_path_factory.mktemp("fuzz")
    (site / "config.yaml").write_text("title: Fuzz\nbase_url: https://example.org/\n", encoding="utf-8")
    (site / "articles" / "2021").mkdir(parents=True)
    (site / "articles" / "2021" / "baseline.md").write_bytes(b"---\ntitle: Baseline\ndate: 2021-01-01\n---\nPlain text.\n")
    for number, data in enumerate(files):
        (site / "articles" / "2021" / f"f{number}.md").write_bytes(data)
    result = run_cli("build", "--config", site / "config.yaml", "--keep-going", "--jobs", "1")
    assert result.code == 0, result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert _page_findings(site / "_site") <= _theme_findings(tmp_path_factory)


_THEME: list[set[str]] = []


def _theme_findings(tmp_path_factory) -> set[str]:
    """What the theme itself has (none today): only what fuzzed articles add is a finding."""
    if not _THEME:
        site = tmp_path_factory.mktemp("fuzz-theme")
        (site / "config.yaml").write_text("title: Fuzz\nbase_url: https://example.org/\n", encoding="utf-8")
        (site / "articles").mkdir()
        (site / "articles" / "a.md").write_bytes(b"---\ntitle: A\ndate: 2021-01-01\ntags: [x]\nsection: S\n---\nText.\n")
        assert run_cli("build", "--config", site / "config.yaml", "--jobs", "1").code == 0
        _THEME.append(_page_findings(site / "_site"))
    return _THEME[0]
