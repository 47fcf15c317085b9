"""Serve the site while writing it: watch the sources, rebuild what changed, reload open tabs.

The site is served from the output folder as a host would serve it: under the `base_url`
path, with the site's own 404 page for anything missing. A small script, added to HTML
responses on their way out (never to the files, which stay deployable), listens to
server-sent events: a new build reloads the page; a failed build shows its problems in an
overlay while the last good site goes on being served, until a fix clears it. A request
reaches only files whose real path (every symlink followed) lies inside the output folder;
what reaches the handler at all (Host names, deadlines, well-formed requests) is decided in
serve_guard.py. A rebuild that meets the lock of another build waits for it and then runs.
"""
from __future__ import annotations

import html
import json
import select
import signal
import socket
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from .clock import EPOCH, build_now, microseconds
from .config import Config, load_config
from .embargo import next_embargo
from .errors import BuildError, BuildLocked, Problem
from .mediatypes import content_type
from .pipeline import BuildOptions, BuildReport, build
from .safepaths import resolves_inside
from .serve_guard import GuardedHandler, GuardedServer, ServerLimits, host_policy

EVENTS = "__newsarchive/events"
KEEPALIVE_SECONDS = 15.0
TICK_SECONDS = 0.2  # how often waiting threads look up to see whether the server is stopping


@dataclass(frozen=True)
class Snapshot:
    """What the browser is told: which build is being served, and the last build's problems if it failed."""
    generation: int
    error: str | None
    output_dir: Path
    base_path: str


class SiteState:
    """The served build, shared by the watcher (which replaces it) and the request threads (which read it)."""

    def __init__(self, snapshot: Snapshot):
        self._snapshot = snapshot
        self._changed = threading.Condition()
        self.stopping = threading.Event()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def publish(self, snapshot: Snapshot) -> None:
        with self._changed:
            self._snapshot = snapshot
            self._changed.notify_all()

    def wait_for_change(self, seen: Snapshot | None, timeout: float) -> Snapshot:
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot is not seen or self.stopping.is_set(), timeout)
            return self._snapshot

    def stop(self) -> None:
        self.stopping.set()
        with self._changed:
            self._changed.notify_all()


