"""trafilatura's extraction as Markdown, without what `extract` and `extract_with_metadata` add
on top of `bare_extraction` for callers that want a string: a YAML header of the metadata, a
content fingerprint (a hash of the whole text, which the import never reads) and a second
serialisation of the body. `bare_extraction` with `output_format="python"` and formatting on
serialises the body once, to the same Markdown (`xmltotxt(body, True)`), and returns the
metadata on the same document: one run gives the body, the title, the site name and the date.
"""
from __future__ import annotations

import contextlib
import unicodedata
import warnings

from ..extras import require

PURPOSE = "importing saved web pages and WARC crawls"


def document(tree, url: str | None, **options):
    """trafilatura's Document for `tree` (its body as Markdown in `.text`), or None when it found
    no text. `options`: those of `trafilatura.extract`; `include_formatting` must be on (Markdown)."""
    trafilatura = require("trafilatura", "import", PURPOSE)
    options = {key: value for key, value in options.items() if key != "output_format"}
    with quiet_dateutil():
        return trafilatura.bare_extraction(tree, url=url, output_format="python", **options)


@contextlib.contextmanager
def quiet_dateutil():
    """htmldate (inside trafilatura, and on its own in dates.py) hands dateutil a page's "10:30 EST",
    and dateutil prints an UnknownTimezoneWarning to the terminal for each: dates.py reads the zone
    names itself, so the import's output keeps to its own warnings, which name the file."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="tzname .* identified but not understood")
        yield


def markdown(tree, url: str | None, **options) -> str:
    """The text `trafilatura.extract(tree, url=url, output_format="markdown", **options)` returns
    (comments off), from one `bare_extraction`: "" when it found none."""
    found = document(tree, url, **options)
    return unicodedata.normalize("NFC", (found.text or "").strip()) if found is not None else ""
