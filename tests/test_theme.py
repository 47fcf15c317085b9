"""The default theme's rendered output: structure, languages, links, escaping and the stylesheet.

Each test builds a small site in a temporary folder and reads the pages back through a tiny
DOM (html.parser), so assertions are about elements and attributes, not whitespace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest

from conftest import REPO, article, run_cli, write_site

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SITE = "https://example.org"


# ---------- a tiny DOM ----------

@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: "Node | None" = None
    children: list = field(default_factory=list)  # Node or str

    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list["Node"]:
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.classes():
                continue
            if any(node.attrs.get(k.rstrip("_").replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}{' .' + cls if cls else ''} {attrs}> in <{self.tag}>"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def dom(path: Path) -> Node:
    builder = _Builder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def resolve(page_url: str, href: str) -> str:
    """The site path a relative link on `page_url` points at."""
    return urlsplit(urljoin(SITE + page_url, href)).path


# ---------- fixtures ----------

IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><rect width="16" height="9"/></svg>'


def newsroom_files() -> dict[str, str]:
    return {
        "articles/images/port.svg": IMAGE,
        "articles/2021/port.md": article(
            "Port strike ends", "2021-05-15T10:30:00+02:00", "The strike ended on Friday.\n\nDockers voted.",
            slug="port-strike", tags="[Port, Labour]", section="Economy", source="Velmar Gazette",
            source_url="https://gazette.example.com/port", author="[Jane Doe, Ali Hassan]",
            summary="Dockers return after a week.", image="images/port.svg",
            image_caption="Cranes on the east quay", image_credit="Jane Doe / Gazette", image_alt="Two idle cranes",
        ),
        "articles/2021/greve.md": article(
            "La grève du port", "2021-05-16", "Les dockers ont repris le travail.", slug="greve", lang="fr",
            tags="[Port]", related="[port-strike, {title: Le dossier complet, url: 'https://dossier.example.net/port'}, {title: Archives papier}]",
        ),
        "articles/2021/ar.md": article(
            "إضراب الميناء", "2021-05-17", "انتهى الإضراب يوم الجمعة.", slug="idrab", lang="ar", tags="[Port]", section="اقتصاد",
        ),
    }


def build(make_site, files: dict[str, str], config: str | None = None, name: str = "site") -> Path:
    cfg = make_site(files, config, name=name) if config else make_site(files, name=name)
    result = run_cli("build", "--config", cfg)
    assert result.code == 0, result.err
    return cfg.parent / "_site"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory) -> Path:
    """Built once for the file: the tests using it only read its pages."""
    config = write_site(tmp_path_factory.mktemp("newsroom") / "site", newsroom_files())
    result = run_cli("build", "--config", config)
    assert result.code == 0, result.err
    return config.parent / "_site"


# ---------- article page ----------

def test_article_page_has_kicker_title_standfirst_byline_dates_and_reading_time(newsroom):
    doc = dom(newsroom / "2021/05/port-strike/index.html")
    story = doc.find("article", "na-story")
    head = story.find("header", "na-story-head")
    assert head.find("h1").text() == "Port strike ends"
    assert [h.text() for h in doc.find_all("h1")] == ["Port strike ends"]
    kicker = head.find("p", "na-kicker").find("a")
    assert kicker.text() == "Economy" and resolve("/2021/05/port-strike/", kicker.attrs["href"]) == "/sections/economy/"
    assert head.find("p", "na-standfirst").text() == "Dockers return after a week."
    authors = head.find("p", "na-authors")
    assert authors.text().startswith("By ")
    assert [(a.text(), resolve("/2021/05/port-strike/", a.attrs["href"])) for a in authors.find_all("a")] == [
        ("Jane Doe", "/authors/jane-doe/"), ("Ali Hassan", "/authors/ali-hassan/")]
    published = head.find("span", "na-published").find("time")
    assert published.attrs["datetime"] == "2021-05-15T10:30:00+02:00"
    assert "May 15, 2021" in published.text()
    assert head.find("span", "na-reading").text() == "1 minute read"
    assert story.find("div", "na-body").find("p").text() == "The strike ended on Friday."


def test_summary_that_is_the_first_paragraph_is_not_repeated_as_standfirst(newsroom):
    doc = dom(newsroom / "2021/05/greve/index.html")
    assert doc.find_all("p", "na-standfirst") == []


def test_date_only_articles_get_a_plain_date_in_datetime(newsroom):
    doc = dom(newsroom / "2021/05/greve/index.html")
    time = doc.find("span", "na-published").find("time")
    assert time.attrs["datetime"] == "2021-05-16"
    assert time.text() == "16 mai 2021"


def test_lead_image_is_a_figure_with_caption_and_credit(newsroom):
    doc = dom(newsroom / "2021/05/port-strike/index.html")
    figure = doc.find("figure", "na-lead-figure")
    img = figure.find("img")
    assert resolve("/2021/05/port-strike/", img.attrs["src"]) == "/images/port.svg"
    assert img.attrs["alt"] == "Two idle cranes"  # an `image_alt:` front-matter key (kept in article.extra)
    caption = figure.find("figcaption")
    assert caption.find("bdi", "na-caption").text() == "Cranes on the east quay"
    assert caption.find("span", "na-credit").text() == "Photo: Jane Doe / Gazette"
    assert (newsroom / "images/port.svg").is_file()


def test_source_line_links_the_source_page_and_the_original(newsroom):
    doc = dom(newsroom / "2021/05/port-strike/index.html")
    source = doc.find("p", "na-source")
    internal, original = source.find_all("a")
    assert internal.text() == "Velmar Gazette"
    assert resolve("/2021/05/port-strike/", internal.attrs["href"]) == "/sources/velmar-gazette/"
    assert original.attrs["href"] == "https://gazette.example.com/port"
    assert set(original.attrs["rel"].split()) == {"external", "noopener"}
    assert source.find("span", "na-host").text() == "gazette.example.com"


def test_tags_are_linked_relatively_with_rel_tag(newsroom):
    doc = dom(newsroom / "2021/05/port-strike/index.html")
    links = doc.find("div", "na-tags").find_all("a")
    assert [a.text() for a in links] == ["Port", "Labour"]
    for a in links:
        assert not a.attrs["href"].startswith(("/", "http"))
        assert a.attrs["rel"] == "tag"
    assert [resolve("/2021/05/port-strike/", a.attrs["href"]) for a in links] == ["/tags/port/", "/tags/labour/"]


def test_french_article_reads_lire_aussi_with_relative_and_external_links(newsroom):
    doc = dom(newsroom / "2021/05/greve/index.html")
    assert doc.find("html").attrs["lang"] == "fr"
    aside = doc.find("aside", "na-related")
    assert aside.find("h2").text() == "Lire aussi"
    items = aside.find("ul").find_all("li")
    internal = items[0].find("a")
    assert internal.text() == "Port strike ends"
    assert internal.attrs["href"] == "../../../2021/05/port-strike/"
    assert resolve("/2021/05/greve/", internal.attrs["href"]) == "/2021/05/port-strike/"
    assert items[0].attrs["lang"] == "en"  # the target is in English: marked for screen readers and fonts
    external = items[1].find("a")
    assert external.attrs["href"] == "https://dossier.example.net/port"
    assert "external" in external.attrs["rel"].split() and "na-external" in external.classes()
    assert items[1].find("span", "na-host").text() == "dossier.example.net"
    assert items[2].text() == "Archives papier" and items[2].find_all("a") == []


def test_arabic_article_is_rtl_and_keeps_the_chrome_in_the_site_language(newsroom):
    page = (newsroom / "2021/05/idrab/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    doc = dom(newsroom / "2021/05/idrab/index.html")
    assert doc.find("h1").text() == "إضراب الميناء"
    for part in (doc.find("header", "na-masthead"), doc.find("footer", "na-footer"), doc.find("a", "na-skip")):
        assert (part.attrs.get("lang"), part.attrs.get("dir")) == ("en", "ltr")
    # article labels speak the article's language
    assert doc.find("div", "na-tags").find("h2").text() == "الوسوم"
    assert doc.find("span", "na-published").text().startswith("نُشر في")


def test_page_ids_of_the_theme_are_prefixed_and_unique(make_site):
    body = "# Main\n\nText.\n\n## Related\n\nMore."
    out = build(make_site, {"articles/a.md": article("Ids", "2021-05-15", body, related="[{title: X}]")})
    doc = dom(out / "2021/05/ids/index.html")
    body_div = doc.find("div", "na-body")
    ids = [n.attrs["id"] for n in doc.iter() if n.attrs.get("id")]
    assert len(ids) == len(set(ids)), ids
    theme_ids = [n.attrs["id"] for n in doc.iter() if n.attrs.get("id") and body_div not in n.ancestors()]
    assert theme_ids and all(i.startswith("na-") for i in theme_ids), theme_ids
    assert doc.find("a", "na-skip").attrs["href"] == "#na-main"
    assert doc.find("main").attrs["id"] == "na-main"


# ---------- listings ----------

def test_listing_cards_show_image_section_date_title_summary_source_and_other_languages(newsroom):
    doc = dom(newsroom / "index.html")
    cards = doc.find("div", "na-cards").find_all("article", "na-card")
    assert [c.find("h2").text() for c in cards] == ["إضراب الميناء", "La grève du port", "Port strike ends"]
    arabic, french, english = cards
    assert (arabic.attrs.get("lang"), arabic.attrs.get("dir")) == ("ar", "rtl")
    assert (french.attrs.get("lang"), french.attrs.get("dir")) == ("fr", None)  # same direction as the page
    assert "lang" not in english.attrs
    assert resolve("/", english.find("img").attrs["src"]) == "/images/port.svg"
    assert english.find("span", "na-section").text() == "Economy"
    assert english.find("time").attrs["datetime"] == "2021-05-15T10:30:00+02:00"
    assert resolve("/", english.find("h2").find("a").attrs["href"]) == "/2021/05/port-strike/"
    assert english.find("p", "na-card-summary").text() == "Dockers return after a week."
    assert english.find("p", "na-card-source").find("a").text() == "Velmar Gazette"
    assert french.find("time").text() == "16 mai 2021"  # a card's date reads in the card's language


def test_page_two_has_prev_next_and_a_window_of_page_numbers(make_site):
    files = {f"articles/a{i}.md": article(f"Story {i}", f"2021-05-{i:02d}", tags="[Port]") for i in range(1, 10)}
    out = build(make_site, files, "title: T\nbase_url: https://example.org/\nper_page: 2\n")
    doc = dom(out / "page/2/index.html")
    nav = doc.find("nav", "na-pager")
    assert nav.attrs["aria-label"] == "Pagination"
    prev, nxt = nav.find("a", rel="prev"), nav.find("a", rel="next")
    assert prev.attrs["href"] == "../../" and resolve("/page/2/", prev.attrs["href"]) == "/"
    assert resolve("/page/2/", nxt.attrs["href"]) == "/page/3/"
    numbers = [(a.text(), a.attrs.get("aria-current")) for a in nav.find("ol").find_all("a")]
    assert numbers == [("1", None), ("2", "page"), ("3", None), ("4", None), ("5", None)]
    assert "Page 2 of 5" in doc.find("title").text()
    # a term listing paginates the same way, with links written from its own depth
    tag3 = dom(out / "tags/port/page/3/index.html").find("nav", "na-pager")
    assert resolve("/tags/port/page/3/", tag3.find("a", rel="prev").attrs["href"]) == "/tags/port/page/2/"
    assert resolve("/tags/port/page/3/", tag3.find("a", rel="next").attrs["href"]) == "/tags/port/page/4/"
    assert [a.text() for a in tag3.find("ol").find_all("a")] == ["1", "2", "3", "4", "5"]
    last = dom(out / "page/5/index.html").find("nav", "na-pager")
    assert last.find_all("a", rel="next") == [] and last.find_all("a", rel="prev")
    assert not dom(out / "sections/index.html").find_all("nav", "na-pager")


def test_page_window_skips_far_pages_with_a_gap(make_site):
    files = {f"articles/a{i}.md": article(f"Story {i}", f"2021-05-{i:02d}") for i in range(1, 21)}
    out = build(make_site, files, "title: T\nbase_url: https://example.org/\nper_page: 1\n")
    nav = dom(out / "page/10/index.html").find("nav", "na-pager")
    assert [a.text() for a in nav.find("ol").find_all("a")] == ["1", "8", "9", "10", "11", "12", "20"]
    assert len(nav.find_all("li", "na-gap")) == 2


def test_term_index_lists_every_term_with_its_count(newsroom):
    doc = dom(newsroom / "tags/index.html")
    assert doc.find("h1").text() == "Tags"
    rows = {li.find("a").text(): (li.find("span", "n").text(), resolve("/tags/", li.find("a").attrs["href"]))
            for li in doc.find("ul", "na-term-list").find_all("li")}
    assert rows == {"Labour": ("1", "/tags/labour/"), "Port": ("3", "/tags/port/")}
    nav_current = doc.find("nav", "na-nav").find("a", aria_current="page")
    assert nav_current.text() == "Tags"


def test_long_term_index_is_grouped_by_initial_with_a_jump_list(make_site):
    tags = ", ".join(f"{letter}{n}" for letter in "ABCDEFG" for n in range(4))
    out = build(make_site, {"articles/a.md": article("Many tags", tags=f"[{tags}]")})
    doc = dom(out / "tags/index.html")
    jumps = doc.find("nav", "na-initials").find_all("a")
    assert [a.text() for a in jumps] == list("ABCDEFG")
    groups = doc.find_all("section", "na-term-group")
    assert [g.find("h2").text() for g in groups] == list("ABCDEFG")
    assert [a.attrs["href"] for a in jumps] == ["#" + g.find("h2").attrs["id"] for g in groups]
    assert sum(len(g.find_all("li")) for g in groups) == 28


def test_archive_and_year_and_month_pages(newsroom):
    archive = dom(newsroom / "archive/index.html")
    year = archive.find("section", "na-year")
    assert resolve("/archive/", year.find("h2").find("a").attrs["href"]) == "/2021/"
    month = year.find("ul", "na-months").find("a")
    assert resolve("/archive/", month.attrs["href"]) == "/2021/05/" and "May 2021" in month.text()
    year_page = dom(newsroom / "2021/index.html")
    assert year_page.find("h1").text() == "2021"
    assert [resolve("/2021/", a.attrs["href"]) for a in year_page.find("nav", "na-chips").find_all("a")] == ["/2021/05/"]
    month_page = dom(newsroom / "2021/05/index.html")
    assert month_page.find("h1").text() == "May 2021"
    assert len(month_page.find_all("article", "na-card")) == 3
    assert month_page.find("nav", "na-nav").find("a", aria_current="true").text() == "Archive"


# ---------- links from anywhere ----------

def test_404_links_are_written_from_the_base_path(make_site):
    out = build(make_site, {"articles/a.md": article()}, "title: T\nbase_url: https://example.org/archive/\n")
    doc = dom(out / "404.html")
    assert doc.find("h1").text() == "Page not found"
    assert doc.find("link", rel="stylesheet").attrs["href"] == "/archive/css/site.css"
    assert doc.find("a", "na-brand").attrs["href"] == "/archive/"
    hrefs = [a.attrs["href"] for a in doc.find_all("a") if not a.attrs["href"].startswith("#")]
    assert hrefs and all(h.startswith("/archive/") for h in hrefs), hrefs
    assert doc.find_all("link", rel="canonical") == []
    assert doc.find("meta", name="robots").attrs["content"] == "noindex"


def test_index_links_make_every_internal_link_end_in_index_html(make_site):
    files = newsroom_files()
    files.update({f"articles/more/a{i}.md": article(f"Story {i}", f"2020-01-{i:02d}") for i in range(1, 4)})
    out = build(make_site, files, "title: T\nbase_url: https://example.org/\nindex_links: true\nper_page: 2\n")
    for rel in ("index.html", "page/2/index.html", "2021/05/greve/index.html", "tags/index.html", "archive/index.html", "2021/index.html"):
        doc = dom(out / rel)
        page_links = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("href")]
        internal = [h for h in page_links if not h.startswith(("http:", "https:", "#", "mailto:"))]
        assert internal, rel
        bad = [h for h in internal if not (h.endswith("index.html") or h.endswith(".xml"))]
        assert bad == [], (rel, bad)
        for href in internal:  # and every one of them is a file on disk
            assert ((out / rel).parent / unquote(href)).resolve().is_file(), (rel, href)


def test_sub_path_site_with_index_links_passes_the_link_check(make_site):
    cfg = make_site(newsroom_files(), "title: T\nbase_url: https://example.org/archive/\nindex_links: true\n")
    assert run_cli("build", "--config", cfg).code == 0
    result = run_cli("check", "--config", cfg)
    assert result.code == 0, result.out + result.err
    assert "0 problems" in result.out + result.err


# ---------- escaping ----------

def test_titles_and_metadata_are_escaped_everywhere(make_site):
    title = '"<script>alert(1)</script> & Co"'
    out = build(make_site, {"articles/a.md": article(title, slug="xss", tags='["<b>bold</b>"]', section='"R&D"',
                                                     summary='"Fish & <i>chips</i>"', image_caption='"<img src=x onerror=alert(1)>"')})
    page = (out / "2021/05/xss/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "R&amp;D" in page and "Fish &amp; &lt;i&gt;chips&lt;/i&gt;" in page
    assert dom(out / "2021/05/xss/index.html").find("h1").text() == "<script>alert(1)</script> & Co"
    # the structured data stays inside its script element
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in ld and "\\u003cscript\\u003e" in ld
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in home and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in home
    feed = ElementTree.parse(out / "feed.xml").getroot()  # still well-formed XML
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "<script>alert(1)</script> & Co" in titles


# ---------- feeds, sitemap, robots ----------

def test_feed_sitemap_and_robots_use_absolute_urls(make_site):
    out = build(make_site, newsroom_files(), "title: T\nbase_url: https://example.org/archive/\n")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(out / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert entries[0].find(f"{atom}link").get("href") == "https://example.org/archive/2021/05/idrab/"
    assert entries[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    sitemap = ElementTree.parse(out / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("https://example.org/archive/") for loc in locs)
    assert "https://example.org/archive/404.html" not in locs
    assert "Sitemap: https://example.org/archive/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")


# ---------- the stylesheet ----------

CSS = (REPO / "static/css/site.css").read_text(encoding="utf-8")


def test_stylesheet_is_self_contained():
    assert "@import" not in CSS and "@font-face" not in CSS
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", CSS), "no fonts or images from a CDN"
    scripts = [p for p in (REPO / "static").rglob("*.js") if p.relative_to(REPO / "static").as_posix() != "js/search.js"]  # only /search/ loads it
    assert all(p.stat().st_size < 4000 for p in scripts)


def test_stylesheet_covers_dark_mode_print_rtl_and_small_screens():
    assert "@media (prefers-color-scheme: dark)" in CSS
    assert "@media print" in CSS
    arabic_rule = re.search(r"^:lang\(ar\)[^{]*\{([^}]*)\}", CSS, re.M).group(1)
    for font in ('"Noto Naskh Arabic"', '"Amiri"', '"Geeza Pro"', "Tahoma"):
        assert font in arabic_rule
    for logical in ("margin-inline", "padding-inline", "border-inline-start", "text-align: start", "inset-inline-start"):
        assert logical in CSS
    # physical left/right only where they are the fallback of a logical value
    assert not re.search(r"(margin|padding)-(left|right)\s*:", CSS)
    assert re.search(r"\.na-body table \{[^}]*overflow-x: auto", CSS)
    assert "overflow-wrap: anywhere" in CSS and "max-width: 100%" in CSS
    assert ":focus-visible" in CSS
    assert "minmax(min(100%" in CSS  # card grid never forces a column wider than a phone


def test_theme_templates_use_only_prefixed_ids():
    for template in (REPO / "templates").glob("*.html"):
        for value in re.findall(r'\bid="([^"]*)"', template.read_text(encoding="utf-8")):
            assert value.startswith("na-"), f"{template.name}: id={value!r}"
