"""Pages → bytes on disk: template errors named by file and line, pages rendered in
parallel, and a page whose bytes did not change left as it is."""
from __future__ import annotations

import errno
import hashlib
import sqlite3
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from . import parallel
from .config import Config
from .errors import BuildError, Problem
from .output import WriteTarget, write_file
from .plan import Page, Plan, site_view
from .rebuild.fragments import CardsInWaiting
from .site import Site
from .usertext import xml_safe
from .views import around_record, around_view, page_context, relink_body, responsive_images


def render_page(template_name: str, context: dict, env: jinja2.Environment, *, url: str, origin: str) -> bytes:
    try:
        page = context.get("page")
        bindable = type(page) is dict and hasattr(env, "page_helpers") and {"lang", "index_links", "link_prefix"} <= page.keys()
        helpers = env.page_helpers(page) if bindable else {}  # templates.make_environment
        text = env.get_template(template_name).render(context, **helpers)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(Problem(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno, "fix the template's syntax")) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError(Problem(f"template '{exc.name}' not found", hint="looked in " + ", ".join(env.loader.searchpath))) from None
    except Exception as exc:  # a template that fails at render time, e.g. an undefined variable
        filename, line = _template_frame(exc, env)
        raise BuildError(Problem(
            f"template error while rendering {url} ({origin}): {exc}", filename, line,
            "check the names the template uses; see the README's template reference",
        )) from None
    if template_name.endswith(".xml"):  # the last guard: text from config or theme too (usertext.py)
        text = xml_safe(text)
    return text.encode("utf-8", "replace")


NAME_ERRORS = frozenset({errno.ENAMETOOLONG, errno.EISDIR, errno.ENOTDIR, errno.EINVAL, errno.EILSEQ, errno.EEXIST})  # the name, not the disk


def write_problem(exc: OSError, rel: str, origin: str) -> Problem:
    """A page that could not be written, named by what it comes from (an article's source file)."""
    return Problem(f"cannot write its page '{rel}': {exc.strerror or exc}", origin,
                   hint="give it a shorter or plainer slug (front matter 'slug: …'); with --keep-going the rest of the site is still written")


def compile_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile every template a build needs up front, so syntax errors surface before any
    page renders and worker processes inherit the compiled code."""
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildError(Problem(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno, "fix the template's syntax")) from None
        except jinja2.TemplateNotFound as exc:
            raise BuildError(Problem(f"template '{exc.name}' not found", hint="looked in " + ", ".join(env.loader.searchpath))) from None


def _template_frame(exc: BaseException, env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The innermost template file and line in a render traceback (Jinja maps frames to template lines)."""
    roots = [str(Path(p).resolve()) for p in env.loader.searchpath]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(str(Path(frame.filename).resolve()).startswith(root) for root in roots):
            return frame.filename, frame.lineno
    return None, None


@dataclass(frozen=True)
class RenderJob:
    """What the render workers share (inherited when forked)."""
    plan: Plan
    site: Site
    config: Config
    env: jinja2.Environment
    cache_path: Path  # bodies are read from the cache's SQLite file
    target: WriteTarget
    manifest: dict[str, tuple[str, str]]  # url → (signature, digest) of the last build
    sign: Callable[[Page], str] | None = None  # when every page renders anyway, each is signed as it renders (plan.Unsigned)


@dataclass
class Rendered:
    digests: dict[str, str] = field(default_factory=dict)  # url → digest of the page's bytes
    signatures: dict[str, str] = field(default_factory=dict)  # url → signature, when RenderJob.sign made them
    written: int = 0
    pending: list[tuple[str, str]] = field(default_factory=list)  # (output path, temporary file) to rename
    problems: list[Problem] = field(default_factory=list)