def base_path_of(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def resolve_request(url_path: str, base_path: str, output_dir: Path) -> tuple[str, Path | str | None]:
    """('file', path) for a file to send, ('redirect', location), or ('missing', None).

    The path is decoded once; a `..` or `.` segment, a hidden name, a backslash or a NUL is
    refused outright, and what is left must really lie inside the output folder."""
    if not url_path.startswith(base_path):
        return ("redirect", base_path) if url_path in ("/", "") else ("missing", None)
    rel = unquote(url_path[len(base_path):], errors="strict") if "%" in url_path else url_path[len(base_path):]
    segments = rel.split("/")
    if any(s in (".", "..") or s.startswith(".") for s in segments) or "\\" in rel or "\0" in rel:
        return ("missing", None)
    candidate = output_dir.joinpath(*[s for s in segments if s])
    try:
        if not resolves_inside(candidate, output_dir):
            return ("missing", None)
        if candidate.is_dir():
            if rel and not rel.endswith("/"):
                return ("redirect", url_path + "/")
            candidate = candidate / "index.html"
            if not resolves_inside(candidate, output_dir):
                return ("missing", None)
        return ("file", candidate) if candidate.is_file() else ("missing", None)
    except (OSError, ValueError):  # a name too long for the file system, and the like: no such file
        return ("missing", None)


def reload_script(snapshot: Snapshot) -> bytes:
    """Listens for new builds and failed ones; reloads on the first, shows an overlay for the second."""
    events = json.dumps(snapshot.base_path + EVENTS)
    return (
        "<script data-newsarchive-reload>(function(){"
        f"var served={snapshot.generation},id='newsarchive-error-overlay';"
        "function show(text){var box=document.getElementById(id);"
        "if(!text){if(box)box.remove();return;}"
        "if(!box){box=document.createElement('div');box.id=id;box.setAttribute('role','alert');"
        "box.style.cssText='position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;"
        "background:rgba(20,0,0,.92);color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap;direction:ltr;text-align:left';"
        "document.body.appendChild(box);}"
        "box.textContent='newsarchive: the last change did not build; the page shows the last good site.\\n\\n'+text;}"
        f"var source=new EventSource({events});"
        "source.addEventListener('state',function(e){var s=JSON.parse(e.data);"
        "if(s.generation!==served){source.close();location.reload();return;}show(s.error);});"
        "})();</script>"
    ).encode("utf-8")


def with_reload_script(page: bytes, snapshot: Snapshot) -> bytes:
    script = reload_script(snapshot)
    at = page.lower().rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


class Handler(GuardedHandler):
    """Files of the served build; `server.state` and `server.live_reload` are set by `make_server`.
    `self.path` is the checked path alone (serve_guard.check_request)."""

    server_version = "newsarchive"

    def do_HEAD(self):
        self._respond(head=True)

    def do_GET(self):
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        snapshot = self.server.state.snapshot
        url_path = self.path
        if url_path == snapshot.base_path + EVENTS and self.server.live_reload and not head:
            return self._events()
        try:
            kind, found = resolve_request(url_path, snapshot.base_path, snapshot.output_dir)
        except UnicodeDecodeError:
            kind, found = "missing", None
        if kind == "redirect":
            self.send_response(301)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, name = 200, None
        if kind == "file":
            name = found.name
            try:
                body = found.read_bytes()
            except OSError:
                kind = "missing"
        if kind == "missing":
            status, name = 404, "404.html"
            not_found = snapshot.output_dir / "404.html"
            try:
                body = not_found.read_bytes()
            except OSError:
                body = _fallback_page(snapshot)
        kind_of_body = content_type(name)
        if self.server.live_reload and kind_of_body.startswith("text/html"):
            body = with_reload_script(body, snapshot)
        self.send_response(status)
        self.send_header("Content-Type", kind_of_body)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        state: SiteState = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen, quiet_since = None, time.monotonic()
        try:
            while not state.stopping.is_set() and not self._client_gone():
                snapshot = state.wait_for_change(seen, TICK_SECONDS)
                if snapshot is not seen:
                    data = json.dumps({"generation": snapshot.generation, "error": snapshot.error})
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode("utf-8"))
                    self.wfile.flush()
                    seen, quiet_since = snapshot, time.monotonic()
                elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    quiet_since = time.monotonic()
        except OSError:  # the tab was closed
            pass

    def _client_gone(self) -> bool:
        """A closed tab frees its connection at once, not at the next keep-alive write."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


def _fallback_page(snapshot: Snapshot) -> bytes:
    """Before any build has succeeded there is no site and no 404 page: a bare page carries the overlay."""
    return (f"<!doctype html><html><head><meta charset=utf-8><title>Not built yet</title></head><body>"
            f"<p>Nothing is built yet at {html.escape(str(snapshot.output_dir))}.</p></body></html>").encode("utf-8")


def make_server(host: str, port: int, state: SiteState, live_reload: bool, limits: ServerLimits = ServerLimits(),
                allowed_hosts: tuple[str, ...] = ()) -> GuardedServer:
    server = GuardedServer((host, port), Handler, limits, host_policy(host, allowed_hosts))
    server.state = state
    server.live_reload = live_reload
    return server


@dataclass(frozen=True)
class ServeOptions:
    config_path: Path
    host: str = "127.0.0.1"
    port: int = 8000
    drafts: bool = False
    live_reload: bool = True
    allowed_hosts: tuple[str, ...] = ()  # Host names answered besides localhost, IP addresses and `host`
    now: datetime | None = None  # --now: build as if it were then (clock.py); None: SOURCE_DATE_EPOCH or the clock
    limits: ServerLimits = ServerLimits()
    lock_poll_seconds: float = 0.5  # how often a rebuild that met another build's lock looks again


def watched_inputs(config: Config) -> list[Path]:
    return [p for p in (config.articles_dir, *config.template_dirs, *config.static_dirs) if p.is_dir()]


def _config_stamp(path: Path):
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        return None


class Rebuilder:
    """Builds the site and tells the state how it went; the terminal hears every problem."""

    def __init__(self, options: ServeOptions, state: SiteState, say: Callable[[str], None]):
        self.options = options
        self.state = state
        self.say = say
        self.config: Config | None = None
        self.embargo_until: int | None = None  # when the next embargo passes (microseconds since 1970)

    def rebuild(self, jobs: int = 1, on_stage=None) -> BuildReport | None:
        """jobs=1 past the first build: forking a process that runs server threads is not safe."""
        current = self.state.snapshot
        said_waiting = False
        while True:
            try:
                config = load_config(self.options.config_path)
                report = build(config, BuildOptions(drafts=self.options.drafts, jobs=jobs, now=self.options.now), on_stage)
                break
            except BuildLocked as exc:  # a command-line build is running: rebuild once it ends
                if not said_waiting:
                    self.say(exc.problems[0].message + "; rebuilding as soon as it ends")
                    said_waiting = True
                if self.state.stopping.wait(self.options.lock_poll_seconds):
                    return None
            except BuildError as exc:
                return self._failed(current, exc.problems)
            except Exception as exc:  # a bug must not stop the server: show it, keep the last good site
                return self._failed(current, [Problem(f"internal error while building: {type(exc).__name__}: {exc}",
                                                      hint="this is a bug in newsarchive; please report it")])
        self.config = config
        if not report.ok:
            return self._failed(current, list(report.problems), report)
        if report.up_to_date and current.generation:  # nothing to reload; a fix that restored the last good files clears the overlay
            if current.error:
                self.say("fixed: " + report.summary())
                self.state.publish(replace(current, error=None))
            return report
        for problem in report.warnings:
            self.say(str(problem))
        self.say(("built: " if current.generation == 0 else "rebuilt: ") + report.summary())
        self.state.publish(Snapshot(current.generation + 1, None, config.output_dir.resolve(), base_path_of(config.base_url)))
        return report

    def note_next_embargo(self) -> None:
        """Remember when the next embargo the last build recorded passes (embargo.py): the
        watcher rebuilds then, whether files changed or not. One already passed (a build that
        failed recorded nothing new) is not waited for again."""
        until = next_embargo(self.config.cache_dir) if self.config is not None else None
        self.embargo_until = until if until is not None and until > microseconds(self._now()) else None

    def embargo_due(self) -> bool:
        return self.embargo_until is not None and microseconds(self._now()) >= self.embargo_until

    def _now(self) -> datetime:
        try:
            return build_now(self.options.now)  # a fixed now (--now, SOURCE_DATE_EPOCH) never reaches the next embargo
        except BuildError:  # a wrong SOURCE_DATE_EPOCH: the builds say so
            return EPOCH

    def _failed(self, current: Snapshot, problems: list[Problem], report: BuildReport | None = None):
        errors = [p for p in problems if p.is_error] or problems
        text = "\n".join(str(p) for p in errors)
        self.say(text + "\nbuild failed; still serving the last good site. Fix the file and save: the page reloads by itself.")
        self.state.publish(replace(current, error=text))
        return report


def watch_and_rebuild(rebuilder: Rebuilder, state: SiteState, ready: threading.Event) -> None:
    """Rebuild after every batch of changes under articles/, templates/ and static/, or to config.yaml.

    Once the watcher is listening, one more (incremental) build catches whatever changed
    since the first one, and only then is `ready` set."""
    from watchfiles import watch
    config_path = rebuilder.options.config_path
    stamp = _config_stamp(config_path)
    while not state.stopping.is_set():
        config = rebuilder.config or load_config(config_path)
        paths = watched_inputs(config)
        for changes in watch(*paths, stop_event=state.stopping, rust_timeout=int(TICK_SECONDS * 1000), yield_on_timeout=True,
                             debounce=400, step=50, raise_interrupt=False):
            new_stamp = _config_stamp(config_path)
            if not changes and new_stamp == stamp and ready.is_set() and not rebuilder.embargo_due():
                continue
            stamp = new_stamp
            rebuilder.rebuild()
            rebuilder.note_next_embargo()
            ready.set()
            if rebuilder.config is not None and watched_inputs(rebuilder.config) != paths:
                break  # config.yaml now names other folders: watch those


def serve(options: ServeOptions, say: Callable[[str], None] = print, on_stage=None, end_stages=lambda: None) -> int:
    config = load_config(options.config_path)
    state = SiteState(Snapshot(0, None, config.output_dir.resolve(), base_path_of(config.base_url)))
    rebuilder = Rebuilder(replace(options, config_path=config.config_path), state, say)
    rebuilder.config = config
    from .parallel import default_jobs
    try:
        rebuilder.rebuild(jobs=default_jobs(), on_stage=on_stage)  # before any thread starts, so it may fork
        rebuilder.note_next_embargo()
    finally:
        end_stages()
    try:
        server = make_server(options.host, options.port, state, options.live_reload, options.limits, options.allowed_hosts)
    except OSError as exc:
        raise BuildError(Problem(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}",
                                 hint="another server may be using this port: choose another with --port")) from None
    host, port = server.server_address[:2]
    ready = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": TICK_SECONDS}, daemon=True, name="http")]
    threads.append(threading.Thread(target=watch_and_rebuild, args=(rebuilder, state, ready), daemon=True, name="watch"))
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: state.stop())
    try:
        for thread in threads:
            thread.start()
        while not ready.wait(TICK_SECONDS) and threads[1].is_alive() and not state.stopping.is_set():
            pass
        say(f"serving http://{host}:{port}{state.snapshot.base_path} (Ctrl-C to stop)")
        while not state.stopping.wait(TICK_SECONDS):
            if not threads[1].is_alive():  # the watcher died: say so rather than serve a site that no longer follows the files
                say("the file watcher stopped; stopping the server")
                break
    except KeyboardInterrupt:
        pass
    finally:
        state.stop()
        server.shutdown()
        server.server_close()
        signal.signal(signal.SIGTERM, previous)
        for thread in threads:
            thread.join(timeout=0.3)  # a build in progress is left to die with the process; the next build notices
        say("stopped")
    return 0
