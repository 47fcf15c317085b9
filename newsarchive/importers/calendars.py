"""Dates as other scripts and calendars write them, brought to what dates.py reads: native digits
("١٥ مايو ٢٠٢١", "۲۵ اردیبهشت ۱۴۰۰", "๑๕") to ASCII, a Solar Hijri date (Persian month names,
years 13xx-14xx) to its Gregorian day (convertdate), a Thai Buddhist-era year (2564) to the
Common Era (2021). Anything else is returned as it is.
"""
from __future__ import annotations

import re
import unicodedata

# Solar Hijri months as Iranian and Afghan sites write them (Afghanistan's Dari names too)
_PERSIAN_MONTHS = {name: number for number, names in enumerate((
    ("فروردین", "حمل"), ("اردیبهشت", "ثور"), ("خرداد", "جوزا"), ("تیر", "سرطان"), ("مرداد", "امرداد", "اسد"),
    ("شهریور", "سنبله"), ("مهر", "میزان"), ("آبان", "عقرب"), ("آذر", "قوس"), ("دی", "جدی"), ("بهمن", "دلو"),
    ("اسفند", "حوت")), 1) for name in names}
_SOLAR_HIJRI = re.compile(r"(?<!\d)(\d{1,2})\s+(" + "|".join(sorted(_PERSIAN_MONTHS, key=len, reverse=True))
                          + r")(?!\w)\s+(1[34]\d\d)(?!\d)")
_THAI = re.compile(r"[\u0e01-\u0e4c]")
_BUDDHIST_YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")


def ascii_digits(text: str) -> str:
    """Every decimal digit of any script ('٢٠٢١', '۱۴۰۰', '२०२१') as its ASCII digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
                   else ch for ch in text)


def in_common_era(text: str) -> str:
    """The text with its digits in ASCII, a Solar Hijri date as an ISO day, a Thai Buddhist-era year
    as the Common Era's."""
    text = ascii_digits(text)
    match = _SOLAR_HIJRI.search(text)
    if match:
        from convertdate import persian

        day, month, year = int(match.group(1)), _PERSIAN_MONTHS[match.group(2)], int(match.group(3))
        if 1 <= day <= (31 if month <= 6 else 30):
            y, m, d = persian.to_gregorian(year, month, day)
            return text[:match.start()] + f"{y:04d}-{m:02d}-{d:02d}" + text[match.end():]
    if _THAI.search(text):
        return _BUDDHIST_YEAR.sub(lambda m: str(int(m.group(1)) - 543), text)
    return text
