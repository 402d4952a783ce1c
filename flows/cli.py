"""The `mediamon` command line. Every command takes --db PATH (default ./mediamon.duckdb or
$MEDIAMON_DB). Run `mediamon COMMAND --help` for the details of each."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from flows import progress
from flows.feeds_config import ConfigError, load_feeds_file
from flows.settings import Settings
from warehouse.db import Warehouse, WarehouseError, scalar

log = logging.getLogger("mediamon")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEMO_PORT = 8478


# -- helpers ----------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "db", None):
        overrides["db"] = Path(args.db)
    if getattr(args, "workers", None):
        overrides["workers"] = args.workers
    if getattr(args, "no_claims", False):
        overrides["claims"] = False
    settings = Settings.from_env(**overrides)
    allow = getattr(args, "allow_private", None) or []
    return settings.allowing_hosts(*allow) if allow else settings


@contextmanager
def _progress(enabled: bool):
    reporter = progress.RichReporter() if enabled else None
    progress.set_reporter(reporter)
    try:
        yield
    finally:
        progress.set_reporter(None)
        if reporter is not None:
            reporter.close()


def _run_ingest(
    feeds: list,
    settings: Settings,
    only: bool,
    show_progress: bool,
    fetch_pages: bool = True,
    force: bool = False,
    page_urls: list[str] | None = None,
    conditional: bool = True,
) -> dict:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.ingest import ingest

    # The heartbeat thread costs up to a second per flow and only serves crash detection of
    # deployed runs; a CLI run is watched by its user.
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}), _progress(show_progress):
        return ingest(
            feeds=feeds,
            only_these_feeds=only,
            fetch_pages=fetch_pages,
            force=force,
            page_urls=page_urls,
            conditional=conditional,
            settings=settings,
        )


def _print_summary(s: dict, out: TextIO | None = None, title: str = "ingest") -> None:
    out = out or sys.stdout
    print(f"mediamon {title} — run {s['run_id'][:8]} in {s['duration_s']:.1f} s", file=out)
    rows = [
        ("outlets", f"{s['outlets']}"),
        (
            "feeds polled",
            f"{s['feeds_polled']} ({s['feeds_not_modified']} not modified, "
            f"{s['feeds_failed']} failed)",
        ),
        ("new entries", f"{s['entries_new']}"),
        ("pages fetched", f"{s['pages_fetched']}"),
        ("articles loaded", f"{s['articles_new']} new, {s['articles_total']} in the warehouse"),
        ("claims", f"{s['claims_total']} in the warehouse, {s['entities_total']} entities"),
        ("failures", f"{s['failures']} pages, {s['feeds_failed']} feeds"),
        ("warehouse", s["db"]),
    ]
    for k, v in rows:
        print(f"  {k:<16} {v}", file=out)
    errors = s["feed_errors"] + s["page_errors"]
    if errors:
        print(f"  first problems ({len(errors)} in all; `mediamon status` lists them):", file=out)
        for e in errors[:10]:
            print(f"    - {e[:160]}", file=out)


def _json_default(o: object) -> object:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, Decimal):
        return float(o)
    if isinstance(o, bytes):
        return o.hex()
    return str(o)


def _print_relation(columns: Sequence[str], rows: Sequence[tuple], fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        w = csv.writer(out)
        w.writerow(columns)
        w.writerows(rows)
    elif fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], out, default=_json_default,
                  ensure_ascii=False, indent=1)  # fmt: skip
        out.write("\n")
    else:
        cells = [[("" if v is None else str(v)).replace("\n", " ") for v in r] for r in rows]
        widths = [len(c) for c in columns]
        for r in cells:
            widths = [min(max(w, len(v)), 60) for w, v in zip(widths, r, strict=True)]
        line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
        print(line, file=out)
        print("  ".join("-" * w for w in widths), file=out)
        for r in cells:
            print(
                "  ".join(
                    (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                    for v, w in zip(r, widths, strict=True)
                ).rstrip(),
                file=out,
            )
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


# -- commands ---------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    """Start the bundled demo news site on loopback and ingest all its feeds."""
    from demosite import DemoSite
    from flows.demo import demo_feeds

    settings = _settings(args).allowing_hosts("127.0.0.1")
    try:
        site = DemoSite(port=args.port).start()
    except OSError:
        # The usual port is taken: any free one works, but then the article URLs (and so
        # their identities) differ from earlier demo runs into the same warehouse.
        print(f"port {args.port} is busy; serving the demo on a free port", file=sys.stderr)
        site = DemoSite(port=0).start()
    with site:
        print(f"demo news site serving at {site.base_url}/", file=sys.stderr)
        feeds = demo_feeds(site)
        summary = _run_ingest(feeds, settings, only=True, show_progress=not args.quiet)
    _print_summary(summary, title="demo")
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_ingest(args: argparse.Namespace) -> int:
    """Poll feeds and load new articles: the feeds of FILE, ad-hoc --feed URLs, or (neither
    given) every feed registered in the warehouse."""
    from extractors.records import FeedSpec

    settings = _settings(args)
    feeds: list[FeedSpec] = []
    if args.feeds:
        feeds.extend(load_feeds_file(args.feeds))
    for url in args.feed or []:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--feed needs an http(s) URL, got {url!r}")
        feeds.append(FeedSpec(url=url, name=urlsplit(url).hostname, outlet=urlsplit(url).hostname))
    only = bool(feeds) and not args.all
    summary = _run_ingest(
        feeds, settings, only=only, show_progress=not args.quiet,
        fetch_pages=not args.poll_only, force=args.force,
    )  # fmt: skip
    if args.json:
        json.dump(summary, sys.stdout, default=_json_default, indent=1)
        print()
    else:
        _print_summary(summary)
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_feeds_import(args: argparse.Namespace) -> int:
    """Register the feeds of an OPML (or TOML) file; `mediamon ingest` then polls them."""
    from warehouse.load import upsert_feeds

    specs = load_feeds_file(args.file)
    wh = Warehouse(_settings(args).db)
    with wh.writer() as con:
        new = upsert_feeds(con, specs)
    print(f"{len(specs)} feeds read from {args.file}: {new} new, {len(specs) - new} already known")
    return EXIT_OK


def cmd_feeds_list(args: argparse.Namespace) -> int:
    """List registered feeds with their last poll."""
    wh = Warehouse(_settings(args).db)
    with wh.reader() as con:
        rel = con.execute(
            "SELECT outlet, url, kind, last_status, last_polled_at, last_error "
            "FROM feeds ORDER BY outlet, url"
        )
        cols = [d[0] for d in rel.description]
        _print_relation(cols, rel.fetchall(), args.format, sys.stdout)
    return EXIT_OK


def cmd_sql(args: argparse.Namespace) -> int:
    """Run one read-only SQL query and print the result."""
    import duckdb

    wh = Warehouse(_settings(args).db)
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
    _print_relation(cols, rows, args.format, sys.stdout)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Warehouse contents, the last runs and polls, and what is failing."""
    from warehouse import queries

    wh = Warehouse(_settings(args).db)
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
                _print_relation([d[0] for d in cur.description], rows, "table", sys.stdout)
            else:
                print("  (none)")
    return EXIT_OK


