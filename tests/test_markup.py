"""markup: Markdown → safe HTML with site-absolute links, and the plain first paragraph."""
from __future__ import annotations

import pytest

from newsarchive.markup import MarkdownRenderer, first_paragraph, plain_text, rewrite_urls, sanitize

SAFE = MarkdownRenderer()
RAW = MarkdownRenderer(allow_raw_html=True)


def html(body: str, path: str = "2021/05/story.md", renderer: MarkdownRenderer = SAFE) -> str:
    return renderer.render(body, source_path=path).html


def test_tables_with_alignment():
    assert html("| a | b |\n|:-|-:|\n| 1 | 2 |") == (
        '<table>\n<thead>\n<tr>\n<th style="text-align:left">a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr>\n<td style="text-align:left">1</td>\n<td style="text-align:right">2</td>\n</tr>\n</tbody>\n</table>'
    )


def test_footnotes_link_both_ways():
    out = html("Text[^1].\n\n[^1]: The note.")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in out
    assert '<li id="fn:1">\n<p>The note.&nbsp;<a class="footnote-backref" href="#fnref:1" title="↩ 1">↩</a></p>' in out


def test_footnotes_restart_for_each_article():
    SAFE.render("A[^n].\n\n[^n]: first", source_path="a.md")
    out = html("B[^m].\n\n[^m]: second")
    assert "first" not in out and 'href="#fn:m"' in out


def test_fenced_code_escapes_and_names_the_language():
    assert html('```python\nprint("<b>")\n```') == '<pre><code class="language-python">print("&lt;b&gt;")\n</code></pre>'


def test_code_sample_with_a_link_is_not_rewritten():
    out = html('```html\n<a href="page.html">x</a>\n```\n\nInline `<img src="p.png">` too.')
    assert '&lt;a href="page.html"&gt;' in out
    assert '<code>&lt;img src="p.png"&gt;</code>' in out


def test_heading_ids_keep_unicode_and_stay_unique():
    assert html("# Élections à Gaza\n\n## Élections à Gaza\n\n## غزة اليوم") == (
        '<h1 id="élections-à-gaza">Élections à Gaza</h1>\n<h2 id="élections-à-gaza_1">Élections à Gaza</h2>\n'
        '<h2 id="غزة-اليوم">غزة اليوم</h2>'
    )


def test_heading_ids_restart_for_each_article():
    SAFE.render("# Same", source_path="a.md")
    assert html("# Same") == '<h1 id="same">Same</h1>'


def test_raw_script_is_removed_by_default():
    out = html("Before\n\n<script>alert(1)</script>\n\nAfter")
    assert "script" not in out and "alert" not in out
    assert "<p>Before</p>" in out and "<p>After</p>" in out


def test_onerror_and_other_event_attributes_are_removed():
    out = html('<img src="x.jpg" onerror="alert(1)"> <a href="y.html" onclick="evil()">y</a>')
    assert out == '<p><img src="/2021/05/x.jpg"> <a href="/2021/05/y.html">y</a></p>'


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "vbscript:x", "data:text/html,hi"])
def test_dangerous_link_schemes_are_removed(url):
    assert html(f"[x]({url})") == "<p><a>x</a></p>"


def test_iframes_objects_and_styles_are_removed():
    out = html('<iframe src="https://evil.example"></iframe>\n\n<object data="x"></object>\n\n<p style="color:red">t</p>')
    assert "iframe" not in out and "object" not in out and "color" not in out


def test_safe_links_keep_their_scheme_and_others_are_dropped():
    # urlpolicy: http(s), mailto and paths only (tel: included: one policy for every URL)
    assert html("[a](https://example.org/x) [m](mailto:a@example.org) [t](tel:+33123)") == (
        '<p><a href="https://example.org/x">a</a> <a href="mailto:a@example.org">m</a> <a>t</a></p>'
    )


def test_raw_html_is_kept_as_written_when_allowed():
    out = html('<script>alert(1)</script>\n\n<img src="x.jpg" onerror="alert(1)">\n\n[x](javascript:alert(1))', renderer=RAW)
    assert "<script>alert(1)</script>" in out
    assert 'onerror="alert(1)"' in out
    assert '<a href="javascript:alert(1)">x</a>' in out


