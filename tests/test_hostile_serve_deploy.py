"""Hostile input for `serve` and `deploy`, by class, against real sockets and real targets.

serve: Host names (DNS rebinding), stalled and slow connections, malformed requests of every
shape, a rebuild meeting another build's lock. The server runs in this process on a free
port of 127.0.0.1 with short deadlines (ServerLimits), and is spoken to with raw sockets.

deploy: what `--delete` may remove (only what this site's manifest lists), foreign files
and `--force`, leftovers of a killed deploy, and file names of every kind (tab, newline,
quotes, spaces, non-ASCII, a leading dash) to a folder, a bare git repository, moto's S3
server and rsync, each name arriving exactly or refused before anything is sent.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import article, run_cli
from newsarchive.lock import build_lock
from newsarchive.commands.deploy import publish
from newsarchive.deploy import TargetSpec
from newsarchive.deploy.folder import FolderTarget, RsyncTarget
from newsarchive.deploy.git import GitTarget
from newsarchive.progress import Progress
from newsarchive.serve import Rebuilder, ServeOptions, SiteState, Snapshot, make_server
from newsarchive.serve_guard import ServerLimits
from test_deploy import s3, s3_endpoint  # noqa: F401 (fixtures: moto's S3 server on 127.0.0.1)

LIMITS = ServerLimits(head_seconds=0.6, send_seconds=3.0, max_connections=16)
DRAFT = b"DRAFT: merger talks with the Gazette"


# --- serve: a server in this process, spoken to with raw sockets --------------------------------

@pytest.fixture
def server(tmp_path):
    out = tmp_path / "_site"
    (out / "2024/06/merger").mkdir(parents=True)
    (out / "index.html").write_text("<html><body><p>Home</p></body></html>", encoding="utf-8")
    (out / "2024/06/merger/index.html").write_bytes(b"<html><body><p>" + DRAFT + b"</p></body></html>")
    (out / "404.html").write_text("<html><body><p>Not here</p></body></html>", encoding="utf-8")
    state = SiteState(Snapshot(1, None, out, "/news/"))
    httpd = make_server("127.0.0.1", 0, state, False, LIMITS, allowed_hosts=("newsroom.lan",))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    state.stop()
    httpd.shutdown()
    httpd.server_close()


def exchange(port: int, data: bytes, wait: float = 5.0) -> tuple[int | None, bytes, float]:
    """(status, body, seconds) of the first response to `data`; status None if the server closed without one."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        if data:
            connection.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                return (None, received, time.monotonic() - started)
            received += chunk
        head, body = received.split(b"\r\n\r\n", 1)
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            body += chunk
    return int(head.split(b" ")[1]), body, time.monotonic() - started


def get(path: str = "/news/2024/06/merger/", host: str | None = "localhost", extra: bytes = b"") -> bytes:
    return (f"GET {path} HTTP/1.1\r\n".encode("latin-1") + (f"Host: {host}\r\n".encode("latin-1") if host is not None else b"")
            + extra + b"Connection: close\r\n\r\n")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example",
                                  "xn--e1afmkfd.example", "newsroom.lan.evil.example"])
def test_dns_rebinding_host_is_refused_and_reads_no_draft(server, host):
    status, body, _ = exchange(server.server_address[1], get(host=host))
    assert status == 421
    assert DRAFT not in body and b"--allow-host" in body and host.split(":")[0].encode() in body


@pytest.mark.parametrize("host", ["localhost", "localhost:1", "LOCALHOST.", "127.0.0.1:8000", "[::1]:9", "[::1]",
                                  "newsroom.lan:8000", "10.0.0.5"])
def test_names_it_serves_on_any_port_are_answered(server, host):
    status, body, _ = exchange(server.server_address[1], get(host=host))
    assert status == 200 and DRAFT in body


@pytest.mark.parametrize("request_bytes", [
    b"GET /news/ HTTP/1.1\r\n\r\n",  # HTTP/1.1 without Host
    b"GET /news/ HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
    b"GET /news/ HTTP/1.1\r\nHost: evil.example@localhost\r\n\r\n",
    b"GET /news/ HTTP/1.1\r\nHost: localhost:99999\r\n\r\n",
    b"GET /news/ HTTP/1.1\r\nHost: [::1\r\n\r\n",
    b"GET /news/ HTTP/1.1\r\nHost: \r\n\r\n",
    b"GET /news/ HTTP/1.1\r\nHost: local host\r\n\r\n",
], ids=["no-host", "two-hosts", "userinfo", "bad-port", "open-bracket", "empty", "space"])
def test_malformed_host_header_is_400(server, request_bytes):
    status, body, _ = exchange(server.server_address[1], request_bytes)
    assert status == 400 and DRAFT not in body and (b"Host" in body)


