"""Inputs for the import tests, written by the project: scraped text in four languages, saved
pages of three layouts and a WARC crawl built with warcio."""
from __future__ import annotations

import io
from pathlib import Path

NBSP = "\u00a0"

# The seed's shape: section, title, two caption lines (the first about another picture), lead,
# body with "read also" lines, share line, source line. No year anywhere: needs --date.
FR_QODS = f"""TV

Commandant en chef de la Force Qods contacte le Hamas

US Rep. Ilhan Omar (D-MN) talks with Speaker Nancy Pelosi on the East Steps of the US Capitol in Washington, DC. (AFP photo)
Le commandant en chef de la Force Qods du CGRI, général Qaani a salué la Résistance. ©Tasnim/Archives

Le commandant en chef{NBSP}de la Force Qods du CGRI contacte le Hamas pour discuter des évolutions à Gaza.

Cité par Fars News samedi 15 mai,{NBSP}le général Qaani s’est entretenu au téléphone avec Ismail Haniyeh.

Lire aussi :{NBSP}Les chasseurs sionistes bientôt visés{NBSP}?

Le général Qaani a salué la réponse de la Résistance.

Lire aussi :{NBSP}Un titre qui ne correspond à rien

Partager Cet Article
SOURCE: FRENCH PRESS TV
"""

# The article the first one points to; its own title has a plain space before '?', and it
# points back by the other's title written with different case and spaces.
FR_CHASSEURS = f"""Défense

Les chasseurs sionistes bientôt visés ?

Des sources militaires évoquent une menace nouvelle pour l’aviation.

Lire aussi : COMMANDANT EN CHEF DE LA FORCE QODS  CONTACTE LE HAMAS

Partager Cet Article
"""

EN_NO_SECTION = """Port workers in Rotterdam begin a week-long strike over automation plans

Dock workers at Europe's largest port walked out on Monday, halting container traffic at three terminals.

The union says the new automated cranes will cost 800 jobs by 2027; the port authority disputes the figure.

Read more: Antwerp port braces for knock-on delays

Share This Article
SOURCE: Harbour Wire
"""

ES_WITH_SECTION = """Economía

El precio del aceite de oliva baja por primera vez en tres años

Un olivar en Jaén durante la cosecha. (Foto: EFE)

Los precios en origen del aceite de oliva virgen extra cayeron un 12 % en abril, según el observatorio del sector.

Los productores atribuyen la bajada a una cosecha récord en Andalucía.

Leer también: La cosecha de aceituna bate récords en Jaén

Compartir este artículo
FUENTE: Agencia EFE
"""

AR_WITH_SECTION = """اقتصاد

ارتفاع أسعار النفط بعد قرار أوبك خفض الإنتاج

ناقلة نفط في ميناء رأس تنورة. (أ ف ب)

ارتفعت أسعار النفط الخام بأكثر من ثلاثة في المئة يوم الاثنين بعد إعلان أوبك خفضا جديدا في الإنتاج.

اقرأ أيضا: أوبك تجتمع في فيينا لبحث حصص الإنتاج

شارك هذا المقال
المصدر: وكالة الأنباء
"""

AR_NO_SECTION = """أوبك تجتمع في فيينا لبحث حصص الإنتاج في ظل تراجع الطلب العالمي على النفط هذا العام

يجتمع وزراء دول أوبك في فيينا لبحث حصص الإنتاج للأشهر الستة المقبلة.

شارك هذا المقال
"""

TITLE_ONLY = "Economy\n\nA title and nothing else\n"


def crlf_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def write_raw_folder(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "fr_qods": ("fr/001_qods.txt", FR_QODS.encode()),
        "fr_chasseurs": ("fr/002_chasseurs.txt", crlf_bom(FR_CHASSEURS)),
        "en": ("en/rotterdam.txt", EN_NO_SECTION.encode()),
        "es": ("es/aceite.txt", ES_WITH_SECTION.encode()),
        "ar_section": ("ar/oil.txt", AR_WITH_SECTION.encode()),
        "ar_no_section": ("ar/opec.txt", crlf_bom(AR_NO_SECTION)),
    }
    paths = {}
    for key, (name, data) in files.items():
        paths[key] = folder / name
        paths[key].parent.mkdir(parents=True, exist_ok=True)
        paths[key].write_bytes(data)
    return paths


