"""Red-team cases for issue 23, invented from the classes (not from the issue's list).

Each test names the hostile input, the defect it found and the concrete outcome now expected.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.config import parse_config
from newsarchive.errors import ConfigError
from newsarchive.filepolicy import file_problem

CONFIG = Path("/srv/site/config.yaml")


def config_problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, CONFIG)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("base_url", [
    'https://ex.org/x\\"><script>alert(1)</script>/',  # quotes and angle brackets: not URL characters
    "https://ex.org/a<b/",
    "https://ex.org/a>b/",
    "https://ex.org/a`b/",
    "https://ex.org/a{b}/",
    "https://ex.org/a|b/",
    "https://ex.org/a^b/",
    "https://ex.org/x\\u202e/",  # a bidi override hidden in every published URL
    "https://ex.org/x\\u200b/",  # zero-width space
    "https://ex.org/x\\u00a0y/",  # no-break space
    "https://ex.org/%2e%2e/",  # browsers read %2e%2e as '..': every URL would leave the sub-path
    "https://ex.org/a/%2E/",
])
def test_base_url_with_characters_no_url_may_hold_is_refused(base_url):
    found = config_problems(f'title: T\nbase_url: "{base_url}"\n')
    assert len(found) == 1
    assert "base_url" in found[0] and "config.yaml:2" in found[0]


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://ex.org/archive/", "https://ex.org/ar%20chive/",
                                      "https://xn--caf-dma.example/", "https://café.example/news/", "https://[::1]:8080/x/"])
def test_ordinary_base_urls_still_pass(base_url):
    config = parse_config(f'title: T\nbase_url: "{base_url}"\n', CONFIG)
    assert config.base_url == base_url