def parse_since(value: str | None) -> datetime | None:
    """ "7d", "36h", "2w" (before now) or an ISO date/time."""
    if not value:
        return None
    m = re.fullmatch(r"(\d+)\s*([hdw])", value.strip().lower())
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        return datetime.now(UTC) - timedelta(hours=hours)
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"--since takes 7d, 36h, 2w or an ISO date, not {value!r}") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _days(value: str | None, default: int) -> int:
    since = parse_since(value)
    if since is None:
        return default
    return max(1, round((datetime.now(UTC) - since).total_seconds() / 86400))


def _show(cur: Any, fmt: str = "table") -> None:
    _print_relation([d[0] for d in cur.description], cur.fetchall(), fmt, sys.stdout)


def cmd_trends(args: argparse.Namespace) -> int:
    """Rising entities (last window vs the 4 windows before it, ending at the newest article)
    and the most-quoted speakers."""
    from warehouse import queries

    window = _days(args.since, 7)
    wh = Warehouse(_settings(args).db)
    with wh.reader() as con:
        print(f"rising entities: last {window} days vs the {4 * window} days before")
        _show(queries.rising_entities(con, window, 4 * window, args.kind, args.limit), args.format)
        newest = scalar(con, "SELECT max(day) FROM article_facts")
        since = (
            datetime.combine(newest, datetime.min.time(), UTC) - timedelta(days=window - 1)
            if newest
            else datetime.now(UTC)
        )
        print(f"\nmost-quoted speakers since {since.date()}")
        _show(queries.top_speakers(con, since, args.kind, args.limit), args.format)
    return EXIT_OK


