"""Commands that only read the warehouse: feeds list, sql, status, trends, claims, export."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from flows.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    days_of,
    parse_since,
    print_relation,
    settings_from,
    show,
)
from warehouse.db import Warehouse, scalar

FORMATS = ["table", "csv", "json"]


def cmd_feeds_list(args: argparse.Namespace) -> int:
    """List registered feeds with their last poll."""
    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        rel = con.execute(
            "SELECT outlet, url, kind, last_status, last_polled_at, last_error "
            "FROM feeds ORDER BY outlet, url"
        )
        cols = [d[0] for d in rel.description]
        print_relation(cols, rel.fetchall(), args.format, sys.stdout)
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    """Run one read-only SQL query and print the result."""
    import duckdb

    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        try:
            cur = con.execute(args.query)
        except duckdb.Error as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        if cur.description is None:
            return EXIT_OK
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
    print_relation(cols, rows, args.format, sys.stdout)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Warehouse contents, the last runs and polls, and what is failing."""
    from warehouse import queries

    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        counts = queries.table_counts(con)
        print("tables: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        sections: list[tuple[str, str]] = [
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
        ]
        for title, sql in sections:
            cur = con.execute(sql)
            rows = cur.fetchall()
            print(f"\n{title}:")
            if rows:
                print_relation([d[0] for d in cur.description], rows, "table", sys.stdout)
            else:
                print("  (none)")
    return EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    """Rising entities (last window vs the 4 windows before it, ending at the newest article)
    and the most-quoted speakers."""
    from warehouse import queries

    window = days_of(args.since, 7)
    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        print(f"rising entities: last {window} days vs the {4 * window} days before")
        show(queries.rising_entities(con, window, 4 * window, args.kind, args.limit), args.format)
        newest = scalar(con, "SELECT max(day) FROM article_facts")
        since = (
            datetime.combine(newest, datetime.min.time(), UTC) - timedelta(days=window - 1)
            if newest
            else datetime.now(UTC)
        )
        print(f"\nmost-quoted speakers since {since.date()}")
        show(queries.top_speakers(con, since, args.kind, args.limit), args.format)
    return EXIT_OK


def cmd_claims(args: argparse.Namespace) -> int:
    """What someone said: claims by a speaker (canonical name or any alias), newest first,
    with outlet, date and link."""
    from warehouse import queries

    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        show(queries.claims_by_speaker(con, args.speaker, parse_since(args.since), args.limit),
             args.format)  # fmt: skip
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write every table to DIR as Parquet or CSV files (for pandas, polars, BI tools)."""
    from warehouse import queries

    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        written = queries.export(con, args.dir, args.format)
    for path, rows in written:
        print(f"{rows:>10,} rows  {path}")
    return EXIT_OK


def register(add, sub) -> None:
    """Add this module's commands to the parser (``add`` registers one command)."""
    sp = add("sql", cmd_sql)
    sp.add_argument("query", help="SQL (the warehouse is opened read-only)")
    sp.add_argument("--format", choices=FORMATS, default="table")

    add("status", cmd_status)

    sp = add("trends", cmd_trends)
    sp.add_argument("--since", default="7d", help="window: 7d, 36h, 2w or a date (default 7d)")
    sp.add_argument("--kind", choices=["person", "org", "place"], help="only this kind")
    sp.add_argument("--limit", type=int, default=15)
    sp.add_argument("--format", choices=FORMATS, default="table")

    sp = add("claims", cmd_claims)
    sp.add_argument("--speaker", required=True, help="name or alias (case-insensitive)")
    sp.add_argument("--since", help="7d, 36h, 2w or a date")
    sp.add_argument("--limit", type=int, default=50)
    sp.add_argument("--format", choices=FORMATS, default="table")

    sp = add("export", cmd_export)
    sp.add_argument("dir", help="output directory (created if missing)")
    sp.add_argument("--format", choices=["parquet", "csv"], default="parquet")
