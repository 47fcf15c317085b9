"""A page's bytes → its text, decoded the way a browser decodes it, and then some.

The order is the WHATWG one: a byte-order mark, then the charset the HTTP response named
(a WARC record's `Content-Type`), then the `<meta charset>` / `http-equiv` prescan of the
first 1024 bytes, then detection. Labels map to encodings per the WHATWG table (`latin1`,
`iso-8859-1` and `ascii` all mean windows-1252; `gb2312` means GB18030; `shift_jis` means
windows-31J...). Two departures, because saved and crawled pages lie more often than
browsers can afford to notice: bytes that are valid UTF-8 with non-ASCII characters are read as
UTF-8 whatever legacy encoding was declared (the chance of a real windows-1252 or
windows-1251 text being valid UTF-8 is nil), and a declared multi-byte encoding the bytes do
not follow gives way to detection (charset-normalizer). A page without a declaration in
its first 1024 bytes is UTF-8 if its bytes are, else takes a declaration found later in
the page, else what charset-normalizer finds.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from . import double_utf8, visual_hebrew

PRESCAN_BYTES = 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# WHATWG Encoding Standard, "Encodings" table: Python codec → the labels that name it.
_LABELS = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "ibm866": "866 cp866 csibm866 ibm866",
    "iso-8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso-8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso-8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso-8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso-8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
                  "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso-8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
                  "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "iso-8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
                  "iso_8859-8 iso_8859-8:1988 visual",
    "iso-8859-8-i": "csiso88598i iso-8859-8-i logical",  # the same bytes, in logical order (visual_hebrew.py)
    "iso-8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso-8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso-8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso-8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso-8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 "
              "iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 "
              "latin5 windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc-jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso-2022-jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    "x-user-defined": "x-user-defined",
}
_CODEC_OF_LABEL = {label: codec for codec, labels in _LABELS.items() for label in labels.split()}
_SINGLE_BYTE = frozenset(c for c in _LABELS if c.startswith(("cp12", "iso-8859", "koi8", "mac-", "ibm866", "cp874")))

_TOKEN = re.compile(rb"<!--.*?-->|<meta[\s/][^>]*>|<[!/?][^>]*>|<[a-zA-Z][^>]*>", re.S | re.I)
_ATTRIBUTE = re.compile(rb"""([^\s/>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))""", re.I)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']+)""", re.I)
_ASCII = re.compile(rb"[\x00-\x7f]*\Z")
_C1 = re.compile("[\u0080-\u009f]|&#(?:0*(12[89]|1[3-5][0-9])|[xX]0*([89][0-9a-fA-F]));")
_STRAY = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as the surrogateescape handler keeps it
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# the encodings the web uses most, most used first: they win ties between equally good readings
_PREFERENCE = ("utf-8", "cp1252", "cp1251", "cp932", "gb18030", "cp949", "cp1250", "iso-8859-2", "cp1256", "cp1254",
               "cp1253", "cp1255", "cp874", "euc-jp", "big5hkscs", "iso-8859-15", "koi8-r", "cp1257", "iso-8859-7")

# charset-normalizer names supersets browsers do not label: read them as the WHATWG encoding
_DETECTOR_ALIASES = {"latin-1": "cp1252", "euc-jis-2004": "euc-jp", "euc-jisx0213": "euc-jp", "shift-jis-2004": "cp932",
                     "shift-jisx0213": "cp932", "big5-hkscs": "big5hkscs"}

# the encodings a browser's detector (Firefox's chardetng) ever guesses: not ISO-8859-4, -10, -14...
_GUESSABLE = frozenset(("utf-8", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
                        "cp1258", "iso-8859-2", "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-8", "koi8-r",
                        "koi8-u", "ibm866", "cp932", "euc-jp", "iso-2022-jp", "gb18030", "big5hkscs", "cp949",
                        "cp874"))

_CJK = frozenset(("cp932", "euc-jp", "iso-2022-jp", "gb18030", "big5hkscs", "cp949"))


