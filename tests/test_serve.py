"""`serve`: a real server process on 127.0.0.1, real HTTP requests, real file edits, and (marked
`browser`) a real Chromium watching the page reload and the error overlay come and go."""
from __future__ import annotations

import http.client
import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, article
from test_browser import browser  # noqa: F401 (a fixture)
from newsarchive.serve import Snapshot, resolve_request, with_reload_script

ARTICLES = {
    "articles/2021/a.md": article("Harbour reopens", "2021-05-15", "Dock workers are back.", tags="[Port]"),
    "articles/2021/b.md": article("Strike ends", "2021-06-01", "The strike ended.", tags="[Port]"),
}
CONFIG = "title: Serve test\nbase_url: https://example.org/news/\n"


class Server:
    """`python build.py serve` in its own process; its output is collected line by line."""

    def __init__(self, config: Path, *extra: str):
        self.process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--config", str(config), "--port", "0", *extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=config.parent)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        try:
            line = self.wait_for("serving http://", 60)
        except AssertionError:
            self.process.kill()
            self.process.wait()
            raise
        self.base = line.split()[1]
        self.host, rest = self.base[len("http://"):].split(":", 1)
        self.port = int(rest.split("/", 1)[0])

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            if text in line:
                return line
        raise AssertionError(f"the server never said {text!r}; it said:\n" + "".join(self.output))

    def get(self, path: str) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        connection.putrequest("GET", path, skip_accept_encoding=True)  # the path is sent exactly as written
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), body

    def stop(self) -> float:
        if self.process.poll() is not None:
            return 0.0
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return time.monotonic() - started


