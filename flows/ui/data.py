"""What each page shows, gathered on one read-only connection from the named queries of
warehouse/ui_queries.py, ui_claims.py and ui_profiles.py. The HTML pages and the JSON API
serve the same dicts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flows.ui.params import Paging
from warehouse import ui_claims as c
from warehouse import ui_profiles as p
from warehouse import ui_queries as q
from warehouse.db import Connection

OVERVIEW_DAYS = 90  # the activity charts: this many days up to the newest article
SPARK_DAYS = q.RISING_WINDOW + q.RISING_BASELINE  # sparklines cover the rising window
SPEAKER_WEEK = 7


def overview(con: Connection) -> dict[str, Any]:
    newest = q.newest(con)
    out: dict[str, Any] = {
        "totals": q.totals(con),
        "failing_feeds": q.failing_feeds(con),
        "runs": q.last_runs(con),
        "last_day": None,
        "first_day": None,
        "daily_articles": [],
        "daily_claims": [],
        "rising": [],
        "speakers": [],
    }
    if newest is None:
        return out
    last = q.day_of(con, newest)
    first = last - timedelta(days=OVERVIEW_DAYS - 1)
    rising = q.rising_kept(con, last)
    if rising is None:
        rising = q.rising(con, last)
    spark_from = last - timedelta(days=SPARK_DAYS - 1)
    for r in rising:
        per_day = {d["day"]: d["n"] for d in r.pop("daily") or []}
        r["spark"] = [per_day.get(spark_from + timedelta(days=k), 0) for k in range(SPARK_DAYS)]
        r.pop("floor", None), r.pop("scored", None)
    speakers_from = last - timedelta(days=SPEAKER_WEEK - 1)
    activity = q.daily_activity(con, first)
    return out | {
        "last_day": last,
        "first_day": first,
        "daily_articles": [{k: r[k] for k in ("day", "originals", "copies")} for r in activity],
        "daily_claims": [{"day": r["day"], "claims": r["claims"]} for r in activity],
        "rising": rising,
        "speakers": q.top_speakers(con, speakers_from),
        "speakers_from": speakers_from,
    }


def claims(con: Connection, f: c.ClaimFilter, paging: Paging) -> dict[str, Any]:
    """One page of matching claims; one row more is read to know whether a next page exists."""
    found = c.search_claims(con, f, paging.limit + 1, paging.offset)
    return {"claims": found[: paging.limit], "has_next": len(found) > paging.limit,
            "offset": paging.offset, "limit": paging.limit}  # fmt: skip


def claims_page(con: Connection, f: c.ClaimFilter, paging: Paging) -> dict:
    """The Claims page: one page of claims, and the outlets for the filter form."""
    return claims(con, f, paging) | {"outlets": q.outlet_names(con)}


def claims_export(
    con: Connection, f: c.ClaimFilter, limit: int, columns: tuple[str, ...]
) -> list[tuple]:
    return c.export_claims(con, f, limit, columns)


def window(con: Connection, days: int | None) -> tuple[date | None, date]:
    """(first day, last day) of a window of `days` ending at the newest article's day; the
    first day is None for all time."""
    newest = q.newest(con)
    last = q.day_of(con, newest) if newest else date.today()
    return (last - timedelta(days=days - 1) if days else None), last


def speaker(con: Connection, entity_id: str, days: int | None) -> dict | None:
    who = p.entity(con, entity_id)
    if who is None:
        return None
    since, last = window(con, days)
    activity = p.speaker_activity(con, entity_id, since)
    return {"entity": who, "since": since, "last_day": last, **activity,
            **p.speaker_recent(con, entity_id, since)}  # fmt: skip


def speaker_timeline(con: Connection, entity_id: str, days: int | None
                     ) -> list[dict] | None:  # fmt: skip
    if p.entity(con, entity_id) is None:
        return None
    return p.speaker_activity(con, entity_id, window(con, days)[0])["timeline"]


def entity(con: Connection, entity_id: str, days: int | None) -> dict | None:
    what = p.entity(con, entity_id)
    if what is None:
        return None
    since, last = window(con, days)
    timeline = p.entity_timeline(con, entity_id, since)
    p.entity_rows(con, entity_id, since)
    return {"entity": what, "since": since, "last_day": last, "timeline": timeline,
            "outlets": p.entity_outlets(con), **p.entity_company(con, entity_id),
            "quoted_claims": p.quoted_claims(con, entity_id, since)}  # fmt: skip


def entity_timeline(con: Connection, entity_id: str, days: int | None
                    ) -> list[dict] | None:  # fmt: skip
    if p.entity(con, entity_id) is None:
        return None
    return p.entity_timeline(con, entity_id, window(con, days)[0])


def spread(con: Connection, content_key: str) -> dict[str, Any] | None:
    found = p.spread(con, content_key)
    if found is None:
        return None
    clusters: dict[str, list[dict]] = {}
    for r in found["rows"]:
        clusters.setdefault(r["cluster_id"] or r["article_id"], []).append(r)
    found["clusters"] = [rows for rows in clusters.values() if len(rows) > 1]
    found["copies"] = sum(1 for r in found["rows"] if r["is_copy"])
    return found


def article(con: Connection, article_id: str) -> dict[str, Any] | None:
    art = p.article(con, article_id)
    if art is None:
        return None
    return {
        "article": art,
        "claims": p.article_claims(con, article_id, art["published"]),
        "mentions": p.article_mentions(con, article_id),
        "copies": p.article_copies(con, art["cluster_id"]) if art["cluster_id"] else [],
    }


def days_between(found: list[dict], key: str = "day") -> tuple[date, date] | None:
    days = [r[key] for r in found]
    return (min(days), max(days)) if days else None
