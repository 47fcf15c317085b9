"""site_label: the one reading of a site's name from its address, used by every title clean-up."""
from __future__ import annotations

import pytest

from newsarchive.importers.extract import load_tree
from newsarchive.importers.page_titles import page_title, whole_title
from newsarchive.importers.site_labels import site_label


@pytest.mark.parametrize("url, label", [
    ("https://www.techcrunch.com/2020/01/01/x", "techcrunch"),
    ("https://m.facebook.com/story", "facebook"),
    ("https://amp.theguardian.com/world/x", "theguardian"),
    ("https://edition.cnn.com/2020/x", "cnn"),
    ("https://news.bbc.co.uk/1/hi/world", "bbc"),  # a country's second level: the label before "co.uk"
    ("https://www.abc.net.au/news/x", "abc"),
    ("https://news.yahoo.com/x", "yahoo"),  # a subdomain is not the site's name
    ("https://xn--mller-kva.de/artikel", "müller"),  # IDNA as the reader sees it
    ("https://bücher.example/x", "bücher"),
    ("https://WWW.Example.ORG./x", "example"),
    ("http://localhost:8000/a", None),  # one label names no site
    ("http://192.168.1.4/a", None),
    ("http://[2001:db8::1]/a", None),
    ("https://co.uk/", None),
    ("http://[bad", None),
    ("pages/saved.html", None),
    (None, None),
])
def test_site_label(url, label):
    assert site_label(url) == label


@pytest.mark.parametrize("url", ["https://news.harbourwire.co.uk/quay", "https://edition.harbourwire.com/quay",
                                 "https://www.xn--hafenbltt-12a.de/kai"])
def test_the_title_loses_the_name_its_address_gives(url):
    tree = load_tree("<html><head><title>x</title></head><body><p>Text.</p></body></html>")
    name = "Hafenblätt" if "xn--" in url else "Harbourwire"
    assert page_title(f"Harbour opens its quay - {name}", tree, (), url) == "Harbour opens its quay"
    assert whole_title(f"{name}: Harbour opens its quay", tree, (), url) == "Harbour opens its quay"
