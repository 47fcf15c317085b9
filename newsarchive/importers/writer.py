"""Imported articles → files under articles/: the only module of the importers that writes.

`read_archive` reads what the archive already holds (titles, slugs, paths, import digests);
`plan_placements` (pure) gives each new article a path and slug from a small `Entry`;
`plan_file` (pure) renders one article with its "read also" links resolved; staging.py
writes them all or none, never replacing a file.
"""
from __future__ import annotations

import json
import os
import unicodedata

import yaml
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from .. import yamltext
from ..content import decode_source, split_front_matter, ArticleProblems, ARTICLE_SUFFIXES
from ..walk import walk_files
from ..segments import nfc
from ..segments import portable
from ..slugs import article_slug, word_slug_with_marks
from .images_policy import RASTER_TYPES
from .captures import url_key, version_lines
from .update import imported_urls
from .model import ImportedArticle, Skipped, title_key
from .translation_keys import group_keys

FILE_SLUG_BYTES = 200  # the file is <slug>[-N].md and its image <slug>.<ext>: each name stays under 255 bytes

IMAGE_TYPES = RASTER_TYPES  # lead images kept: the types their bytes show (images_policy)


@dataclass
class ArchiveIndex:
    """What the archive holds, as far as importing needs to know."""
    slugs: dict[str, list[str]] = field(default_factory=dict)  # slug → source paths
    titles: dict[str, str] = field(default_factory=dict)  # title_key → source path (first found)
    paths: set[str] = field(default_factory=set)  # every file under articles/, lower case
    identities: dict[str, str] = field(default_factory=dict)  # import_sha256 → source path
    urls: dict[str, str] = field(default_factory=dict)  # crawled URL → source path of the imported article (update.py)
    slug_of: dict[str, str] = field(default_factory=dict)  # source path → slug
    waiting: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # title_key → (source path, title) of
    # imported articles whose "read also" entry {title: …} found no article when they were imported
    by_source_url: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # → (source path, translation_key)
    key_languages: dict[str, set[str]] = field(default_factory=dict)  # translation_key → its articles' languages


@dataclass(frozen=True, slots=True)
class Entry:
    """What planning needs of an imported article; the article itself waits in the spool (`ref`)."""
    origin: str
    identity: str
    title: str
    date: str
    captured: str
    ref: int
    url: str = ""  # the crawled URL (one article per URL)
    source_url: str = ""
    translations: tuple[str, ...] = ()  # the addresses of its other languages (translation_keys.py)
    lang: str = ""
    versions: int = 0  # earlier texts it carries (captures.py)


@dataclass(frozen=True, slots=True)
class Placement:
    entry: Entry
    slug: str
    source_path: str  # relative to articles/


@dataclass(frozen=True)
class PlannedFile:
    source_path: str  # relative to articles/
    text: str
    article: ImportedArticle
    image_path: str | None = None  # relative to articles/, the lead image's bytes go there
    image_url: str | None = None


@dataclass(frozen=True)
class Plan:
    placements: tuple[Placement, ...]
    unchanged: tuple[tuple[str, str], ...]  # (origin, existing source path): imported before
    duplicates: tuple[Skipped, ...]  # the same input twice in one run
    run_titles: dict[str, str]  # title_key → slug of the articles of this run
    translation_keys: dict[str, str] = field(default_factory=dict)  # identity → the translation_key it gets
    keys_back: tuple[tuple[str, str], ...] = ()  # (archive source path, translation_key to add)


def entry_of(article: ImportedArticle, ref: int) -> Entry:
    return Entry(article.origin, article.identity, article.title, article.date, article.captured, ref, article.captured_url,
                 article.source_url or "", article.translations, article.lang, len(article.versions))