@dataclass(frozen=True, slots=True)
class DecodedPage:
    text: str
    encoding: str  # the Python codec used
    source: str  # "bom", "http", "meta", "utf-8 bytes", "late meta", "detected", "default"


def encoding_of_label(label: str | None) -> str | None:
    """The Python codec a WHATWG label names; None for a label browsers do not know."""
    if not label:
        return None
    return _CODEC_OF_LABEL.get(label.strip().strip("\"'").lower())


def http_charset(content_type: str | None) -> str | None:
    """The charset label of an HTTP `Content-Type` value, as written."""
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def prescan(data: bytes, limit: int | None = PRESCAN_BYTES) -> str | None:
    """The encoding the first `<meta>` declaring one names, in the first `limit` bytes (all with None).
    A declaration of UTF-16 in bytes that are not UTF-16 means UTF-8, as in the standard."""
    head = data if limit is None else data[:limit]
    for token in _TOKEN.finditer(head):
        tag = token.group(0)
        if not tag[:5].lower() == b"<meta":
            continue
        attributes = {}
        for match in _ATTRIBUTE.finditer(tag[5:].rstrip(b">")):
            name = match.group(1).lower()
            value = (match.group(2) or b"").strip(b"\"'")
            attributes.setdefault(name, value)
        label = None
        if b"charset" in attributes:
            label = attributes[b"charset"]
        elif attributes.get(b"http-equiv", b"").strip().lower() == b"content-type":
            found = _CONTENT_CHARSET.search(attributes.get(b"content", b""))
            label = next((g for g in found.groups() if g is not None), None) if found else None
        if label is None:
            continue
        encoding = encoding_of_label(label.decode("ascii", "replace"))
        if encoding is None:
            continue  # an unknown label: the standard keeps scanning
        if encoding.startswith("utf-16"):
            return "utf-8"
        return "cp1252" if encoding == "x-user-defined" else encoding
    return None


def decode_page(data: bytes, declared_charset: str | None = None) -> DecodedPage:
    """`declared_charset`: the label of the HTTP response's `Content-Type` charset, if any. A page
    declared ISO-8859-8 (not -8-I) is visual Hebrew, stored in display order: its text is put back
    in logical order, as a browser shows it."""
    decoded = _decode(data, declared_charset)
    text = _without_c1(double_utf8.read_as_first_written(decoded.text) if decoded.encoding == "utf-8" else decoded.text)
    if decoded.encoding == "iso-8859-8" and decoded.source in ("http", "meta", "late meta"):
        text = visual_hebrew.page_in_logical_order(text)
    return decoded if text is decoded.text else DecodedPage(text, decoded.encoding, decoded.source)


def _without_c1(text: str) -> str:
    """C1 controls (U+0080–U+009F) as the windows-1252 characters they are: a page converted to UTF-8 from
    windows-1252 as if it were Latin-1 ("Britain\u0092s"), or a reference ("&#146;", which browsers read so too).
    HTML forbids the code points themselves: an imported title holding one failed the accept kit's validator."""
    if not _C1.search(text):
        return text

    def character(found: re.Match) -> str:
        whole, decimal, hexadecimal = found.group(0), found.group(1), found.group(2)
        code = ord(whole) if len(whole) == 1 else int(decimal) if decimal else int(hexadecimal, 16)
        return bytes([code]).decode("cp1252", "replace").replace("\ufffd", " ")  # 0x81, 0x8D…: nothing, a space
    return _C1.sub(character, text)


