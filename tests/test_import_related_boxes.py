""""Read also" boxes that trafilatura keeps inside the article body become `related` entries
(patterns found importing trafilatura's and Readability's test pages: basicthinking.de's
"Auch interessant:" list, the Vancouver Sun's lone "### Related", Wikipedia's empty "See also")."""
from __future__ import annotations

from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportSettings, ReadAlso
from newsarchive.importers.related_boxes import take_related

SETTINGS = ImportSettings(default_lang="en")
FILLER = ("The harbour authority said on Monday that the new quay would open in June, after three years of works, and that "
          "container ships berth without waiting for the tide, a change the port has sought for a decade. ")


def page(body: str, lang: str = "en") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>New quay for the harbour</title>'
            '<meta property="article:published_time" content="2024-05-04">'
            '<link rel="canonical" href="https://wire.example/news/quay"></head><body>'
            f"<article><h1>New quay for the harbour</h1>{body}</article></body></html>").encode()


def test_a_titled_list_of_links_in_the_body_becomes_related_entries():
    box = ('<p><strong>Auch interessant:</strong></p><ul>'
           '<li><a href="/blog/ferries">Fähren fahren wieder nach dem langen Streik im Hafen</a></li>'
           '<li><a href="https://wire.example/blog/docks">Die Docks öffnen am Montag wieder für alle Schiffe</a></li></ul>'
           '<hr><h3>Jobs</h3><p>Work here.</p>')
    article = parse_page(page(f"<p>{FILLER}Para 0.</p><p>{FILLER}Para 1.</p>{box}", lang="de"), "b.html", SETTINGS)
    assert article.read_also == (ReadAlso("Fähren fahren wieder nach dem langen Streik im Hafen", "https://wire.example/blog/ferries"),
                                 ReadAlso("Die Docks öffnen am Montag wieder für alle Schiffe", "https://wire.example/blog/docks"))
    assert "Auch interessant" not in article.body and "Fähren" not in article.body
    assert article.body.count("The harbour authority") == 2
    kept, related = take_related(["Text.", "**Related stories:**", "1. [One](https://a.example/1)\n2. *[Two](https://a.example/2)*", "End."])
    assert kept == ["Text.", "End."] and related == [("One", "https://a.example/1"), ("Two", "https://a.example/2")]


def test_a_box_title_left_without_its_links_is_dropped():
    blocks = ["First paragraph.", "### Related", "The next paragraph of the story.", "## Weiterlesen:", "## Noch mehr?"]
    assert take_related(blocks) == (["First paragraph.", "The next paragraph of the story.", "## Noch mehr?"], [])


def test_a_one_line_related_link_becomes_an_entry():
    kept, related = take_related(["Text.", "**\\[Related: [Dreamforce keynote: AI and protests](https://crn.example/a)\\]**"])
    assert kept == ["Text."] and related == [("Dreamforce keynote: AI and protests", "https://crn.example/a")]


def test_a_reading_list_with_the_authors_comments_is_kept():
    blocks = ["A lire aussi :", "Revue *Projet* : [Savons-nous encore débattre ?](https://projet.example/d) Tout le monde s'accorde."]
    assert take_related(blocks) == (blocks, [])
    assert take_related(["Related", "Plain text about related matters, no link."]) == (["Plain text about related matters, no link."], [])
    assert take_related(["Relatedness is a word.", "[A link](https://x.example/)"])[1] == []


def test_a_related_post_heading_with_its_link_becomes_an_entry():
    """A recipe blog of the ScrapingHub set: '## Related post: [Pickled Brussels Sprouts Recipe](…)'."""
    kept, related = take_related(["Text.", "## Related post: [Pickled Sprouts Recipe](https://blog.example/sprouts)", "More."])
    assert kept == ["Text.", "More."] and related == [("Pickled Sprouts Recipe", "https://blog.example/sprouts")]