class Events:
    """The server-sent event stream a page listens to."""

    def __init__(self, server: Server):
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=20)
        self.connection.request("GET", "/news/__newsarchive/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next_state(self) -> dict:
        data = None
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if line.startswith("data: "):
                data = json.loads(line[len("data: "):])
            elif line == "\n" and data is not None:
                return data

    def close(self):
        self.connection.close()


@pytest.fixture
def served(make_site):
    config = make_site(dict(ARTICLES), config=CONFIG)
    server = Server(config)
    yield config.parent, server
    server.stop()


def test_served_pages_carry_the_reload_script_but_the_files_do_not(served):
    site, server = served
    status, headers, body = server.get("/news/2021/05/harbour-reopens/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Dock workers are back." in body and b"data-newsarchive-reload" in body
    assert body.rstrip().endswith(b"</html>") and body.index(b"data-newsarchive-reload") < body.rindex(b"</body>")
    on_disk = (site / "_site/2021/05/harbour-reopens/index.html").read_bytes()
    assert b"newsarchive-reload" not in on_disk and b"__newsarchive" not in on_disk
    status, headers, body = server.get("/news/css/site.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8" and b"newsarchive-reload" not in body
    status, headers, body = server.get("/news/feed.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")


def test_site_is_served_under_the_base_url_path_with_its_404_page(served):
    site, server = served
    assert server.base.endswith(":%d/news/" % server.port)
    status, headers, _ = server.get("/")
    assert status == 301 and headers["Location"] == "/news/"
    status, headers, _ = server.get("/news/tags")
    assert status == 301 and headers["Location"] == "/news/tags/"
    status, _, body = server.get("/news/no/such/page/")
    assert status == 404
    assert (site / "_site/404.html").read_bytes().split(b"</body>")[0] in body
    status, _, _ = server.get("/2021/05/harbour-reopens/")  # outside the base path
    assert status == 404


def test_nothing_outside_the_site_folder_is_ever_served(served, tmp_path):
    site, server = served
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    (site / "_site" / "leak").symlink_to(tmp_path, target_is_directory=True)
    (site / "_site" / "leak.txt").symlink_to(secret)
    refused = ["/news/../config.yaml", "/news/%2e%2e/config.yaml", "/news/%2E%2E/%2e%2e/secret.txt", "/news/..%2fconfig.yaml",
               "/news/2021/..%2F..%2F..%2Fconfig.yaml", "/news/%2e%2e%5cconfig.yaml", "/news/%00", "/news/%ff%fe"]
    missing = ["/news/leak/secret.txt", "/news/leak.txt", "/news/.newsarchive-output", "/news/.cache/"]
    for path in refused + missing:
        status, _, body = server.get(path)
        assert status == (400 if path in refused else 404), path  # a malformed path is refused before any file is looked up
        assert b"top secret" not in body and b"base_url" not in body, path


def test_edit_rebuilds_and_tells_open_pages_then_a_broken_article_keeps_the_last_good_site(served):
    site, server = served
    events = Events(server)
    first = events.next_state()
    assert first == {"generation": 1, "error": None}

    (site / "articles/2021/a.md").write_text(article("Harbour reopens", "2021-05-15", "Cranes are moving again.", tags="[Port]"), encoding="utf-8")
    assert events.next_state() == {"generation": 2, "error": None}
    assert b"Cranes are moving again." in server.get("/news/2021/05/harbour-reopens/")[2]

    (site / "articles/2021/a.md").write_text("---\ntitle: Harbour reopens\ndate: 15/05/2021\n---\nBroken.\n", encoding="utf-8")
    broken = events.next_state()
    assert broken["generation"] == 2
    assert broken["error"].startswith("2021/a.md:3: error: 'date' is not a date: '15/05/2021'")
    server.wait_for("2021/a.md:3: error: 'date' is not a date")
    server.wait_for("still serving the last good site")
    status, _, body = server.get("/news/2021/05/harbour-reopens/")
    assert status == 200 and b"Cranes are moving again." in body
    assert server.get("/news/2021/06/strike-ends/")[0] == 200

    (site / "articles/2021/a.md").write_text(article("Harbour reopens", "2021-05-15", "Fixed and back.", tags="[Port]"), encoding="utf-8")
    assert events.next_state() == {"generation": 3, "error": None}
    assert b"Fixed and back." in server.get("/news/2021/05/harbour-reopens/")[2]
    events.close()


def test_sigterm_stops_the_server_within_a_second(served):
    site, server = served
    events = Events(server)  # an open page must not hold the server up
    events.next_state()
    seconds = server.stop()
    events.close()
    assert seconds < 1.0
    assert server.process.returncode == 0
    assert "stopped" in "".join(server.output)


def test_no_reload_adds_no_script(make_site):
    config = make_site(dict(ARTICLES), config=CONFIG)
    server = Server(config, "--no-reload")
    try:
        status, _, body = server.get("/news/")
        assert status == 200 and b"newsarchive-reload" not in body
        assert server.get("/news/__newsarchive/events")[0] == 404
    finally:
        server.stop()


def test_busy_port_is_a_clear_error(served):
    site, server = served
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--config", str(site / "config.yaml"), "--port", str(server.port)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{server.port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_requests_resolve_only_inside_the_output(tmp_path):
    out = tmp_path / "site"
    (out / "tags").mkdir(parents=True)
    (out / "index.html").write_text("home", encoding="utf-8")
    (out / "tags/index.html").write_text("tags", encoding="utf-8")
    (tmp_path / "outside.html").write_text("no", encoding="utf-8")
    (out / "out.html").symlink_to(tmp_path / "outside.html")
    assert resolve_request("/a/", "/a/", out) == ("file", out / "index.html")
    assert resolve_request("/a/tags/", "/a/", out) == ("file", out / "tags/index.html")
    assert resolve_request("/a/tags", "/a/", out) == ("redirect", "/a/tags/")
    assert resolve_request("/", "/a/", out) == ("redirect", "/a/")
    for path in ["/a/../outside.html", "/a/%2e%2e/outside.html", "/a/out.html", "/a/tags/%2E%2E/%2E%2E/outside.html", "/b/index.html"]:
        assert resolve_request(path, "/a/", out) == ("missing", None), path


def test_reload_script_goes_before_the_last_body_end():
    snapshot = Snapshot(7, None, Path("/x"), "/news/")
    page = with_reload_script(b"<html><body><p>&lt;/body&gt;</p></body></html>", snapshot)
    assert page.endswith(b"</script></body></html>") and b"var served=7" in page and b'"/news/__newsarchive/events"' in page


# --- in Chromium ------------------------------------------------------------------------------



@pytest.mark.browser
def test_open_page_follows_edits_and_shows_a_broken_article_as_an_overlay(served, browser):
    site, server = served
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.goto(server.base + "2021/05/harbour-reopens/")
    assert "Dock workers are back." in tab.locator("main").inner_text()
    tab.evaluate("() => { window.loadedBefore = true; }")

    (site / "articles/2021/a.md").write_text(article("Harbour reopens", "2021-05-15", "Cranes are moving again.", tags="[Port]"), encoding="utf-8")
    tab.wait_for_function("() => document.querySelector('main').innerText.includes('Cranes are moving again.')")
    assert tab.evaluate("() => window.loadedBefore === undefined")  # the page reloaded by itself

    (site / "articles/2021/a.md").write_text("---\ntitle: Harbour reopens\ndate: 15/05/2021\n---\nBroken.\n", encoding="utf-8")
    overlay = tab.locator("#newsarchive-error-overlay")
    overlay.wait_for(state="visible")
    assert "2021/a.md:3: error: 'date' is not a date: '15/05/2021'" in overlay.inner_text()
    assert "Cranes are moving again." in tab.locator("main").inner_text()  # the last good page is still there
    other = context.new_page()
    response = other.goto(server.base + "2021/06/strike-ends/")
    assert response.status == 200 and "The strike ended." in other.locator("main").inner_text()
    other.locator("#newsarchive-error-overlay").wait_for(state="visible")  # every open page shows the problem
    other.close()

    (site / "articles/2021/a.md").write_text(article("Harbour reopens", "2021-05-15", "Fixed and back.", tags="[Port]"), encoding="utf-8")
    tab.wait_for_function("() => document.querySelector('main').innerText.includes('Fixed and back.')")
    assert tab.locator("#newsarchive-error-overlay").count() == 0
    context.close()
