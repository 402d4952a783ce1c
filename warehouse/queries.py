"""Named queries the flows and the CLI run against the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from warehouse.db import scalar


@dataclass(frozen=True, slots=True)
class FeedToPoll:
    feed_id: str
    url: str
    outlet: str | None
    etag: str | None
    last_modified: str | None
    min_interval_s: int | None = None
    poll_interval_s: int | None = None


@dataclass(frozen=True, slots=True)
class PageToFetch:
    url: str
    feed_id: str | None
    outlet: str | None
    guid: str | None
    entry_title: str | None
    entry_published_at: datetime | None
    entry_authors: tuple[str, ...]
    entry_language: str | None
    attempts: int


def feeds_to_poll(
    con: duckdb.DuckDBPyConnection,
    explicit: Sequence[str] = (),
    only_explicit: bool = False,
    due_before: datetime | None = None,
) -> list[FeedToPoll]:
    """Feeds to poll with their conditional-GET validators: the explicit ones always; with
    only_explicit=False also every other active feed that is due (next_poll_at passed), or
    every active feed when due_before is None."""
    sql = """
        SELECT feed_id, url, outlet, etag, last_modified, min_interval_s, poll_interval_s
        FROM feeds
        WHERE list_contains($explicit, feed_id)
           OR (NOT $only AND active
               AND ($due IS NULL OR next_poll_at IS NULL OR next_poll_at <= $due))
        ORDER BY url
    """
    params = {"explicit": list(explicit), "only": only_explicit, "due": due_before}
    return [FeedToPoll(*row) for row in con.execute(sql, params).fetchall()]


def due_pages(
    con: duckdb.DuckDBPyConnection, now: datetime, limit: int | None = None
) -> list[PageToFetch]:
    """Queued pages never tried, and failed ones whose backoff has expired, oldest first."""
    sql = """
        SELECT url, feed_id, outlet, guid, entry_title, entry_published_at, entry_authors,
               entry_language, attempts
        FROM pages
        WHERE state = 'pending' OR (state = 'failed' AND next_attempt_at <= ?)
        ORDER BY discovered_at, url
    """
    params: list = [now]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        PageToFetch(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6] or ()), r[7], r[8])
        for r in con.execute(sql, params).fetchall()
    ]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = ["outlets", "feeds", "feed_polls", "pages", "raw_pages", "articles"]
    return {n: scalar(con, f"SELECT count(*) FROM {n}") for n in names}


def recent_polls(con: duckdb.DuckDBPyConnection, limit: int = 20) -> duckdb.DuckDBPyRelation:
    return con.sql(
        """
        SELECT p.started_at, f.outlet, f.url, p.http_status, p.duration_ms, p.entries_seen,
               p.entries_new, p.error
        FROM feed_polls p JOIN feeds f USING (feed_id)
        ORDER BY p.started_at DESC LIMIT """
        + str(int(limit))
    )
