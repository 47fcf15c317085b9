"""Takedowns: an article's `status`, published (the default), withdrawn or unlisted.

- **withdrawn** (a court order, a source's safety, a retraction): its URL answers with a
  short notice, its title and the public `reason` (or the site's `withdrawn_notice`), marked
  noindex, and 410 Gone where the host can say so (`_redirects` on Netlify, nginx). Nothing
  else of it is published: no listing, feed, sitemap, news sitemap, search index, older/newer
  or suggested link, JSON-LD; the files under articles/ that only it uses (its images) are
  not copied and get no versions. Another article's "read also" entry naming it becomes
  plain text, its own title if the entry gives one, else it is left out (so the withdrawn
  title shows nowhere but on its notice); a body link to it still leads to the notice.
  Its URL stays its own in the record of published URLs; its aliases redirect to the notice.
- **unlisted**: its page is built as usual (marked noindex), but no listing, feed,
  sitemap, news sitemap or search index has it, and it is no other article's older/newer
  or suggested article; a hand-written link or "read also" entry reaches it. Its terms no
  published article has get no page; its own page names them unlinked (views._terms).
- `draft: true` wins: a draft is not built (without --drafts) whatever its status; with
  --drafts its status applies as it will once published.

The Site keeps the published articles as `articles` (every listing, feed and index reads
that one collection) and the other two as `off_list`, which only get their own page.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable
from urllib.parse import unquote

from .errors import Problem
from .yamltext import scalar_text

if TYPE_CHECKING:
    from .config import Config
    from .content import Article
    from .plan import Page
    from .site import RelatedLink, Site

PUBLISHED, WITHDRAWN, UNLISTED = "published", "withdrawn", "unlisted"
STATUSES = (PUBLISHED, WITHDRAWN, UNLISTED)
NOTICE = "withdrawn"  # the kind of a withdrawn article's notice page
NOTICE_TEMPLATE = "withdrawn.html"
MAX_REASON = 2000  # characters: a reason is a sentence or two, not an article


def read_status(text_field: Callable[[str], str | None], nodes: dict, fields: dict, problems: list[Problem],
                source_path: str) -> None:
    """`status:` and `reason:` of the front matter into `fields` (frontmatter.read_front_matter)."""
    status = text_field("status") if "status" in nodes else None
    if status is None and "status" in nodes and scalar_text(nodes["status"][0]) is not None:  # blank: a takedown field fails closed
        problems.append(Problem("'status' is empty", source_path, nodes["status"][1],
                                f"write one of {', '.join(STATUSES)}, or remove the 'status' line"))
        return
    if status is not None:
        if status.lower() not in STATUSES:
            problems.append(Problem(f"'status' must be one of {', '.join(STATUSES)}, not '{status[:80]}'", source_path,
                                    nodes["status"][1], "write 'status: withdrawn' (with an optional 'reason:') or 'status: unlisted'"))
            return
        fields["status"] = status.lower()
    reason = text_field("reason") if "reason" in nodes else None
    if reason is None:
        return
    if fields.get("status") != WITHDRAWN:
        problems.append(Problem("'reason' is shown only for a withdrawn article; it is left out", source_path, nodes["reason"][1],
                                "add 'status: withdrawn', or remove the 'reason' line", "warning"))
    elif len(reason) > MAX_REASON:
        problems.append(Problem(f"'reason' is {len(reason)} characters long; at most {MAX_REASON} are allowed", source_path,
                                nodes["reason"][1], "say why in a sentence or two"))
    else:
        fields["reason"] = " ".join(reason.split())


def split_listed(ordered: tuple[Article, ...]) -> tuple[tuple[Article, ...], tuple[Article, ...]]:
    """(the published articles, the withdrawn and unlisted ones), each in the order given."""
    return tuple(a for a in ordered if a.status == PUBLISHED), tuple(a for a in ordered if a.status != PUBLISHED)


def related_to_withdrawn(title: str | None) -> tuple[RelatedLink, ...]:
    """A "read also" entry naming a withdrawn article: its own title as text, or nothing
    (the withdrawn article's title is not shown on other pages)."""
    from .site import RelatedLink
    return (RelatedLink(title, None),) if title else ()


def unlink_withdrawn(links: tuple[RelatedLink, ...], gone: frozenset[str], base_url: str = "") -> tuple[RelatedLink, ...]:
    """Entries written as {title, url} whose URL is a withdrawn article's become text: written
    site-absolute or in full (`base_url` + path), with or without its trailing slash or index.html."""
    from .site import RelatedLink

    def is_gone(url: str | None) -> bool:
        if not url:
            return False
        path = _site_path(_on_site(url, base_url) or "")
        return path in gone or (not path.endswith("/") and path + "/" in gone)
    if not gone or not any(is_gone(link.url) for link in links):
        return links
    return tuple(RelatedLink(link.title, None) if is_gone(link.url) else link for link in links if link.title)


def _on_site(url: str, base_url: str) -> str | None:
    """`url` as a site-absolute path when it is one or names a page under `base_url` (http or https), else None."""
    if url.startswith("/") and not url.startswith("//"):
        return url
    if not base_url:
        return None
    from urllib.parse import urlsplit
    link, base = urlsplit(url), urlsplit(base_url)
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    if link.scheme.lower() not in ("http", "https") or link.netloc.lower() != base.netloc.lower():
        return None
    path = link.path if link.path.endswith("/") or link.path + "/" != base_path else base_path
    return "/" + path[len(base_path):] if path.startswith(base_path) else None


def _site_path(url: str) -> str:
    path = unquote(url.partition("#")[0].partition("?")[0])
    return path.removesuffix("index.html") if path.endswith("/index.html") else path


def withdrawn_paths(articles: Iterable[Article]) -> frozenset[str]:
    """The site paths (unquoted) of withdrawn articles' URLs."""
    return frozenset(unquote(a.url) for a in articles if a.status == WITHDRAWN)


def withdrawn_files(off_list: Iterable[Article], asset_paths: frozenset[str], static_paths: frozenset[str]) -> list[str]:
    """Every file withdrawn articles take with them (withholding.files_of_held), sorted: kept with the build
    (rebuild/books.py) so that an edit of another article's links to one of them is planned anew
    (edit_changes_withheld)."""
    from .withholding import files_of_held
    return sorted({path for article in off_list if article.status == WITHDRAWN
                   for path in files_of_held(article, asset_paths, static_paths)})


def notice_page(article: Article, config: Config) -> Page:
    """A withdrawn article's page: its title and reason, or the site's notice; nothing else of it."""
    from .plan import Page
    return Page(article.url, NOTICE_TEMPLATE, NOTICE, article.source_path, title=article.title, lang=article.lang,
                data={"reason": article.reason or "", "notice": config.withdrawn_notice})


def off_sitemap(pages: list[Page], off_list: tuple[Article, ...]) -> list[Page]:
    """The pages a sitemap lists: not a notice, not an unlisted article's page."""
    hidden = {a.source_path for a in off_list}
    return [p for p in pages if p.kind != NOTICE and p.article not in hidden]


def withdrawn_term_urls(site: Site) -> tuple[str, ...]:
    """The URLs of the terms (tags, authors, ...) only withdrawn articles have: no page is built
    for them, and their slugs are the withdrawn articles' words."""
    from .site import _build_terms
    withdrawn = tuple(a for a in site.off_list if a.status == WITHDRAWN)
    if not withdrawn:
        return ()
    found = []
    for kind, live in site.term_index.items():
        found += [term.url for term in _build_terms(withdrawn, kind, site.slug_style)[0] if term.slug not in live]
    return tuple(found)


def unnamed_in_host_files(rules: list[tuple[str, str]], term_urls: tuple[str, ...]) -> list[tuple[str, str]]:
    """The host files' redirects less those of the URLs under a withdrawn article's own term
    (its page, feed, other pages): the host files are public, and would name the term. Those
    recorded URLs keep their HTML redirect pages (links.py), which name only their target."""
    return [(old, new) for old, new in rules if not old.startswith(term_urls)] if term_urls else rules


def gone_urls(pages: list[Page]) -> list[str]:
    """The notice pages' URLs, which hosts that can are told to answer with 410 Gone."""
    return sorted(p.url for p in pages if p.kind == NOTICE)


def edit_changes_withheld(article: Article, old_links: tuple[str, ...], used_by_withdrawn: Iterable[str] | None) -> bool:
    """Whether an edit of an article's text may change which files are withheld (then the
    site is planned again, not rebuilt from records: rebuild/edit.py). `used_by_withdrawn` is
    the last build's `withdrawn_files` (None when it kept none): a link added to or dropped
    from one of them may publish it or withhold it, whether it is withheld now or not."""
    if tuple(article.local_links) == tuple(old_links):
        return False
    if article.status == WITHDRAWN or used_by_withdrawn is None:
        return True
    files = {unquote(link).partition("#")[0].lstrip("/") for link in (*article.local_links, *old_links)}
    return bool(files & set(used_by_withdrawn))
