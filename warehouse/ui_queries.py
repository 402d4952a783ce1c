"""Named read-only queries behind `mediamon ui` (flows/ui): the overview, and the helpers
of every UI query. (Claim search and export: warehouse/ui_claims.py; speaker, entity,
spread and article pages: warehouse/ui_profiles.py.)

Every value is a bound parameter. The only SQL put together at run time is the choice among
fixed fragments (constants of these modules, never a value) and the number of `$pN`
placeholders of an IN list. Aggregates read the rollups (trend rollups, and claim_feed,
entity_days, article_days and rising_now of migration 0007), so no page aggregates the raw
claims or mentions. Rows come back as dicts.

Days are the writer's calendar days, as in every rollup (article_days, entity_days,
article_speakers); rising_now is used when it was computed for the day the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.db import schema_version
from warehouse.rollups import RISING_BASELINE, RISING_KEPT, RISING_WINDOW

# What the UI reads beyond the trend rollups: claim_feed and entity_days (migration 0007)
# and claims.rule / article_analysis.status (0006).
REQUIRED = {"claim_feed": "ts", "entity_days": "day", "article_days": "claims",
            "rising_now": "daily", "claims": "rule", "article_analysis": "status"}  # fmt: skip
RISING_CANDIDATES = 2000  # entities with the most recent mentions scored first (see rising)


def rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def one(cur: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    found = rows(cur)
    return found[0] if found else None


def in_list(name: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    """`($name0, $name1, …)` and its parameters: unlike list_contains, an IN list of
    parameters lets DuckDB look the keys up in an index."""
    params = {f"{name}{k}": v for k, v in enumerate(values)}
    return "(" + ", ".join(f"${p}" for p in params) + ")", params


def missing_schema(con: duckdb.DuckDBPyConnection) -> str | None:
    """None when the warehouse has what the UI reads, else what is missing, in words."""
    if schema_version(con) == 0:
        return "not a mediamon warehouse (no schema_migrations table)"
    have = set(con.execute(
        "SELECT table_name || '.' || column_name FROM information_schema.columns"
    ).fetchall())  # fmt: skip
    missing = [f"{t}.{c}" for t, c in REQUIRED.items() if (f"{t}.{c}",) not in have]
    return f"schema too old (no {', '.join(missing)})" if missing else None


# ------------------------------------------------------------------------------ overview


def newest(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Time of the newest article (publication, else fetch), as article_facts counts it.
    Two steps: the newest publication time (answered from the column's statistics), then
    only the undated articles fetched after it (the zone maps of fetched_at skip the rest)."""
    published = con.execute("SELECT max(published_at) FROM articles").fetchall()[0][0]
    fetched = con.execute(
        "SELECT max(fetched_at) FROM articles WHERE published_at IS NULL"
        + ("" if published is None else " AND fetched_at > $published"),
        {} if published is None else {"published": published},
    ).fetchall()[0][0]  # fmt: skip
    return max(filter(None, (published, fetched)), default=None)


def day_of(con: duckdb.DuckDBPyConnection, ts: datetime) -> date:
    """The session's calendar day of a time (how the rollups cast it)."""
    return con.execute("SELECT CAST($ts AS DATE)", {"ts": ts}).fetchall()[0][0]


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return one(con.execute("""
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM claims) AS claims,
               (SELECT count(*) FROM entities) AS entities,
               (SELECT count(*) FROM outlets) AS outlets,
               (SELECT count(*) FROM feeds) AS feeds
    """)) or {}  # fmt: skip


def daily_activity(con: duckdb.DuckDBPyConnection, since: date) -> list[dict[str, Any]]:
    """Original articles, syndicated copies and claims per day from `since` on (the
    article_days rollup of migration 0007: a few narrow columns, one row per article)."""
    return rows(con.execute("""
        SELECT day, count(*) FILTER (WHERE NOT is_copy) AS originals,
               count(*) FILTER (WHERE is_copy) AS copies, CAST(sum(claims) AS BIGINT) AS claims
        FROM article_days WHERE day >= $since GROUP BY day ORDER BY day
    """, {"since": since}))  # fmt: skip


def rising_kept(con: duckdb.DuckDBPyConnection, last: date, limit: int = 10) -> list[dict] | None:
    """The rising entities as the last write left them (rising_now rollup), when they were
    computed for `last`; None otherwise (then `rising` computes them)."""
    if limit > RISING_KEPT:
        return None
    found = rows(con.execute("""
        SELECT as_of, entity_id, entity, kind, mentions_7d, mentions_prior_28d, score, daily
        FROM rising_now ORDER BY score DESC, mentions_7d DESC, entity_id
    """))  # fmt: skip
    if any(r.pop("as_of") != last for r in found):
        return None
    if not found and con.execute("SELECT max(day) FROM article_days").fetchall()[0][0] != last:
        return None
    return found[:limit]


