"""A loopback web site serving fixed documents, each with the exact bytes and headers a test
gives it (charset labels that lie, gzipped sitemaps, pages with or without feeds)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StaticSite:
    """`routes`: path -> (content type, body). Anything else is a 404. A body is bytes, in
    which "{BASE}" is replaced by the site's base URL when served, or a function of the base
    URL returning bytes (for bodies that must be built around it, e.g. gzipped)."""

    def __init__(self, routes: dict[str, tuple[str, bytes | Callable[[str], bytes]]]) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                site.hits.append(path)
                if path in site.routes:
                    ctype, content = site.routes[path]
                    body = (
                        content(site.base_url)
                        if callable(content)
                        else content.replace(b"{BASE}", site.base_url.encode())
                    )
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                else:
                    ctype, body = "text/plain", b"not found"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.routes = routes
        self.hits: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
