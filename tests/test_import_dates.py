"""Dates of imported pages (found importing public benchmark pages: a Polish trade site's JSON-LD
gives `"datePublished": "1970-01-01T01:00:00+01:00"`, timestamp 0 written in its own time zone)."""
from __future__ import annotations

from newsarchive.importers.dates import choose


def test_the_unix_epoch_in_any_time_zone_is_a_placeholder():
    for value in ("1970-01-01T01:00:00+01:00", "1969-12-31T19:00:00-05:00", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00"):
        choice = choose([("jsonld", value), ("htmldate", "2020-05-06")])
        assert (choice.date, choice.source) == ("2020-05-06", "htmldate"), value
        assert "Unix epoch" in choice.reasons(), value


def test_a_real_date_on_new_year_1970_is_kept():
    assert choose([("jsonld", "1970-01-01T14:30:00+01:00")]).date == "1970-01-01T14:30:00+01:00"
