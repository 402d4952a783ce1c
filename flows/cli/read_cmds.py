"""Commands that only read the warehouse: feeds list, sql, status, trends, claims, export."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, time, timedelta

from flows.cli.common import EXIT_FAILED, EXIT_OK, print_relation, settings_from
from flows.cli.windows import empty_reason, parse_window
from warehouse.db import Warehouse

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
    """Rising entities (the window vs the 4 windows before it; mentioned by at least 2
    outlets) and the most-quoted speakers. The window counts back from now or --until."""
    from warehouse import queries

    window = parse_window(args.since, args.until, default_days=7)
    days = window.days or 7
    # The trend rollups count whole days: the window is the `days` days ending with its last.
    first = window.last_day - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, UTC)
    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        count, oldest, newest = queries.article_span(con, start, start + timedelta(days=days))
        if count == 0:
            print(empty_reason(window, "articles published", oldest, newest))
            return EXIT_OK
        print(f"rising entities: {window.describe()} vs the {4 * days} days before "
              f"(mentioned by at least {queries.MIN_OUTLETS} outlets)")  # fmt: skip
        rising = queries.rising_entities(
            con, days, 4 * days, args.kind, args.limit, last_day=window.last_day
        )
        articles = f"{count} article{'s' if count != 1 else ''}"
        floor = f"none mentioned by {queries.MIN_OUTLETS}+ outlets more than its baseline"
        _show_or_say(rising, args.format,
                     f"no entity rose in {window.describe()} ({articles}; {floor})")  # fmt: skip
        print(f"\nmost-quoted speakers, {first} to {window.last_day}")
        speakers = queries.top_speakers(con, first, args.kind, args.limit, until=window.last_day)
        _show_or_say(speakers, args.format,
                     f"no attributed claims in {window.describe()} ({articles})")  # fmt: skip
    return EXIT_OK


def _show_or_say(cur, fmt: str, reason: str) -> None:
    """The result as a table, or (no rows) one line saying why."""
    rows = cur.fetchall()
    if rows or fmt != "table":
        print_relation([d[0] for d in cur.description], rows, fmt, sys.stdout)
    if not rows:
        print(reason, file=sys.stdout if fmt == "table" else sys.stderr)


def cmd_claims(args: argparse.Namespace) -> int:
    """What someone said: claims by a speaker (canonical name or any alias), newest first,
    with outlet, date and link. --since counts back from now or --until."""
    from warehouse import queries

    window = parse_window(args.since, args.until, default_days=None)
    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        cur = queries.claims_by_speaker(con, args.speaker, window.since, args.limit, window.until)
        rows = cur.fetchall()
        if rows or args.format != "table":
            print_relation([d[0] for d in cur.description], rows, args.format, sys.stdout)
        if not rows:
            total, oldest, newest = queries.speaker_span(con, args.speaker)
            what = f"claims by {args.speaker!r}"
            reason = (
                empty_reason(window, what, oldest, newest)
                if total
                else f"no {what} in the warehouse (names and aliases match as whole words)"
            )
            print(reason, file=sys.stdout if args.format == "table" else sys.stderr)
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
    sp.add_argument(
        "--since", default="7d",
        help="window length counted back from --until (7d, 36h, 2w) or a start date (default 7d)",
    )  # fmt: skip
    sp.add_argument("--until", help="end of the window: a date (included) or 7d ago (default now)")
    sp.add_argument("--kind", choices=["person", "org", "place"], help="only this kind")
    sp.add_argument("--limit", type=int, default=15)
    sp.add_argument("--format", choices=FORMATS, default="table")

    sp = add("claims", cmd_claims)
    sp.add_argument("--speaker", required=True, help="name or alias (case-insensitive)")
    sp.add_argument(
        "--since", help="window length counted back from --until (7d, 36h, 2w) or a date"
    )
    sp.add_argument("--until", help="end of the window: a date (included) or 7d ago (default now)")
    sp.add_argument("--limit", type=int, default=50)
    sp.add_argument("--format", choices=FORMATS, default="table")

    sp = add("export", cmd_export)
    sp.add_argument("dir", help="output directory (created if missing)")
    sp.add_argument("--format", choices=["parquet", "csv"], default="parquet")
