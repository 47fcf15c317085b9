"""Pages in many scripts and legacy encodings, declared, undeclared, declared late, declared
wrongly, and declared twice (HTTP header and <meta>), decoded to the exact text written here."""
from __future__ import annotations

import pytest

from newsarchive.importers.decode import decode_page, encoding_of_label, http_charset, prescan
from newsarchive.importers.html import parse_page
from newsarchive.importers.model import ImportedArticle, ImportSettings

# (script, Python codec, WHATWG label a page would write, a title, a paragraph)
CORPUS = [
    ("cyrillic", "cp1251", "windows-1251", "Новая библиотека открылась в Самаре",
     "Съешь же ещё этих мягких французских булок, да выпей чаю. Городская библиотека открыла двери для читателей в субботу, "
     "и первые посетители пришли ещё до рассвета, чтобы получить читательский билет."),
    ("cyrillic-koi8", "koi8-r", "koi8-r", "Морозы вернулись в Новосибирск",
     "Синоптики обещают, что холодная погода сохранится до конца недели, а в пятницу ночью температура опустится ниже тридцати градусов."),
    ("japanese", "cp932", "Shift_JIS", "東京で新しい図書館が開館",
     "東京の中心部に新しい図書館が開館しました。市民は朝早くから列を作り、館内の広い閲覧室や子ども向けの本棚を見て喜んでいました。館長は「だれもが気軽に来られる場所にしたい」と話しています。"),
    ("korean", "cp949", "EUC-KR", "서울에 새 도서관 문을 열다",
     "서울 시내에 새 도서관이 문을 열었습니다. 시민들은 아침 일찍부터 줄을 서서 넓은 열람실과 어린이 책장을 둘러보며 기뻐했습니다. 관장은 누구나 편하게 올 수 있는 곳을 만들고 싶다고 말했습니다."),
    ("chinese", "gb18030", "GBK", "北京新图书馆今天开放",
     "北京市中心的新图书馆今天正式开放。市民们一大早就排起了长队，参观宽敞的阅览室和儿童书架，大家都非常高兴。馆长表示，希望这里成为每个人都能轻松前来的地方。"),
    ("arabic", "cp1256", "windows-1256", "افتتاح مكتبة جديدة في عمان",
     "افتتحت مكتبة جديدة في وسط عمان اليوم، واصطف السكان منذ الصباح الباكر لزيارة قاعات المطالعة الواسعة ورفوف كتب الأطفال، وقال المدير إنه يريد مكانا يأتيه الجميع بسهولة."),
    ("greek", "iso-8859-7", "ISO-8859-7", "Νέα βιβλιοθήκη άνοιξε στην Αθήνα",
     "Μια νέα βιβλιοθήκη άνοιξε σήμερα στο κέντρο της Αθήνας και οι κάτοικοι περίμεναν από νωρίς το πρωί για να δουν τις μεγάλες αίθουσες ανάγνωσης."),
    ("hebrew", "cp1255", "windows-1255", "ספרייה חדשה נפתחה בירושלים",
     "ספרייה חדשה נפתחה היום במרכז ירושלים, והתושבים עמדו בתור מהבוקר המוקדם כדי לראות את אולמות הקריאה הגדולים ואת מדפי ספרי הילדים."),
    ("polish", "iso-8859-2", "ISO-8859-2", "Nowa biblioteka w Łodzi",
     "Zażółć gęślą jaźń. W centrum Łodzi otwarto dziś nową bibliotekę, a mieszkańcy ustawili się w kolejce już o świcie, żeby zobaczyć przestronne czytelnie."),
    ("thai", "cp874", "TIS-620", "ห้องสมุดใหม่เปิดที่เชียงใหม่",
     "ห้องสมุดแห่งใหม่เปิดให้บริการแล้ววันนี้ที่ใจกลางเมืองเชียงใหม่ ประชาชนมาต่อแถวตั้งแต่เช้าตรู่เพื่อชมห้องอ่านหนังสือที่กว้างขวาง"),
    ("french", "cp1252", "ISO-8859-1", "Crème brûlée et « œufs » à Lyon",
     "La crème brûlée, déjà prête, coûte 5 € ; les élèves de l’école hôtelière l’ont préparée à l’aube."),
    ("turkish", "cp1254", "ISO-8859-9", "Yeni kütüphane İstanbul'da açıldı",
     "Şehrin merkezinde yeni bir kütüphane açıldı; sakinler sabahın erken saatlerinden itibaren geniş okuma salonlarını görmek için sıraya girdi."),
]
IDS = [entry[0] for entry in CORPUS]


