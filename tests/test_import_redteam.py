"""Red-team cases for `build.py import` (issue 27): pages and crawls made up to break it."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_cli
from newsarchive.importers.decode import decode_page


def _run(*args: str) -> subprocess.CompletedProcess:
    """`build.py ARGS` in this process, as test_import_cli runs it: the same exit code and messages,
    without starting Python and importing the extraction libraries again for every command."""
    result = run_cli(*args)
    return subprocess.CompletedProcess(list(args), result.code, result.out, result.err)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert _run("init", str(site)).returncode == 0
    return site


def _page(title: str, body: str, date: str = "2020-07-05") -> str:
    return (f"<html><head><title>{title}</title><meta name='date' content='{date}'></head>"
            f"<body><article><p>{body}</p></article></body></html>")


def test_euc_jp_page_without_declaration_is_not_mojibake():
    body = "大阪では今日は晴れて、多くの人が公園を散歩しました。" * 15
    decoded = decode_page(_page("大阪の天気", body).encode("euc-jp"))
    assert "<title>大阪の天気</title>" in decoded.text
    assert body in decoded.text


def test_utf16_page_without_bom_or_declaration_is_read_as_utf16(tmp_path):
    body = "Crème brûlée et café à l'été, où l'on mange des œufs. " * 10
    for codec in ("utf-16-le", "utf-16-be"):
        decoded = decode_page(_page("Crème brûlée", body).encode(codec))
        assert decoded.encoding == codec
        assert "<title>Crème brûlée</title>" in decoded.text and body in decoded.text
    site = _site(tmp_path)
    page = tmp_path / "in" / "p.html"
    page.parent.mkdir()
    page.write_bytes(_page("Crème brûlée", body, "2020-06-01").encode("utf-16-le"))
    result = _run("import", str(page), "--config", str(site / "config.yaml"))
    assert result.returncode == 0, result.stderr
    written = (site / "articles" / "2020" / "06" / "creme-brulee.md").read_text(encoding="utf-8")
    assert 'title: "Crème brûlée"' in written
    assert "œufs" in written and "\ufffd" not in written


def test_latin2_page_without_declaration_is_read_as_iso_8859_2():
    body = "Zażółć gęślą jaźń, powiedział ktoś w Łodzi. Śnieg pada na ulicach miasta. " * 15
    decoded = decode_page(_page("Żółć w Łodzi", body).encode("iso-8859-2"))
    assert "<title>Żółć w Łodzi</title>" in decoded.text
    assert body in decoded.text


def test_unix_epoch_is_a_placeholder_date(tmp_path):
    from newsarchive.importers.dates import choose
    choice = choose([("meta", "1970-01-01T00:00:00Z"), ("--date", "2020-05-05")])
    assert choice.date == "2020-05-05" and choice.source == "--date"
    assert "Unix epoch" in choice.reasons()
    site = _site(tmp_path)
    page = tmp_path / "epoch.html"
    page.write_text("<html><head><meta charset='utf-8'><title>Epoch</title>"
                    "<meta property='article:published_time' content='1970-01-01T00:00:00Z'></head><body><article><p>"
                    + "The council met on Tuesday to discuss the budget. " * 6 + "</p></article></body></html>")
    result = _run("import", str(page), "--config", str(site / "config.yaml"))
    assert result.returncode != 0
    assert "epoch.html" in result.stderr and "Unix epoch" in result.stderr
    assert not (site / "articles" / "1970").exists()


def test_impossible_day_is_not_replaced_by_the_first_of_its_month():
    from newsarchive.importers.dates import choose
    choice = choose([("meta", "2021-02-30"), ("htmldate", "2021-02-01T00:00:00")])
    assert choice.date is None
    assert "not a real date" in choice.reasons()
    # a real 1st of the month is still a date
    assert choose([("htmldate", "2021-02-01T00:00:00")]).date == "2021-02-01"


def _warc_records(count: int, gzipped: bool) -> list[bytes]:
    """One complete WARC record (a gzip member when gzipped) per page."""
    import io
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    records = []
    for i in range(count):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=gzipped)
        body = (f"<html><head><meta charset='utf-8'><title>Record {i}</title><meta property='article:published_time' "
                f"content='2021-03-0{i + 1}'></head><body><article><p>"
                + "The council met on Tuesday to discuss the new budget for the parks. " * 5
                + "</p></article></body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://ex.com/r{i}", "response", payload=io.BytesIO(body),
                                                      http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": "2021-06-01T00:00:00Z"}))
        records.append(out.getvalue())
    return records


def test_garbage_between_warc_records_loses_no_record(tmp_path):
    for gzipped, name in ((False, "crawl.warc"), (True, "crawl.warc.gz")):
        site = _site(tmp_path / name)
        first, second, third = _warc_records(3, gzipped)
        crawl = tmp_path / name / name
        crawl.write_bytes(first + b"GARBAGE GARBAGE\r\n\r\n" + second + third)
        result = _run("import", str(crawl), "--config", str(site / "config.yaml"), "--keep-going")
        assert result.returncode == 0, result.stderr
        for i in range(3):
            assert (site / "articles" / "2021" / "03" / f"record-{i}.md").is_file(), (name, i, result.stderr)
        assert f"reading resumed at byte {len(first) + 19}" in result.stderr  # at the record after the garbage


def test_json_ld_with_values_of_the_wrong_type_does_not_cost_the_article():
    from newsarchive.importers.html import ImportSettings, parse_page
    from newsarchive.importers.model import ImportedArticle
    for keywords in ("7", "{\"a\": 1}", "null", "[1, \"Parks\"]"):
        page = ("<html><head><meta charset='utf-8'><title>Odd JSON-LD</title>"
                "<meta property='article:published_time' content='2020-02-02'>"
                "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"articleBody\": [1, 2], "
                f"\"datePublished\": {{\"a\": 1}}, \"keywords\": {keywords}, \"author\": [null, 3, {{\"name\": [\"x\"]}}], "
                "\"image\": [7]}</script></head><body><article><p>"
                + "The council met on Tuesday to discuss the new budget for the parks. " * 5
                + "</p></article></body></html>")
        result = parse_page(page.encode(), "odd.html", ImportSettings("en"))
        assert isinstance(result, ImportedArticle), (keywords, result)
        assert "budget for the parks" in result.body
        assert list(result.tags) == (["Parks"] if keywords.startswith("[") else [])


def test_code_block_with_blank_lines_keeps_its_fence_and_indentation(tmp_path):
    from newsarchive.importers.extract import markdown_blocks
    code = "```\ndef f(x):\n    if x:\n        return 2\n\n\n    return 3\n```"
    assert markdown_blocks(f"Intro para.\n\n{code}\n\nAfter.") == ["Intro para.", code, "After."]
    site = _site(tmp_path)
    page = tmp_path / "code.html"
    para = "The council met on Tuesday to discuss the new budget for the city parks. " * 3
    page.write_text(f"<html><head><meta charset='utf-8'><title>Code page</title><meta property='article:published_time' "
                    f"content='2020-02-02'></head><body><article><p>{para}</p><pre><code>def f(x):\n    if x:\n"
                    f"        return 2\n\n\n    return 3</code></pre><p>{para} After.</p></article></body></html>")
    result = _run("import", str(page), "--config", str(site / "config.yaml"))
    assert result.returncode == 0, result.stderr
    written = (site / "articles" / "2020" / "02" / "code-page.md").read_text(encoding="utf-8")
    assert "```\ndef f(x):\n    if x:\n        return 2\n" in written
    assert "    return 3\n```" in written


def test_date_written_in_russian_in_the_page_dates_it(tmp_path):
    site = _site(tmp_path)
    page = tmp_path / "ru.html"
    page.write_text("<html><head><meta charset='utf-8'><title>Русская дата</title></head><body><article>"
                    "<p>Опубликовано 12 апреля 2019 г.</p><p>" + "Совет города обсудил новый бюджет парков. " * 6
                    + "</p></article></body></html>", encoding="utf-8")
    result = _run("import", str(page), "--config", str(site / "config.yaml"))
    assert result.returncode == 0, result.stderr
    written = (site / "articles" / "2019" / "04" / "русская-дата.md").read_text(encoding="utf-8")
    assert "date: 2019-04-12\n" in written and 'date_source: "text"' in written


def test_byline_inside_an_author_list_is_stripped_from_each_name():
    from newsarchive.importers.terms import split_authors
    assert split_authors(["José; María | Ana, By Pedro and Juan"]) == ["José", "María", "Ana", "Pedro", "Juan"]
    assert split_authors(["Jane Doe, par Jean Roe"]) == ["Jane Doe", "Jean Roe"]
    assert split_authors(["By Jane Doe and John Roe"]) == ["Jane Doe", "John Roe"]


_FR_TEXT = ("Crème brûlée pour tous\n\n15 mai 2021\n\nLe conseil municipal a voté le budget des parcs et des "
            "bibliothèques de la ville. Les élus ont débattu.\n")


def test_short_title_then_date_line_is_not_read_as_section_and_title(tmp_path):
    from newsarchive.importers.text import parse_text
    from newsarchive.importers.model import ImportedArticle, ImportSettings
    article = parse_text(_FR_TEXT.encode(), "fr.txt", ImportSettings("fr"))
    assert isinstance(article, ImportedArticle), article
    assert article.title == "Crème brûlée pour tous"
    assert article.date == "2021-05-15" and article.section is None


def test_utf16_text_with_bom_is_imported_and_a_cp1251_text_gets_the_right_iconv_hint():
    from newsarchive.importers.text import parse_text
    from newsarchive.importers.model import ImportedArticle, ImportSettings
    from newsarchive.errors import Problem
    article = parse_text(codecs_bom_utf16le() + _FR_TEXT.encode("utf-16-le"), "u16.txt", ImportSettings("fr"))
    assert isinstance(article, ImportedArticle), article
    assert article.title == "Crème brûlée pour tous" and "bibliothèques" in article.body
    russian = ("Совет утвердил бюджет\n\n15 мая 2021\n\nГородской совет утвердил бюджет парков и библиотек. "
               "Депутаты долго спорили о расходах на ремонт.\n").encode("cp1251")
    problem = parse_text(russian, "ru.txt", ImportSettings("ru"))
    assert isinstance(problem, Problem)
    assert "iconv -f CP1251 -t utf-8" in problem.hint


def codecs_bom_utf16le() -> bytes:
    import codecs
    return codecs.BOM_UTF16_LE


def test_broken_or_polyglot_raster_lead_image_is_refused_and_a_whole_one_kept(tmp_path):
    import io
    from PIL import Image
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    whole = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(whole, "PNG")
    images = {"broken": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR garbage", "png"),
              "polyglot": (b"GIF89a<script>alert(1)</script><html><body onload=alert(1)>", "gif"),
              "whole": (whole.getvalue(), "png")}
    crawl = tmp_path / "img.warc.gz"
    with open(crawl, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)

        def record(url: str, body: bytes, kind: str) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": "2021-04-05T00:00:00Z"}))
        for name, (data, ext) in images.items():
            page = (f"<html><head><meta charset='utf-8'><title>Lead {name}</title><meta property='og:image' "
                    f"content='http://ex.com/{name}.{ext}'><meta property='article:published_time' content='2021-04-01'>"
                    "</head><body><article><p>" + "The council met on Tuesday to discuss the parks budget. " * 5
                    + "</p></article></body></html>").encode()
            record(f"http://ex.com/{name}", page, "text/html")
            record(f"http://ex.com/{name}.{ext}", data, f"image/{ext}")
    site = _site(tmp_path)
    result = _run("import", str(crawl), "--config", str(site / "config.yaml"))
    assert result.returncode == 0, result.stderr
    month = site / "articles" / "2021" / "04"
    assert (month / "lead-whole.png").read_bytes() == images["whole"][0]
    for name in ("broken", "polyglot"):
        assert (month / f"lead-{name}.md").is_file()
        assert not list(month.glob(f"lead-{name}.*[!d]")), name  # no image beside the article
        assert "image:" not in (month / f"lead-{name}.md").read_text(encoding="utf-8")
        assert f"lead-{name}.md: warning: its lead image is not a JPEG" in result.stderr


def test_text_that_looks_like_a_tag_stays_text_through_import_and_build(tmp_path):
    site = _site(tmp_path)
    page = tmp_path / "tags.html"
    para = "The council met on Tuesday to discuss the new budget for the city parks. " * 3
    page.write_text(f"<html><head><meta charset='utf-8'><title>Angle text</title><meta property='article:published_time' "
                    f"content='2020-02-02'></head><body><article><p>{para}</p><p>Write &lt;div&gt;raw html&lt;/div&gt; "
                    f"and &lt;script&gt;alert(1)&lt;/script&gt; here.</p><p>{para}</p></article></body></html>")
    result = _run("import", str(page), "--config", str(site / "config.yaml"))
    assert result.returncode == 0, result.stderr
    assert "\\<" not in (site / "articles" / "2020" / "02" / "angle-text.md").read_text(encoding="utf-8")
    built = _run("build", "--config", str(site / "config.yaml"), "--quiet")
    assert built.returncode == 0, built.stderr
    html = (site / "_site" / "2020" / "02" / "angle-text" / "index.html").read_text(encoding="utf-8")
    assert "<p>Write &lt;div&gt;raw html&lt;/div&gt; and &lt;script&gt;alert(1)&lt;/script&gt; here.</p>" in html


def test_table_without_header_cells_still_renders_as_a_table(tmp_path):
    from newsarchive.importers.extract import markdown_blocks
    assert markdown_blocks("Intro.\n\n| City | Budget |\n| Paris | 10 |\n\nAfter.") == [
        "Intro.", "| City | Budget |\n|---|---|\n| Paris | 10 |", "After."]
    assert markdown_blocks("| A | B |\n|---|---|\n| 1 | 2 |") == ["| A | B |\n|---|---|\n| 1 | 2 |"]
    site = _site(tmp_path)
    page = tmp_path / "t.html"
    para = "The council met on Tuesday to discuss the new budget for the city parks. " * 3
    page.write_text(f"<html><head><meta charset='utf-8'><title>Plain table</title><meta property='article:published_time' "
                    f"content='2020-02-02'></head><body><article><p>{para}</p><table><tr><td>City</td><td>Budget</td></tr>"
                    f"<tr><td>Paris</td><td>10</td></tr><tr><td>Lyon</td><td>7</td></tr></table><p>{para}</p>"
                    "</article></body></html>")
    assert _run("import", str(page), "--config", str(site / "config.yaml")).returncode == 0
    built = _run("build", "--config", str(site / "config.yaml"), "--quiet")
    assert built.returncode == 0, built.stderr
    html = (site / "_site" / "2020" / "02" / "plain-table" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in html and "<td>Lyon</td>" in html and "<p>| City" not in html


def test_link_with_a_pipe_in_a_table_cell_keeps_its_address(tmp_path):
    site = _site(tmp_path)
    page = tmp_path / "t.html"
    para = "The council met on Tuesday to discuss the new budget for the city parks. " * 3
    page.write_text(f"<html><head><meta charset='utf-8'><title>Pipe link</title><meta property='article:published_time' "
                    f"content='2020-02-02'></head><body><article><p>{para}</p><table><tr><th>City</th><th>Source</th></tr>"
                    f"<tr><td>Paris</td><td><a href='https://ex.com/a|b'>link | pipe</a></td></tr></table><p>{para}</p>"
                    "</article></body></html>")
    assert _run("import", str(page), "--config", str(site / "config.yaml")).returncode == 0
    written = (site / "articles" / "2020" / "02" / "pipe-link.md").read_text(encoding="utf-8")
    assert "| Paris | [link \\| pipe](https://ex.com/a%7Cb) |" in written


def test_korean_page_that_declares_latin1_is_read_as_korean_and_french_latin1_stays_latin1():
    body = "서울에서 새로운 다리가 개통되었습니다. 많은 시민들이 참석했습니다. " * 10
    page = ("<html><head><meta charset='iso-8859-1'><title>서울 다리 개통</title></head><body><article><p>"
            + body + "</p></article></body></html>")
    decoded = decode_page(page.encode("euc-kr"))
    assert "<title>서울 다리 개통</title>" in decoded.text and body in decoded.text
    french = ("<html><head><meta charset='iso-8859-1'><title>Crème brûlée™</title></head><body><p>"
              + "Crème brûlée et café à l'été, où l'on mange des œufs™ « frais ». " * 10 + "</p></body></html>")
    decoded = decode_page(french.encode("cp1252"))
    assert decoded.encoding == "cp1252" and "<title>Crème brûlée™</title>" in decoded.text
