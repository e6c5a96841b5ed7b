"""A small HTTP proxy on loopback that injects faults between a bot and the local wiki.

The bot's pywikibot family points at the proxy's port; the proxy forwards every
request to the wiki, except those a :class:`Fault` matches, which it drops, delays,
answers with a server error or an API error, cuts off half-way, or runs a hook for
(e.g. a volunteer's edit) before forwarding. Every request is logged, so that a test
can see what the bot asked for.

    proxy = FaultProxy(upstream_port=wiki.dev.port)
    proxy.add(Fault("status", match="action=edit", status=503, times=2))
    with proxy: ...
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: Hop-by-hop headers the proxy sets itself.
_SKIP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "proxy-connection",
    "server",
    "date",
}

ACTIONS = ("drop", "delay", "status", "maxlag", "cut", "api-error", "hook", "die")


@dataclass
class Fault:
    """What to do to the requests that ``match`` (substrings of "METHOD path body", decoded; all must occur).

    action:   drop (close without answering), delay (wait ``delay`` s, then forward),
              status (answer with HTTP ``status``), maxlag (answer with a maxlag API error),
              cut (forward, then send half the answer and close), api-error (answer with
              the API error ``error``), hook (call ``hook`` with the request, then forward),
              die (drop this request and every later one: the wiki is down until ``up()``)
    skip:     let this many matching requests through first
    times:    apply to this many requests after that (0: every one)
    """

    action: str
    match: str | tuple[str, ...] = ""
    times: int = 1
    skip: int = 0
    status: int = 503
    delay: float = 0.0
    error: dict[str, Any] | None = None
    hook: Callable[[str], None] | None = None
    applied: int = 0
    seen: int = 0

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown fault action {self.action!r}; one of {', '.join(ACTIONS)}")

    def take(self, request: str) -> bool:
        """True if this fault applies to ``request`` now (and count it)."""
        wanted = (self.match,) if isinstance(self.match, str) else self.match
        if not all(part in request for part in wanted):
            return False
        self.seen += 1
        if self.seen <= self.skip or (self.times and self.applied >= self.times):
            return False
        self.applied += 1
        return True


@dataclass
class FaultProxy:
    upstream_port: int
    faults: list[Fault] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    #: While True, every connection is closed at once (the wiki is "down").
    down: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.requests.clear()
            self.down = False

    def count(self, match: str) -> int:
        """How many logged requests contain ``match``."""
        with self._lock:
            return sum(1 for r in self.requests if match in r)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _pick(self, request: str) -> Fault | None:
        with self._lock:
            self.requests.append(request)
            for fault in self.faults:
                if fault.take(request):
                    return fault
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self.relay(b"")

            def do_POST(self) -> None:
                self.relay(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def relay(self, body: bytes) -> None:
                described = urllib.parse.unquote_plus(f"{self.command} {self.path} {body.decode('utf-8', 'replace')}")
                if proxy.down:
                    with proxy._lock:
                        proxy.requests.append(described)
                    self.drop()
                    return
                fault = proxy._pick(described)
                action = fault.action if fault else None
                if fault and action == "die":
                    proxy.down = True
                if fault and action in ("drop", "die"):
                    self.drop()
                    return
                if fault and action == "status":
                    self.answer(fault.status, b"<html><body>Injected server error</body></html>", "text/html")
                    return
                if fault and action == "maxlag":
                    error = {"code": "maxlag", "info": "Waiting for 127.0.0.1: 1 seconds lagged.", "lag": 0.1}
                    self.answer(200, json.dumps({"error": error}).encode(), "application/json", {"Retry-After": "0"})
                    return
                if fault and action == "api-error":
                    self.answer(200, json.dumps({"error": fault.error or {}}).encode(), "application/json")
                    return
                if fault and action == "delay":
                    time.sleep(fault.delay)
                if fault and action == "hook" and fault.hook:
                    fault.hook(described)
                status, headers, content = self.forward(body)
                if fault and action == "cut":
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(content)))
                    self.send_header("Content-Type", headers.get("content-type", "application/json"))
                    self.end_headers()
                    self.wfile.write(content[: len(content) // 2])
                    self.wfile.flush()
                    self.drop()
                    return
                self.answer(status, content, headers.get("content-type", "text/html"), headers)

            def forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
                connection = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=120)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _SKIP_HEADERS}
                    connection.request(self.command, self.path, body=body or None, headers=headers)
                    response = connection.getresponse()
                    content = response.read()
                    kept = {k.lower(): v for k, v in response.getheaders() if k.lower() not in _SKIP_HEADERS}
                    # Several Set-Cookie headers must all reach the bot.
                    kept.pop("set-cookie", None)
                    self._cookies = response.headers.get_all("Set-Cookie") or []
                    return response.status, kept, content
                finally:
                    connection.close()

            def answer(
                self, status: int, content: bytes, content_type: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    if key.lower() != "content-type":
                        self.send_header(key, value)
                for cookie in getattr(self, "_cookies", []):
                    self.send_header("Set-Cookie", cookie)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def drop(self) -> None:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

        return Handler
