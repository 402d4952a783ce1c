"""The JSON API, for notebooks: the same data as the pages, with the same filters.

GET /api                              this list
GET /api/overview                     totals, daily activity, rising entities, speakers
GET /api/claims?q=&speaker=&…         claims (filters as /claims; limit, offset)
GET /api/speakers/<id>                a speaker: timeline, outlets, relays, names
GET /api/speakers/<id>/timeline       claims per day
GET /api/entities/<id>                an entity: timeline, outlets, co-occurring, speakers
GET /api/entities/<id>/timeline       mentions per day
GET /api/spread/<content_key>         one claim across outlets
GET /api/articles/<id>                an article with its claims and mentions
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from flows.ui import data, params


def _default(o: object) -> object:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, Decimal):
        return float(o)
    return str(o)


def answer(
    payload: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    body = json.dumps(payload, default=_default, ensure_ascii=False)
    return Response(
        body, status_code=status, media_type="application/json", headers=dict(headers or {})
    )


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return answer({"error": message}, status, headers)


def _one(request: Request, fn: Callable[..., Any], key: str, what: str, *args: Any) -> Response:
    ident = request.path_params[key]
    found = request.app.state.access.read(fn, ident, *args)
    if found is None:
        return error(404, f"no {what} {ident!r} in this warehouse")
    return answer(found)


def index(request: Request) -> Response:
    lines = [ln.strip() for ln in (__doc__ or "").splitlines() if ln.strip().startswith("GET")]
    return answer(
        {
            "endpoints": [ln.split(None, 2)[1] for ln in lines],
            "help": {ln.split(None, 2)[1]: ln.split(None, 2)[2] for ln in lines},
        }
    )


def overview(request: Request) -> Response:
    return answer(request.app.state.access.read(data.overview))


def claims(request: Request) -> Response:
    f = params.claim_filter(request.query_params)
    paging = params.api_paging(request.query_params)
    d = request.app.state.access.read(data.claims, f, paging)
    filters = {k: v for k, v in vars_of(f).items() if v is not None}
    return answer({"filters": filters, **d})


def vars_of(f: data.c.ClaimFilter) -> dict[str, Any]:
    return {name: getattr(f, name) for name in f.__slots__}


def _days(request: Request) -> int | None:
    return params.window_days(request.query_params)[1]


def speaker(request: Request) -> Response:
    return _one(request, data.speaker, "entity_id", "speaker", _days(request))


def speaker_timeline(request: Request) -> Response:
    return _one(request, data.speaker_timeline, "entity_id", "speaker", _days(request))


def entity(request: Request) -> Response:
    return _one(request, data.entity, "entity_id", "entity", _days(request))


def entity_timeline(request: Request) -> Response:
    return _one(request, data.entity_timeline, "entity_id", "entity", _days(request))


def spread(request: Request) -> Response:
    return _one(request, data.spread, "content_key", "claim")


def article(request: Request) -> Response:
    return _one(request, data.article, "article_id", "article")


ROUTES = [
    Route("/api", index),
    Route("/api/overview", overview),
    Route("/api/claims", claims),
    Route("/api/speakers/{entity_id}", speaker),
    Route("/api/speakers/{entity_id}/timeline", speaker_timeline),
    Route("/api/entities/{entity_id}", entity),
    Route("/api/entities/{entity_id}/timeline", entity_timeline),
    Route("/api/spread/{content_key}", spread),
    Route("/api/articles/{article_id}", article),
]
