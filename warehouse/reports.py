"""The read-only reports the command line prints: registered feeds, the status page, the
newest day with articles. Each returns fully fetched rows (`Table`), never an open cursor."""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.db import scalar
from warehouse.sandbox import Table


def _table(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    cur = con.execute(sql)
    return Table([d[0] for d in cur.description], cur.fetchall())


def feeds_list(con: duckdb.DuckDBPyConnection) -> Table:
    """Registered feeds with their last poll, by outlet."""
    return _table(
        con,
        "SELECT outlet, url, kind, last_status, last_polled_at, last_error "
        "FROM feeds ORDER BY outlet, url",
    )


# (title, SQL) of the sections of `mediamon status`, in print order.
STATUS_SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "last runs",
        "SELECT started_at, status, feeds_polled, feeds_failed, pages_fetched, "
        "articles_new, failures FROM runs ORDER BY started_at DESC LIMIT 5",
    ),
    (
        "last polls",
        "SELECT p.started_at, f.outlet, p.http_status, p.duration_ms, p.entries_new, "
        "p.error FROM feed_polls p JOIN feeds f USING (feed_id) "
        "ORDER BY p.started_at DESC LIMIT 10",
    ),
    (
        "failing feeds",
        "SELECT outlet, url, last_status, last_error FROM feeds "
        "WHERE last_error IS NOT NULL ORDER BY outlet LIMIT 20",
    ),
    (
        "failing pages",
        "SELECT url, state, attempts, last_status, last_error, next_attempt_at "
        "FROM page_failures ORDER BY next_attempt_at LIMIT 20",
    ),
)


def status_sections(con: duckdb.DuckDBPyConnection) -> list[tuple[str, Table]]:
    """The last runs and polls, failing feeds and failing pages, each as (title, rows)."""
    return [(title, _table(con, sql)) for title, sql in STATUS_SECTIONS]


def newest_article_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The newest day with an article (trend windows end there, not at today)."""
    return scalar(con, "SELECT max(day) FROM article_facts")  # type: ignore[return-value]
