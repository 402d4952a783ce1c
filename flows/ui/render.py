"""Jinja2 rendering for the UI: autoescaping on for every template, undefined names are
errors, and the few helpers the templates use (links, number formats, the URL check)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from flows.ui.params import claims_link, is_web_url

BUSY_RETRY_S = 2  # the busy page reloads itself after this many seconds


def _num(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def link(prefix: str, ident: object) -> str:
    """An internal link with the id quoted as one path segment."""
    return f"{prefix}/{quote(str(ident), safe='')}"


def _speaker_row_href(row: Mapping[str, Any]) -> str:
    if row.get("entity_id"):
        return link("/speakers", row["entity_id"])
    return claims_link(speaker=row.get("speaker"))


class Renderer:
    def __init__(self, db_name: str) -> None:
        self.env = Environment(
            loader=PackageLoader("flows.ui", "templates"),
            autoescape=True,  # every template is HTML; nothing from the warehouse is trusted
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(num=_num, is_web_url=is_web_url)
        self.env.globals.update(
            static=lambda name: f"/static/{quote(name)}",
            claims_link=claims_link,
            speaker_href=lambda ident: link("/speakers", ident),
            entity_href=lambda ident: link("/entities", ident),
            spread_href=lambda key: link("/spread", key),
            article_href=lambda ident: link("/articles", ident),
            row_entity_href=lambda row: link("/entities", row["entity_id"]),
            row_speaker_href=_speaker_row_href,
            db_name=db_name,
        )

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any],
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        ctx = {"nav": "", "header_q": request.query_params.get("q", ""), **context}
        html = self.env.get_template(template).render(ctx)
        return HTMLResponse(html, status_code=status, headers=dict(headers or {}))

    def error(
        self,
        request: Request,
        status: int,
        title: str,
        message: str,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        return self.page(
            request,
            "error.html",
            {"title": title, "message": message, "status": status},
            status,
            headers,
        )

    def busy(self, request: Request) -> HTMLResponse:
        return self.page(
            request,
            "busy.html",
            {"retry_s": BUSY_RETRY_S},
            503,
            {"Retry-After": str(BUSY_RETRY_S), "Cache-Control": "no-store"},
        )