def cmd_claims(args: argparse.Namespace) -> int:
    """What someone said: claims by a speaker (canonical name or any alias), newest first,
    with outlet, date and link."""
    from warehouse import queries

    wh = Warehouse(_settings(args).db)
    with wh.reader() as con:
        _show(queries.claims_by_speaker(con, args.speaker, parse_since(args.since), args.limit),
              args.format)  # fmt: skip
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write every table to DIR as Parquet or CSV files (for pandas, polars, BI tools)."""
    from warehouse import queries

    wh = Warehouse(_settings(args).db)
    with wh.reader() as con:
        written = queries.export(con, args.dir, args.format)
    for path, rows in written:
        print(f"{rows:>10,} rows  {path}")
    return EXIT_OK


def cmd_reextract(args: argparse.Namespace) -> int:
    """Re-run the current extractors over stored pages and text (no network), for articles
    whose rows come from older extractor versions (or all with --all), in a date range."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.reextract import reextract

    settings = _settings(args)
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        s = reextract(
            since=parse_since(args.since), until=parse_since(args.until),
            everything=args.all, settings=settings,
        )  # fmt: skip
    print(f"mediamon reextract in {s['duration_s']:.1f} s ({s['fingerprint']})")
    print(f"  articles          {s['articles']} ({s['recleaned']} re-cleaned from raw pages, "
          f"{s['clean_errors']} kept their text)")  # fmt: skip
    print(f"  claims            {s['claims_before']} before, {s['claims_after']} after")
    print(f"  articles changed  {s['articles_changed']}")
    return EXIT_OK


