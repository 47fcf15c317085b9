"""Imported Markdown that renders to valid HTML (found by importing public benchmark pages and judging the site)."""
from __future__ import annotations

import re

import markdown

from newsarchive.importers.markdown_text import even_headings
from newsarchive.markup import markdown_extensions


def test_a_heading_inside_a_list_item_becomes_its_text():
    """The Independent's "Business news in pictures" gallery: `- ## 1/50 …` items between an h3 and an
    h4 made the validator report "h4 follows h2, skipping 1 heading level"."""
    blocks = ["### Beware the hairdryer", "- ## 1/50 United goin down\n- ## 2/50 Star Wars boosts economy",
              "#### Mini bars lose money", "```\n- ## kept in code\n```"]
    evened = even_headings(blocks)
    assert evened == ["## Beware the hairdryer", "- 1/50 United goin down\n- 2/50 Star Wars boosts economy",
                      "### Mini bars lose money", "```\n- ## kept in code\n```"]
    html = markdown.Markdown(extensions=markdown_extensions()).convert("\n\n".join(evened))
    assert "<li>1/50 United goin down</li>" in html and re.search(r"<h2[^>]*>Beware the hairdryer</h2>", html)


def test_headings_that_end_the_body_are_dropped():
    """'## Comments' and a newsletter's '#### Get the day's big stories' ended imported bodies (ScrapingHub pages)."""
    from newsarchive.importers.markdown_text import without_trailing_headings
    assert without_trailing_headings(["Text.", "## Part two", "More text.", "## Comments", "#### Get the big stories"]) == \
        ["Text.", "## Part two", "More text."]
    assert without_trailing_headings(["## Only a heading"]) == ["## Only a heading"]
    assert without_trailing_headings(["Text.", "- ## item"]) == ["Text.", "- ## item"]


def test_sections_at_the_end_of_the_body_are_kept():
    """Readability's mozilla-2 lost its closing 'Features and tools' section, whose text sits in long
    headings with a link; lazy-image-3 (a heading over each image, no text) lost its last heading."""
    from newsarchive.importers.markdown_text import without_trailing_headings
    tools = ["Intro text.", "## Features and tools",
             "## Page Inspector Examine the HTML and CSS of any Web page. [Learn more](https://example.org/inspector)",
             "## Style Editor View and edit CSS styles associated with a Web page and apply them to any page"]
    assert without_trailing_headings(tools) == tools
    assert without_trailing_headings(["## Test Case 1", "## Test Case 2"]) == ["## Test Case 1", "## Test Case 2"]
    assert without_trailing_headings(["## Gallery", "## One", "Text.", "## Two"]) == ["## Gallery", "## One", "Text.", "## Two"]
    assert without_trailing_headings(["Text.", "## Comments"]) == ["Text."]
    newsletter = "#### Get the day's big stories + fun stuff you love like mock drafts, picks and power rankings."
    assert without_trailing_headings(["Text.", "## Pick Six Newsletter", newsletter]) == ["Text."]  # a ScrapingHub page
