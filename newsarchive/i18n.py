"""The default theme's words in English, French and Arabic, and locale-aware dates via Babel.

Config `translations:` overrides or adds words per language; a language with no
entry falls back to English.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time

STRINGS: dict[str, dict[str, object]] = {
    "en": {
        "more_on_this": "More on this story", "previous_article": "Previous article", "next_article": "Next article", "story_nav": "Articles by date",
        "home": "Home", "archive": "Archive", "tags": "Tags", "sections": "Sections", "sources": "Sources",
        "authors": "Authors", "search": "Search", "read_also": "Read also", "other_languages": "In other languages", "source": "Source",
        "original_article": "Original article", "published": "Published", "updated": "Updated",
        "by": "By", "tag": "Tag", "section": "Section", "author": "Author", "newer": "Newer", "older": "Older",
        "page_of": "Page {n} of {total}", "pagination": "Pagination", "skip": "Skip to content",
        "latest": "Latest articles", "feed": "Atom feed", "not_found": "Page not found",
        "not_found_text": "This page does not exist or has moved. Try the archive or the home page.",
        "all_terms": "All {kind}", "in_this_month": "Articles of {month}", "months": "Months",
        "minutes": {"one": "{n} minute read", "other": "{n} minutes read"},
        "articles": {"one": "{n} article", "other": "{n} articles"},
        "no_articles": "No articles yet.", "photo": "Photo", "main_nav": "Main",
        "site_language": "Site language",
        "moved": "Moved", "moved_to": "This page has moved to", "removed": "Article removed",
        "removed_text": "This article is no longer in the archive.",
        "withdrawn": "Article withdrawn", "withdrawn_text": "This article has been withdrawn from the archive.", "reason": "Reason",
        "provenance": "Source of this copy", "captured_from": "Captured from", "captured": "Captured", "captured_on": "on", "provenance_file": "File", "provenance_record": "WARC record", "provenance_digest": "Digest", "provenance_extractor": "Extracted with", "pictures_not_kept": "Pictures not kept in this archive",
        # search (newsarchive/search.py, templates/search.html, static/js/search.js)
        "search_label": "Search the archive", "search_button": "Search", "search_words": "Words to search for",
        "search_noscript": "Search runs in your browser and needs JavaScript. You can also browse the archive by date, section or tag.",
        "search_results": {"one": "{n} article found", "other": "{n} articles found"},
        "search_none": "No article matches your search.", "search_loading": "Searching…",
        "search_error": "Search is not available right now.", "search_newest": "Newest first",
        "search_filters": "Narrow the results", "search_clear": "Clear all filters", "search_more": "More results",
        "search_year": "Year", "search_language": "Language",
        # corrections (corrections.py, templates/corrections.html)
        "corrections": "Corrections", "correction_type_correction": "Correction", "correction_type_clarification": "Clarification",
        "correction_type_retraction": "Retraction", "correction_type_update": "Update",
        "retracted": "This article has been retracted", "mark_corrected": "Corrected", "mark_retracted": "Retracted",
        "corrections_intro": "Corrections, clarifications, retractions and updates made to the articles of this archive, newest first.",
        "corrections_count": {"one": "{n} correction", "other": "{n} corrections"}, "corrections_feed": "Corrections feed",
    },
    "fr": {
        "more_on_this": "Sur le même sujet", "previous_article": "Article précédent", "next_article": "Article suivant", "story_nav": "Articles par date",
        "home": "Accueil", "archive": "Archives", "tags": "Mots-clés", "sections": "Rubriques", "sources": "Sources",
        "authors": "Auteurs", "search": "Recherche", "read_also": "Lire aussi", "other_languages": "Dans d’autres langues", "source": "Source",
        "original_article": "Article original", "published": "Publié le", "updated": "Mis à jour le",
        "by": "Par", "tag": "Mot-clé", "section": "Rubrique", "author": "Auteur", "newer": "Plus récents", "older": "Plus anciens",
        "page_of": "Page {n} sur {total}", "pagination": "Pagination", "skip": "Aller au contenu",
        "latest": "Derniers articles", "feed": "Flux Atom", "not_found": "Page introuvable",
        "not_found_text": "Cette page n’existe pas ou a été déplacée. Essayez les archives ou l’accueil.",
        "all_terms": "Tous les {kind}", "in_this_month": "Articles de {month}", "months": "Mois",
        "minutes": {"one": "{n} minute de lecture", "other": "{n} minutes de lecture"},
        "articles": {"one": "{n} article", "other": "{n} articles"},
        "no_articles": "Aucun article pour l’instant.", "photo": "Photo", "main_nav": "Principal",
        "site_language": "Langue du site",
        "moved": "Page déplacée", "moved_to": "Cette page a été déplacée :", "removed": "Article retiré",
        "removed_text": "Cet article ne fait plus partie des archives.",
        "withdrawn": "Article retiré", "withdrawn_text": "Cet article a été retiré des archives.", "reason": "Motif",
        "provenance": "Origine de cette copie", "captured_from": "Capturé depuis", "captured": "Capturé", "captured_on": "le", "provenance_file": "Fichier", "provenance_record": "Enregistrement WARC", "provenance_digest": "Empreinte", "provenance_extractor": "Extrait avec", "pictures_not_kept": "Photos non conservées dans cette archive",
        "search_label": "Rechercher dans les archives", "search_button": "Rechercher", "search_words": "Mots à rechercher",
        "search_noscript": "La recherche fonctionne dans votre navigateur et demande JavaScript. Vous pouvez aussi parcourir les archives par date, rubrique ou mot-clé.",
        "search_results": {"one": "{n} article trouvé", "other": "{n} articles trouvés"},
        "search_none": "Aucun article ne correspond à votre recherche.", "search_loading": "Recherche en cours…",
        "search_error": "La recherche n’est pas disponible pour le moment.", "search_newest": "Plus récents d’abord",
        "search_filters": "Affiner les résultats", "search_clear": "Effacer les filtres", "search_more": "Plus de résultats",
        "search_year": "Année", "search_language": "Langue",
        "corrections": "Corrections", "correction_type_correction": "Correction", "correction_type_clarification": "Précision",
        "correction_type_retraction": "Rétractation", "correction_type_update": "Mise à jour",
        "retracted": "Cet article a fait l’objet d’une rétractation", "mark_corrected": "Corrigé", "mark_retracted": "Rétracté",
        "corrections_intro": "Corrections, précisions, rétractations et mises à jour apportées aux articles de ces archives, des plus récentes aux plus anciennes.",
        "corrections_count": {"one": "{n} correction", "other": "{n} corrections"}, "corrections_feed": "Flux des corrections",
    },
    "ar": {
        "more_on_this": "مقالات ذات صلة", "previous_article": "المقال السابق", "next_article": "المقال التالي", "story_nav": "المقالات حسب التاريخ",
        "home": "الرئيسية", "archive": "الأرشيف", "tags": "الوسوم", "sections": "الأقسام", "sources": "المصادر",
        "authors": "الكتّاب", "search": "بحث", "read_also": "اقرأ أيضًا", "other_languages": "بلغات أخرى", "source": "المصدر",
        "original_article": "المقال الأصلي", "published": "نُشر في", "updated": "حُدّث في",
        "by": "بقلم", "tag": "وسم", "section": "قسم", "author": "كاتب", "newer": "الأحدث", "older": "الأقدم",
        "page_of": "الصفحة {n} من {total}", "pagination": "التنقل بين الصفحات", "skip": "انتقل إلى المحتوى",
        "latest": "أحدث المقالات", "feed": "موجز Atom", "not_found": "الصفحة غير موجودة",
        "not_found_text": "هذه الصفحة غير موجودة أو نُقلت. جرّب الأرشيف أو الصفحة الرئيسية.",
        "all_terms": "كل {kind}", "in_this_month": "مقالات {month}", "months": "الأشهر",
        "minutes": {"zero": "{n} دقيقة قراءة", "one": "دقيقة قراءة واحدة", "two": "دقيقتا قراءة", "few": "{n} دقائق قراءة", "many": "{n} دقيقة قراءة", "other": "{n} دقيقة قراءة"},
        "articles": {"zero": "لا مقالات", "one": "مقال واحد", "two": "مقالان", "few": "{n} مقالات", "many": "{n} مقالًا", "other": "{n} مقال"},
        "no_articles": "لا توجد مقالات بعد.", "photo": "صورة", "main_nav": "القائمة الرئيسية",
        "site_language": "لغة الموقع",
        "moved": "نُقلت الصفحة", "moved_to": "نُقلت هذه الصفحة إلى", "removed": "مقال محذوف",
        "removed_text": "لم يعد هذا المقال جزءًا من الأرشيف.",
        "withdrawn": "مقال مسحوب", "withdrawn_text": "سُحب هذا المقال من الأرشيف.", "reason": "السبب",
        "provenance": "مصدر هذه النسخة", "captured_from": "التُقطت من", "captured": "التُقطت", "captured_on": "في", "provenance_file": "الملف", "provenance_record": "سجل WARC", "provenance_digest": "البصمة", "provenance_extractor": "استُخرجت بواسطة", "pictures_not_kept": "صور لم يحفظها هذا الأرشيف",
        "search_label": "ابحث في الأرشيف", "search_button": "بحث", "search_words": "كلمات البحث",
        "search_noscript": "يعمل البحث في متصفحك ويحتاج إلى JavaScript. يمكنك أيضًا تصفح الأرشيف حسب التاريخ أو القسم أو الوسم.",
        "search_results": {"zero": "لم يُعثر على أي مقال", "one": "عُثر على مقال واحد", "two": "عُثر على مقالين", "few": "عُثر على {n} مقالات", "many": "عُثر على {n} مقالًا", "other": "عُثر على {n} مقال"},
        "search_none": "لا توجد مقالات تطابق بحثك.", "search_loading": "جارٍ البحث…",
        "search_error": "البحث غير متاح حاليًا.", "search_newest": "الأحدث أولًا",
        "search_filters": "تضييق النتائج", "search_clear": "مسح كل عوامل التصفية", "search_more": "المزيد من النتائج",
        "search_year": "السنة", "search_language": "اللغة",
        "corrections": "التصحيحات", "correction_type_correction": "تصحيح", "correction_type_clarification": "توضيح",
        "correction_type_retraction": "سحب", "correction_type_update": "تحديث",
        "retracted": "سُحب هذا المقال", "mark_corrected": "مُصحَّح", "mark_retracted": "مسحوب",
        "corrections_intro": "التصحيحات والتوضيحات وعمليات السحب والتحديثات التي أُجريت على مقالات هذا الأرشيف، الأحدث أولًا.",
        "corrections_count": {"zero": "لا تصحيحات", "one": "تصحيح واحد", "two": "تصحيحان", "few": "{n} تصحيحات", "many": "{n} تصحيحًا", "other": "{n} تصحيح"},
        "corrections_feed": "موجز التصحيحات",
    },
}

VERSION_STRINGS = {  # versions.py: an article's earlier versions and what changed
    "en": {"versions": "Versions", "versions_intro": "This article changed after it was first captured. Earlier versions:",
           "version_label": "Earlier version", "version_notice": "This is an earlier version of the article, as captured on {when}. It is kept as it was.",
           "current_version": "Read the current version", "captured": "captured", "current": "current version",
           "changes_title": "What changed in the next version", "changes_compared": "Compared with the text captured on {when}:",
           "diff_legend": "Added words are underlined and marked “added”; removed words are struck through and marked “removed”.",
           "diff_added": "added:", "diff_removed": "removed:", "diff_counts": "{added} words added, {removed} removed",
           "timemap": "All captures (Memento TimeMap)", "no_changes": "No change in the text."},
    "fr": {"versions": "Versions", "versions_intro": "Cet article a changé après sa première capture. Versions antérieures :",
           "version_label": "Version antérieure", "version_notice": "Ceci est une version antérieure de l’article, telle que capturée le {when}. Elle est conservée telle quelle.",
           "current_version": "Lire la version actuelle", "captured": "capturée", "current": "version actuelle",
           "changes_title": "Ce qui a changé dans la version suivante", "changes_compared": "Comparée au texte capturé le {when} :",
           "diff_legend": "Les mots ajoutés sont soulignés et marqués « ajouté » ; les mots retirés sont barrés et marqués « retiré ».",
           "diff_added": "ajouté :", "diff_removed": "retiré :", "diff_counts": "{added} mots ajoutés, {removed} retirés",
           "timemap": "Toutes les captures (TimeMap Memento)", "no_changes": "Aucun changement dans le texte."},
    "ar": {"versions": "النسخ", "versions_intro": "تغيّر هذا المقال بعد التقاطه أول مرة. النسخ السابقة:",
           "version_label": "نسخة سابقة", "version_notice": "هذه نسخة سابقة من المقال كما التُقطت في {when}. وهي محفوظة كما كانت.",
           "current_version": "اقرأ النسخة الحالية", "captured": "التُقطت", "current": "النسخة الحالية",
           "changes_title": "ما الذي تغيّر في النسخة التالية", "changes_compared": "مقارنةً بالنص الملتقط في {when}:",
           "diff_legend": "الكلمات المضافة مسطّرة ومعلَّمة «أُضيف»، والكلمات المحذوفة مشطوبة ومعلَّمة «حُذف».",
           "diff_added": "أُضيف:", "diff_removed": "حُذف:", "diff_counts": "{added} كلمة أُضيفت، {removed} حُذفت",
           "timemap": "كل الالتقاطات (خريطة Memento الزمنية)", "no_changes": "لا تغيير في النص."},
}
for _lang, _words in VERSION_STRINGS.items():
    STRINGS[_lang].update(_words)


@lru_cache(maxsize=256)
def babel_locale(lang: str) -> Locale:
    """Babel locale for a language code, English when Babel does not know it."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def translate(key: str, lang: str, overrides: dict, count: int | None = None, **values) -> str:
    base = lang.lower().replace("_", "-").split("-")[0]
    for table in (overrides.get(lang), overrides.get(base), STRINGS.get(base), overrides.get("en"), STRINGS["en"]):
        if table and key in table:
            entry = table[key]
            break
    else:
        return key
    if isinstance(entry, dict):
        form = babel_locale(lang).plural_form(count or 0) if count is not None else "other"
        entry = entry.get(form, entry.get("other", ""))
    return str(entry).format(**{"n": count, **values})


def format_date(value: datetime, lang: str, date_format: str) -> str:
    # cached by the day as written: two aware datetimes of one instant are equal (and hash alike)
    # whatever their offsets, so a cache keyed by them would show one with the other's day
    return _format_day(value.date(), lang, date_format)


@lru_cache(maxsize=65536)
def _format_day(day, lang: str, date_format: str) -> str:
    return babel_format_date(day, format=date_format, locale=babel_locale(lang))


def format_time(value: datetime, lang: str) -> str:
    # the offset is part of the key for the same reason (aware times of one instant are equal)
    return _format_clock(value.timetz(), value.utcoffset(), lang)


@lru_cache(maxsize=65536)
def _format_clock(clock, offset, lang: str) -> str:
    return babel_format_time(clock, format="short", locale=babel_locale(lang))


@lru_cache(maxsize=4096)
def format_month(year: int, month: int, lang: str) -> str:
    return babel_format_date(datetime(year, month, 1).date(), format="LLLL y", locale=babel_locale(lang))