BOILERPLATE = """
<div class="cookie-banner"><p>We use cookies to improve your experience. <button>Accept all cookies</button></p></div>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>
"""
FOOTER = """<footer><p>Copyright 2021 The Daily Ledger Company. All rights reserved.</p><ul><li><a href="/terms">Terms of use</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>"""
MOST_READ = """<aside class="most-read"><h2>Most read</h2><ol><li><a href="/x1">Celebrity chef opens a floating restaurant</a></li><li><a href="/x2">Ten tips for a better night of sleep</a></li></ol></aside>"""
SHARE = """<div class="share-buttons"><a href="https://facebook.example/share">Share on Facebook</a> <a href="https://twitter.example/share">Share on Twitter</a></div>"""

# Layout 1: Open Graph + article:* metadata, <article> with a <figure>, French.
PAGE_OG = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Grève au port du Havre : troisième jour | Le Quotidien du Port</title>
<meta property="og:title" content="Grève au port du Havre : troisième jour">
<meta property="og:site_name" content="Le Quotidien du Port">
<meta property="og:image" content="https://quotidien.example/img/havre.jpg">
<meta property="article:published_time" content="2021-05-15T10:30:00+02:00">
<meta property="article:section" content="Économie">
<meta property="article:tag" content="Grève"><meta property="article:tag" content="Le Havre">
<meta name="author" content="Marie Dupont">
<link rel="canonical" href="https://quotidien.example/eco/greve-havre">
</head><body>{BOILERPLATE}
<main><article>
<h1>Grève au port du Havre : troisième jour</h1>
<figure><img src="/img/havre.jpg" alt="Des conteneurs à quai"><figcaption>Des conteneurs bloqués à quai, samedi. (Photo : AFP)</figcaption></figure>
<p>Les dockers du port du Havre ont entamé samedi leur troisième journée de grève, bloquant plusieurs centaines de conteneurs sur les quais du terminal de France.</p>
<p>Selon les syndicats, plus de 80 % des salariés ont suivi le mouvement, qui porte sur les salaires et les conditions de travail dans le terminal.</p>
<p>Lire aussi : <a href="/eco/greve-marseille">La grève s'étend au port de Marseille</a></p>
<p>La direction du port a proposé une réunion de négociation lundi matin, une offre que les représentants du personnel jugent insuffisante à ce stade.</p>
{SHARE}
</article>{MOST_READ}</main>{FOOTER}
</body></html>"""

# Layout 2: JSON-LD only (@graph), no <article>, English; the <title> carries the site name.
PAGE_JSONLD = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Rail fares rise by 5.9% in March - The Daily Ledger</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [
 {{"@type": "WebSite", "name": "The Daily Ledger", "url": "https://ledger.example/"}},
 {{"@type": "NewsArticle", "headline": "Rail fares rise by 5.9% in March",
   "datePublished": "2023-02-28T07:00:00-05:00", "articleSection": "Business",
   "author": [{{"@type": "Person", "name": "Sam Okafor"}}, {{"@type": "Person", "name": "Lena Berg"}}],
   "keywords": "rail, fares, transport",
   "publisher": {{"@type": "Organization", "name": "The Daily Ledger"}}}}]}}</script>
</head><body>{BOILERPLATE}
<div id="wrapper"><div class="col-main"><div class="story-body">
<h1 class="headline">Rail fares rise by 5.9% in March</h1>
<div class="text">
<p>Train tickets will cost 5.9% more from the first Sunday in March, the biggest increase in more than a decade, the transport department confirmed on Tuesday.</p>
<p>Passenger groups said the rise would push more commuters back into their cars, while operators pointed to higher energy and staff costs across the network.</p>
<p>Read more: <a href="https://ledger.example/business/bus-fares-frozen">Bus fares frozen until the end of the year</a></p>
<p>The government said the increase was below the rate of inflation for the second year running and that season tickets would be capped.</p>
</div>{SHARE}</div></div>
<div class="col-side">{MOST_READ}</div></div>{FOOTER}
</body></html>"""