def renderer_articles(archive: int) -> int:
    """How many articles a forked renderer shows before a fresh one replaces it. What one copies
    grows with the articles it shows and with how widely they lie over the heap, which grows
    with the archive: 2³² ÷ the archive's articles, so 32,768 at 131,072 articles, down to
    8,192 from 524,288 (at 10⁶ articles 32,768 copied 0.7 GiB; each fork there costs about
    0.1 s). A smaller archive's heap is small enough for one renderer to copy it all, so it
    gets one for the whole render: each fresh one costs a fork, copying the pages it touches
    again, and the wait for the last chunk of its batch with a core idle (at 10⁴ articles a
    template change was seven batches)."""
    return max(8_192, 2**32 // max(1, archive))


def render_pages(job: RenderJob, indices: list[int], jobs: int) -> Rendered:
    """Render the pages at `indices` (in `jobs` processes) and write those whose bytes changed.

    A forked renderer shares the site model with this process until either touches it:
    reading an object writes its reference count, so each memory page read is copied, and
    over a whole site's listings the model would end up held twice. So renderers are forked
    afresh once their pages have shown `renderer_articles` articles; what one copied goes with it."""
    compile_templates(job.env, {job.plan.pages[i].template for i in indices})
    outcome = Rendered()
    try:
        for batch in renderer_batches(job.plan.pages, indices, renderer_articles(len(job.site.articles))):
            _collect(outcome, parallel.map_chunks(_render_chunk, batch, job, jobs, chunk_size=64, both_ends=True),
                     [job.plan.pages[i].url for i in batch], job.env.kept_fragments)
    finally:
        job.plan.cards.close()
    return outcome


def renderer_batches(pages: list, indices: list[int], articles: int) -> list[list[int]]:
    """`indices` cut where the pages so far show about `articles` articles (an article page
    shows its own, its neighbours' and its suggestions' cards)."""
    batches, batch, shown = [], [], 0
    for index in indices:
        page = pages[index]
        weight = 1 + len(page.items) + (8 if page.article else 0)
        if batch and shown + weight > articles:
            batches.append(batch)
            batch, shown = [], 0
        batch.append(index)
        shown += weight
    if batch:
        batches.append(batch)
    return batches


def _collect(outcome: Rendered, chunks, urls: list[str], kept=None) -> None:
    """`urls` are the pages' own, in the order their results come: keyed by them, the digests
    hold no second copy of every URL (a worker's results arrive as copies)."""
    position = 0
    for chunk in chunks:
        for item in chunk:
            if item[0] == "error":
                outcome.problems += item[1]
                continue
            if item[0] == "fragments":  # the cards a renderer made, kept as they come (rebuild/fragments.py)
                kept.store(item[1])
                continue
            _, url, rel, temporary, digest, was_written, signature = item
            if urls[position] == url:
                url = urls[position]
            position += 1
            outcome.digests[url] = digest
            if signature is not None:
                outcome.signatures[url] = signature
            outcome.written += was_written
            if temporary:
                outcome.pending.append((rel, temporary))


class Bodies:
    """Article bodies read from the cache when a page needs them. Feeds carry the same
    article several times (the site's, its tags', its section's), all with absolute links,
    so the last two thousand of those are kept."""

    KEEP = 2000

    def __init__(self, cache_path: Path, url_by_source: dict[str, str], base_url: str, images: dict | None = None,
                 fresh: dict[str, str] | None = None):
        self._db = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
        self._fresh = fresh or {}  # source path → body not yet in the cache file (rebuild/edit.py)
        self._images = images or {}
        self._url_by_source = url_by_source
        self._base_url = base_url
        self._absolute: dict[str, str] = {}

    def __call__(self, source_path: str, prefix: str, index_links: bool) -> str:
        if prefix == self._base_url and source_path in self._absolute:
            return self._absolute[source_path]
        html = self._fresh.get(source_path)
        if html is None:
            row = self._db.execute("SELECT html FROM bodies WHERE source_path = ?", (source_path,)).fetchone()
            html = row[0] if row else ""
        if self._images and prefix != self._base_url:  # feeds keep plain <img>: readers drop <picture>
            html = responsive_images(html, self._images, prefix)
        body = relink_body(html, self._url_by_source, prefix, index_links=index_links)
        if prefix == self._base_url:
            if len(self._absolute) >= self.KEEP:
                del self._absolute[next(iter(self._absolute))]
            self._absolute[source_path] = body
        return body

    def close(self) -> None:
        self._db.close()


def _render_chunk(job: RenderJob, indices) -> list[tuple]:
    """Per page ("ok", url, output path, temporary path or None, digest, written, signature or None) or ("error", problems)."""
    body_of = Bodies(job.cache_path, job.site.url_by_source, job.config.base_url, job.site.images)
    site_data = site_view(job.config, job.plan.corrections_url)

    def around(source_path: str) -> dict:
        return around_view(around_record(job.site, source_path), job.plan.cards.articles)
    made: set = set()
    results = []
    kept = job.env.kept_fragments
    try:
        for index in indices:
            page = job.plan.pages[index]
            cards = job.plan.cards
            if kept is not None and kept.can_read(page):  # its cards are made only where none is kept (rebuild/fragments.py)
                kept.prepare([cards.articles[p].url for p in page.items])
                cards = CardsInWaiting(cards)
            else:
                cards.prepare((page.article,) if page.article else page.items)
            context = page_context(page, around, job.config, site_data, cards, body_of)
            try:
                data = render_page(page.template, context, job.env, url=page.url, origin=page.origin)
            except BuildError as exc:
                return results + [("error", exc.problems)]
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            signature = job.sign(page) if job.sign else None
            rel = page.output_path
            if job.manifest.get(page.url, ("", ""))[1] == digest and (job.target.root / rel).is_file():
                results.append(("ok", page.url, rel, None, digest, False, signature))
                continue
            try:
                rel, temporary = write_file(job.target, rel, data, made_dirs=made)
            except OSError as exc:  # a name this disk refuses is the page's own problem: named by its origin, the rest goes on
                if exc.errno not in NAME_ERRORS:
                    raise
                results.append(("error", [write_problem(exc, rel, page.origin)]))
                continue
            results.append(("ok", page.url, rel, temporary, digest, True, signature))
    finally:
        body_of.close()
    return results + [("fragments", kept.take())] if kept is not None else results