def test_figure_and_captions_survive_sanitizing():
    body = '<figure><img src="p.jpg" alt="Port"><figcaption>The port</figcaption></figure>'
    assert html(body) == '<figure><img src="/2021/05/p.jpg" alt="Port"><figcaption>The port</figcaption></figure>'


@pytest.mark.parametrize("given, expected", [
    ("photo.jpg", "/2021/05/photo.jpg"),
    ("./photo.jpg", "/2021/05/photo.jpg"),
    ("../other.md", "/2021/other.md"),
    ("../other.md#part", "/2021/other.md#part"),
    ("../../images/port.jpg", "/images/port.jpg"),
    ("sub/", "/2021/05/sub/"),
    ("/about/", "/about/"),
    ("/files/report.pdf", "/files/report.pdf"),
    ("caf%C3%A9.md", "/2021/05/caf%C3%A9.md"),
])
def test_relative_links_become_site_absolute_against_the_articles_folder(given, expected):
    assert html(f"[x]({given})") == f'<p><a href="{expected}">x</a></p>'


@pytest.mark.parametrize("given", ["../../../etc/passwd", "../../..", "#top", "?q=1", "https://example.org/a.html", "mailto:a@b.org"])
def test_links_outside_the_archive_or_to_other_places_are_left_alone(given):
    assert html(f"[x]({given})") == f'<p><a href="{given}">x</a></p>'


def test_a_link_to_another_host_without_scheme_is_written_with_https():
    assert html("[x](//cdn.example.org/x.js)") == '<p><a href="https://cdn.example.org/x.js">x</a></p>'


def test_images_are_rewritten_like_links():
    assert html('![a > b](p.png "t")') == '<p><img alt="a &gt; b" src="/2021/05/p.png" title="t"></p>'


def test_link_from_a_top_level_article():
    assert html("[x](other.md) [y](.)", path="story.md") == '<p><a href="/other.md">x</a> <a href="/">y</a></p>'


def test_local_links_are_listed_for_checks():
    rendered = SAFE.render("[a](../o.md#s) ![p](p.jpg) [w](https://x.org) [f](#n) [up](../../../x)", source_path="2021/05/s.md")
    assert rendered.local_links == ("/2021/o.md", "/2021/05/p.jpg")


def test_first_paragraph_is_plain_text_without_footnote_marks():
    rendered = SAFE.render("Some **bold**, `code` and [a link](x.md)[^1] &amp; more.\n\n[^1]: note", source_path="a.md")
    assert rendered.first_paragraph == "Some bold, code and a link & more."


def test_first_paragraph_skips_image_only_paragraphs_and_headings():
    assert SAFE.render("# Title\n\n![photo](p.jpg)\n\n  The   lead\nparagraph.", source_path="a.md").first_paragraph == "The lead paragraph."


def test_first_paragraph_keeps_ordinary_superscript():
    assert first_paragraph("<p>Le 1<sup>er</sup> mai</p>") == "Le 1er mai"


def test_first_paragraph_of_a_body_without_paragraphs_is_empty():
    assert first_paragraph("<h1>x</h1><ul><li>y</li></ul>") == ""


def test_word_count_counts_words_of_the_text():
    assert SAFE.render("One *two* three.\n\n- four\n- five", source_path="a.md").word_count == 5


def test_plain_text_strips_tags_and_collapses_space():
    assert plain_text("<p>a<br>b &amp;  c</p>\n<p>d</p>") == "a b & c d"


def test_sanitize_keeps_ids_classes_lang_and_dir():
    assert sanitize('<p id="x" class="c" lang="ar" dir="rtl" onclick="x()">t</p>') == '<p id="x" class="c" lang="ar" dir="rtl">t</p>'


def test_rewrite_urls_only_touches_attributes_of_tags():
    fragment = '<a href="a.html">href="b.html"</a><img alt="src=&quot;c&quot;" src="d.png"><div data-src="e.png"></div>'
    assert rewrite_urls(fragment, lambda url: "/X/" + url) == (
        '<a href="/X/a.html">href="b.html"</a><img alt="src=&quot;c&quot;" src="/X/d.png"><div data-src="e.png"></div>'
    )


def test_rewrite_urls_escapes_the_new_value():
    assert rewrite_urls('<a href="a">x</a>', lambda url: 'q"<&') == '<a href="q&quot;&lt;&amp;">x</a>'


