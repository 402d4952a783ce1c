"""Loopback HTTP server for the demo news site (stdlib only).

All responses are rendered once when the server starts, so every request for the same
path returns the same bytes and a strong ETag; conditional requests and gzip behave
like a well-configured production web server, which is what a feed poller must cope
with.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from demosite.content import load_outlets
from demosite.render import Resource, build_site

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
STATS_PATH = "/__stats"


class _Variant:
    """One encoding of a resource, with everything needed to answer a request."""

    __slots__ = ("body", "content_type", "encoding", "etag", "last_modified", "lm_header")

    def __init__(self, resource: Resource, encoding: str | None) -> None:
        raw = resource.body
        digest = hashlib.sha256(raw).hexdigest()[:32]
        if encoding == "gzip":
            # mtime=0 keeps the compressed bytes deterministic across restarts.
            self.body = gzip.compress(raw, compresslevel=6, mtime=0)
            self.etag = f'"{digest}-gz"'
        else:
            self.body = raw
            self.etag = f'"{digest}"'
        self.encoding = encoding
        self.content_type = resource.content_type
        # HTTP dates have one-second resolution; truncate so comparisons are exact.
        self.last_modified = resource.last_modified.replace(microsecond=0)
        self.lm_header = format_datetime(self.last_modified.astimezone(UTC), usegmt=True)


class _Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0
        self.by_status: Counter[str] = Counter()
        self.paths: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0

    def reset(self) -> None:
        with self._lock:
            self.total = 0
            self.by_status.clear()
            self.paths.clear()
            # in_flight is left alone: requests being served right now still finish.
            self.max_in_flight = self.in_flight

    def enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self, path: str, status: int) -> None:
        with self._lock:
            self.in_flight -= 1
            self.total += 1
            self.by_status[str(status)] += 1
            self.paths[path] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "by_status": dict(sorted(self.by_status.items())),
                "paths": dict(sorted(self.paths.items())),
                "in_flight": self.in_flight,
                "max_in_flight": self.max_in_flight,
            }


def _accepts_gzip(header: str | None) -> bool:
    if not header:
        return False
    for part in header.split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # If-None-Match uses weak comparison: a W/ prefix on either side is ignored.
    wanted = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == wanted for t in header.split(","))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Tests and the pipeline open many short connections at once.
    request_queue_size = 128

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.variants: dict[str, dict[str | None, _Variant]] = {}
        self.stats = _Stats()
        self.latency = 0.0

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-response are normal for a poller with timeouts; keep
        # stderr quiet for those and report anything else as the stdlib would.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, so pollers can reuse connections
    server_version = "mediamon-demosite/1.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet by default: per-request logging would drown test and demo output.
        return

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        path = urlsplit(self.path).path or "/"
        stats = self.server.stats
        if path == STATS_PATH:
            # Not counted, so that reading the stats never changes them.
            body = json.dumps(stats.snapshot(), indent=2, sort_keys=True).encode()
            self._send_plain(HTTPStatus.OK, body, "application/json", head, validators=True)
            return
        stats.enter()
        status = HTTPStatus.INTERNAL_SERVER_ERROR
        try:
            if self.server.latency:
                time.sleep(self.server.latency)
            status = self._respond(path, head)
        finally:
            stats.leave(path, int(status))

    def _respond(self, path: str, head: bool) -> HTTPStatus:
        variants = self.server.variants.get(path)
        if variants is None:
            if not path.endswith("/") and path + "/" in self.server.variants:
                # Directory-style URLs without their slash get redirected, like Apache does.
                query = urlsplit(self.path).query
                location = path + "/" + (f"?{query}" if query else "")
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return HTTPStatus.MOVED_PERMANENTLY
            body = b'<!DOCTYPE html><html lang="en"><title>404 Not Found</title><h1>Not Found'
            body += b"</h1>"
            self._send_plain(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", head)
            return HTTPStatus.NOT_FOUND

        gz = _accepts_gzip(self.headers.get("Accept-Encoding"))
        variant = variants["gzip" if gz else None]
        if self._not_modified(variant):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._validators(variant)
            self.end_headers()
            return HTTPStatus.NOT_MODIFIED

        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", variant.content_type)
        self.send_header("Content-Length", str(len(variant.body)))
        if variant.encoding:
            self.send_header("Content-Encoding", variant.encoding)
        self._validators(variant)
        self.end_headers()
        if not head:
            self.wfile.write(variant.body)
        return HTTPStatus.OK

    def _not_modified(self, variant: _Variant) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            # RFC 9110: If-Modified-Since is ignored when If-None-Match is present.
            return _etag_matches(inm, variant.etag)
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                return False
            return variant.last_modified <= since
        return False

    def _validators(self, variant: _Variant) -> None:
        self.send_header("ETag", variant.etag)
        self.send_header("Last-Modified", variant.lm_header)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "public, max-age=60")

    def _send_plain(
        self, status: HTTPStatus, body: bytes, ctype: str, head: bool, validators: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if validators:
            # Dynamic, so never answered with 304, but every 200 still carries validators.
            self.send_header("ETag", f'"{hashlib.sha256(body).hexdigest()[:32]}"')
            self.send_header("Last-Modified", format_datetime(datetime.now(UTC), usegmt=True))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class DemoSite:
    """The demo news site on a loopback port, served from a daemon thread.

    Use as a context manager::

        with DemoSite() as site:
            httpx.get(site.opml_url)

    ``latency`` (seconds) delays every counted response, which makes the pipeline's
    request concurrency visible in ``stats()["max_in_flight"]``.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, latency: float = 0.0) -> None:
        if host not in LOOPBACK_HOSTS:
            # The demo site is test infrastructure; it must never be reachable from outside.
            raise ValueError(f"DemoSite only binds to loopback, not {host!r}")
        self.host = "127.0.0.1"
        self.port = port
        self.latency = latency
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("DemoSite is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def opml_url(self) -> str:
        return self.base_url + "/feeds.opml"

    def start(self) -> DemoSite:
        if self._server is not None:
            return self
        server = _Server(self.host, self.port)
        server.latency = self.latency
        base = f"http://{self.host}:{server.server_address[1]}"
        # Pages embed absolute URLs, so they can only be rendered once the port is known.
        for path, resource in build_site(base).items():
            server.variants[path] = {
                None: _Variant(resource, None),
                "gzip": _Variant(resource, "gzip"),
            }
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"demosite-{server.server_address[1]}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def feeds(self) -> list[dict[str, Any]]:
        """One entry per outlet feed, with absolute URLs on this server."""
        base = self.base_url
        return [
            {
                "name": o.name,
                "url": base + o.feed_path,
                "html_url": base + o.section_path,
                "outlet": o.slug,
                "country": o.country,
                "language": o.language,
                "tags": list(o.tags),
                "flavour": o.flavour,
            }
            for o in load_outlets()
        ]

    def stats(self) -> dict[str, Any]:
        """Request counters: total, by_status, paths, in_flight, max_in_flight."""
        if self._server is None:
            raise RuntimeError("DemoSite is not started")
        return self._server.stats.snapshot()

    def reset_stats(self) -> None:
        if self._server is None:
            raise RuntimeError("DemoSite is not started")
        self._server.stats.reset()

    def url_for(self, article: dict[str, Any] | str) -> str:
        """Absolute URL of an article dict from ``articles()`` or of a site path."""
        path = article if isinstance(article, str) else article["path"]
        return self.base_url + path