def cmd_server(args: argparse.Namespace) -> int:
    """Start a Prefect server on 127.0.0.1 (needed for schedules; UI included)."""
    import os
    import subprocess

    from flows.serve import server_command

    print(f"export PREFECT_API_URL=http://127.0.0.1:{args.port}/api   # in the shells that "
          "run `mediamon serve` or `prefect deployment run`", file=sys.stderr)  # fmt: skip
    return subprocess.call(server_command(args.port), env=os.environ.copy())


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the deployments: ingest on an interval (or per [[schedule]] group of the feeds
    file), reextract and maintenance on cron, and an unscheduled ingest/adhoc for triggers."""
    from flows.feeds_config import parse_duration
    from flows.serve import build_deployments, serve_deployments

    settings = _settings(args)
    deployments = build_deployments(
        settings.db, args.feeds, parse_duration(args.interval, "--interval"),
        args.reextract_cron, args.maintenance_cron,
    )  # fmt: skip
    try:
        serve_deployments(deployments)
    except RuntimeError as exc:
        print(f"mediamon: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_ingest_url(args: argparse.Namespace) -> int:
    """Fetch, clean and analyse the given article URLs now (no feed needed)."""
    for url in args.urls:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"not an http(s) URL: {url!r}")
    summary = _run_ingest([], _settings(args), only=True, show_progress=not args.quiet,
                          page_urls=args.urls)  # fmt: skip
    _print_summary(summary, title="ingest-url")
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_backfill(args: argparse.Namespace) -> int:
    """Re-read every feed of FILE in full (ignoring ETag/Last-Modified) and fetch every page
    not stored yet; known pages are never fetched twice."""
    feeds = load_feeds_file(args.feeds)
    summary = _run_ingest(feeds, _settings(args), only=True, show_progress=not args.quiet,
                          conditional=False)  # fmt: skip
    _print_summary(summary, title="backfill")
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_extract(args: argparse.Namespace) -> int:
    """Claims and entities for JSON lines {"id", "text"} read from FILE or stdin."""
    from extractors.jsonl_extract import extract_jsonl
    from extractors.nlp import load_nlp

    src = sys.stdin if args.file in (None, "-") else open(args.file, encoding="utf-8")  # noqa: SIM115
    try:
        nlp = load_nlp()
        for line in extract_jsonl(src, nlp):
            sys.stdout.write(line + "\n")
    finally:
        if src is not sys.stdin:
            src.close()
    return EXIT_OK


# -- parser -----------------------------------------------------------------------------


def _summary(doc: str | None) -> str:
    """The first sentence of a docstring, on one line (for --help listings)."""
    text = " ".join((doc or "").split())
    for stop in (". ", ": "):
        if stop in text:
            text = text[: text.index(stop)]
    return text.rstrip(".")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mediamon",
        description="Media monitoring: news feeds -> clean articles -> claims and entities "
        "-> DuckDB.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, fn: Callable[[argparse.Namespace], int], **kw: Any
    ) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=_summary(fn.__doc__), description=fn.__doc__, **kw)
        sp.add_argument("--db", help="warehouse file (default ./mediamon.duckdb or $MEDIAMON_DB)")
        sp.set_defaults(fn=fn)
        return sp

    sp = add("demo", cmd_demo)
    sp.add_argument(
        "--port", type=int, default=DEMO_PORT,
        help=f"port of the demo site (default {DEMO_PORT}: the same URLs every run, so "
        "running the demo again adds nothing; 0 = any free port)",
    )  # fmt: skip
    sp.add_argument("--workers", type=int, help="cleaning processes (default: one per core)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    sp = add("ingest", cmd_ingest)
    sp.add_argument("--feeds", metavar="FILE", help="feeds file (.toml or .opml)")
    sp.add_argument("--feed", metavar="URL", action="append", help="ad-hoc feed (repeatable)")
    sp.add_argument(
        "--all", action="store_true",
        help="with --feeds/--feed: also poll every other registered feed",
    )  # fmt: skip
    sp.add_argument(
        "--allow-private", metavar="HOST", action="append",
        help="allow this host to be on a private/loopback address (e.g. 127.0.0.1)",
    )  # fmt: skip
    sp.add_argument("--workers", type=int, help="cleaning processes (default: one per core)")
    sp.add_argument(
        "--force", action="store_true",
        help="poll every registered feed now, even those not yet due",
    )  # fmt: skip
    sp.add_argument(
        "--poll-only", action="store_true",
        help="only poll feeds and queue new pages; a later run fetches them",
    )  # fmt: skip
    sp.add_argument(
        "--no-claims", action="store_true", help="skip claims and entities (faster, text only)"
    )
    sp.add_argument("--json", action="store_true", help="print the summary as JSON")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    feeds = sub.add_parser("feeds", help="manage registered feeds")
    fsub = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    for name, fn in (("import", cmd_feeds_import), ("list", cmd_feeds_list)):
        sp = fsub.add_parser(name, help=_summary(fn.__doc__), description=fn.__doc__)
        sp.add_argument("--db", help="warehouse file")
        sp.set_defaults(fn=fn)
        if name == "import":
            sp.add_argument("file", help="OPML (or TOML) file of feeds")
        else:
            sp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sp = add("sql", cmd_sql)
    sp.add_argument("query", help="SQL (the warehouse is opened read-only)")
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    add("status", cmd_status)

    sp = add("trends", cmd_trends)
    sp.add_argument("--since", default="7d", help="window: 7d, 36h, 2w or a date (default 7d)")
    sp.add_argument("--kind", choices=["person", "org", "place"], help="only this kind")
    sp.add_argument("--limit", type=int, default=15)
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sp = add("claims", cmd_claims)
    sp.add_argument("--speaker", required=True, help="name or alias (case-insensitive)")
    sp.add_argument("--since", help="7d, 36h, 2w or a date")
    sp.add_argument("--limit", type=int, default=50)
    sp.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sp = add("export", cmd_export)
    sp.add_argument("dir", help="output directory (created if missing)")
    sp.add_argument("--format", choices=["parquet", "csv"], default="parquet")

    sp = add("reextract", cmd_reextract)
    sp.add_argument("--since", help="only articles published since: 7d, 2w or a date")
    sp.add_argument("--until", help="only articles published before: a date")
    sp.add_argument("--all", action="store_true", help="also articles already up to date")
    sp.add_argument("--workers", type=int, help="worker processes (default: one per core)")

    sp = add("ingest-url", cmd_ingest_url)
    sp.add_argument("urls", nargs="+", metavar="URL", help="article page URL(s)")
    sp.add_argument("--allow-private", metavar="HOST", action="append", help="see ingest")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    sp = add("backfill", cmd_backfill)
    sp.add_argument("--feeds", metavar="FILE", required=True, help="feeds file (.toml/.opml)")
    sp.add_argument("--allow-private", metavar="HOST", action="append", help="see ingest")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    sp = sub.add_parser("server", help=_summary(cmd_server.__doc__),
                        description=cmd_server.__doc__)  # fmt: skip
    sp.add_argument("--port", type=int, default=4200)
    sp.set_defaults(fn=cmd_server)

    sp = add("serve", cmd_serve)
    sp.add_argument("--feeds", metavar="FILE", help="feeds file polled by the schedules")
    sp.add_argument("--interval", default="15m", help="ingest interval (default 15m)")
    sp.add_argument("--reextract-cron", default="0 3 * * *", help="default: 03:00 daily")
    sp.add_argument("--maintenance-cron", default="30 3 * * *", help="default: 03:30 daily")
    sp.add_argument("--allow-private", metavar="HOST", action="append", help="see ingest")

    sp = add("extract", cmd_extract)
    sp.add_argument("file", nargs="?", default="-", help="JSON lines file, or - for stdin")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.fn(args)
    except (ConfigError, WarehouseError) as exc:
        print(f"mediamon: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_FAILED
    except KeyboardInterrupt:
        print("mediamon: interrupted; the next run completes the work", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
