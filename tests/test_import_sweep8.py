"""Defects the lead's sweep found on real pages nobody had fixed against (every 16th page of
bench/real_pages.py's pool at another offset than the helpers used): each a class, on a page
written here."""
from __future__ import annotations

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportedArticle, ImportSettings
from newsarchive.importers.terms import tidy

FILLER = ("The harbour authority said on Monday that the strike would continue until the wage talks resumed "
          "with the union, and the trucks queued along the coast road.")


def _parsed(data: bytes) -> ImportedArticle:
    result = parse_page(data, "p.html", ImportSettings(default_lang="en"))
    assert isinstance(result, ImportedArticle), result
    return tidy(result)


def _page(title: str, body: str) -> bytes:
    return (f'<html><head><title>{title}</title><meta property="article:published_time" content="2012-10-03">'
            '<meta property="og:site_name" content="Photo Notes">'
            f'</head><body><article>{body}</article></body></html>').encode()


def test_wordpress_blog_archive_segment_is_not_part_of_the_title():
    """WordPress's classic theme titles a post "Site » Blog Archive » Post": the import kept
    "Blog Archive » An Interview With Thomas Hawk"."""
    page = ("<html><head><title>Photo Notes  &raquo; Blog Archive   &raquo; An Interview With Thomas Hawk</title></head><body>"
            "<h1><a href='/'>Photo Notes</a></h1><div class='post'><h2>An Interview With Thomas Hawk</h2><p>Posted on 3 October 2012</p>"
            f"<p>{FILLER}</p><p>{FILLER} Again.</p><p>{FILLER} Once more.</p></div><h2 class='widgettitle'>Flickr</h2></body></html>").encode()
    assert _parsed(page).title == "An Interview With Thomas Hawk"


def test_an_email_this_link_alone_is_a_share_widget():
    """A 2008 review's "Spread the Word" list ('- [Email this](http://www.feedburner.com/fb/a/emailFlare?…)',
    '- [Save to del.icio.us](…)') stayed in its body, after the review's details."""
    body = (f"<p>{FILLER}</p><p>{FILLER} Again.</p><p>{FILLER} Once more.</p><ul><li>Writer: <b>Chris Beaumont</b></li>"
            "<li>Filed Under: Video</li></ul><ul><li>Spread the Word</li>"
            "<li><a href=\"http://www.feedburner.com/fb/a/emailFlare?itemTitle=Review\">Email this</a></li>"
            "<li><a href=\"http://del.icio.us/post?url=http://example.org/1\">Save to del.icio.us</a></li></ul>")
    text = _parsed(_page("Movie Review: There Will Be Blood", body)).body
    assert "Email this" not in text and "del.icio.us" not in text and "Spread the Word" not in text
    assert text.count("harbour authority") == 3 and "Filed Under: Video" in text