MALFORMED = [
    ("long-segment", get("/news/" + "a" * 300 + "/"), 414, b"255 bytes"),
    ("long-utf8-segment", get("/news/" + "%D8%B9" * 130 + "/"), 414, b"255 bytes"),
    ("encoded-nul", get("/news/index.html%00.txt"), 400, b"NUL"),
    ("raw-nul", b"GET /news/\x00 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, b"control character"),
    ("bad-percent", get("/news/%zz/"), 400, b"percent-encoding"),
    ("truncated-percent", get("/news/a%4"), 400, b"percent-encoding"),
    ("not-utf8", get("/news/%ff%fe/"), 400, b"UTF-8"),
    ("overlong-request-line", get("/news/" + "a/" * 6000), 414, b"request line"),
    ("overlong-header", get(extra=b"X-Junk: " + b"a" * 40000 + b"\r\n"), 431, b"headers larger"),
    ("too-many-headers", get(extra=b"".join(b"X-%d: y\r\n" % i for i in range(150))), 431, b"headers"),
    ("dotdot", get("/news/../config.yaml"), 400, b"'..'"),
    ("encoded-dotdot", get("/news/%2e%2e/%2E%2E/etc/passwd"), 400, b"'..'"),
    ("encoded-slash-dotdot", get("/news/2024/..%2f..%2fconfig.yaml"), 400, b"'..'"),
    ("dot-segment", get("/news/./index.html"), 400, b"'.'"),
    ("backslash", get("/news/..%5c..%5cconfig.yaml"), 400, b"backslash"),
    ("absolute-form", get("http://evil.example/news/"), 400, b"not a proxy"),
    ("absolute-form-localhost", get("http://localhost/news/2024/06/merger/"), 400, b"not a proxy"),
    ("no-slash", get("news/"), 400, b"starting with '/'"),
    ("asterisk", get("*"), 400, b"starting with '/'"),
    ("double-slash", get("//evil.example/"), 400, b"'//'"),
    ("fragment", get("/news/#x"), 400, b"fragment"),
    ("post", b"POST /news/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc", 405, b"only GET and HEAD"),
    ("unknown-method", b"BREW /news/ HTTP/1.1\r\nHost: localhost\r\n\r\n", 405, b"only GET and HEAD"),
    ("bad-method-token", b"G(T /news/ HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, b"method"),
    ("http2", b"GET /news/ HTTP/2.0\r\nHost: localhost\r\n\r\n", 400, b"HTTP/1.0 and HTTP/1.1"),
    ("garbage-version", b"GET /news/ HTTPS/1.1\r\nHost: localhost\r\n\r\n", 400, b"protocol"),
    ("http09", b"GET /news/\r\n\r\n", 400, b"request line"),
    ("extra-spaces", b"GET  /news/  HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, b"request line"),
    ("garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, b"request line"),
    ("raw-non-ascii", "GET /news/caf\u00e9/ HTTP/1.1\r\nHost: localhost\r\n\r\n".encode("utf-8"), 400, b"percent-encode"),
    ("bare-cr", b"GET /news/\rX HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, b"bare CR"),
    ("folded-header", get(extra=b"X-A: 1\r\n  folded\r\n"), 400, b"folded"),
    ("header-without-colon", get(extra=b"NoColonHere\r\n"), 400, b"malformed header"),
    ("space-before-colon", get(extra=b"Host : evil.example\r\n"), 400, b"malformed header"),
    ("nul-in-header", get(extra=b"X-A: a\x00b\r\n"), 400, b"control character"),
    ("get-with-body", get(extra=b"Content-Length: 5\r\n"), 400, b"no body"),
    ("chunked", get(extra=b"Transfer-Encoding: chunked\r\n"), 400, b"no body"),
    ("bad-content-length", get(extra=b"Content-Length: -1\r\n"), 400, b"no body"),
    ("empty-lines-only", b"\r\n" * 10, 400, b"empty lines"),
]


@pytest.mark.parametrize("request_bytes, status, says", [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_malformed_request_gets_a_clear_4xx_at_once(server, request_bytes, status, says):
    got, body, seconds = exchange(server.server_address[1], request_bytes)
    assert got == status, body
    assert says in body and DRAFT not in body and b"Traceback" not in body  # answered at once: a stalled one gets no status


def test_a_site_file_with_an_odd_but_valid_name_is_still_served(server):
    out = server.state.snapshot.output_dir
    (out / "caf\u00e9 & co").mkdir()
    (out / "caf\u00e9 & co" / "index.html").write_text("<p>odd name</p>", encoding="utf-8")
    status, body, _ = exchange(server.server_address[1], get("/news/caf%C3%A9%20&%20co/"))
    assert status == 200 and b"odd name" in body
    status, _, _ = exchange(server.server_address[1], get("/news/no-such-page/?q=%zz"))  # the query is not the path
    assert status == 404


@pytest.mark.parametrize("sent", [b"", b"GET /news/ HT", b"GET /news/ HTTP/1.1\r\nHost: localhost\r\n"],
                         ids=["nothing", "half-request-line", "headers-never-end"])
def test_stalled_connection_is_closed_after_the_head_deadline(server, sent):
    status, _, seconds = exchange(server.server_address[1], sent, wait=10)
    assert status is None  # closed by the server, not by our own timeout
    assert LIMITS.head_seconds * 0.8 <= seconds < LIMITS.head_seconds + 1.5
    deadline = time.monotonic() + 2
    while server.open_connections() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.open_connections() == 0


def test_slow_drip_of_a_request_is_cut_at_the_deadline(server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as connection:
        closed = False
        for byte in get():
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.1)  # never a pause long enough for a per-read timeout
            if time.monotonic() - started > LIMITS.head_seconds + 1.5:
                break
        if not closed:
            connection.settimeout(2)
            try:
                closed = connection.recv(100) == b""
            except OSError:
                closed = True
    assert closed and time.monotonic() - started < LIMITS.head_seconds + 2


def test_150_stalled_connections_do_not_lock_out_a_good_request(server):
    patient = make_server("127.0.0.1", 0, server.state, False, ServerLimits(head_seconds=30, max_connections=16))
    threading.Thread(target=patient.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = patient.server_address[1]  # deadlines far away: only making room for the newcomer can answer it
    stalled = []
    try:
        for number in range(150):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            if number % 3 == 1:
                connection.sendall(b"GET /news/ HTTP/1.1\r\nHo")
            stalled.append(connection)
        status, body, seconds = exchange(port, get())
        assert status == 200 and DRAFT in body and seconds < 5
        assert patient.open_connections() <= 16
        assert threading.active_count() < 60  # bounded: not a thread per stalled connection
    finally:
        for connection in stalled:
            connection.close()
        patient.shutdown()
        patient.server_close()


def test_keep_alive_answers_pipelined_requests_then_closes_when_idle(server):
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as connection:
        started = time.monotonic()
        connection.sendall(b"GET /news/ HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /news/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
        received = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    assert received.count(b"HTTP/1.1 200 OK") == 2 and received.count(b"<p>Home</p>") == 1
    assert time.monotonic() - started < LIMITS.head_seconds + 1.5  # the idle connection was then closed


def test_http_1_0_without_host_is_served(server):
    status, body, _ = exchange(server.server_address[1], b"GET /news/2024/06/merger/ HTTP/1.0\r\n\r\n")
    assert status == 200 and DRAFT in body


def test_rebuild_that_meets_a_command_line_build_waits_and_then_rebuilds(make_site):
    config = make_site({"articles/2024/a.md": article("Harbour reopens", "2024-05-15", "Dock workers are back.")},
                       config="title: Lock test\nbase_url: https://example.org/news/\n")
    state = SiteState(Snapshot(0, None, config.parent / "_site", "/news/"))
    said: list[str] = []
    rebuilder = Rebuilder(ServeOptions(config, lock_poll_seconds=0.05), state, said.append)
    assert rebuilder.rebuild() is not None and state.snapshot.generation == 1
    (config.parent / "articles/2024/a.md").write_text(article("Harbour reopens", "2024-05-15", "Cranes are moving again."), encoding="utf-8")
    finished = threading.Event()
    with build_lock(config.parent / ".cache") as free:  # a command-line build holds the lock
        assert free
        worker = threading.Thread(target=lambda: (rebuilder.rebuild(), finished.set()), daemon=True)
        worker.start()
        time.sleep(0.5)
        assert not finished.is_set() and state.snapshot.generation == 1 and state.snapshot.error is None
        assert any("another build of this site is running" in line and "rebuilding as soon as it ends" in line for line in said)
    assert finished.wait(60)
    assert state.snapshot.generation == 2 and state.snapshot.error is None
    assert "Cranes are moving again." in (config.parent / "_site/2024/05/harbour-reopens/index.html").read_text(encoding="utf-8")


# --- deploy: the manifest, foreign files, --force -----------------------------------------------

SITE = "https://example.org/news/"
FOREIGN = {".htaccess": "Options -Indexes\n", ".well-known/acme-challenge/token": "acme", "other-app/index.php": "<?php ?>",
           "other-app/.env": "SECRET=1"}


def folder_site(make_site, www: Path) -> Path:
    files = {"articles/2024/a.md": article("Harbour reopens", "2024-05-15", "Dock workers are back."),
             "articles/2024/b.md": article("Strike ends", "2024-06-01", "The strike ended.")}
    return make_site(files, config=f"title: Deploy test\nbase_url: {SITE}\ndeploy:\n  mirror: {{url: \"{www}\"}}\n")


def put_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def test_delete_never_touches_files_this_site_did_not_put_there(make_site, tmp_path):
    www = tmp_path / "www"
    config = folder_site(make_site, www)
    assert run_cli("deploy", "--config", config).code == 0
    put_files(www, FOREIGN)
    (config.parent / "articles/2024/b.md").unlink()
    record = config.parent / "published-urls.txt"  # its URL given up for good, so its page leaves the site (links.py)
    record.write_text("".join(line for line in record.read_text().splitlines(keepends=True) if "strike-ends" not in line))

    refused = run_cli("deploy", "--config", config, "--delete")
    assert refused.code == 1
    assert "--delete refused: the target holds 4 file(s) that no earlier deploy of this site put there" in refused.err
    assert ".htaccess" in refused.err and ".well-known/acme-challenge/token" in refused.err and "--force" in refused.err
    assert (www / "2024/06/strike-ends/index.html").is_file()  # nothing at all was done

    forced = run_cli("deploy", "--config", config, "--delete", "--force")
    assert forced.code == 0, forced.err
    assert "  deleted 2024/06/strike-ends/index.html" in forced.out
    assert not (www / "2024/06/strike-ends").exists()
    for rel, text in FOREIGN.items():
        assert (www / rel).read_text(encoding="utf-8") == text, rel
    assert "4 files on the target are not in the site; kept" in forced.out
    manifest = json.loads((www / ".newsarchive-deploy.json").read_text(encoding="utf-8"))
    assert manifest["site"] == SITE and "2024/06/strike-ends/index.html" not in manifest["files"] and ".htaccess" not in manifest["files"]


def test_delete_into_a_folder_no_deploy_made_is_refused_before_anything_is_sent(make_site, tmp_path):
    www = tmp_path / "www"
    put_files(www, {"index.html": "another application's home", "app.js": "x"})
    config = folder_site(make_site, www)
    for extra in ([], ["--dry-run"]):
        result = run_cli("deploy", "--config", config, "--delete", *extra)
        assert result.code == 1 and "no .newsarchive-deploy.json yet" in result.err and "app.js" in result.err
    assert (www / "index.html").read_text(encoding="utf-8") == "another application's home"
    assert sorted(p.name for p in www.iterdir()) == ["app.js", "index.html"]


@pytest.mark.parametrize("manifest, says", [
    (b'{"site": "https://other.example/", "files": ["app.js"]}', "written by a deploy of https://other.example/"),
    (b'{"site": "https://example.org/news/", "files": "app.js"}', "damaged"),
    (b"\xff\xfe not json", "damaged"),
], ids=["another-site", "wrong-shape", "not-json"])
def test_a_manifest_that_cannot_vouch_for_files_protects_them(make_site, tmp_path, manifest, says):
    www = tmp_path / "www"
    put_files(www, {"app.js": "x", ".newsarchive-deploy.json": manifest})
    config = folder_site(make_site, www)
    result = run_cli("deploy", "--config", config, "--delete")
    assert result.code == 1 and says in result.err and "app.js" in result.err
    forced = run_cli("deploy", "--config", config, "--delete", "--force")
    assert forced.code == 0, forced.err
    assert (www / "app.js").read_text(encoding="utf-8") == "x" and (www / "index.html").is_file()


def test_leftovers_of_a_killed_deploy_are_removed_by_the_next(make_site, tmp_path):
    www = tmp_path / "www"
    config = folder_site(make_site, www)
    assert run_cli("deploy", "--config", config).code == 0
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that is surely not running
    put_files(www, {f"2024/.newsarchive-deploy-tmp-{dead.pid}-7": "half a page",
                    f".index.html.na-deploy-{dead.pid}": "from an older version"})
    put_files(www, {f"css/.newsarchive-deploy-tmp-{os.getppid()}-1": "a deploy still running"})
    result = run_cli("deploy", "--config", config, "--delete")
    assert result.code == 0, result.err  # leftovers are not foreign files
    assert "removed 2 temporary file(s) an interrupted deploy had left in the target" in result.out
    assert not (www / f"2024/.newsarchive-deploy-tmp-{dead.pid}-7").exists() and not (www / f".index.html.na-deploy-{dead.pid}").exists()
    assert (www / f"css/.newsarchive-deploy-tmp-{os.getppid()}-1").exists()  # its owner is alive: not ours to remove


def test_a_site_file_with_a_name_deploy_keeps_for_itself_is_refused(tmp_path):
    out = tmp_path / "out"
    put_files(out, {"index.html": "home", ".newsarchive-deploy.json": "{}"})
    code, printed, said = publish_to(FolderTarget(TargetSpec("mirror", str(tmp_path / "www")), (out,), tmp_path), out)
    assert code == 1 and "'.newsarchive-deploy.json': a name deploy keeps for itself" in said and "nothing was sent" in said
    assert not (tmp_path / "www").exists()


# --- deploy: any file name the build can produce, to every kind of target ------------------------

ODD = {"tab\there.txt": "tab", "new\nline.txt": "newline", 'quote"s and \'apostrophes\'.txt': "quotes",
       "spaces in name.txt": "spaces", "caf\u00e9/\u0645\u0642\u0627\u0644.txt": "non-ascii", "-leading-dash.txt": "dash",
       "--delete": "looks like an option", "back\\#012slash.txt": "rsync escape look-alike", "100%25 +plus?.txt": "url-ish",
       "index.html": "<p>home</p>"}


def publish_to(target, out: Path, **flags) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    from contextlib import redirect_stderr, redirect_stdout
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = publish(target, target.spec, out, SITE, Progress(stdout, enabled=True), **flags)
    return code, stdout.getvalue(), stderr.getvalue()


def held_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.name != ".newsarchive-deploy.json"}


def odd_output(tmp_path: Path, names: dict[str, str]) -> Path:
    out = tmp_path / "out"
    put_files(out, names)
    return out


def test_folder_target_keeps_every_odd_name_exactly(tmp_path):
    out = odd_output(tmp_path, ODD)
    www = tmp_path / "www"
    target = lambda: FolderTarget(TargetSpec("mirror", str(www)), (out,), tmp_path)
    code, printed, said = publish_to(target(), out)
    assert code == 0, said
    assert held_files(www) == held_files(out)
    assert "  uploaded 'new\\nline.txt'" in printed  # one line per name, even with a newline in it
    (out / "new\nline.txt").unlink()
    (out / "tab\there.txt").unlink()
    code, printed, said = publish_to(target(), out, delete=True)
    assert code == 0, said
    assert "deleted 2, unchanged 8" in printed and held_files(www) == held_files(out)


def git_run(*args: str, cwd: Path) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def test_git_target_commits_every_odd_name_exactly(tmp_path):
    remote = tmp_path / "pages.git"
    git_run("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    out = odd_output(tmp_path, ODD)
    target = lambda: GitTarget(TargetSpec("pages", f"git+file://{remote}"), tmp_path)
    code, printed, said = publish_to(target(), out)
    assert code == 0, said
    names = set(git_run("ls-tree", "-r", "-z", "--name-only", "gh-pages", cwd=remote).decode("utf-8").split("\0")) - {""}
    assert names == set(ODD) | {".newsarchive-deploy.json"}
    assert git_run("show", "gh-pages:new\nline.txt", cwd=remote) == b"newline"
    code, printed, said = publish_to(target(), out)
    assert code == 0 and "no new commit" in printed
    (out / "tab\there.txt").unlink()
    code, printed, said = publish_to(target(), out, delete=True)
    assert code == 0, said
    names = set(git_run("ls-tree", "-r", "-z", "--name-only", "gh-pages", cwd=remote).decode("utf-8").split("\0")) - {""}
    assert "tab\there.txt" not in names and "new\nline.txt" in names


def test_git_refuses_names_git_would_drop_before_anything_is_sent(tmp_path):
    remote = tmp_path / "pages.git"
    git_run("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    out = odd_output(tmp_path, {"index.html": "home", "git~1/x.txt": "x", "docs/.GIT/config": "y"})
    code, printed, said = publish_to(GitTarget(TargetSpec("pages", f"git+file://{remote}"), tmp_path), out)
    assert code == 1 and "2 file name(s) of the site cannot be sent to this target, so nothing was sent" in said
    assert "'git~1/x.txt'" in said and "'docs/.GIT/config'" in said
    assert "uploaded" not in printed
    assert git_run("branch", "--list", cwd=remote) == b""  # no commit was pushed


def test_git_branch_with_a_file_another_tool_committed_is_protected(tmp_path):
    remote = tmp_path / "pages.git"
    git_run("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    out = odd_output(tmp_path, {"index.html": "home", "old.html": "old"})
    target = lambda: GitTarget(TargetSpec("pages", f"git+file://{remote}"), tmp_path)
    assert publish_to(target(), out)[0] == 0
    clone = tmp_path / "clone"
    git_run("clone", "--quiet", "-b", "gh-pages", str(remote), str(clone), cwd=tmp_path)
    (clone / "CNAME").write_text("news.example.org\n", encoding="utf-8")
    git_run("add", "CNAME", cwd=clone)
    git_run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "custom domain", cwd=clone)
    git_run("push", "--quiet", "origin", "gh-pages", cwd=clone)
    (out / "old.html").unlink()
    code, printed, said = publish_to(target(), out, delete=True)
    assert code == 1 and "CNAME" in said and "--force" in said
    code, printed, said = publish_to(target(), out, delete=True, force=True)
    assert code == 0, said
    names = git_run("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).decode().split()
    assert "CNAME" in names and "old.html" not in names


def s3_target(endpoint: str, bucket: str, prefix: str = "site/"):
    from newsarchive.deploy.s3 import S3Target
    return S3Target(TargetSpec("store", f"s3://{bucket}/{prefix}", endpoint=endpoint, region="us-east-1"))


def test_s3_refuses_control_characters_before_anything_is_sent(tmp_path, s3):  # noqa: F811
    client, bucket, endpoint = s3
    out = odd_output(tmp_path, ODD)
    code, printed, said = publish_to(s3_target(endpoint, bucket), out)
    assert code == 1 and "2 file name(s) of the site cannot be sent" in said
    assert "'new\\nline.txt': holds a control character" in said and "'tab\\there.txt'" in said
    assert "uploaded" not in printed and client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_s3_keeps_other_odd_names_exactly_and_protects_foreign_objects(tmp_path, s3):  # noqa: F811
    client, bucket, endpoint = s3
    names = {rel: text for rel, text in ODD.items() if "\t" not in rel and "\n" not in rel}
    out = odd_output(tmp_path, names)
    code, printed, said = publish_to(s3_target(endpoint, bucket), out)
    assert code == 0, said
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {"site/" + rel for rel in names} | {"site/.newsarchive-deploy.json"}
    assert client.get_object(Bucket=bucket, Key="site/-leading-dash.txt")["Body"].read() == b"dash"
    client.put_object(Bucket=bucket, Key="site/uploads/reader-photo.jpg", Body=b"not ours")
    (out / "--delete").unlink()
    code, printed, said = publish_to(s3_target(endpoint, bucket), out, delete=True)
    assert code == 1 and "uploads/reader-photo.jpg" in said
    assert "site/--delete" in {item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]}
    code, printed, said = publish_to(s3_target(endpoint, bucket), out, delete=True, force=True)
    assert code == 0, said
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]}
    assert "site/uploads/reader-photo.jpg" in keys and "site/--delete" not in keys


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_rsync_target_keeps_every_odd_name_and_deletes_only_its_own(tmp_path):
    out = odd_output(tmp_path, ODD)
    www = tmp_path / "rsynced"
    target = RsyncTarget(TargetSpec("mirror", str(www)))
    code, printed, said = publish_to(target, out)
    assert code == 0, said
    assert held_files(www) == held_files(out)
    put_files(www, {"uploads/reader.jpg": "not ours", ".newsarchive-deploy-tmp/.index.html.Ab12Cd": "killed rsync's leftover"})
    (out / "new\nline.txt").unlink()
    code, printed, said = publish_to(target, out, delete=True)
    assert code == 1 and "uploads/reader.jpg" in said and (www / "new\nline.txt").is_file()
    code, printed, said = publish_to(target, out, delete=True, force=True)
    assert code == 0, said
    assert "  deleted 'new\\nline.txt'" in printed
    assert not (www / "new\nline.txt").exists() and (www / "uploads/reader.jpg").read_text() == "not ours"
    assert not (www / ".newsarchive-deploy-tmp").exists()


# --- found by attacking the change (inputs invented after the suite above passed) ---------------

def test_a_name_that_is_not_utf8_reaches_folder_and_git_and_is_printed_on_one_line(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("home", encoding="utf-8")
    odd = os.fsdecode(b"latin1-caf\xe9.txt")
    (out / odd).write_bytes(b"bytes name")
    code, printed, said = publish_to(FolderTarget(TargetSpec("mirror", str(tmp_path / "www")), (out,), tmp_path), out)
    assert code == 0, said
    assert (tmp_path / "www" / odd).read_bytes() == b"bytes name" and "  uploaded 'latin1-caf\\udce9.txt'" in printed
    remote = tmp_path / "pages.git"
    git_run("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    code, printed, said = publish_to(GitTarget(TargetSpec("pages", f"git+file://{remote}"), tmp_path), out)
    assert code == 0, said
    assert git_run("show", b"gh-pages:latin1-caf\xe9.txt".decode("utf-8", "surrogateescape"), cwd=remote) == b"bytes name"


def test_s3_refuses_a_name_that_is_not_utf8_or_too_long_before_sending(tmp_path, s3):  # noqa: F811
    client, bucket, endpoint = s3
    out = tmp_path / "out"
    put_files(out, {"index.html": "home", "/".join(["x" * 200] * 6) + "/a.txt": "deep"})
    (out / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"x")
    code, printed, said = publish_to(s3_target(endpoint, bucket), out)
    assert code == 1 and "not UTF-8, which S3 keys must be" in said and "S3 allows 1,024" in said
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def test_a_symlink_in_the_target_leading_out_is_refused_before_sending(tmp_path):
    out = odd_output(tmp_path, {"index.html": "home", "assets/site.css": "body{}"})
    www, elsewhere = tmp_path / "www", tmp_path / "elsewhere"
    www.mkdir()
    elsewhere.mkdir()
    (www / "assets").symlink_to(elsewhere, target_is_directory=True)
    code, printed, said = publish_to(FolderTarget(TargetSpec("mirror", str(www)), (out,), tmp_path), out)
    assert code == 1 and "'assets/site.css': its folder in the target is a symlink leading out" in said
    assert list(elsewhere.iterdir()) == [] and not (www / "index.html").exists()


@pytest.mark.parametrize("url, kind", [("git+--upload-pack=touch pwned:x.git", "git"), ("-e touch pwned@host:/x", "rsync")])
def test_a_target_url_that_looks_like_an_option_is_refused(make_site, tmp_path, url, kind):
    config = make_site({"articles/2024/a.md": article("A", "2024-05-15", "Body.")},
                       config=f"title: X\nbase_url: {SITE}\ndeploy:\n  bad: {{url: \"{url}\"}}\n")
    result = run_cli("deploy", "--config", config)
    assert result.code == 1 and "which " + kind + " would read as an option" in result.err
    assert not (config.parent / "pwned").exists() and not Path("pwned").exists()


def test_more_headers_than_the_parser_takes_is_431_not_a_crash(server):
    roomy = make_server("127.0.0.1", 0, server.state, False, ServerLimits(head_seconds=1, max_headers=300))
    threading.Thread(target=roomy.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        status, body, _ = exchange(roomy.server_address[1], get(extra=b"".join(b"X-%d: y\r\n" % i for i in range(200))))
        assert status == 431 and b"headers" in body
    finally:
        roomy.shutdown()
        roomy.server_close()


def test_serve_binds_an_ipv6_loopback_when_asked(server):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    try:
        six = make_server("::1", 0, server.state, False, LIMITS)
    except OSError:
        pytest.skip("::1 is not configured here")
    threading.Thread(target=six.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with socket.create_connection(("::1", six.server_address[1]), timeout=5) as connection:
            connection.sendall(get(host="[::1]:1"))
            assert connection.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        six.shutdown()
        six.server_close()


def test_when_every_connection_is_busy_a_newcomer_gets_503_and_is_served_once_one_frees(server):
    tight = make_server("127.0.0.1", 0, server.state, True, ServerLimits(head_seconds=5, max_connections=2))
    threading.Thread(target=tight.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = tight.server_address[1]
    streams = []
    try:
        for _ in range(2):  # live-reload event streams: busy for as long as the page is open, never dropped for room
            stream = socket.create_connection(("127.0.0.1", port), timeout=5)
            stream.sendall(b"GET /news/__newsarchive/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert b"text/event-stream" in stream.recv(4096)
            streams.append(stream)
        status, body, _ = exchange(port, get())
        assert status == 503 and b"busy" in body
        streams.pop().close()  # a tab is closed: its slot is free within a tick, not at the next keep-alive write
        time.sleep(1)
        status, body, _ = exchange(port, get())
        assert status == 200 and DRAFT in body
    finally:
        for stream in streams:
            stream.close()
        tight.shutdown()
        tight.server_close()


def test_real_serve_drafts_refuses_a_rebinding_host_and_answers_an_allowed_one(make_site):
    from test_serve import Server
    config = make_site({"articles/2024/a.md": article("Merger talks", "2024-05-15", "Secret draft body.", draft="true")},
                       config="title: Newsroom\nbase_url: https://example.org/news/\n")
    running = Server(config, "--drafts", "--no-reload", "--allow-host", "newsroom.lan")
    try:
        path = "/news/2024/05/merger-talks/"
        status, body, _ = exchange(running.port, get(path, host="evil.example"))
        assert status == 421 and b"Secret draft body." not in body
        for host in (f"127.0.0.1:{running.port}", f"localhost:{running.port}", "newsroom.lan"):
            status, body, _ = exchange(running.port, get(path, host=host))
            assert status == 200 and b"Secret draft body." in body, host
    finally:
        running.stop()


def test_a_path_longer_than_the_file_system_takes_is_404_not_a_dropped_connection(server):
    path = "/news/" + "/".join(["s" * 250] * 30) + "/"  # every segment fits, the whole is past PATH_MAX
    status, body, _ = exchange(server.server_address[1], get(path))
    assert status == 404 and b"Not here" in body


def test_a_malformed_request_after_a_good_one_on_the_same_connection_is_refused_and_closes_it(server):
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as connection:
        connection.sendall(b"GET /news/ HTTP/1.1\r\nHost: localhost\r\n\r\nGET /news/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                           b"GET /news/2024/06/merger/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 200 OK") and b"HTTP/1.1 400 Bad Request" in received
    assert DRAFT not in received  # nothing after the refusal is read: the connection was closed


def test_a_branch_pushed_by_hand_gets_its_manifest_even_when_no_file_changed(tmp_path):
    remote, clone = tmp_path / "pages.git", tmp_path / "clone"
    git_run("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    out = odd_output(tmp_path, {"index.html": "home"})
    git_run("init", "--quiet", "-b", "gh-pages", str(clone), cwd=tmp_path)
    (clone / "index.html").write_text("home", encoding="utf-8")
    (clone / "stale.html").write_text("an old page", encoding="utf-8")
    git_run("add", ".", cwd=clone)
    git_run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "by hand", cwd=clone)
    git_run("push", "--quiet", str(remote), "gh-pages", cwd=clone)
    target = lambda: GitTarget(TargetSpec("pages", f"git+file://{remote}"), tmp_path)
    code, printed, said = publish_to(target(), out, delete=True)
    assert code == 1 and "stale.html" in said and "no .newsarchive-deploy.json yet" in said
    code, printed, said = publish_to(target(), out)  # nothing to upload, but the manifest is new: committed
    assert code == 0 and "pushed commit" in printed, said
    assert json.loads(git_run("show", "gh-pages:.newsarchive-deploy.json", cwd=remote))["files"] == ["index.html"]
    code, printed, said = publish_to(target(), out, delete=True)  # stale.html is still nobody's: refused again
    assert code == 1 and "stale.html" in said
    code, printed, said = publish_to(target(), out)
    assert code == 0 and "no new commit" in printed


def test_bare_lf_line_endings_and_allow_host_with_a_port_are_accepted(server):
    status, body, _ = exchange(server.server_address[1], b"GET /news/2024/06/merger/ HTTP/1.1\nHost: localhost\nConnection: close\n\n")
    assert status == 200 and DRAFT in body
    named = make_server("127.0.0.1", 0, server.state, False, LIMITS, allowed_hosts=("News.LAN:8000",))
    threading.Thread(target=named.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        assert exchange(named.server_address[1], get(host="news.lan:9999"))[0] == 200  # the name, on any port
        assert exchange(named.server_address[1], get(host="news.lan.evil.example"))[0] == 421
    finally:
        named.shutdown()
        named.server_close()


def test_a_bug_while_answering_is_a_500_and_one_line_not_a_traceback(server, monkeypatch, capsys):
    import newsarchive.serve as serve_module

    def broken(*args):
        raise RuntimeError("boom")
    monkeypatch.setattr(serve_module, "resolve_request", broken)
    status, body, _ = exchange(server.server_address[1], get("/news/"))
    assert status == 500 and b"internal error" in body
    said = capsys.readouterr().err
    assert "serve: internal error answering /news/: RuntimeError: boom" in said and "Traceback" not in said


@pytest.mark.parametrize("where", ["request-line", "header"])
def test_a_two_megabyte_head_still_gets_its_answer(server, where):
    junk = b"a" * 2_000_000
    data = (b"GET /" + junk + b" HTTP/1.1\r\nHost: localhost\r\n\r\n" if where == "request-line"
            else b"GET /news/ HTTP/1.1\r\nHost: localhost\r\nX-Junk: " + junk + b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as connection:
        sender = threading.Thread(target=lambda: _send_quietly(connection, data), daemon=True)
        sender.start()
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    assert received.split(b"\r\n")[0] == (b"HTTP/1.1 414 Request-URI Too Long" if where == "request-line"
                                          else b"HTTP/1.1 431 Request Header Fields Too Large")


def _send_quietly(connection: socket.socket, data: bytes) -> None:
    try:
        connection.sendall(data)
    except OSError:
        pass  # the server stopped reading after its answer