def _decode(data: bytes, declared_charset: str | None) -> DecodedPage:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return DecodedPage(data[len(bom):].decode(_python(encoding), "replace"), encoding, "bom")
    declared, source = encoding_of_label(declared_charset), "http"
    if declared in (None, "x-user-defined") or (declared.startswith("utf-16") and not _looks_utf16(data)):
        declared, source = prescan(data), "meta"
    if declared is not None:
        return _decode_declared(data, declared, source)
    text = _strict(data, "utf-8")
    if text is not None:
        return DecodedPage(text, "utf-8", "utf-8 bytes")
    late = prescan(data, None)
    if late is not None and late != "utf-8":
        text = _strict(data, late)
        if text is not None:
            return DecodedPage(text, late, "late meta")
    if _looks_utf16(data):  # UTF-16 saved without its BOM: the NULs say which byte order
        encoding = "utf-16-le" if data[1:200:2].count(0) > data[0:200:2].count(0) else "utf-16-be"
        text = _strict(data, encoding)
        if text is not None:
            return DecodedPage(text, encoding, "detected")
    return _detected(data)


def _decode_declared(data: bytes, declared: str, source: str) -> DecodedPage:
    if declared != "utf-8" and not _ASCII.match(data):
        text = _strict(data, "utf-8")
        if text is not None:  # valid UTF-8 with non-ASCII text: the declaration is stale
            return DecodedPage(text, "utf-8", "utf-8 bytes")
    if declared in _CYRILLIC:
        declared = _cyrillic_reading(data, declared)
    text = _strict(data, declared)
    if declared in _SINGLE_BYTE and _reads_as_cjk(data, declared):  # Shift_JIS leaves windows-1252 undefined bytes too
        return _detected(data)  # "<meta charset=iso-8859-1>" on a Korean page: its bytes say otherwise
    if text is not None:
        return DecodedPage(text, declared, source)
    if declared in _SINGLE_BYTE:  # a few bytes the codec leaves undefined (0x81 in windows-1252...)
        return DecodedPage(data.decode(_python(declared), "replace"), declared, source)
    valid, invalid = _utf8_counts(data)
    if declared == "utf-8" and valid >= max(invalid, 1):  # a Latin-1 "é" pasted into a UTF-8 page: browsers keep UTF-8 too
        return DecodedPage(_utf8_with_strays(data), "utf-8", source)
    detected = _detected(data)
    if detected.source in ("detected", "utf-8 bytes"):
        return detected
    return DecodedPage(data.decode(_python(declared), "replace"), declared, source)


def _detected(data: bytes) -> DecodedPage:
    """charset-normalizer's reading, among the encodings browsers know: of the readings nearly as
    clean as the cleanest, the one with the best coherence less chaos, ties going to the
    encodings the web uses most (windows-1252 over windows-1250 for French, which reads the same)."""
    from charset_normalizer import from_bytes

    if _mostly_utf8(data):  # a UTF-8 page with a stray byte or two is not a legacy page
        return DecodedPage(_utf8_with_strays(data), "utf-8", "utf-8 bytes")
    readings = [(m, _codec_of(m.encoding)) for m in from_bytes(data)]
    readings = [(m, codec) for m, codec in readings if codec is not None]
    readings = [r for r in readings if r[1] in _GUESSABLE] or readings
    if readings:
        cleanest = min(m.chaos for m, _ in readings)
        close = [(m, codec) for m, codec in readings if m.chaos <= cleanest + 0.1]
        match, codec = max(close, key=lambda r: (-_stray_symbols(r[0].raw, r[1]), round(r[0].coherence - r[0].chaos, 2),
                                                 -_PREFERENCE.index(r[1]) if r[1] in _PREFERENCE else -99))
        text = _strict(data, codec)
        if text is not None:
            return DecodedPage(text, codec, "detected")
    return DecodedPage(data.decode("utf-8", "replace"), "utf-8", "default")


# the single-byte Cyrillic encodings, which old Russian sites mislabelled for one another (a KOI8-R
# page declared windows-1251 reads "ъБВБУФПЧЛБ" for "Забастовка": its letters' case swapped)
_CYRILLIC = ("cp1251", "koi8-r", "koi8-u", "iso-8859-5", "ibm866", "mac-cyrillic")
_UPPER_SHARE_WRONG, _UPPER_SHARE_RIGHT = 0.6, 0.3  # of Cyrillic letters; prose has about one in ten upper case