def page(title: str, paragraph: str, head: str = "", tail_head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}</title>{tail_head}"
            f'<meta property="article:published_time" content="2024-05-04"></head>'
            f"<body><article><h1>{title}</h1><p>{paragraph}</p><p>{paragraph}</p></article></body></html>")


@pytest.mark.parametrize("script, codec, label, title, paragraph", CORPUS, ids=IDS)
def test_meta_charset_declaration(script, codec, label, title, paragraph):
    data = page(title, paragraph, head=f'<meta charset="{label}">').encode(codec)
    decoded = decode_page(data)
    assert paragraph in decoded.text and title in decoded.text
    assert decoded.source in ("meta", "utf-8 bytes") and decoded.encoding == codec


@pytest.mark.parametrize("script, codec, label, title, paragraph", CORPUS, ids=IDS)
def test_http_equiv_declaration_and_the_imported_article(script, codec, label, title, paragraph):
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    article = parse_page(page(title, paragraph, head=head).encode(codec), f"{script}.html", ImportSettings("en"))
    assert isinstance(article, ImportedArticle), article
    assert article.title == title
    assert " ".join(paragraph.split()) in article.body


@pytest.mark.parametrize("script, codec, label, title, paragraph", CORPUS, ids=IDS)
def test_no_declaration_is_detected(script, codec, label, title, paragraph):
    decoded = decode_page(page(title, paragraph).encode(codec))
    assert paragraph in decoded.text and title in decoded.text, decoded.encoding
    assert decoded.source == "detected"


@pytest.mark.parametrize("script, codec, label, title, paragraph", CORPUS, ids=IDS)
def test_utf8_without_declaration(script, codec, label, title, paragraph):
    decoded = decode_page(page(title, paragraph).encode("utf-8"))
    assert (decoded.encoding, decoded.source) == ("utf-8", "utf-8 bytes") and paragraph in decoded.text


@pytest.mark.parametrize("script, codec, label, title, paragraph", CORPUS, ids=IDS)
def test_stale_legacy_declaration_on_utf8_bytes(script, codec, label, title, paragraph):
    """The page was converted to UTF-8 and its <meta> was not: the bytes win."""
    decoded = decode_page(page(title, paragraph, head=f'<meta charset="{label}">').encode("utf-8"))
    assert decoded.encoding == "utf-8" and paragraph in decoded.text


def test_utf8_page_with_a_stray_legacy_byte_stays_utf8():
    text = page("Crème brûlée", "Crème brûlée, déjà prête à l’aube. " * 20)
    data = text.encode("utf-8").replace("déjà".encode(), b"d\xe9j\xe0", 1)
    for declared in ("", '<meta charset="utf-8">'):
        decoded = decode_page(declared.encode() + data)
        # the stray bytes read as windows-1252 (where a browser shows U+FFFD): the Latin-1 text they were pasted from
        assert decoded.encoding == "utf-8" and decoded.text == declared + text


def test_declaration_after_1024_bytes():
    _, codec, label, title, paragraph = CORPUS[0]
    padding = '<meta name="description" content="' + "x" * 1100 + '">'
    data = page(title, paragraph, head=padding, tail_head=f'<meta charset="{label}">').encode(codec)
    assert prescan(data) is None and prescan(data, None) == "cp1251"
    decoded = decode_page(data)
    assert paragraph in decoded.text and title in decoded.text


