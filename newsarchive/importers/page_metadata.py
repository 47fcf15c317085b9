"""What a saved page says of itself in standard metadata: Open Graph and article:* tags, JSON-LD
Article items, microdata dates, its language and canonical address. Kept apart from html.py,
which decides what to take from it and from the extracted text."""
from __future__ import annotations

import json
import re
from html import unescape

from .credentials import encoded_url

SECTION_MAX_WORDS = 8  # a longer "section" is a sentence: Corriere della Sera's article:section is the headline
_JSON_LD_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")  # what some CMSs wrap JSON-LD in
_LANG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


def page_metadata(tree) -> dict:
    """The page's own standard metadata: Open Graph, article:*, JSON-LD, lang and canonical."""
    meta: dict = {"tags": [], "dates": []}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if not value:
            continue
        if key == "og:title":
            meta.setdefault("title", value)
            meta.setdefault("og_title", value)
        elif key == "og:site_name":
            meta.setdefault("site_name", value)
        elif key in ("og:image", "og:image:url"):
            meta.setdefault("image", value)
        elif key == "og:url" and value.startswith(("http://", "https://")):
            meta.setdefault("og_url", value)
        elif key == "og:image:alt":
            meta.setdefault("image_alt", value)
        elif key == "article:published_time":
            meta["dates"].append(("meta", value))
        elif key == "og:type" and value.lower() == "article":
            meta["is_article"] = True
        elif key == "article:section" and len(value.split()) <= SECTION_MAX_WORDS:  # not the headline again (Corriere)
            meta.setdefault("section", value)
        elif key in ("news_keywords", "keywords"):
            meta.setdefault("meta_keywords", value)
        elif key == "article:tag":
            meta["tags"].append(value)
        elif key in ("author", "article:author") and not value.startswith("http"):
            meta.setdefault("authors", [value])
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(_JSON_LD_WRAPPER.sub("", script.text), strict=False)  # raw line breaks in strings
        except (ValueError, RecursionError):  # nested thousands deep: no metadata, not a refused page
            continue
        for item in _json_ld_items(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and (k.endswith("Article") or k in ("BlogPosting", "LiveBlogPosting", "Report")) for k in kinds):
                continue
            meta["is_article"] = True
            if isinstance(item.get("articleBody"), str) and item["articleBody"].strip():
                meta.setdefault("article_body", item["articleBody"])
            if isinstance(item.get("headline"), str):
                meta.setdefault("title", json_text(item["headline"]))
            published = item.get("datePublished")
            if isinstance(published, (str, int, float)) and not isinstance(published, bool):  # 1577836800: a Unix time
                meta["dates"].append(("jsonld", str(published).strip()))
            if isinstance(item.get("articleSection"), str) and len(item["articleSection"].split()) <= SECTION_MAX_WORDS:
                meta.setdefault("section", json_text(item["articleSection"]))
            names = [a.get("name") if isinstance(a, dict) else a for a in (item.get("author") if isinstance(item.get("author"), list) else [item.get("author")])]
            names = [json_text(n) for n in names if isinstance(n, str) and n.strip()]
            if names:
                meta.setdefault("authors", names)
            keywords = item.get("keywords")
            if isinstance(keywords, str) and not re.search(r"[,;|]", keywords) and "," in meta.get("meta_keywords", ""):
                keywords = meta["meta_keywords"]  # a list joined by spaces ("Boxen Russland Frank Warren …"): the meta tag's, with commas
            keywords = keywords.split(",") if isinstance(keywords, str) else keywords if isinstance(keywords, list) else []
            if not meta["tags"] and keywords:  # a number or an object as keywords is no list of them
                meta["tags"] = [json_text(k) for k in keywords if isinstance(k, str) and k.strip()]
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                meta.setdefault("site_name", json_text(publisher["name"]))
            image = item.get("image")
            image = image[0] if isinstance(image, list) and image else image
            image = image.get("url") if isinstance(image, dict) else image
            if isinstance(image, str):
                meta.setdefault("image", image)
    # microdata (<time itemprop=datePublished datetime=…>), when its dates agree: a list's cards each have one
    microdata = [v.strip() for e in tree.xpath('//*[@itemprop="datePublished"]') if (v := e.get("content") or e.get("datetime") or "").strip()]
    if microdata and len({v[:10] for v in microdata}) == 1:
        meta["dates"].append(("microdata", microdata[0]))
    lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip().replace("_", "-")  # en_US (WordPress) is no BCP 47 tag
    if _LANG.fullmatch(lang):
        meta["lang"] = lang
    elif declared := _declared_lang(tree):
        meta["lang"] = declared
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            meta["canonical"] = encoded_url(link.get("href").strip())
    if "canonical" not in meta and "og_url" in meta:
        meta["canonical"] = encoded_url(meta["og_url"])
    return meta


def json_text(value: str) -> str:
    """A JSON-LD string as text: CMSs write it HTML-escaped ("Politics &amp; Government"), which a
    keyword split at ";" made "Politics &amp"."""
    return " ".join(unescape(value).split())


def _declared_lang(tree) -> str | None:
    """A page without `<html lang>` often names its language elsewhere: `<meta http-equiv=content-language>`,
    `<meta name=language>` or `dc.language`, `og:locale` (en_US), JSON-LD `inLanguage`; the first one
    (of "DE, AT, CH", the first) that is a language code. Else the config's language is used."""
    found = [e.get("content") for e in tree.iter("meta")
             if (e.get("http-equiv") or e.get("name") or e.get("property") or e.get("itemprop") or "").strip().lower()
             in ("content-language", "language", "dc.language", "og:locale", "inlanguage")]
    found += re.findall(r'"inLanguage"\s*:\s*"([^"]{2,20})"', " ".join(s.text or "" for s in tree.iter("script")
                                                                   if (s.get("type") or "").lower() == "application/ld+json"))
    for value in found:
        code = re.split(r"[,;\s]+", (value or "").strip())[0].replace("_", "-")
        if _LANG.fullmatch(code):
            language, _, region = code.partition("-")
            return language.lower() + (f"-{region}" if region else "")
    return None


def _json_ld_items(data, depth: int = 0) -> list[dict]:
    """Every item of a JSON-LD block: in arrays (of arrays), in `@graph`, and a page's `mainEntity`
    (a WebPage whose main entity is the article), each before what it holds."""
    if depth > 4:
        return []
    if isinstance(data, list):
        return [found for item in data for found in _json_ld_items(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data]
    for key in ("@graph", "mainEntity", "mainEntityOfPage"):
        if isinstance(data.get(key), (list, dict)):
            found += _json_ld_items(data[key], depth + 1)
    return found
