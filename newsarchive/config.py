"""config.yaml → a validated, frozen `Config`.

Every key is declared once in OPTIONS (type, default, one-line doc); unknown keys and
wrong types are reported together, each with its line and the closest valid key.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .config_cache import cached_config
from .errors import ConfigError, Problem
from .slugs import STYLES

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

# What validation uses (YAML, URL and text checks) is imported where used: see config_cache.py.


def _default_theme_folder(name: str) -> Path:
    """An installed package carries the theme inside it (setup.py copies it there); a clone
    has it at the top level, its one source."""
    package_dir = Path(__file__).resolve().parent
    packaged = package_dir / "default_theme" / name
    return packaged if packaged.is_dir() else package_dir.parent / name


DEFAULT_TEMPLATES = _default_theme_folder("templates")
DEFAULT_STATIC = _default_theme_folder("static")

TAXONOMIES = ("tags", "sections", "sources", "authors")
PERMALINK_TOKENS = ("year", "month", "day", "slug", "section", "lang")
FEEDS = ("site", "tags", "sections")
DATE_FORMATS = ("short", "medium", "long", "full")
FEED_CONTENTS = ("full", "summary")


@dataclass(frozen=True)
class Option:
    name: str
    kind: type | tuple[type, ...]
    default: Any
    doc: str
    check: Callable[[Any], str | None] | None = None


_HOST = r"(?:[^\W_](?:[\w-]*[^\W_])?\.)*[^\W_](?:[\w-]*[^\W_])?|\[[0-9A-Fa-f:.]+\]"  # names (any script) or [IPv6]
_URL_PATH_CHARS = re.compile(r"[\x00-\x20\x7f\\?#\"<>`{}|^]|[^\w\x21-\x7e]")  # no spaces, controls, backslashes, characters no URL holds (RFC 3986), invisible or bidi characters; a query or fragment would end up inside every URL
_DOT_SEGMENT = re.compile(r"(?:\.|%2e){1,2}", re.I)  # browsers read %2e as '.'


def _check_base_url(value: str) -> str | None:
    from .urlpolicy import url_problem
    match = re.fullmatch(rf"https?://(?:{_HOST})(?::(\d{{1,5}}))?(/.*)?", value)
    path = match.group(2) or "/" if match else ""
    if not match or url_problem(value, web_only=True) or int(match.group(1) or 1) > 65535 or _URL_PATH_CHARS.search(path) or "//" in path or any(_DOT_SEGMENT.fullmatch(part) for part in path.split("/")):
        return ("must be an absolute http(s) URL such as https://example.org/ or https://example.org/archive/ "
                "(a host name, then a path without '..', '//', spaces, backslashes, '?' or '#')")
    return None


_SHOWN_TEXT = frozenset({"title", "description", "author", "date_format", "translations", "withdrawn_notice"})  # shown on every page and feed


def _shown_text(value):
    """(value with each text's bidi controls balanced, the characters XML forbids found in it): a
    site title's unclosed U+202E would reverse what follows it in every <title> and byline."""
    if isinstance(value, str):
        from .usertext import clean_text
        return clean_text(value)
    if isinstance(value, dict):
        pairs = {name: _shown_text(item) for name, item in value.items()}
        return {name: text for name, (text, _) in pairs.items()}, "".join(removed for _, removed in pairs.values())
    return value, ""


def _check_extra_urls(value: dict) -> str | None:
    """Values under keys named like a URL (logo_url, website…) follow urlpolicy, as in front matter."""
    from .urlpolicy import extra_urls
    for key, why in extra_urls(value):
        return f"'{key}' {why}"
    return None


def _check_language(value: str) -> str | None:
    if not re.match(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*\Z", value):
        return "must be a language code such as en, fr, ar or pt-BR"
    return None


def _check_timezone(value: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of tzdata, like "Europe"
        import difflib
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        return "is not a known time zone" + (f"; did you mean '{close[0]}'?" if close else " (use a name like Europe/Paris or UTC)")
    return None


def _check_permalink(value: str) -> str | None:
    if not (value.startswith("/") and value.endswith("/")):
        return "must start and end with '/', e.g. /{year}/{month}/{slug}/"
    if "//" in value:  # '//{slug}/' would link every article to another host
        return "must not contain '//' (a URL starting with '//' leads to another site); write it like /{year}/{month}/{slug}/"
    bad = re.search(r'[\x00-\x20\x7f?#%<>:"|*]', value)  # a backslash is named below
    if bad:
        return f"must not contain {bad.group(0)!r}: only letters, digits, '-', '_', '.' and placeholders between the '/'"
    tokens = re.findall(r"\{([^}]*)\}", value)
    unknown = [t for t in tokens if t not in PERMALINK_TOKENS]
    if unknown:
        return f"has unknown placeholder {{{unknown[0]}}}; use " + ", ".join(f"{{{t}}}" for t in PERMALINK_TOKENS)
    if "slug" not in tokens:
        return "must contain {slug} so that every article gets its own URL"
    if any(part in (".", "..") for part in value.split("/")) or "\\" in value:
        return "must not contain '.' or '..' segments or backslashes"
    for part in value.split("/"):
        from .segments import reserved_problem
        why = "{" not in part and reserved_problem(part)
        if why:
            return f"has the segment '{part}', which {why}"
    return None


def _relative_path(value: str) -> str | None:
    return None if value.strip() and "\0" not in value else "must be a path such as _site or ../public"


def _url_record(value) -> str | None:
    if isinstance(value, bool) or (isinstance(value, str) and value.strip() and "/" not in value and "\\" not in value and value not in (".", "..")):
        return None
    return "must be a file name beside config.yaml (default published-urls.txt), or false"


def _positive(value: int) -> str | None:
    return None if value >= 1 else "must be 1 or more"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must be 0 (automatic) or more"


def _one_of(*choices: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in choices else "must be one of: " + ", ".join(choices)
    return check


def _subset_of(*choices: str) -> Callable[[list], str | None]:
    def check(value: list) -> str | None:
        bad = [v for v in value if v not in choices]
        return f"has unknown entry '{bad[0]}'; choose from: " + ", ".join(choices) if bad else None
    return check


def _feeds(value) -> str | None:
    return _subset_of(*FEEDS)(value) if isinstance(value, list) else None


def _date_format(value: str) -> str | None:
    return None if value.strip() else "must not be empty; use short, medium, long, full or a pattern like 'd MMMM y'"


DEPLOY_KEYS = {"url", "endpoint", "region", "branch"}


def _check_deploy(value: dict) -> str | None:
    """Each target is a mapping with a text `url`; `deploy` commands read the rest (deploy/__init__.py)."""
    for name, target in value.items():
        if not isinstance(target, dict) or not isinstance(target.get("url"), str) or not target["url"].strip():
            return f"target '{name}' needs a url, e.g. {{url: \"s3://bucket/\"}}, {{url: \"git+file:///srv/site.git\", branch: gh-pages}} or {{url: /srv/www/}}"
        unknown = sorted(set(target) - DEPLOY_KEYS)
        if unknown:
            return f"target '{name}' has unknown key '{unknown[0]}'; use: " + ", ".join(sorted(DEPLOY_KEYS))
        wrong = [k for k, v in target.items() if not isinstance(v, str)]
        if wrong:
            return f"target '{name}': '{wrong[0]}' must be text"
    return None


OPTIONS: tuple[Option, ...] = (
    Option("title", str, "News archive", "Site name, shown in the header, titles and feeds."),
    Option("description", str, "", "One sentence about the archive, for the home page and feeds."),
    Option("base_url", str, "http://localhost:8000/", "Absolute URL the site is published at; may include a sub-path.", _check_base_url),
    Option("language", str, "en", "Default language of articles and of the site's own pages.", _check_language),
    Option("timezone", str, "UTC", "Time zone given to dates written without an offset.", _check_timezone),
    Option("permalink", str, "/{year}/{month}/{slug}/", "Article URL pattern; placeholders: " + ", ".join("{%s}" % t for t in PERMALINK_TOKENS) + ".", _check_permalink),
    Option("per_page", int, 20, "Articles per listing page (home, tags, sections, archives).", _positive),
    Option("feed_entries", int, 50, "Newest entries in each Atom feed.", _positive),
    Option("index_links", bool, False, "Make internal links end in index.html so the site browses from disk."),
    Option("allow_raw_html", bool, False, "Keep raw HTML in article bodies as written (otherwise it is sanitized)."),
    Option("slug_style", str, "auto", "auto: strip accents from Latin letters, keep other scripts (Arabic, Greek…) as they are; ascii: transliterate everything to a-z0-9; unicode: keep every letter.", _one_of(*STYLES)),
    Option("date_format", str, "long", "How dates are shown: short, medium, long, full, or a Babel pattern such as 'd MMMM y'.", _date_format),
    Option("author", str, "", "Default author for feeds when an article names none."),
    Option("taxonomies", list, list(TAXONOMIES), "Which term pages to build, any of: " + ", ".join(TAXONOMIES) + ".", _subset_of(*TAXONOMIES)),
    Option("archives", bool, True, "Build the date archive: /archive/, /YYYY/ and /YYYY/MM/."),
    Option("feeds", (bool, list), list(FEEDS), "Which Atom feeds to build: true (all), false (none), or a list of: " + ", ".join(FEEDS) + ".", _feeds),
    Option("feed_content", str, "full", "What each entry of the site feed carries: full (the whole article) or summary.", _one_of(*FEED_CONTENTS)),
    Option("term_feed_content", str, "summary", "What each entry of the per-tag and per-section feeds carries: summary or full.", _one_of(*FEED_CONTENTS)),
    Option("search", bool, True, "Build the full-text search: a Pagefind index in pagefind/, the /search/ page and the search box in every page's header."),
    Option("search_bundle_size", int, 0, "Articles per search bundle on average (one language each, half to twice this many); an edit re-indexes only its bundle. 0: automatic (64).", _not_negative),
    Option("translations", dict, {}, "Overrides for the theme's words, per language: {fr: {read_also: 'À lire aussi'}}."),
    Option("extra", dict, {}, "Anything else your templates need, passed to them as site.extra.", _check_extra_urls),
    Option("deploy", dict, {}, "Where `deploy` publishes: NAME: {url: s3://…, endpoint, region} or {url: git+…, branch} or {url: FOLDER or user@host:/path}; the first is the default.", _check_deploy),
    Option("news_sitemap", bool, False, "Write news-sitemap.xml (Google News) with the articles of the 48 hours before the newest one."),
    Option("withdrawn_notice", str, "", "Text shown on every withdrawn article's page (status: withdrawn) in place of the theme's words; its title and reason are shown too."),
    Option("output_dir", str, "_site", "Where the site is written, relative to this file; `--output DIR` overrides it.", _relative_path),
    Option("url_record", (str, bool), "published-urls.txt", "The record of every URL the site has published, kept beside this file and meant to be committed: an old URL redirects to its new place. false: no record, no redirects for changed URLs.", _url_record),
    Option("max_article_bytes", int, 1_000_000, "Largest article file converted; a bigger one is an error naming it.", _positive),
    Option("max_nesting", int, 64, "Deepest nesting of quotes, lists, brackets or HTML tags in a body; deeper is an error naming the file and line.", _positive),
    Option("max_article_seconds", int, 10, "Longest time one article's conversion may take; a slower one is an error naming it.", _positive),
)
OPTION_NAMES = tuple(o.name for o in OPTIONS)


@dataclass(frozen=True)
class Config:
    config_path: Path
    site_dir: Path
    output_dir: Path
    title: str = "News archive"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    permalink: str = "/{year}/{month}/{slug}/"
    per_page: int = 20
    feed_entries: int = 50
    index_links: bool = False
    allow_raw_html: bool = False
    slug_style: str = "auto"
    date_format: str = "long"
    author: str = ""
    taxonomies: tuple[str, ...] = TAXONOMIES
    archives: bool = True
    feeds: tuple[str, ...] = FEEDS
    feed_content: str = "full"
    term_feed_content: str = "summary"
    search: bool = True
    search_bundle_size: int = 0
    translations: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    deploy: dict = field(default_factory=dict)
    news_sitemap: bool = False
    withdrawn_notice: str = ""
    url_record: str | bool = "published-urls.txt"
    max_article_bytes: int = 1_000_000
    max_nesting: int = 64
    max_article_seconds: int = 10

    @property
    def articles_dir(self) -> Path:
        return self.site_dir / "articles"

    @property
    def url_record_path(self) -> Path | None:
        """The committed record of published URLs (links.py), or None when it is turned off."""
        if self.url_record is False:
            return None
        return self.site_dir / ("published-urls.txt" if self.url_record is True else self.url_record)

    @property
    def cache_dir(self) -> Path:
        return self.site_dir / ".cache"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """The site's own templates/ first, so its files override the default theme one by one."""
        return _overlay(self.site_dir / "templates", DEFAULT_TEMPLATES)

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        return _overlay(self.site_dir / "static", DEFAULT_STATIC)

    @property
    def tzinfo(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo
        return ZoneInfo(self.timezone)


def _overlay(own: Path, default: Path) -> tuple[Path, ...]:
    dirs = [d for d in (own, default) if d.is_dir()]
    unique: list[Path] = []
    for d in dirs:
        if d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return tuple(unique)


def _type_name(kind) -> str:
    if isinstance(kind, tuple):
        return ", or ".join(_type_name(k) for k in kind)
    return {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a mapping"}[kind]


def parse_config(text: str, config_path: Path, output_dir: Path | None = None) -> Config:
    """Validate config text; raise ConfigError listing every problem."""
    import difflib

    from . import yamltext
    from .usertext import describe
    shown = config_path.name
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    try:
        root = yamltext.compose(text.lstrip("\ufeff"))
        if root is not None and not yamltext.is_mapping(root):
            raise yamltext.YamlSyntaxError("the file must be a mapping of keys to values (key: value)", 1)
        for key, key_node, value_node in yamltext.mapping_items(root) if root is not None else ():
            option = next((o for o in OPTIONS if o.name == key), None)
            line = yamltext.line_of(key_node)
            if option is None:
                close = difflib.get_close_matches(key, OPTION_NAMES, n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(OPTION_NAMES)
                problems.append(Problem(f"unknown key '{key}'", shown, line, hint))
                continue
            try:
                value = yamltext.to_python(value_node)
            except yamltext.YamlSyntaxError as exc:
                problems.append(Problem(f"'{key}': {exc.message}", shown, exc.line))
                continue
            if option.kind is str and isinstance(value, (int, float)):
                value = yamltext.scalar_text(value_node)
            if value is None:
                continue
            if not isinstance(value, option.kind) or (option.kind is int and isinstance(value, bool)):
                problems.append(Problem(f"'{key}' must be {_type_name(option.kind)}, not {value!r}", shown, line, option.doc))
                continue
            if key in _SHOWN_TEXT:
                value, removed = _shown_text(value)
                if removed:
                    problems.append(Problem(f"'{key}' holds characters XML cannot carry ({describe(removed)})", shown, line,
                                            "remove the invisible control characters (often pasted from another program)"))
                    continue
            message = option.check(value) if option.check else None
            if message:
                problems.append(Problem(f"'{key}' {message}", shown, line))
                continue
            values[key] = value
    except yamltext.YamlSyntaxError as exc:
        problems.append(Problem(f"invalid YAML: {exc.message}", shown, exc.line, "check indentation and quote values that contain ': '"))
    if problems:
        raise ConfigError(problems)
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    if "taxonomies" in values:
        values["taxonomies"] = tuple(t for t in TAXONOMIES if t in values["taxonomies"])
    if "feeds" in values:
        chosen = values["feeds"]
        values["feeds"] = tuple(f for f in FEEDS if chosen is True or (isinstance(chosen, list) and f in chosen))
    site_dir = config_path.parent
    configured_output = values.pop("output_dir", "_site")
    return Config(
        config_path=config_path,
        site_dir=site_dir,
        output_dir=output_dir if output_dir is not None else Path(os.path.normpath(site_dir / configured_output)),
        **values,
    )


def load_config(config_path: Path, output_dir: Path | None = None, keep: bool = False) -> Config:
    """Read config.yaml; a missing or unreadable file is a ConfigError, never a traceback.
    Validated values are kept in .cache (config_cache.py; `keep`: the build command's, which
    makes that folder anyway) and taken from there while the file is unchanged."""
    config_path = config_path.absolute()
    if config_path.is_dir():
        config_path = config_path / "config.yaml"
    try:
        data = config_path.read_bytes()
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(Problem("config file not found", str(config_path), hint="run from your site folder or pass --config PATH/config.yaml")) from None
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        column = exc.start - exc.object.rfind(b"\n", 0, exc.start)
        raise ConfigError(Problem(
            f"not valid UTF-8: byte 0x{exc.object[exc.start]:02X} at line {line}, column {column}",
            str(config_path), line, "save the file as UTF-8",
        )) from None
    except OSError as exc:
        raise ConfigError(Problem(f"cannot read: {exc.strerror}", str(config_path))) from None
    if output_dir is not None:
        output_dir = output_dir.absolute()
    return cached_config(data, config_path, output_dir, lambda: parse_config(text, config_path, output_dir), keep)


def url_record_digest(config: Config) -> str | None:
    """Of the record of published URLs (links.py) as it is now: a build that finds it changed
    since the last build wrote it (edited by hand, or pulled from elsewhere) plans the whole site again."""
    path = config.url_record_path
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() if path else None
    except OSError:
        return None
