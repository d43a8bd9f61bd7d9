"""A small HTTP server on 127.0.0.1 for link-check tests and the cache benchmark.

Each path answers in one of the ways a real site can (working, redirected, missing, failing,
rate-limited, slow, HEAD refused) and every request is counted, so tests can prove what was
asked and what was not.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAGE = b"<!DOCTYPE html><html><body><h1 id='present'>A page</h1></body></html>"


class LinkServer:
    """Serve on an ephemeral port in a background thread; ``with LinkServer() as server:``."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._rate_limited_once: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_HEAD(self) -> None:
                server._answer(self, head=True)

            def do_GET(self) -> None:
                server._answer(self, head=False)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> LinkServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def count(self, path: str) -> int:
        with self._lock:
            return self.requests[path]

    def total(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._rate_limited_once.clear()

    def _answer(self, handler: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests[path] += 1
            first_rate_limit = path not in self._rate_limited_once
            if path == "/rate-limited":
                self._rate_limited_once.add(path)
        if self.latency:
            time.sleep(self.latency)
        status, headers, body = 200, {"Content-Type": "text/html"}, PAGE
        if path.startswith("/redirect-301"):
            status, headers = 301, {"Location": "/moved-here"}
        elif path.startswith("/redirect-302"):
            status, headers = 302, {"Location": "/moved-here"}
        elif path == "/missing":
            status = 404
        elif path == "/error":
            status = 500
        elif path == "/unavailable":
            status = 503
        elif path == "/rate-limited" and first_rate_limit:
            status, headers = 429, {"Retry-After": "1"}
        elif path == "/slow":
            time.sleep(3)
        elif path == "/head-405" and head:
            status = 405
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not head:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler.wfile.write(body)


def refused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
