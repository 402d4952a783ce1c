"""Commands that only read the warehouse: feeds list, sql, status, trends, claims, export."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    days_of,
    parse_since,
    positive_int,
    print_relation,
    settings_from,
    show,
)
from flows.feeds_config import ConfigError
from warehouse.db import Warehouse

FORMATS = ["table", "csv", "json"]


def cmd_feeds_list(args: argparse.Namespace) -> int:
    """List registered feeds with their last poll."""
    from warehouse import reports

    with Warehouse(settings_from(args).db).reader() as con:
        table = reports.feeds_list(con)
    print_relation(table.columns, table.rows, args.format, sys.stdout)
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    """Run one read-only SQL query and print the result. The warehouse is opened read-only in
    a sandbox: one SELECT-like statement, no files outside the warehouse, no ATTACH, COPY,
    INSTALL, LOAD, SET or PRAGMA."""
    from warehouse.sandbox import QueryFailed, QueryRefused, run_user_query

    with Warehouse(settings_from(args).db).reader() as con:
        try:
            table = run_user_query(con, args.query)
        except QueryRefused as exc:
            print(f"mediamon: refused: {exc}", file=sys.stderr)
            return EXIT_FAILED
        except QueryFailed as exc:
            print(f"mediamon: query failed: {exc}", file=sys.stderr)
            return EXIT_FAILED
    if table is not None:
        print_relation(table.columns, table.rows, args.format, sys.stdout)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Warehouse contents, the last runs and polls, and what is failing."""
    from warehouse import queries, reports

    with Warehouse(settings_from(args).db).reader() as con:
        counts = queries.table_counts(con)
        sections = reports.status_sections(con)
    print("tables: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for title, table in sections:
        print(f"\n{title}:")
        if table.rows:
            print_relation(table.columns, table.rows, "table", sys.stdout)
        else:
            print("  (none)")
    return EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    """Rising entities (last window vs the 4 windows before it, ending at the newest article)
    and the most-quoted speakers."""
    from warehouse import queries, reports

    window = days_of(args.since, 7)
    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        print(f"rising entities: last {window} days vs the {4 * window} days before")
        show(queries.rising_entities(con, window, 4 * window, args.kind, args.limit), args.format)
        newest = reports.newest_article_day(con)
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

    since = parse_since(args.since)  # a wrong argument is reported before opening anything
    wh = Warehouse(settings_from(args).db)
    with wh.reader() as con:
        show(queries.claims_by_speaker(con, args.speaker, since, args.limit), args.format)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write every table to DIR as Parquet or CSV files (for pandas, polars, BI tools)."""
    from warehouse import queries

    out = Path(args.dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"export: {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"export: cannot create {out}: {exc.strerror}") from exc
    out = out.resolve()
    wh = Warehouse(settings_from(args).db)
    # The connection stays sandboxed; it may write into the export directory only.
    with wh.reader(write_dir=out) as con:
        written = queries.export(con, str(out), args.format)
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
    sp.add_argument("--limit", type=positive_int, default=15)
    sp.add_argument("--format", choices=FORMATS, default="table")

    sp = add("claims", cmd_claims)
    sp.add_argument("--speaker", required=True, help="name or alias (case-insensitive)")
    sp.add_argument("--since", help="7d, 36h, 2w or a date")
    sp.add_argument("--limit", type=positive_int, default=50)
    sp.add_argument("--format", choices=FORMATS, default="table")

    sp = add("export", cmd_export)
    sp.add_argument("dir", help="output directory (created if missing)")
    sp.add_argument("--format", choices=["parquet", "csv"], default="parquet")
