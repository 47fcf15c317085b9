"""The local server's front door: which requests are answered at all, and for how long a connection may wait.

`serve` runs on the writer's machine, often with drafts, so a web page elsewhere must not
be able to read it. Three guards:

- the Host header must name this server (localhost, an IP address, the bind address or a
  name given with --allow-host): a page on evil.example whose DNS answer is switched to
  127.0.0.1 (DNS rebinding) is told 421 and reads nothing;
- every request is read within a deadline, on a bounded number of connections: a
  connection that sends nothing, or half a request line, is closed after `head_seconds`,
  and when all connections are taken the one that has waited longest for its request is
  dropped to make room, so stalled connections never lock good requests out;
- every malformed request gets a short 4xx answer in plain text (never a hang or a
  traceback), before any file is looked up.
"""
from __future__ import annotations

import http.client
import http.server
import io
import ipaddress
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import unquote_to_bytes

ALLOWED_METHODS = ("GET", "HEAD")
MAX_SEGMENT_BYTES = 255  # no file name on the output's file system is longer
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_VERSION = re.compile(r"HTTP/(\d)\.(\d)\Z")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST_NAME = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?\Z")


@dataclass(frozen=True)
class ServerLimits:
    """How long and how many; tests shorten them."""
    head_seconds: float = 5.0  # to send a whole request head (also how long an idle keep-alive connection stays)
    send_seconds: float = 30.0  # a client that stops reading its answer for this long is dropped
    max_connections: int = 64
    max_request_line: int = 8192
    max_head_bytes: int = 32768
    max_headers: int = 100


