"""Google News sitemap: the archive's newest articles, with publication name and language.

Google reads only articles from the last two days, at most 1,000 per file. An archive is
not a live site, so "the last two days" counts back from the archive's newest article,
not from the build's clock: the same input always gives the same file.
"""
from __future__ import annotations

from datetime import timedelta

from .content import Article

URL = "/news-sitemap.xml"
WINDOW = timedelta(hours=48)
LIMIT = 1000
CHINESE = {"zh-cn": "zh-cn", "zh-hans": "zh-cn", "zh-sg": "zh-cn", "zh-tw": "zh-tw", "zh-hant": "zh-tw", "zh-hk": "zh-tw"}


def recent_articles(articles: tuple[Article, ...]) -> tuple[str, ...]:
    """Source paths of the articles (newest first) dated within WINDOW of the newest one."""
    if not articles:
        return ()
    newest = articles[0].date
    return tuple(a.source_path for a in articles[:LIMIT] if newest - a.date <= WINDOW)


def news_language(lang: str) -> str:
    """Google's code: ISO 639 (en, fr, ar), except zh-cn and zh-tw for Chinese."""
    code = lang.lower().replace("_", "-")
    if code.startswith("zh"):
        return CHINESE.get(code, "zh-cn")
    return code.split("-")[0]
