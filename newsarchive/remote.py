"""The load and render tasks as they run on a cluster's workers, which share nothing with the build.

What a worker receives: once per stage, the state (the load settings; or the plan, the
site, the config and the text of every template); with each chunk, what that chunk
needs (article bytes, read by this process; the bodies of the articles its pages show,
read from this process's cache). What comes back: metadata and body HTML; or each page's
bytes and digest. This process alone writes the cache and the output, exactly as a local
build would, so workers need no shared file system and no access to the site's folder:
only the same newsarchive version and its dependencies installed.
"""
from __future__ import annotations

import gc
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .walk import walk_files
from .config import Config
from .executors import Executor
from .output import WriteTarget, write_file
from .plan import Plan
from .render import NAME_ERRORS, Rendered, RenderJob, _render_chunk, compile_templates, write_problem
from .site import Site
from .templates import make_environment, uncached_fragments


class MarkdownOnArrival:
    """A Markdown renderer that travels as its one setting and is built where it is used, one
    per worker thread (the renderer does not pickle, and one instance must not convert two
    bodies at once: a worker started with --nthreads 2 runs two chunks together)."""

    def __init__(self, allow_raw_html: bool):
        self.allow_raw_html = allow_raw_html
        self._per_thread = threading.local()

    def __getstate__(self):
        return {"allow_raw_html": self.allow_raw_html}

    def __setstate__(self, state):
        self.__init__(state["allow_raw_html"])

    def render(self, body: str, **where):
        renderer = getattr(self._per_thread, "renderer", None)
        if renderer is None:
            from .markup import MarkdownRenderer
            renderer = self._per_thread.renderer = MarkdownRenderer(allow_raw_html=self.allow_raw_html)
        return renderer.render(body, **where)


class ShippedTemplates(jinja2.BaseLoader):
    """The site's templates as text, under the names and file names the local loader gives
    them, so an error on a worker names the same template file and line as a local build."""

    def __init__(self, search_path: list[str], sources: dict[str, tuple[str, str]]):
        self.searchpath = search_path  # read by render._template_frame, as on jinja2.FileSystemLoader
        self.sources = sources  # name → (text, file name)
        self.uncached = uncached_fragments(search_path)  # templates.uncached_fragments, made where the folders are

    def get_source(self, environment, template):
        if template not in self.sources:
            raise jinja2.TemplateNotFound(template)
        text, filename = self.sources[template]
        return text, filename, lambda: True


def collect_templates(config: Config) -> ShippedTemplates:
    """Every file under the template folders; the first folder wins a name, as for the local loader."""
    sources: dict[str, tuple[str, str]] = {}
    for folder in config.template_dirs:
        for item in walk_files(folder):
            if item.source_path not in sources:
                with open(item.abs_path, encoding="utf-8") as handle:
                    sources[item.source_path] = (handle.read(), os.path.normpath(item.abs_path))
    return ShippedTemplates([str(d) for d in config.template_dirs], sources)


@dataclass
class PagesToRender:
    """The render state a worker receives once; its Jinja environment is made there, on first use."""
    plan: Plan
    site: Site
    config: Config
    templates: ShippedTemplates
    env: jinja2.Environment | None = None

    def __getstate__(self):
        return {**self.__dict__, "env": None}

    def environment(self) -> jinja2.Environment:
        """Made on the first chunk a worker renders. The state then lives as long as the stage
        and holds millions of objects: they are frozen out of the cyclic collector's sight, as
        the local pool does before forking, or every full collection walks them all again (at
        100,000 articles rendering took several times longer). Reference counting still frees
        them when the scheduler releases the state."""
        if self.env is None:
            gc.freeze()
            env = make_environment(self.config)
            env.loader = self.templates
            env.uncached_fragments = self.templates.uncached  # the folders may not be on this machine
            self.env = env
        return self.env


def render_chunk_remotely(state: PagesToRender, shipped: tuple[list[int], dict[str, str]]) -> list[tuple]:
    """Per page ("page", url, output path, bytes, digest), or ("error", problems) and stop.

    The pages are rendered by the local pool's own chunk function (render._render_chunk),
    so both paths make the same bytes by construction: the shipped bodies become a scratch
    SQLite file shaped like the cache's bodies table, the pages are written to a scratch
    folder and read back, and the scratch goes."""
    indices, bodies = shipped
    with tempfile.TemporaryDirectory(prefix="newsarchive-chunk-") as scratch:
        cache_path = Path(scratch) / "bodies.sqlite"
        db = sqlite3.connect(cache_path)
        try:
            db.execute("CREATE TABLE bodies (source_path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, html TEXT NOT NULL)")
            db.executemany("INSERT INTO bodies VALUES (?, '', ?)", bodies.items())
            db.commit()
        finally:
            db.close()
        out = Path(scratch) / "pages"
        job = RenderJob(state.plan, state.site, state.config, state.environment(), cache_path, WriteTarget(out, False), {})
        results = []
        for item in _render_chunk(job, indices):
            if item[0] == "error":
                results.append(item)
                continue
            _, url, rel, _, digest, _, _ = item
            results.append(("page", url, rel, (out / rel).read_bytes(), digest))
    return results


def render_remotely(job: RenderJob, indices: list[int], executor: Executor) -> Rendered:
    """render.render_pages on a cluster: the same outcome, the same files written by this process."""
    compile_templates(job.env, {job.plan.pages[i].template for i in indices})
    state = PagesToRender(job.plan, job.site, job.config, collect_templates(job.config))
    db = sqlite3.connect(f"file:{job.cache_path}?mode=ro", uri=True)
    outcome = Rendered()
    made: set = set()
    try:
        for chunk in executor.map_chunks(render_chunk_remotely, indices, state, chunk_size=64,
                                         ship=lambda chunk: _with_bodies(db, job.plan, chunk)):
            for item in chunk:
                if item[0] == "error":
                    outcome.problems += item[1]
                    continue
                _, url, rel, data, digest = item
                outcome.digests[url] = digest
                if job.manifest.get(url, ("", ""))[1] == digest and (job.target.root / rel).is_file():
                    continue
                try:
                    rel, temporary = write_file(job.target, rel, data, made_dirs=made)
                except OSError as exc:  # as render._render_chunk: a name the disk refuses is the page's own problem
                    if exc.errno not in NAME_ERRORS:
                        raise
                    outcome.problems.append(write_problem(exc, rel, next(p.origin for p in job.plan.pages if p.url == url)))
                    continue
                outcome.written += 1
                if temporary:
                    outcome.pending.append((rel, temporary))
    finally:
        db.close()
    return outcome


def _with_bodies(db: sqlite3.Connection, plan: Plan, indices: list[int]) -> tuple[list[int], dict[str, str]]:
    """A chunk of pages as sent to a worker: with the body of every article they show in full."""
    wanted = set()
    for index in indices:
        page = plan.pages[index]
        if page.article:
            wanted.add(page.article)
        elif page.kind == "feed":
            wanted.update(page.items)
    bodies = {}
    for path in wanted:
        row = db.execute("SELECT html FROM bodies WHERE source_path = ?", (path,)).fetchone()
        bodies[path] = row[0] if row else ""
    return list(indices), bodies