class Refusal(Exception):
    """A request answered with `status` and a one-line `reason`, and the connection closed."""

    def __init__(self, status: int, reason: str, allow: str | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.allow = allow


@dataclass(frozen=True)
class HostPolicy:
    """The Host header values this server answers to (any port): these names, and IP addresses,
    which no DNS answer can rebind."""
    names: frozenset[str]

    def check(self, value: str | None) -> None:
        if value is None:
            return
        name, is_address = parse_host(value)
        if not is_address and name not in self.names:
            shown = ", ".join(sorted(self.names))
            raise Refusal(421, f"this server answers only for {shown} or an IP address, not for '{name}'; "
                               f"to reach it by that name, start serve with --allow-host {name}")


def host_policy(bind_host: str, extra_names: Iterable[str] = ()) -> HostPolicy:
    names = {"localhost"}
    for name in (bind_host, *extra_names):
        if name and name not in ("0.0.0.0", "::"):
            try:
                names.add(parse_host(name)[0])  # "news.lan:8000" allows news.lan on any port
            except Refusal:
                names.add(name.strip("[]").lower().rstrip("."))
    return HostPolicy(frozenset(names))


def parse_host(value: str) -> tuple[str, bool]:
    """(host in lower case, whether it is an IP address) from a Host header; Refusal(400) if malformed."""
    text = value.strip()
    if text.startswith("["):
        inside, bracket, port = text[1:].partition("]")
        try:
            ipaddress.IPv6Address(inside)
        except ValueError:
            raise Refusal(400, f"malformed Host header: {value!r}") from None
        if not bracket or port and not (port.startswith(":") and _port_ok(port[1:])):
            raise Refusal(400, f"malformed Host header: {value!r}")
        return inside.lower(), True
    name, colon, port = text.rpartition(":") if ":" in text else (text, "", "")
    if not name or colon and not _port_ok(port) or not _HOST_NAME.match(name):
        raise Refusal(400, f"malformed Host header: {value!r}")
    name = name.lower().rstrip(".")
    try:
        ipaddress.IPv4Address(name)
        return name, True
    except ValueError:
        return name, False


def _port_ok(port: str) -> bool:
    return port == "" or port.isdigit() and len(port) <= 5 and int(port) <= 65535


def read_head(rfile, limits: ServerLimits) -> bytes | None:
    """The request line and headers up to the empty line, or None when the client closed first.

    Empty lines before the request line are skipped (RFC 9112 2.2). Refusal 414 for a
    request line, 431 for headers over the limits, 400 for a head cut short."""
    line = b"\r\n"
    skipped = 0
    while line in (b"\r\n", b"\n"):
        line = rfile.readline(limits.max_request_line + 1)
        if not line:
            return None
        skipped += 1
        if skipped > 4:
            raise Refusal(400, "empty lines instead of a request")
    if len(line) > limits.max_request_line:
        raise Refusal(414, f"request line longer than {limits.max_request_line} bytes")
    if not line.endswith(b"\n"):
        raise Refusal(400, "the request line was cut short")
    head = [line]
    size = len(line)
    while True:
        line = rfile.readline(limits.max_head_bytes - size + 1)
        size += len(line)
        if size > limits.max_head_bytes:
            raise Refusal(431, f"request headers larger than {limits.max_head_bytes} bytes")
        if not line.endswith(b"\n"):
            raise Refusal(400, "the request headers were cut short")
        if line in (b"\r\n", b"\n"):
            return b"".join(head)
        head.append(line)
        if len(head) > limits.max_headers + 1:
            raise Refusal(431, f"more than {limits.max_headers} request headers")


@dataclass(frozen=True)
class RequestHead:
    method: str
    target: str
    version: str
    headers: http.client.HTTPMessage


def parse_head(raw: bytes) -> RequestHead:
    """The request line and headers, checked to the letter of RFC 9112; Refusal(400) otherwise."""
    lines = raw.split(b"\n")[:-1]
    lines = [line[:-1] if line.endswith(b"\r") else line for line in lines]
    request_line = lines[0]
    if re.search(rb"[^\x21-\x7e ]", request_line):
        raise Refusal(400, "the request line holds a control character, a bare CR or a raw non-ASCII byte; "
                           "percent-encode the path")
    parts = request_line.decode("ascii").split(" ")
    if len(parts) != 3 or not all(parts):
        raise Refusal(400, "malformed request line: expected 'METHOD /path HTTP/1.1'")
    method, target, version = parts
    if not _TOKEN.match(method):
        raise Refusal(400, f"malformed method {method[:40]!r}")
    found = _VERSION.match(version)
    if not found or (found[1], found[2]) not in (("1", "0"), ("1", "1")):
        raise Refusal(400, f"unsupported protocol {version[:20]!r}: this server speaks HTTP/1.0 and HTTP/1.1")
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.match(name.decode("latin-1")):
            raise Refusal(400, "malformed header line" + (" (folded headers are not accepted)" if line[:1] in b" \t" else ""))
        if re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", value):
            raise Refusal(400, f"control character in the {name.decode('latin-1')[:40]} header")
    try:
        headers = http.client.parse_headers(io.BytesIO(b"\r\n".join(lines[1:]) + b"\r\n\r\n"))
    except http.client.HTTPException as exc:
        raise Refusal(431, f"request headers refused: {exc}") from None
    return RequestHead(method, target, version, headers)


def check_request(head: RequestHead, hosts: HostPolicy) -> str:
    """The request's path, still percent-encoded, once Host, method, body and target pass."""
    found = head.headers.get_all("Host") or []
    if len(found) > 1 or head.version == "HTTP/1.1" and not found:
        raise Refusal(400, "an HTTP/1.1 request needs exactly one Host header")
    hosts.check(found[0] if found else None)
    if head.method not in ALLOWED_METHODS:
        raise Refusal(405, f"method {head.method[:40]} is not served here; only GET and HEAD", allow=", ".join(ALLOWED_METHODS))
    if head.headers.get("Transfer-Encoding") is not None or head.headers.get("Content-Length", "0").strip() != "0":
        raise Refusal(400, "a GET or HEAD request carries no body")
    return check_target(head.target)


def check_target(target: str) -> str:
    """The path part of an origin-form target ('/a/b?q'); Refusal for every other shape."""
    if not target.startswith("/"):
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", target):
            raise Refusal(400, "absolute URL as request target: this server is not a proxy; ask for the path alone")
        raise Refusal(400, "the request target must be a path starting with '/'")
    if target.startswith("//"):
        raise Refusal(400, "the path starts with '//'")
    path = target.split("?", 1)[0]
    if "#" in path:
        raise Refusal(400, "a fragment ('#') is never sent to a server")
    if _BAD_PERCENT.search(path):
        raise Refusal(400, "bad percent-encoding in the path ('%' must be followed by two hex digits)")
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "the path does not decode to UTF-8") from None
    if re.search(r"[\x00-\x1f\x7f]", decoded):
        raise Refusal(400, "control character (such as NUL) in the path")
    if "\\" in decoded:
        raise Refusal(400, "backslash in the path")
    segments = decoded.split("/")
    if any(s in (".", "..") for s in segments):
        raise Refusal(400, "'.' or '..' segment in the path")
    if any(len(s.encode("utf-8")) > MAX_SEGMENT_BYTES for s in segments):
        raise Refusal(414, f"a path segment longer than {MAX_SEGMENT_BYTES} bytes, which no file can be named")
    return path


