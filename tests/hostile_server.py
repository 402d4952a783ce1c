"""A loopback HTTP server that misbehaves on purpose, for fetcher tests."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB inflated, ~64 KB


ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    counts: ClassVar[dict[str, int]] = {}
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        p = self.path
        with self.lock:
            self.counts[p] = n = self.counts.get(p, 0) + 1
        if p == "/robots.txt":
            self._send(200, ROBOTS, {"Content-Type": "text/plain"})
        elif p.startswith("/private/"):
            self._send(200, b"<html>secret</html>", {"Content-Type": "text/html"})
        elif p.startswith("/flaky"):  # fails twice, then works
            if n <= 2:
                self._send(503, b"busy", {"Retry-After": "0"})
            else:
                self._send(200, b"<html>finally</html>", {"Content-Type": "text/html"})
        elif p == "/ok":
            self._send(200, b"<html><p>fine</p></html>", {"Content-Type": "text/html"})
        elif p.startswith("/chain/"):
            n = int(p.rsplit("/", 1)[1])
            if n == 0:
                self._send(200, b"end", {"Content-Type": "text/html"})
            else:
                self._send(302, headers={"Location": f"/chain/{n - 1}"})
        elif p == "/loop":
            self._send(302, headers={"Location": "/loop2"})
        elif p == "/loop2":
            self._send(302, headers={"Location": "/loop"})
        elif p == "/to-metadata":
            self._send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif p == "/to-file":
            self._send(302, headers={"Location": "file:///etc/passwd"})
        elif p == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: stream until the client gives up
            try:
                for _ in range(100_000):
                    self.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif p == "/bomb":
            self._send(200, BOMB, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        elif p == "/slow":
            time.sleep(3)
            self._send(200, b"late")
        elif p == "/429":
            self._send(429, b"", {"Retry-After": "7"})
        elif p == "/503-date":
            self._send(503, b"", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
        elif p == "/404":
            self._send(404, b"nope")
        elif p == "/binary":
            self._send(200, bytes(range(256)) * 100, {"Content-Type": "application/octet-stream"})
        else:
            self._send(404)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose here (size caps, timeouts): not worth a traceback


class HostileServer:
    def __init__(self) -> None:
        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RoutedServer:
    """A loopback server answering from a table: path -> (status, headers, body). It records
    every request as (path, Host header), and optionally serves TLS with a given context
    (recording the SNI name each handshake asked for)."""

    def __init__(
        self,
        routes: dict[str, tuple[int, dict[str, str], bytes]],
        ssl_context: object | None = None,
        delays: dict[str, float] | None = None,
    ) -> None:
        self.routes = routes
        self.delays = delays or {}
        self.requests: list[tuple[str, str]] = []
        self.sni_names: list[str | None] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Host", "")))
                time.sleep(server.delays.get(self.path, 0))
                status, headers, body = server.routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        if ssl_context is not None:
            ssl_context.sni_callback = lambda sock, name, ctx: self.sni_names.append(name)
            self.httpd.socket = ssl_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def __enter__(self) -> RoutedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