_RISING = """
    WITH recent AS (
        SELECT entity_id, sum(mentions) AS recent FROM entity_days
        WHERE day > $last - $w GROUP BY entity_id
        ORDER BY recent DESC, entity_id LIMIT $m
    ), days AS MATERIALIZED (
        SELECT entity_id, day, mentions AS n FROM entity_days
        WHERE day > $last - CAST($w + $b AS INTEGER)
          AND entity_id IN (SELECT entity_id FROM recent)
    ), scored AS (
        SELECT entity_id, coalesce(sum(n) FILTER (WHERE day > $last - $w), 0) AS recent,
               coalesce(sum(n) FILTER (WHERE day <= $last - $w), 0) AS baseline
        FROM days GROUP BY entity_id
    ), top AS (
        SELECT entity_id, recent, baseline,
               round((recent - baseline * $w / $b) / sqrt(baseline * $w / $b + 1), 3) AS score
        FROM scored WHERE recent > baseline * $w / $b
        ORDER BY score DESC, recent DESC, entity_id LIMIT $limit
    )
    SELECT t.entity_id, e.canonical_name AS entity, e.kind, CAST(t.recent AS BIGINT)
           AS mentions_7d, CAST(t.baseline AS BIGINT) AS mentions_prior_28d, t.score,
           (SELECT min(recent) FROM recent) AS floor, (SELECT count(*) FROM recent) AS scored,
           (SELECT list({'day': d.day, 'n': d.n}) FROM days d WHERE d.entity_id = t.entity_id)
               AS daily
    FROM top t JOIN entities e USING (entity_id)
    ORDER BY t.score DESC, t.recent DESC, t.entity_id
"""


def rising(con: duckdb.DuckDBPyConnection, last: date, limit: int = 10) -> list[dict[str, Any]]:
    """The rising_entities view's list (last 7 days vs the 28 before, ending at `last`), with
    each entity's mentions per day, from the entity_days rollup (migration 0007). Exact,
    but cheaper than the view: an entity's score
    never exceeds its recent mentions, so only the entities with the most recent mentions
    are scored; if one left out could still beat the list, more are scored."""
    m = RISING_CANDIDATES
    while True:
        found = rows(con.execute(_RISING, {"last": last, "w": RISING_WINDOW, "b": RISING_BASELINE,
                                           "m": m, "limit": limit}))  # fmt: skip
        complete = not found or found[0]["scored"] < m
        if complete or (len(found) == limit and found[-1]["score"] >= found[0]["floor"]):
            return found
        m *= 8


def top_speakers(con: duckdb.DuckDBPyConnection, since: date, limit: int = 10) -> list[dict]:
    """Most-quoted canonical speakers since a day (article_speakers rollup, as speaker_daily)."""
    return rows(con.execute("""
        SELECT speaker_canonical AS speaker, any_value(speaker_entity_id) AS entity_id,
               any_value(speaker_kind) AS kind, CAST(sum(claims) AS BIGINT) AS claims,
               CAST(coalesce(sum(claims) FILTER (WHERE NOT is_copy), 0) AS BIGINT)
                   AS claims_original,
               count(DISTINCT outlet) AS outlets
        FROM article_speakers
        WHERE day >= $since
        GROUP BY speaker_canonical
        ORDER BY claims DESC, speaker
        LIMIT $limit
    """, {"since": since, "limit": limit}))  # fmt: skip


def failing_feeds(con: duckdb.DuckDBPyConnection, limit: int = 8) -> list[dict[str, Any]]:
    return rows(con.execute("""
        SELECT outlet, name, url, last_status, last_error, last_polled_at,
               count(*) OVER () AS failing
        FROM feeds WHERE last_error IS NOT NULL
        ORDER BY last_polled_at DESC NULLS LAST, url
        LIMIT $limit
    """, {"limit": limit}))  # fmt: skip


def last_runs(con: duckdb.DuckDBPyConnection, limit: int = 6) -> list[dict[str, Any]]:
    return rows(con.execute("""
        SELECT run_id, flow, started_at, finished_at, status, feeds_polled, feeds_failed,
               pages_fetched, articles_new, failures
        FROM runs ORDER BY started_at DESC LIMIT $limit
    """, {"limit": limit}))  # fmt: skip


def outlet_names(con: duckdb.DuckDBPyConnection, limit: int = 300) -> list[str]:
    cur = con.execute("SELECT outlet FROM outlets ORDER BY outlet LIMIT $limit", {"limit": limit})
    return [r[0] for r in cur.fetchall()]