def _cyrillic_reading(data: bytes, declared: str) -> str:
    """The declared Cyrillic encoding, unless its reading is mostly capitals and another's is prose
    with as many letters (not box-drawing symbols)."""
    def letters(codec: str) -> list[str]:
        return [c for c in data.decode(codec, "replace") if "\u0400" <= c <= "\u04ff" and c.isalpha()]

    def upper_share(found: list[str]) -> float:
        return sum(c.isupper() for c in found) / len(found)

    own = letters(declared)
    if len(own) < 100 or upper_share(own) <= _UPPER_SHARE_WRONG:
        return declared
    readings = [(len(found), codec) for codec in _CYRILLIC if codec != declared  # the most letters: mac-cyrillic
                and len(found := letters(codec)) >= 0.9 * len(own) and upper_share(found) < _UPPER_SHARE_RIGHT]  # reads
    return max(readings, default=(0, declared))[1]  # windows-1251's capitals as symbols ("ƒокеры")


def _reads_as_cjk(data: bytes, declared: str) -> bool:
    """The declared single-byte reading glues symbols to letters in one high byte of twenty or
    more, and detection reads the bytes cleanly as a CJK encoding."""
    high = sum(1 for byte in data if byte > 0x7f)
    if high < 40 or _stray_symbols(data, declared) * 20 < high:
        return False
    detected = _detected(data)
    return (detected.source == "detected" and detected.encoding in _CJK
            and _stray_symbols(data, detected.encoding) == 0)


def _stray_symbols(data: bytes, codec: str) -> int:
    """Symbols glued to a letter ("gę¶l±" for "gęślą" read as windows-1250): a wrong reading's mark."""
    text = data.decode(_python(codec), "replace")
    return sum(1 for i in range(1, len(text) - 1) if ord(text[i]) > 0x7f and text[i - 1].isalpha()
               and not text[i].isalnum() and unicodedata.category(text[i]).startswith(("S", "C")))


def _codec_of(name: str | None) -> str | None:
    """charset-normalizer's codec names (`iso8859_2`, `shift_jis`, `cp1251`) → our codecs."""
    if not name:
        return None
    label = re.sub(r"^iso8859", "iso-8859", name.lower().replace("_", "-"))
    label = _DETECTOR_ALIASES.get(label, label)
    codec = encoding_of_label(label) or (label if label in _LABELS else None)
    return None if codec in ("x-user-defined", "utf-16-le", "utf-16-be") else codec


def _python(codec: str) -> str:
    """Python's codec for ours: ISO-8859-8-I is ISO-8859-8's bytes read in logical order."""
    return "iso-8859-8" if codec == "iso-8859-8-i" else codec


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 sequences outnumber the invalid bytes ten to one."""
    valid, invalid = _utf8_counts(data)
    return valid >= 10 * max(invalid, 1)


def _utf8_counts(data: bytes) -> tuple[int, int]:
    """(valid multi-byte UTF-8 sequences, invalid bytes) of the page."""
    return len(_UTF8_SEQUENCE.findall(data)), data.decode("utf-8", "replace").count("\ufffd") - data.count("\ufffd".encode())


def _utf8_with_strays(data: bytes) -> str:
    """UTF-8 whose few bytes that are not UTF-8 are read as windows-1252 ("Est\\xe9e" → "Estée"): a character
    pasted from a Latin-1 text, which a browser shows as U+FFFD."""
    return _STRAY.sub(lambda m: bytes([ord(m.group(0)) - 0xDC00]).decode("cp1252", "replace"),
                      data.decode("utf-8", "surrogateescape"))


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(_python(encoding))
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_utf16(data: bytes) -> bool:
    """A declared UTF-16 is believed only for bytes with the NULs of UTF-16 markup."""
    head = data[:200]
    return head.count(b"\x00") * 3 > len(head)