def test_utf8_declaration_on_legacy_bytes_is_detected():
    _, codec, _, title, paragraph = CORPUS[0]
    decoded = decode_page(page(title, paragraph, head='<meta charset="utf-8">').encode(codec))
    assert paragraph in decoded.text and decoded.source == "detected"


def test_http_charset_wins_over_a_stale_meta():
    data = page("Crème brûlée", "Crème brûlée, déjà prête à l’aube.", head='<meta charset="windows-1252">').encode("utf-8")
    assert "Crème brûlée, déjà prête" in decode_page(data, "utf-8").text
    article = parse_page(data, "crawl: https://x.example/a", ImportSettings("en"), charset="utf-8")
    assert article.title == "Crème brûlée" and "CrÃ" not in article.body
    _, codec, _, title, paragraph = CORPUS[1]  # KOI8-R bytes, a <meta> saying windows-1251: both decode, HTTP wins
    decoded = decode_page(page(title, paragraph, head='<meta charset="windows-1251">').encode(codec), http_charset("text/html; charset=KOI8-R"))
    assert (decoded.encoding, decoded.source) == ("koi8-r", "http") and paragraph in decoded.text


def test_byte_order_mark_wins_over_everything():
    text = page("Crème", "Crème brûlée.", head='<meta charset="windows-1251">')
    assert decode_page(b"\xef\xbb\xbf" + text.encode("utf-8"), "koi8-r").text == text
    assert decode_page(b"\xff\xfe" + text.encode("utf-16-le")).text == text


def test_whatwg_labels():
    assert [encoding_of_label(x) for x in ("latin1", "ISO-8859-1", "us-ascii", "GB2312", "x-sjis", "ks_c_5601-1987", "utf8", "bogus")] == [
        "cp1252", "cp1252", "cp1252", "gb18030", "cp932", "cp949", "utf-8", None]
    # windows-1252 bytes behind an iso-8859-1 label: curly quotes and the euro sign, as browsers show them
    data = page("Quotes", "\u201cCinq euros\u201d: 5 \u20ac.", head='<meta charset="iso-8859-1">').encode("cp1252")
    assert "\u201cCinq euros\u201d: 5 \u20ac." in decode_page(data).text
    assert http_charset('text/html;charset="Shift_JIS"') == "Shift_JIS" and http_charset("text/html") is None
    assert prescan(b'<!-- <meta charset="koi8-r"> --><meta charset=utf-16>') == "utf-8"  # comments skipped; UTF-16 means UTF-8


def test_warc_record_http_charset_wins_over_a_stale_meta(make_site, tmp_path):
    """The crawl's HTTP header says UTF-8, the page's <meta> still says windows-1252: the import
    writes "Crème brûlée", not "CrÃ¨me brÃ»lÃ©e"; a KOI8-R page declared only by its header is read too."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from conftest import run_cli

    paragraph = "La crème brûlée du chef, déjà prête à l’aube, a séduit les élèves de l’école hôtelière de Lyon. " * 3
    pages = [("https://x.example/creme", "text/html; charset=utf-8",
              page("Crème brûlée à Lyon", paragraph, head='<meta charset="windows-1252">').encode("utf-8")),
             ("https://x.example/moroz", "text/html; charset=koi8-r", page(CORPUS[1][3], CORPUS[1][4]).encode("koi8-r"))]
    crawl = tmp_path / "crawl.warc.gz"
    with open(crawl, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for url, content_type, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": "2024-05-05T10:00:00Z"}))
    config = make_site({}, config="title: Crawl\nbase_url: https://news.example.org/\n")
    result = run_cli("import", crawl, "--config", config, "--jobs", "1")
    assert result.code == 0, result.err
    written = {p.name: p.read_text(encoding="utf-8") for p in (config.parent / "articles").rglob("*.md")}
    creme = next(text for text in written.values() if "Crème brûlée à Lyon" in text)
    assert paragraph.split(" a séduit")[0] in creme and "Ã" not in creme
    moroz = next(text for text in written.values() if CORPUS[1][3] in text)
    assert CORPUS[1][4] in moroz
