"""One Jinja2 environment per build: the theme loader, strict undefined, and the helpers.

Templates see plain data (dicts from views.py) and these helpers, which read the
current page's language and link prefix from `page`:
url_for(url) · abs_url(url) · format_date(dt) · format_time(dt) · format_month(year, month)
· t(key, count=None, lang=None, **values) the theme's words, by default in the page's language · iso, iso_utc and
without_none filters.
"""
from __future__ import annotations

import os
import re
import posixpath
from pathlib import Path

import jinja2
from jinja2 import nodes, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode
from markupsafe import Markup
from types import BuiltinMethodType, FunctionType, MethodType

from . import dates, i18n
from .config import Config
from .safepaths import resolves_inside
from .urls import absolute_url, link


class ContainedLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, except that a template file whose real path leaves its folder
    (a symlink to elsewhere) is never read: the next folder's template of that name is
    used, as if the link were not there. The build names the link in a warning."""

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.isfile(filename) and resolves_inside(filename, searchpath):
                break
        else:
            raise jinja2.TemplateNotFound(template, f"{template!r} not found in " + ", ".join(self.searchpath))
        with open(filename, encoding=self.encoding) as handle:
            contents = handle.read()
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False
        return contents, os.path.normpath(filename), uptodate


class DirectCallContext(Context):
    """Jinja's context, except that a call from a template to a plain function (a page's bound
    helpers, render.render_page) or to a macro skips the look-ups Jinja makes on every call to
    find what the callee wants passed (three `hasattr` per call: an eighth of a page's render).
    What is passed is the same: nothing to a plain function, the evaluation context to a macro."""

    @internalcode
    def call(self, callee, /, *args, **kwargs):
        kind = type(callee)
        if kind is Macro:  # Macro.__call__ is pass_eval_context
            args = (self.eval_ctx, *args)
        elif kind is BuiltinMethodType:  # str.split, dict.get...: nothing to pass
            pass
        elif kind is MethodType:  # FragmentCache._fragment, on every `cache` block
            if "jinja_pass_arg" in callee.__func__.__dict__:
                return super().call(callee, *args, **kwargs)
        elif kind is not FunctionType or "jinja_pass_arg" in callee.__dict__:
            return super().call(callee, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return callee(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class PlainDataEnvironment(jinja2.Environment):
    """`item.title` on a dict looks up the key first: templates get plain dicts, and the
    default order (attribute, then key) costs a failed attribute lookup on every access."""

    context_class = DirectCallContext

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class FragmentCache(Extension):
    """`{% cache key %}…{% endcache %}` renders its body once per key and build, then reuses
    it: a card shown on many listing pages is rendered once. The key must hold everything
    the body depends on but the page's depth, e.g. (item.url, page.lang): on a page whose
    links are relative, the body is rendered with a stand-in for `page.link_prefix` (what
    url_for writes links from) that each page replaces with its own "../../", so one
    rendering serves every depth. A key that holds the prefix itself keeps one rendering
    per prefix, as do pages whose links are not relative ("" at the root, the base path, base_url)."""

    tags = {"cache"}
    KEEP = 20_000  # fragments kept at most, the oldest dropped first: memory stays flat at any size
    STAND_IN = "\x00prefix\x00"  # never in a page: clean_text removes C0 controls from the archive's text

    def __init__(self, environment: jinja2.Environment):
        super().__init__(environment)
        environment.extend(fragment_cache={}, uncached_fragments=frozenset(), kept_fragments=None)

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_fragment", [key, nodes.ContextReference()]), [], [], body).set_lineno(lineno)

    def _fragment(self, key, context, caller):
        code = getattr(getattr(caller, "_func", None), "__code__", None)  # the file holding this block
        if code is not None and code.co_filename in self.environment.uncached_fragments:
            return caller()
        store = self.environment.fragment_cache
        page = context.get("page")
        prefix = page.get("link_prefix") if type(page) is dict else None
        relative = bool(prefix) and prefix == "../" * (len(prefix) // 3) and not (type(key) is tuple and prefix in key)
        store_key = (key, None if relative else prefix)
        fragment = store.get(store_key)
        if fragment is None:
            if len(store) >= self.KEEP:
                del store[next(iter(store))]
            kept = self.environment.kept_fragments  # rebuild/fragments.py: a card's, from an earlier build
            slot = repr(store_key) if kept is not None and type(key) is tuple and key and kept.is_card(key[0]) else None
            fragment = kept.get(key[0], slot) if slot else None
            if fragment is None:
                if relative:
                    page["link_prefix"] = self.STAND_IN
                    try:
                        fragment = caller()
                    finally:
                        page["link_prefix"] = prefix
                else:
                    fragment = caller()
                if slot and isinstance(fragment, Markup):
                    kept.keep(key[0], slot, fragment)
            store[store_key] = fragment
        # str.replace: Markup.replace would escape the prefix, and "../" needs none
        return type(fragment)(str.replace(fragment, self.STAND_IN, prefix)) if relative else fragment


class ProcessBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, in front of the on-disk cache: `serve`'s
    rebuilds, a worker's batches and a test run's many small builds of the same theme compile each
    template once, not once a build (half the CPU of a three-article build). Keyed as Jinja keys the
    disk (the template's name and file, and a checksum of its source), so an edited template compiles again."""

    def __init__(self, compiled: dict, disk: jinja2.BytecodeCache | None):
        self.compiled, self.disk = compiled, disk

    def load_bytecode(self, bucket) -> None:
        code = self.compiled.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        if self.disk is not None:
            try:
                self.disk.load_bytecode(bucket)
            except Exception:  # a damaged file (cut short, overwritten): Jinja's unpickling raises; compile anew
                bucket.reset()
            if bucket.code is not None:
                self.compiled[(bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket) -> None:
        self.compiled[(bucket.key, bucket.checksum)] = bucket.code
        if self.disk is not None:
            self.disk.dump_bytecode(bucket)


_COMPILED: dict = {}  # (key, source checksum) -> code: pure memo, the same code whoever asks
_USES = re.compile(r"""{%-?\s*(?:from|import|include)\s+["']([^"']+)["']""")


def uncached_fragments(folders) -> frozenset[str]:
    """Template files whose `{% cache %}` keys cannot be trusted: a theme's key is written for the
    templates that theme's file uses (the default listing.html's card key for the default
    _macros.html card), so where a site overrides one of those with its own (a card showing
    page.kind, say), the blocks of the file holding the key are rendered on every page."""
    folders = [str(f) for f in folders]

    def resolve(name: str) -> int | None:
        return next((i for i, folder in enumerate(folders) if os.path.isfile(os.path.join(folder, name))), None)
    found = set()
    for index, folder in enumerate(folders[1:], start=1):
        for holder in sorted(Path(folder).rglob("*")):
            name = holder.relative_to(folder).as_posix()
            try:
                if resolve(name) != index or "{%" not in (text := holder.read_text(encoding="utf-8")) or not re.search(r"{%-?\s*cache\b", text):
                    continue
            except (OSError, UnicodeDecodeError):
                continue
            seen, todo = set(), _USES.findall(text)
            while todo:
                used = todo.pop()
                if used in seen:
                    continue
                seen.add(used)
                at = resolve(used)
                if at is not None and at < index:  # as the local loader and remote.ShippedTemplates name it
                    found.update((os.path.join(folder, name), os.path.normpath(os.path.join(folder, name))))
                    break
                if at is not None:
                    try:
                        todo += _USES.findall(Path(folders[at], used).read_text(encoding="utf-8"))
                    except (OSError, UnicodeDecodeError):
                        pass
    return frozenset(found)


def make_environment(config: Config, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """`bytecode_dir` keeps compiled templates between builds (Jinja checks each against its source)."""
    disk = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        disk = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    bytecode_cache = ProcessBytecodeCache(_COMPILED, disk)
    env = PlainDataEnvironment(
        loader=ContainedLoader([str(d) for d in config.template_dirs]),
        bytecode_cache=bytecode_cache,
        autoescape=jinja2.select_autoescape(["html", "xml", "htm"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=[FragmentCache],
    )
    env.uncached_fragments = uncached_fragments(config.template_dirs)

    words: dict[tuple, str] = {}  # the same few words, asked for on every page

    def page_helpers(page: dict) -> dict:
        """The helpers bound to one page (render.render_page passes them with its data): Jinja
        hands a `pass_context` function the context on every call, and these are the calls a
        page makes most. What they read of the page is read at each call, so the fragment
        cache's stand-in for the link prefix (FragmentCache) holds. The environment's own
        helpers, for templates rendered without page data, are these bound at each call."""

        def url_for(target: str) -> str:
            return link(target, page["link_prefix"], index_links=page["index_links"])

        def t(key: str, count: int | None = None, lang: str | None = None, **values) -> str:
            memo = (key, lang or page["lang"], count, *values.items())
            if memo not in words:
                words[memo] = i18n.translate(key, memo[1], config.translations, count, **values)
            return words[memo]

        def format_date(value, lang: str | None = None) -> str:
            return i18n.format_date(value, lang or page["lang"], config.date_format)

        def format_time(value, lang: str | None = None) -> str:
            return i18n.format_time(value, lang or page["lang"])

        def format_month(year: int, month: int, lang: str | None = None) -> str:
            return i18n.format_month(year, month, lang or page["lang"])
        return {"url_for": url_for, "t": t, "format_date": format_date, "format_time": format_time, "format_month": format_month}

    def in_context(name: str):
        @pass_context
        def helper(ctx, *args, **kwargs):
            return page_helpers(ctx["page"])[name](*args, **kwargs)
        helper.__name__ = name
        return helper

    env.globals.update({name: in_context(name) for name in page_helpers({})}, abs_url=lambda target: absolute_url(target, config.base_url))
    env.extend(page_helpers=page_helpers)
    env.filters["iso"] = dates.iso
    env.filters["iso_utc"] = dates.utc_stamp  # sorts as text
    env.filters["without_none"] = without_none
    return env


def without_none(mapping: dict) -> dict:
    """The dict without its None values (article.html's JSON-LD: schema.org has no null), as one
    call rather than a `rejectattr` test per item."""
    return {key: value for key, value in mapping.items() if value is not None}


def template_file(env: jinja2.Environment, name: str) -> Path | None:
    """The file a template name resolves to (the site's own or the default theme's)."""
    try:
        _, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return None
    return Path(filename) if filename else None