class GuardedServer(http.server.ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` of them, each with a deadline for its
    request head. The serving loop (`service_actions`, every poll interval) closes connections
    past their deadline; a connection arriving when all are taken takes the place of the one
    waiting longest for its request head, or is told 503 when every connection is busy."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, handler, limits: ServerLimits, hosts: HostPolicy):
        self.limits = limits
        self.hosts = hosts
        self._lock = threading.Lock()
        self._open: set = set()
        self._waiting: dict = {}  # connection → monotonic deadline for its next request head
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # --host ::1
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        with self._lock:
            if len(self._open) >= self.limits.max_connections:
                if not self._waiting:
                    self._turn_away(request)
                    return
                self._drop(min(self._waiting, key=self._waiting.get))
            self._open.add(request)
            self._waiting[request] = time.monotonic() + self.limits.head_seconds
        super().process_request(request, client_address)

    def awaiting_head(self, connection) -> None:
        with self._lock:
            if connection in self._open:
                self._waiting[connection] = time.monotonic() + self.limits.head_seconds

    def answering(self, connection) -> None:
        with self._lock:
            self._waiting.pop(connection, None)

    def service_actions(self) -> None:
        now = time.monotonic()
        with self._lock:
            for connection in [c for c, deadline in self._waiting.items() if deadline < now]:
                self._drop(connection)

    def shutdown_request(self, request):
        with self._lock:
            self._open.discard(request)
            self._waiting.pop(request, None)
        super().shutdown_request(request)

    def open_connections(self) -> int:
        with self._lock:
            return len(self._open)

    def _drop(self, connection) -> None:
        """Wake the connection's thread (its read returns end of file) and forget it; the lock is held."""
        self._open.discard(connection)
        self._waiting.pop(connection, None)
        try:
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _turn_away(self, request) -> None:
        body = b"every connection of this server is busy; try again in a moment\n"
        try:
            request.settimeout(1.0)
            request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                            b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        except OSError:
            pass
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        """A dropped connection is routine; anything else is one line on stderr, never a traceback."""
        kind, exc = sys.exc_info()[:2]
        if kind is not None and not issubclass(kind, OSError):
            print(f"serve: error while answering {client_address[0]}: {kind.__name__}: {exc}", file=sys.stderr)


class GuardedHandler(http.server.BaseHTTPRequestHandler):
    """Reads each request under the server's guards, then calls do_GET or do_HEAD with
    `self.path` checked (see `check_request`)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def setup(self):
        self.timeout = self.server.limits.head_seconds
        super().setup()

    def handle_one_request(self):
        server: GuardedServer = self.server
        limits = server.limits
        self.close_connection = True
        self.request_version, self.command, self.requestline = "HTTP/1.1", None, ""
        server.awaiting_head(self.connection)
        try:
            self.connection.settimeout(limits.head_seconds)
            raw = read_head(self.rfile, limits)
        except Refusal as refusal:
            server.answering(self.connection)
            return self._refuse(refusal)
        except (OSError, ValueError):  # timed out, reset, or dropped by the server
            return
        server.answering(self.connection)
        if raw is None:
            return
        try:
            self.connection.settimeout(limits.send_seconds)
            head = parse_head(raw)
            self.command, self.request_version, self.requestline = head.method, head.version, raw.split(b"\n", 1)[0].decode("ascii").rstrip("\r")
            self.headers = head.headers
            self.path = check_request(head, server.hosts)
        except Refusal as refusal:
            return self._refuse(refusal)
        connection = (self.headers.get("Connection") or "").lower()
        self.close_connection = "close" in connection or (head.version == "HTTP/1.0" and "keep-alive" not in connection)
        try:
            getattr(self, "do_" + self.command)()
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        except Exception as exc:  # a bug: one line in the terminal, a 500 to the client, never a traceback
            print(f"serve: internal error answering {self.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            self._refuse(Refusal(500, "internal error in newsarchive serve; see the terminal"))

    def _refuse(self, refusal: Refusal) -> None:
        body = (refusal.reason + "\n").encode("utf-8")
        self.close_connection = True
        try:
            self.send_response(refusal.status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            if refusal.allow:
                self.send_header("Allow", refusal.allow)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
            self._drain()
        except OSError:
            pass

    def _drain(self) -> None:
        """Read what the client is still sending (the rest of an overlong line) before closing:
        closing with unread input makes the kernel send a reset, which can destroy the answer
        before the client reads it. At most 256 KiB or half a second."""
        self.connection.shutdown(socket.SHUT_WR)
        self.connection.settimeout(0.5)
        deadline = time.monotonic() + 0.5
        drained = 0
        while drained < 262144 and time.monotonic() < deadline:
            chunk = self.connection.recv(65536)
            if not chunk:
                break
            drained += len(chunk)
