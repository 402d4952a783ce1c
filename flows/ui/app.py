"""The `mediamon ui` web app: a read-only Starlette application over one warehouse file.

Routes (GET only): the HTML pages of flows/ui/pages.py, the JSON API of flows/ui/api.py and
the static stylesheet. Every response carries a Content-Security-Policy that allows no
script at all, as a second wall behind Jinja's autoescaping: the pages need no JavaScript
(charts are server-drawn SVG). Host headers other than the bound host are refused, so a web
page elsewhere cannot reach a loopback UI through DNS rebinding.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flows.ui import api, pages
from flows.ui.access import WAIT_S, Busy, Unreadable, WarehouseAccess
from flows.ui.params import BadParameter
from flows.ui.render import Renderer

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


class SecurityHeaders:
    """Adds the CSP and friends to every response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp, csp: str | None) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if self.csp:
                    headers["Content-Security-Policy"] = self.csp
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


async def _on_busy(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return api.error(503, "warehouse busy, retrying", {"Retry-After": "2"})
    return request.app.state.render.busy(request)


async def _on_unreadable(request: Request, exc: Exception) -> Response:
    message = f"cannot read the warehouse: {exc}"
    if _wants_json(request):
        return api.error(500, message)
    return request.app.state.render.error(request, 500, "Warehouse unreadable", message)


async def _on_bad_parameter(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return api.error(400, str(exc))
    return request.app.state.render.error(request, 400, "Bad request", str(exc))


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = "no such page" if exc.detail == "Not Found" else exc.detail
    if _wants_json(request):
        return api.error(exc.status_code, detail, exc.headers)
    title = {404: "Not found", 405: "Read-only"}.get(exc.status_code, "Error")
    if exc.status_code == 405:
        detail = "this view is read-only: only GET requests are answered"
    return request.app.state.render.error(request, exc.status_code, title, detail, exc.headers)


def create_app(
    db: Path,
    wait_s: float = WAIT_S,
    allowed_hosts: list[str] | None = None,
    csp: str | None = CSP,
    cache: bool = True,
) -> Starlette:
    """The UI over the warehouse at `db`. allowed_hosts: Host header names answered (default
    loopback names; ["*"] for any). csp=None only for tests of the escaping on its own;
    cache=False computes every page afresh (benchmarks)."""
    routes = [
        *pages.ROUTES,
        *api.ROUTES,
        Mount("/static", StaticFiles(directory=pages.STATIC), name="static"),
        Route("/favicon.ico", pages.favicon),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders, csp=csp),
            Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or list(LOOPBACK_NAMES)),
        ],
        exception_handlers={
            Busy: _on_busy,
            Unreadable: _on_unreadable,
            BadParameter: _on_bad_parameter,
            HTTPException: _on_http,
        },
    )
    app.state.access = WarehouseAccess(db, wait_s, cache=cache)
    app.state.render = Renderer(db_name=Path(db).name)
    return app
