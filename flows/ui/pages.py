"""The HTML pages: Overview, Claims (+ CSV), Speaker, Entity, Spread, Article.

Each handler parses its parameters (flows/ui/params.py), reads its data on one short
read-only connection (flows/ui/data.py) and renders a template. Handlers are plain
functions: Starlette runs them in its thread pool, so a page waiting for the warehouse lock
never stalls the others."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from flows.ui import charts, data, highlight, params
from flows.ui.render import link

STATIC = Path(__file__).parent / "static"
MIN_CHART_DAYS = 14  # a time chart spans at least two weeks
CSV_MAX_ROWS = 10_000  # a CSV download holds the read lock while it is read: keep it bounded
CSV_COLUMNS = (
    "published",
    "outlet",
    "speaker",
    "speaker_canonical",
    "speaker_kind",
    "cue",
    "content",
    "quote_type",
    "via",
    "rule",
    "confidence",
    "title",
    "url",
    "article_id",
    "claim_id",
    "content_key",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _read(request: Request, fn: Any, *args: Any) -> Any:
    return request.app.state.access.read(fn, *args)


def _render(request: Request, template: str, **context: Any) -> Response:
    return request.app.state.render.page(request, template, context)


def _not_found(what: str, ident: str) -> HTTPException:
    return HTTPException(404, f"no {what} {ident!r} in this warehouse")


def overview(request: Request) -> Response:
    d = _read(request, data.overview)
    chart = claims_chart = None
    if d["first_day"]:
        articles = {r["day"]: (r["originals"], r["copies"]) for r in d["daily_articles"]}
        claims = {r["day"]: (r["claims"], 0) for r in d["daily_claims"]}
        start, end = _chart_days(min(articles, default=d["last_day"]), d["last_day"])
        start = max(start, d["first_day"])
        chart = charts.daily_bars(articles, start, end, "original articles", "syndicated copies")
        claims_chart = charts.daily_bars(claims, start, end, "claims")
    for r in d["rising"]:
        r["sparkline"] = charts.sparkline(r["spark"], f"{r['entity']}: mentions a day")
    return _render(request, "overview.html", nav="overview", d=d, chart=chart,
                   claims_chart=claims_chart)  # fmt: skip


def claims(request: Request) -> Response:
    f = params.claim_filter(request.query_params)
    paging = params.page_paging(request.query_params)
    d = _read(request, data.claims_page, f, paging)
    qp = request.query_params
    return _render(
        request,
        "claims.html",
        nav="claims",
        d=d,
        f=f,
        form=qp,
        outlets=d["outlets"],
        page=paging.page,
        quote_types=data.c.QUOTE_TYPES,
        prev_query=params.filter_query(qp, page=paging.page - 1 if paging.page > 2 else None),
        next_query=params.filter_query(qp, page=paging.page + 1),
        csv_query=params.filter_query(qp, page=None),
    )


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def claims_csv(request: Request) -> Response:
    """The Claims page's results (same filters, every page up to CSV_MAX_ROWS) as CSV."""
    f = params.claim_filter(request.query_params)
    rows = request.app.state.access.read(
        data.claims_export, f, CSV_MAX_ROWS, CSV_COLUMNS, cache=False
    )
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    w.writerows([_csv_cell(v) for v in r] for r in rows)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="claims.csv"'},
    )


def _timeline_chart(
    found: list[dict], last: date, main: str, extra: str, unit: str, extra_unit: str
) -> charts.TimeChart | None:
    """Daily bars of `main`, split into its `extra` part (copies) and the rest."""
    span = data.days_between(found)
    if span is None:
        return None
    values = {r["day"]: (r[main] - r[extra], r[extra]) for r in found}
    start, end = _chart_days(span[0], last)
    return charts.daily_bars(values, start, end, unit, extra_unit, charts.WIDE_WIDTH,
                             charts.WIDE_HEIGHT)  # fmt: skip


def _chart_days(first_data: date, last: date) -> tuple[date, date]:
    """From the first day with data (at least MIN_CHART_DAYS before the newest article's
    day) to the newest article's day, so a quiet end shows as such."""
    return min(first_data, last - timedelta(days=MIN_CHART_DAYS - 1)), last