def read_archive(articles_dir: Path, slug_style: str, language: str = "") -> ArchiveIndex:
    """`language`: the site's, which an article without `lang` is in."""
    index = ArchiveIndex()
    for item in walk_files(articles_dir):
        index.paths.add(item.source_path.lower())
        if not item.source_path.lower().endswith(ARTICLE_SUFFIXES):
            continue
        try:
            with open(item.abs_path, "rb") as handle:
                front, _, _ = split_front_matter(decode_source(handle.read(), item.source_path), item.source_path)
            root = yamltext.compose(front, first_line=2)
            items = yamltext.mapping_items(root) if root is not None and yamltext.is_mapping(root) else []
            values = {k: yamltext.scalar_text(v) for k, _, v in items}
        except (ArticleProblems, yamltext.YamlSyntaxError, OSError):
            continue  # the build reports it; importing only needs the good ones
        title = (values.get("title") or "").strip()
        stem = posixpath.splitext(posixpath.basename(item.source_path))[0]
        slug = nfc((values.get("slug") or "").strip()) or article_slug(title, stem, slug_style)
        index.slugs.setdefault(slug, []).append(item.source_path)
        index.slug_of[item.source_path] = slug
        if title:
            index.titles.setdefault(title_key(title), item.source_path)
        key, lang = (values.get("translation_key") or "").strip(), (values.get("lang") or "").strip() or language
        if key and lang:
            index.key_languages.setdefault(key, set()).add(lang)
        if (values.get("source_url") or "").strip():
            index.by_source_url.setdefault(values["source_url"].strip(), (item.source_path, (values.get("translation_key") or "").strip() or None,
                                                                          (values.get("lang") or "").strip() or None))
        if values.get("import_sha256"):
            index.identities[values["import_sha256"]] = item.source_path
            for url in imported_urls(items, values):
                index.urls.setdefault(url_key(url), item.source_path)
            related = next((node for key, _, node in items if key == "related"), None)
            for entry in related.value if isinstance(related, yaml.SequenceNode) else ():
                if isinstance(entry, yaml.MappingNode) and len(entry.value) == 1 and yamltext.scalar_text(entry.value[0][0]) == "title":
                    waiting_title = yamltext.scalar_text(entry.value[0][1])
                    if waiting_title:
                        index.waiting.setdefault(title_key(waiting_title), []).append((item.source_path, waiting_title))
    return index


def links_back(plan: Plan, index: ArchiveIndex) -> list[tuple[str, str, str]]:
    """(source path, title, slug): earlier imported articles whose "read also" {title} is an article of this run."""
    return sorted((path, title, slug) for key, slug in plan.run_titles.items() for path, title in index.waiting.get(key, ()))


def write_link_back(articles_dir: Path, source_path: str, title: str, slug: str) -> bool:
    """Turn `- {title: "…"}` into `- "slug"` in a file the importer wrote, if that line is still as it
    was written (a file edited since is left alone). True when the file changed."""
    target = articles_dir / source_path
    text = target.read_text(encoding="utf-8")
    old = f"  - {{title: {yaml_text(title)}}}\n"
    end = text.find("\n---\n", 4)
    at = text.find(old, 0, end)
    if at < 0:
        return False
    temporary = target.with_name(f".{target.name}.import-{os.getpid()}")
    temporary.write_bytes((text[:at] + f"  - {yaml_text(slug)}\n" + text[at + len(old):]).encode("utf-8"))
    os.replace(temporary, target)
    return True


def plan_placements(entries: list[Entry], index: ArchiveIndex, slug_style: str) -> Plan:
    """A path for each new article that collides with nothing: a slug unique in the archive, and
    no file (compared without case) at YYYY/MM/<slug>.*, where the article and its lead image go."""
    unchanged, duplicates, fresh = [], [], []
    seen: set[str] = set()
    for entry in sorted(entries, key=lambda e: (e.date, e.origin)):
        if entry.identity in index.identities:
            unchanged.append((entry.origin, index.identities[entry.identity]))
        elif entry.identity in seen:
            duplicates.append(Skipped(entry.origin, "duplicate input"))
        else:
            seen.add(entry.identity)
            fresh.append(entry)

    taken_slugs = set(index.slugs)
    taken_stems = {posixpath.splitext(path)[0] for path in index.paths}  # <slug>.md and its image <slug>.png: neither may exist
    placements: list[Placement] = []
    run_titles: dict[str, str] = {}
    for entry in fresh:
        base = imported_slug(entry.title, slug_style)
        folder = f"{entry.date[:4]}/{entry.date[5:7]}"
        slug, number = base, 1
        while slug in taken_slugs or f"{folder}/{slug}".lower() in taken_stems:
            number += 1
            slug = f"{base}-{number}"
        taken_slugs.add(slug)
        placements.append(Placement(entry, slug, f"{folder}/{slug}.md"))
        run_titles.setdefault(title_key(entry.title), slug)
    keys, keys_back = group_keys([(None if entry.identity in index.identities else entry.identity,
                                   tuple(dict.fromkeys(u for u in (entry.source_url, entry.url) if u)), entry.translations, entry.lang)
                                  for entry in entries], index.by_source_url, index.key_languages)
    return Plan(tuple(placements), tuple(unchanged), tuple(duplicates), run_titles, keys, keys_back)