# Layout 3: Arabic, right-to-left, no metadata but a <time datetime> in the text (htmldate finds it), <section> layout.
PAGE_TIME = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>الأمطار الغزيرة تغلق طرقا في عمّان</title>
</head><body>{BOILERPLATE}
<section class="content">
<header><h1>الأمطار الغزيرة تغلق طرقا في عمّان</h1><p>نُشر في <time datetime="2022-01-20">20 يناير 2022</time></p></header>
<div class="entry">
<p>أغلقت السلطات في العاصمة الأردنية عمّان عددا من الطرق الرئيسية صباح الخميس بعد هطول أمطار غزيرة تسببت في تجمع المياه في الأنفاق.</p>
<p>ودعت مديرية الأمن العام السائقين إلى تجنب التنقل غير الضروري حتى تتحسن الأحوال الجوية خلال ساعات المساء.</p>
<p>اقرأ أيضا: <a href="/news/snow-warning">تحذير من تساقط الثلوج على المرتفعات</a></p>
<p>وتوقعت دائرة الأرصاد الجوية استمرار الحالة الماطرة حتى نهاية الأسبوع مع انخفاض ملموس في درجات الحرارة.</p>
</div></section>{MOST_READ}{FOOTER}
</body></html>"""

def _png() -> bytes:
    """A small real PNG, the lead image the crawl holds (the build reads and resizes it)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def _page(title: str, date: str | None, paragraphs: list[str], image: str | None = None, extra: str = "") -> str:
    metas = f'<meta property="og:title" content="{title}">'
    if date:
        metas += f'<meta property="article:published_time" content="{date}">'
    if image:
        metas += f'<meta property="og:image" content="{image}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} - Harbour Wire</title>{metas}<meta property="og:site_name" content="Harbour Wire"></head><body>{BOILERPLATE}<main><article><h1>{title}</h1>{body}{extra}</article></main>{FOOTER}</body></html>'


LONG = "The harbour master said the measure would stay in place for as long as the weather required, and that ships already at anchor would be guided in one by one."

CRAWL_PAGES = {
    "storm": _page("Storm closes the harbour for two days", "2024-03-04T08:15:00+01:00",
                   ["Gale-force winds forced the harbour to close to all traffic on Monday morning.", LONG,
                    'Read also: <a href="https://wire.example/news/ferry-cancelled">Ferry crossings cancelled until Wednesday</a>'],
                   image="https://wire.example/img/storm.png"),
    "ferry_old": _page("Ferry crossings cancelled until Wednesday", "2024-03-04T09:00:00+01:00",
                       ["All ferry crossings were cancelled on Monday.", LONG]),
    "ferry_new": _page("Ferry crossings cancelled until Wednesday", "2024-03-04T09:00:00+01:00",
                       ["All ferry crossings were cancelled on Monday; the operator now expects to resume on Wednesday.", LONG,
                        "Read also: Storm closes the harbour for two days"]),
    "index": '<!DOCTYPE html><html lang="en"><head><title>Harbour Wire - News</title></head><body><h1>Latest news</h1>'
             '<ul><li><a href="/news/storm">Storm closes the harbour for two days</a></li>'
             '<li><a href="/news/ferry-cancelled">Ferry crossings cancelled until Wednesday</a></li></ul></body></html>',
}


def put_response(writer, url: str, body: bytes, content_type: str, date: str) -> None:
    """One `200 OK` response record of `body` into a warcio WARCWriter."""
    from warcio.statusandheaders import StatusAndHeaders
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                  warc_headers_dict={"WARC-Date": date}))


def write_warc(path: Path, gzip: bool = True) -> None:
    """A crawl: two articles (one captured twice), their lead image, a 404, a redirect, an index
    page without a date, and a stylesheet."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=gzip)

        def response(url: str, status: str, content_type: str | None, body: bytes, date: str, extra_headers=()):
            headers = [("Content-Type", content_type)] if content_type else []
            http = StatusAndHeaders(status, headers + list(extra_headers), protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)

        html = "text/html; charset=utf-8"
        response("https://wire.example/news/", "200 OK", html, CRAWL_PAGES["index"].encode(), "2024-03-05T10:00:00Z")
        response("https://wire.example/news/storm", "200 OK", html, CRAWL_PAGES["storm"].encode(), "2024-03-05T10:00:01Z")
        response("https://wire.example/img/storm.png", "200 OK", "image/png", PNG, "2024-03-05T10:00:02Z")
        response("https://wire.example/news/ferry-cancelled", "200 OK", html, CRAWL_PAGES["ferry_old"].encode(), "2024-03-05T10:00:03Z")
        response("https://wire.example/news/gone", "404 Not Found", html, b"<html><body><h1>Not found</h1></body></html>", "2024-03-05T10:00:04Z")
        response("https://wire.example/old-url", "301 Moved Permanently", None, b"", "2024-03-05T10:00:05Z",
                 [("Location", "https://wire.example/news/storm")])
        response("https://wire.example/css/site.css", "200 OK", "text/css", b"body { color: #222 }", "2024-03-05T10:00:06Z")
        response("https://wire.example/news/ferry-cancelled", "200 OK", html, CRAWL_PAGES["ferry_new"].encode(), "2024-03-06T10:00:00Z")
