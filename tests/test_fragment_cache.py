"""`{% cache key %}` (templates.FragmentCache): one rendering serves every link depth, and the
default theme's pages are byte for byte what they are without the cache."""
from __future__ import annotations

import shutil

import pytest

from conftest import REPO, article, run_cli, tree, write_site
from newsarchive.config import load_config
from newsarchive.templates import FragmentCache, make_environment


def _environment(tmp_path, template: str):
    config = write_site(tmp_path / "site", {"articles/a.md": article(), "templates/t.html": template})
    env = make_environment(load_config(config))
    renders = []
    env.globals["counted"] = lambda: renders.append(1) or ""
    return env, renders


def _page(prefix: str, url: str = "/x/") -> dict:
    return {"page": {"link_prefix": prefix, "index_links": False, "lang": "en", "url": url}}


def test_one_rendering_serves_every_depth(tmp_path):
    env, renders = _environment(tmp_path, "{% cache ('card', item) %}{{ counted() }}<a href=\"{{ url_for('/tags/a%26b/') }}\">{{ url_for('/') }}</a>{% endcache %}")
    template = env.get_template("t.html")
    out = {prefix: template.render(_page(prefix), item="a") for prefix in ("../", "../../../", "../../")}
    assert out == {"../": '<a href="../tags/a%26b/">../</a>', "../../../": '<a href="../../../tags/a%26b/">../../../</a>',
                   "../../": '<a href="../../tags/a%26b/">../../</a>'}
    assert len(renders) == 1
    assert template.render(_page("../"), item="b") == '<a href="../tags/a%26b/">../</a>' and len(renders) == 2


def test_root_page_base_path_and_absolute_links_get_their_own_rendering(tmp_path):
    """link('/', '') is './', not '' + '': the root page's links are not the stand-in's."""
    env, renders = _environment(tmp_path, "{% cache 'nav' %}{{ counted() }}{{ url_for('/') }}|{{ url_for('/a/') }}{% endcache %}")
    template = env.get_template("t.html")
    assert template.render(_page("", "/")) == "./|a/"
    assert template.render(_page("/news/", "/404.html")) == "/news/|/news/a/"
    assert template.render(_page("https://example.org/")) == "https://example.org/|https://example.org/a/"
    assert template.render(_page("../")) == "../|../a/"
    assert template.render(_page("../../")) == "../../|../../a/"
    assert len(renders) == 4


def test_a_key_holding_the_prefix_renders_once_per_prefix(tmp_path):
    """Themes written when the key had to hold page.link_prefix keep what they rendered,
    even a body that reads the prefix as a value."""
    env, renders = _environment(tmp_path, "{% cache (item, page.link_prefix) %}{{ counted() }}{{ page.link_prefix | length }}{% endcache %}")
    template = env.get_template("t.html")
    assert [template.render(_page(p), item="a") for p in ("../", "../../", "../")] == ["3", "6", "3"]
    assert len(renders) == 2


def test_an_error_inside_leaves_the_page_prefix_as_it_was(tmp_path):
    env, _ = _environment(tmp_path, "{% cache 'x' %}{{ url_for('/') }}{{ missing }}{% endcache %}")
    context = _page("../../")
    with pytest.raises(Exception):
        env.get_template("t.html").render(context)
    assert context["page"]["link_prefix"] == "../../"


@pytest.mark.slow
def test_default_theme_same_bytes_with_and_without_the_cache(tmp_path, monkeypatch):
    """Cards, masthead, footer and head links of every page kind at every depth (tags, sections,
    sources, authors, years, months, pagination, the root page, 404.html) equal an uncached rendering."""
    files = {f"articles/{y}/a{i}.md": article(title=f"Story {y} {i}", date=f"{y}-0{1 + i % 3}-1{i % 9}",
                                                tags=[f"t{i % 3}", "common"], section=f"s{i % 2}", source="Wire",
                                                authors=["Ann Lee"], lang="fr" if i == 4 else "en")
             for y in (2020, 2021) for i in range(7)}
    site = write_site(tmp_path / "site", files, config="title: T\nbase_url: https://example.org/news/\nper_page: 2\nsearch: false\n").parent
    assert run_cli("build", "--config", site / "config.yaml", "--jobs", "1").code == 0
    cached = tree(site / "_site")
    assert any(rel.count("/") >= 4 for rel in cached) and "404.html" in cached and "index.html" in cached
    shutil.rmtree(site / "_site")
    shutil.rmtree(site / ".cache")
    monkeypatch.setattr(FragmentCache, "_fragment", lambda self, key, context, caller: caller())
    assert run_cli("build", "--config", site / "config.yaml", "--jobs", "1").code == 0
    assert tree(site / "_site") == cached
    assert (REPO / "templates" / "base.html").read_text(encoding="utf-8").count("{% cache") == 3