def imported_slug(title: str, slug_style: str) -> str:
    """The new article's slug from its title, with the marks of a script that writes vowels as signs
    kept (Thai, Devanagari); an imported article carries its slug, so this changes no other URL."""
    marked = word_slug_with_marks(title, slug_style) if any(
        unicodedata.category(c) in ("Mn", "Mc") and not "\u0300" <= c <= "\u036f" for c in title) else ""
    return portable(marked, text=title, limit=FILE_SLUG_BYTES) if marked else article_slug(title, "", slug_style, limit=FILE_SLUG_BYTES)


def plan_file(article: ImportedArticle, placement: Placement, plan: Plan, index: ArchiveIndex,
              image_types: dict[str, str]) -> PlannedFile:
    """The file's text, its "read also" titles resolved among this run and the archive (a slug, or
    the file path when the slug is not unique), and where its lead image goes when the crawl
    holds it (`image_types`: URL → content type of the images the crawl holds)."""
    def reference(title: str) -> str | None:
        key = title_key(title)
        if key in plan.run_titles:
            return plan.run_titles[key]
        path = index.titles.get(key)
        if path is None:
            return None
        slug = index.slug_of.get(path)
        return slug if slug and len(index.slugs[slug]) == 1 else path

    slug, source_path = placement.slug, placement.source_path
    related = []
    for entry in article.read_also:
        target = reference(entry.title)
        if target == slug or title_key(entry.title) == title_key(article.title):
            continue  # a "Read more:" naming the article itself (a scrape's teaser of its own page): no related article
        related.append(target if target else {"title": entry.title, **({"url": entry.url} if entry.url else {})})
    image_path = None
    if article.lead_image and image_types.get(article.lead_image.url) in IMAGE_TYPES:
        image_path = f"{posixpath.dirname(source_path)}/{slug}{IMAGE_TYPES[image_types[article.lead_image.url]]}"
    text = render_file(article, slug, related, posixpath.basename(image_path) if image_path else None,
                       plan.translation_keys.get(article.identity))
    return PlannedFile(source_path, text, article, image_path, article.lead_image.url if image_path else None)


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `value`."""
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(c if not ("\x7f" <= c <= "\x9f" or c in "\u2028\u2029\ufeff") else f"\\u{ord(c):04x}" for c in quoted)


def render_file(article: ImportedArticle, slug: str, related: list, image_name: str | None, translation_key: str | None = None) -> str:
    """Front matter (every key the article has, in a fixed order) and the Markdown body, LF line ends."""
    lines = ["---", f"title: {yaml_text(article.title)}", f"date: {article.date}"]
    if article.date_source:
        lines.append(f"date_source: {yaml_text(article.date_source)}")
    lines += [f"slug: {yaml_text(slug)}", f"lang: {article.lang}"]
    if translation_key:
        lines.append(f"translation_key: {yaml_text(translation_key)}")
    for key in ("section", "source", "source_url"):
        if getattr(article, key):
            lines.append(f"{key}: {yaml_text(getattr(article, key))}")
    if article.authors:
        lines.append("author: " + (yaml_text(article.authors[0]) if len(article.authors) == 1 else "[" + ", ".join(map(yaml_text, article.authors)) + "]"))
    if article.tags:
        lines.append("tags: [" + ", ".join(map(yaml_text, article.tags)) + "]")
    lead = article.lead_image
    if image_name:
        lines.append(f"image: {yaml_text(image_name)}")
        if lead.caption:
            lines.append(f"image_caption: {yaml_text(lead.caption.text)}")
            if lead.caption.credit:
                lines.append(f"image_credit: {yaml_text(lead.caption.credit)}")
        if lead.alt:
            lines.append(f"image_alt: {yaml_text(lead.alt)}")
    captions = list(article.captions)
    if lead and lead.caption and not image_name:
        captions.insert(0, lead.caption)
    if captions:
        lines.append("captions:")
        for caption in captions:
            lines.append(f"  - text: {yaml_text(caption.text)}")
            if caption.credit:
                lines.append(f"    credit: {yaml_text(caption.credit)}")
    if related:
        lines.append("related:")
        for entry in related:
            if isinstance(entry, str):
                lines.append(f"  - {yaml_text(entry)}")
            else:
                lines.append("  - {" + ", ".join(f"{k}: {yaml_text(v)}" for k, v in entry.items()) + "}")
    if article.aliases:
        lines.append("aliases: [" + ", ".join(map(yaml_text, article.aliases)) + "]")
    if article.draft:
        lines.append("draft: true")
    if article.provenance:  # where it came from (importers/provenance.py); never the input's absolute path
        lines.append("provenance:")
        lines += [f"  {key}: {yaml_text(value)}" for key, value in article.provenance]
    lines.append(f"import_sha256: {article.identity}")
    lines += version_lines(article, lines)
    lines += ["---", article.body.rstrip("\n"), ""]
    return "\n".join(lines)
