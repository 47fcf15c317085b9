"""Import at scale: what keeps a crawl's memory bounded when its pages are large (issue 27, 8)."""
from __future__ import annotations

import io

from newsarchive.importers import batch
from newsarchive.importers.model import ImportSettings

PAGE_BYTES = 1024 * 1024


class _Later:
    """A future that is only asked for its result when the import reads it."""

    def __init__(self, pool: "_CountingPool", size: int):
        self.pool, self.size = pool, size

    def result(self):
        self.pool.outstanding -= self.size
        self.pool.order.append(self.size)
        return self.size


class _CountingPool:
    """Stands for the process pool: counts the page bytes sent and not read back yet."""

    def __init__(self):
        self.outstanding = self.peak = 0
        self.order: list[int] = []

    def submit(self, function, page, *args):
        self.outstanding += len(page.payload)
        self.peak = max(self.peak, self.outstanding)
        return _Later(self, len(page.payload))


def _big_crawl(path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for i in range(pages):
            body = (f"<html><head><title>Page {i}</title></head><body><p>" + "word " * (PAGE_BYTES // 5) + "</p></body></html>").encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://wire.example/{i}", "response", payload=io.BytesIO(body),
                                                          http_headers=http, warc_headers_dict={"WARC-Date": "2024-03-05T10:00:00Z"}))


def test_crawled_pages_waiting_for_the_pool_are_bounded_in_bytes_not_only_in_number(tmp_path, monkeypatch):
    crawl = tmp_path / "big.warc.gz"
    _big_crawl(crawl, 8)
    monkeypatch.setattr(batch, "IN_FLIGHT_BYTES", int(2.5 * 1024 * 1024))
    pool = _CountingPool()
    item = batch.InputFile(str(crawl), "big.warc.gz", "warc", crawl.stat().st_size, "big.warc.gz")
    progress = batch.Progress(item.size, 1, enabled=False)
    results = list(batch._parse_crawl(item, ImportSettings(default_lang="en"), pool, 2, progress))
    assert len(pool.order) == 8 and len(results) == 8  # every page was sent and read back, in order
    assert pool.outstanding == 0
    # two pages of 1 MB fit under 2.5 MB; a third is sent only once the first is read back
    # (before the byte bound, all eight, 8 MB, waited at once: the count bound is 16 pages)
    assert PAGE_BYTES * 2 < pool.peak <= int(2.5 * 1024 * 1024) + PAGE_BYTES + 1024, pool.peak


def test_one_page_larger_than_the_bound_is_still_parsed(tmp_path, monkeypatch):
    crawl = tmp_path / "big.warc.gz"
    _big_crawl(crawl, 3)
    monkeypatch.setattr(batch, "IN_FLIGHT_BYTES", 1024)
    pool = _CountingPool()
    item = batch.InputFile(str(crawl), "big.warc.gz", "warc", crawl.stat().st_size, "big.warc.gz")
    results = list(batch._parse_crawl(item, ImportSettings(default_lang="en"), pool, 2, batch.Progress(item.size, 1, enabled=False)))
    assert len(results) == 3 and pool.outstanding == 0
    assert 2 * PAGE_BYTES <= pool.peak < 2.5 * PAGE_BYTES  # one waiting while the next is read (not all three)


def test_a_page_whose_html_lang_has_an_underscore_imports_a_valid_language_tag():
    """Found by the accept kit on the imported real pages (a GaijinPot blog page): `<html lang="en_US">`
    was copied as `lang: en_US`, which the Nu validator and axe reject in the built page."""
    from import_inputs import PAGE_OG
    from newsarchive.importers.html import parse_page
    page = PAGE_OG.replace('<html lang="fr">', '<html lang="fr_FR">')
    assert page != PAGE_OG
    article = parse_page(page.encode(), "pages/og.html", ImportSettings(default_lang="en"))
    assert article.lang == "fr-FR"
