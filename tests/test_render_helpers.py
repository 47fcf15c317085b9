"""What keeps a template change cheap at 10⁴ articles without changing a byte: the helpers
bound to the page they render (templates.make_environment's page_helpers, passed by
render.render_page), and every card kept once made in an archive of up to Cards.KEEP_ALL."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from conftest import article, write_site
from newsarchive import cards as cards_module
from newsarchive.cards import Cards
from newsarchive.config import load_config
from newsarchive.render import render_page
from newsarchive.templates import make_environment

HELPERS = ("{% set n = 2 %}{{ url_for('/a/') }}|{{ url_for('/b/#x') }}|{{ t('archive') }}|{{ t('archive', lang='fr') }}|"
           "{{ t('articles', count=n) }}|{{ format_date(when) }}|{{ format_date(when, 'de') }}|{{ format_time(when) }}|"
           "{{ format_month(2021, 5) }}|{% for i in [1] %}{% set k = 'home' %}{{ t(k) }}{{ url_for('/c/') }}{% endfor %}")


def _environment(tmp_path, templates: dict[str, str]):
    config = write_site(tmp_path / "site", {"articles/a.md": article(), **{f"templates/{n}": t for n, t in templates.items()}},
                        config="title: T\nbase_url: https://example.org/news/\nindex_links: true\n")
    return make_environment(load_config(config))


def _context(prefix: str, lang: str, index_links: bool = False) -> dict:
    return {"page": {"link_prefix": prefix, "index_links": index_links, "lang": lang, "url": "/x/"},
            "when": datetime(2021, 5, 15, 9, 30, tzinfo=timezone.utc)}


def test_page_bound_helpers_write_what_the_context_helpers_write(tmp_path):
    """render_page passes url_for, t and the date helpers bound to the page; each gives what
    the environment's own (which read the page from Jinja's context) gives, language and
    link prefix and index links included, inside loops that set names too."""
    env = _environment(tmp_path, {"h.html": HELPERS})
    for prefix, lang, index_links in (("../", "en", False), ("../../", "fr", True), ("https://example.org/news/", "de", False)):
        bound = render_page("h.html", _context(prefix, lang, index_links), env, url="/x/", origin="test").decode()
        plain = env.get_template("h.html").render(_context(prefix, lang, index_links))
        assert bound == plain
        assert bound.startswith(prefix + ("a/index.html|" if index_links else "a/|"))
    french = render_page("h.html", _context("../", "fr"), env, url="/x/", origin="test").decode().split("|")
    assert french[2] == french[3] != render_page("h.html", _context("../", "en"), env, url="/x/", origin="test").decode().split("|")[2]


def test_bound_url_for_inside_a_cached_fragment_serves_every_depth(tmp_path):
    """The bound url_for reads the page's prefix at each call, so the fragment cache's stand-in
    still makes one rendering serve pages at every depth."""
    renders = []
    env = _environment(tmp_path, {"f.html": "{% cache 'nav' %}{{ counted() }}<a href=\"{{ url_for('/tags/') }}\">{{ t('home') }}</a>{% endcache %}"})
    env.globals["counted"] = lambda: renders.append(1) or ""
    out = [render_page("f.html", _context(prefix, "en"), env, url="/x/", origin="test").decode() for prefix in ("../", "../../../", "../")]
    assert out == ['<a href="../tags/">Home</a>', '<a href="../../../tags/">Home</a>', '<a href="../tags/">Home</a>']
    assert len(renders) == 1


def test_a_template_given_no_page_uses_the_context_helpers(tmp_path):
    env = _environment(tmp_path, {"p.txt": "{{ abs_url('/a/') }}"})
    assert render_page("p.txt", {}, env, url="/x/", origin="test") == b"https://example.org/news/a/"


def _counting_cards(monkeypatch, articles: int) -> tuple[Cards, list]:
    made = []
    monkeypatch.setattr(cards_module, "article_card", lambda a, site: made.append(a.source_path) or {"title": a.source_path})
    by_source = {f"{i}.md": SimpleNamespace(source_path=f"{i}.md", summary="s") for i in range(articles)}
    return Cards(None, None, by_source), made


def test_a_small_archive_makes_each_card_once(monkeypatch):
    """An article is listed on about ten pages; a template change makes its card once."""
    monkeypatch.setattr(Cards, "KEEP", 4)
    cards, made = _counting_cards(monkeypatch, 10)
    for _ in range(3):
        assert [cards[f"{i}.md"]["title"] for i in range(10)] == [f"{i}.md" for i in range(10)]
    assert len(made) == 10


def test_a_large_archive_keeps_the_last_cards_only(monkeypatch):
    monkeypatch.setattr(Cards, "KEEP", 4)
    monkeypatch.setattr(Cards, "KEEP_ALL", 8)
    cards, made = _counting_cards(monkeypatch, 10)
    for _ in range(3):
        for i in range(10):
            cards[f"{i}.md"]
    assert len(made) == 30 and len(cards) == 4
    assert sorted(cards) == ["6.md", "7.md", "8.md", "9.md"]


def test_direct_calls_pass_what_jinja_passes(tmp_path):
    """templates.DirectCallContext calls plain functions and macros without Jinja's look-ups:
    a plain function gets its arguments alone, a macro its caller and keywords, a pass_context
    function the context (with names set in loops), a callable object and a builtin as Jinja calls
    them; a StopIteration is an undefined value, as in Jinja."""
    from jinja2 import pass_context
    from jinja2.runtime import Context
    from jinja2.exceptions import UndefinedError
    from newsarchive.templates import DirectCallContext
    import pytest
    env = _environment(tmp_path, {
        "c.html": "{% macro m(a, b=2) %}{{ a }}-{{ b }}{{ caller() if caller is defined else '' }}{% endmacro %}"
                  "{{ plain(1, k=2) }}|{{ m(1, b=3) }}|{% call m(0) %}C{% endcall %}|{% for i in [1] %}{% set x = 'L' %}"
                  "{{ ctx() }}{{ plain(i) }}{% endfor %}|{{ obj(5) }}|{{ dict(a=1) | tojson }}|{{ {'a': 1, 'b': none} | without_none | tojson }}",
        "s.html": "{{ stop() }}"})
    env.globals.update(plain=lambda *a, **k: f"p{a}{k}", ctx=pass_context(lambda c: c.get("x", "?") + c["page"]["lang"]),
                       obj=type("Callable", (), {"__call__": lambda self, n: n * 2})(), stop=lambda: next(iter(())))
    assert env.context_class is DirectCallContext
    out = render_page("c.html", _context("../", "en"), env, url="/x/", origin="test").decode()
    assert out == "p(1,){&#39;k&#39;: 2}|1-3|0-2C|Lenp(1,){}|10|{\"a\": 1}|{\"a\": 1}"
    with pytest.raises(UndefinedError):
        env.get_template("s.html").render(_context("../", "en"))
    env.context_class = Context  # Jinja's own gives the same
    assert render_page("c.html", _context("../", "en"), env, url="/x/", origin="test").decode() == out