def test_rewrite_urls_unescapes_before_converting():
    seen = []
    rewrite_urls('<a href="a?b=1&amp;c=2">x</a>', lambda url: seen.append(url) or url)
    assert seen == ["a?b=1&c=2"]


# The plain-text shortcut must never change the HTML

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from conftest import REPO  # noqa: E402
from newsarchive.markup import add_plain_text_shortcut  # noqa: E402

STOCK = MarkdownRenderer(shortcut=False)
FAST = MarkdownRenderer()


def test_shortcut_is_installed_for_our_extensions():
    import markdown
    from newsarchive.markup import markdown_extensions
    assert add_plain_text_shortcut(markdown.Markdown(extensions=markdown_extensions())) is True


def test_block_prefilters_cover_the_stock_processors_we_register():
    import markdown
    from newsarchive.markup import add_block_prefilters, markdown_extensions
    assert add_block_prefilters(markdown.Markdown(extensions=markdown_extensions())) == 9


def test_block_prefilters_leave_a_foreign_processor_alone():
    import markdown
    from markdown.blockprocessors import BlockQuoteProcessor
    from newsarchive.markup import add_block_prefilters, markdown_extensions

    class Callouts(BlockQuoteProcessor):  # a plugin's processor under a stock name
        pass

    md = markdown.Markdown(extensions=markdown_extensions())
    md.parser.blockprocessors.register(Callouts(md.parser), "quote", 20)
    assert add_block_prefilters(md) == 8
    assert "test" not in vars(md.parser.blockprocessors["quote"])


def test_the_fast_renderer_keeps_every_processor_of_the_stock_one():
    def names(md):
        registries = (md.preprocessors, md.parser.blockprocessors, md.treeprocessors, md.postprocessors)
        return [[item.name for item in sorted(r._priority, key=lambda item: -item.priority)] for r in registries]
    stock = [[name for name in registry if name != "newsarchive_source_has"] for registry in names(FAST._md)]
    assert stock == names(STOCK._md)


def test_shortcut_steps_aside_for_an_unknown_inline_pattern():
    import markdown
    assert add_plain_text_shortcut(markdown.Markdown(extensions=["nl2br"])) is False


def test_shortcut_gives_the_same_html_on_the_sample_archive():
    bodies = [p.read_text(encoding="utf-8-sig").split("---\n", 2)[2] for p in sorted((REPO / "articles").rglob("*.md"))]
    assert len(bodies) >= 40
    for body in bodies:
        assert FAST.render(body, source_path="2021/a.md") == STOCK.render(body, source_path="2021/a.md")


TOKENS = list("ab éع  \n\n*_`[]()!<>&\\#-|:^1.{}~=\t\r") + [
    "  \n", "<http://x.org>", "<b>", "&amp;", "[^1]", "[^1]: n\n", "[a](b.md)", "![i](x.png)", "```\n", "~~~\n", "\n> ",
    "\n    ", "\n---\n", "\n===\n", "\n* * *\n", "{: .x}", "\n| a | b |\n|---|---|\n", "\n1. ", "\n- ", "\n[r]: /x\n",
    "\n<div>\n", "</div>", "<!-- c -->", "\n## ", " #\n", "\x02", "\x03", "\n  \n", " \n", "\n \n \n", "\t\n",
]
markdownish = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_shortcut_gives_the_same_html_on_random_markdown(text):
    assert FAST.render(text, source_path="a.md") == STOCK.render(text, source_path="a.md")


def test_heading_ids_are_those_of_the_toc_extension():
    import markdown
    from markdown.extensions.toc import slugify_unicode
    from newsarchive.markup import markdown_extensions
    ours = markdown.Markdown(extensions=markdown_extensions())
    stock = markdown.Markdown(extensions=["tables", "footnotes", "fenced_code", "toc", "attr_list", "sane_lists"],
                              extension_configs={"toc": {"slugify": slugify_unicode}, "footnotes": {"BACKLINK_TITLE": "↩ %d"}})
    texts = [p.read_text(encoding="utf-8-sig").split("---\n", 2)[2] for p in sorted((REPO / "articles").rglob("*.md"))]
    texts.append("# Élections à Gaza\n\n## Same\n\n## Same\n\n### `code` and *em*[^1]\n\n## <b>raw</b> &amp; co\n\n# T {: #given }\n\n[^1]: n")
    for text in texts:
        ours.reset()
        stock.reset()
        assert ours.convert(text) == stock.convert(text)
