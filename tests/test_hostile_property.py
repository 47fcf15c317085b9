"""Whole builds of an archive whose front matter is random Unicode (every plane, controls, bidi
controls, decomposed forms, very long strings): whatever the text, the build ends with exit 0 or
a named problem, never a traceback; every HTML page and every XML file parses; no script or
data URL is published in any href or src.

`HOSTILE_EXAMPLES=500 pytest tests/test_hostile_property.py` is the long run; by default a few
ten builds (about 30-60 s on a loaded 2-core machine)."""
from __future__ import annotations

import json
import os
import unicodedata

import lxml.etree
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import assert_xml_parses, run_cli, tiny_jpeg
from test_hostile_content import script_urls

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "10"))
FIELDS = ["title", "slug", "tags", "section", "source", "source_url", "author", "lang", "summary", "image",
          "image_caption", "image_credit", "related", "website", "updated"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = "".join(map(chr, range(0x20))) + "\x7f\x85\u2028\u2029\ufeff\ufffe\uffff"
SCHEMES = ["javascript:", " JaVaScRiPt:", "data:text/html,", "vbscript:", "java\tscript:", "&#106;avascript:", "//", "\\\\", "https://"]

_any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF)  # every plane, surrogates included
_pieces = st.one_of(
    st.text(_any_char, max_size=20),
    st.text(st.sampled_from(BIDI + CONTROLS + "ab ع ש é"), max_size=20),
    st.text(st.sampled_from("éàçüñÅΩąदि한글"), max_size=12).map(lambda t: unicodedata.normalize("NFD", t)),
    st.sampled_from(SCHEMES).map(lambda s: s + "alert(1)"),
    st.text(st.sampled_from("abcمرحبا "), min_size=200, max_size=400),
)
_values = st.lists(_pieces, min_size=1, max_size=3).map("".join)


def _yaml_value(text: str, form: int) -> str:
    """The text as YAML: double-quoted with escapes (every code point reaches the loader), single-quoted, or raw."""
    if form == 0:
        return json.dumps(text, ensure_ascii=True)  # \uXXXX escapes, surrogate pairs included
    if form == 1:
        return "'" + text.replace("'", "''").replace("\n", " ") + "'"
    return text.replace("\n", " ")


@st.composite
def articles(draw) -> str:
    front = ["title: " + _yaml_value(draw(_values), draw(st.integers(0, 2))), "date: 2021-05-15"]
    for key in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True)):
        value, form = draw(_values), draw(st.integers(0, 2))
        if key == "title":
            continue
        if key == "related":
            front.append(f"related:\n  - {{title: {_yaml_value(value, 0)}, url: {_yaml_value(draw(_values), 0)}}}")
        elif key == "tags":
            front.append("tags: [" + ", ".join(_yaml_value(v, 0) for v in draw(st.lists(_values, min_size=1, max_size=3))) + "]")
        else:
            front.append(f"{key}: {_yaml_value(value, form)}")
    body = draw(_values)
    return "---\n" + "\n".join(front) + "\n---\n" + body + "\n"


def _html_errors(path) -> list[str]:
    parser = lxml.etree.HTMLParser(recover=True)
    lxml.etree.parse(str(path), parser)
    return [f"{path.name}:{e.line}: {e.message}" for e in parser.error_log]


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.lists(articles(), min_size=1, max_size=3))
def test_random_unicode_in_every_field_builds_or_names_the_problem(tmp_path_factory, texts):
    site = tmp_path_factory.mktemp("prop")
    (site / "config.yaml").write_text("title: Prop\nbase_url: https://example.org/\nsearch: false\nnews_sitemap: true\n", encoding="utf-8")
    folder = site / "articles" / "2021"
    folder.mkdir(parents=True)
    (folder / "baseline.md").write_text("---\ntitle: Baseline\ndate: 2021-05-14\nimage: a.jpg\n---\nPlain text.\n", encoding="utf-8")
    (folder / "a.jpg").write_bytes(tiny_jpeg())
    for number, text in enumerate(texts):
        (folder / f"f{number}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
    result = run_cli("build", "--config", site / "config.yaml", "--keep-going", "--jobs", "1")
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert result.code == 0 or (result.code == 1 and "error:" in result.err), (result.code, result.err)
    out = site / "_site"
    if result.code != 0:
        return
    assert assert_xml_parses(out) >= 3
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        assert _html_errors(page) == [], page
    assert script_urls(out) == []