def _windows(request: Request, current: str) -> list[dict[str, object]]:
    labels = {"30": "30 days", "90": "90 days", "365": "1 year", "all": "all time"}
    return [{"name": n, "label": labels[n], "on": n == current,
             "href": f"{request.url.path}?days={n}"} for n in params.WINDOWS]  # fmt: skip


def speaker(request: Request) -> Response:
    ident = request.path_params["entity_id"]
    window, days = params.window_days(request.query_params)
    d = _read(request, data.speaker, ident, days)
    if d is None:
        raise _not_found("speaker", ident)
    for r in d["timeline"]:
        r["copies"] = r["claims"] - r["claims_original"]
    chart = _timeline_chart(
        d["timeline"],
        d["last_day"],
        "claims",
        "copies",
        "claims in original articles",
        "claims in syndicated copies",
    )
    return _render(request, "speaker.html", d=d, chart=chart, windows=_windows(request, window))


def entity(request: Request) -> Response:
    ident = request.path_params["entity_id"]
    window, days = params.window_days(request.query_params)
    d = _read(request, data.entity, ident, days)
    if d is None:
        raise _not_found("entity", ident)
    for r in d["timeline"]:
        r["copies"] = r["mentions"] - r["mentions_original"]
    chart = _timeline_chart(
        d["timeline"],
        d["last_day"],
        "mentions",
        "copies",
        "mentions in original articles",
        "mentions in syndicated copies",
    )
    return _render(
        request,
        "entity.html",
        d=d,
        chart=chart,
        windows=_windows(request, window),
        cooccurring_articles=data.p.COOCCURRING_ARTICLES,
    )


def spread(request: Request) -> Response:
    key = request.path_params["content_key"]
    d = _read(request, data.spread, key)
    if d is None:
        raise _not_found("claim", key)
    dots = [
        {
            "ts": r["published"],
            "outlet": r["outlet"] or "(no outlet)",
            "is_copy": r["is_copy"],
            "cluster": r["cluster_id"],
            "title": f"{r['outlet']} · {r['published']:%Y-%m-%d %H:%M} · "
            f"{'copy' if r['is_copy'] else 'original'} · {r['title'] or ''}",
            "href": link("/articles", r["article_id"]),
        }
        for r in d["rows"]
        if r["published"]
    ]
    return _render(request, "spread.html", d=d, timeline=charts.spread_timeline(dots))


def _article_spans(d: dict) -> list[highlight.Span]:
    text = d["article"]["text"] or ""
    spans: list[highlight.Span] = []
    for m in d["mentions"]:
        name = m["canonical_name"] or m["surface"]
        tag = m["label"] or m["kind"] or "entity"
        href = link("/entities", m["entity_id"]) if m["entity_id"] else None
        spans.append(highlight.Span(m["start"], m["end"], "entity", f"{name} ({tag})", tag, href))
    for no, c in enumerate(d["claims"], 1):
        c["no"] = no
        spans.append(
            highlight.Span(
                c["content_start"],
                c["content_end"],
                "content",
                f"claim {no}: {c['quote_type']}",
                claim_no=no,
            )
        )
        anchors = [(c["content_start"], c["content_end"])]
        if c["speaker_start"] is not None and c["speaker_end"] is not None:
            spans.append(
                highlight.Span(
                    c["speaker_start"], c["speaker_end"], "speaker", f"speaker of claim {no}"
                )
            )
            anchors.append((c["speaker_start"], c["speaker_end"]))
        cue = highlight.find_cue(text, c["cue"], anchors, anchors[:1])
        if cue:
            spans.append(highlight.Span(*cue, "cue", f"cue of claim {no}: {c['cue_lemma']}"))
    return spans


def article(request: Request) -> Response:
    ident = request.path_params["article_id"]
    d = _read(request, data.article, ident)
    if d is None:
        raise _not_found("article", ident)
    body = highlight.render(d["article"]["text"] or "", _article_spans(d))
    return _render(request, "article.html", d=d, body=body)


def favicon(request: Request) -> Response:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


ROUTES = [
    Route("/", overview),
    Route("/claims", claims),
    Route("/claims.csv", claims_csv),
    Route("/speakers/{entity_id}", speaker),
    Route("/entities/{entity_id}", entity),
    Route("/spread/{content_key}", spread),
    Route("/articles/{article_id}", article),
]
