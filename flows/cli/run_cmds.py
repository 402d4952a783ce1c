"""Commands that run flows and write to the warehouse: demo, ingest, ingest-url, backfill,
reextract, feeds import."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from flows.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    json_default,
    parse_since,
    progress_bars,
    settings_from,
)
from flows.feeds_config import ConfigError, load_feeds_file
from flows.settings import Settings
from warehouse.db import Warehouse

DEMO_PORT = 8478


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
    with (
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
        progress_bars(show_progress),
    ):
        return ingest(
            feeds=feeds,
            only_these_feeds=only,
            fetch_pages=fetch_pages,
            force=force,
            page_urls=page_urls,
            conditional=conditional,
            settings=settings,
        )


def print_summary(s: dict, out: TextIO | None = None, title: str = "ingest") -> None:
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
    for note in s.get("feed_notes", []):
        print(f"  note: {note}", file=out)
    errors = s["feed_errors"] + s["page_errors"]
    if errors:
        print(f"  first problems ({len(errors)} in all; `mediamon status` lists them):", file=out)
        for e in errors[:10]:
            print(f"    - {e[:160]}", file=out)


def cmd_demo(args: argparse.Namespace) -> int:
    """Start the bundled demo news site on loopback and ingest all its feeds."""
    from demosite import DemoSite
    from flows.demo import demo_feeds

    settings = settings_from(args).allowing_hosts("127.0.0.1")
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
    print_summary(summary, title="demo")
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_ingest(args: argparse.Namespace) -> int:
    """Poll feeds and load new articles: the feeds of FILE, ad-hoc --feed URLs, or (neither
    given) every feed registered in the warehouse."""
    from extractors.records import FeedSpec

    settings = settings_from(args)
    feeds: list[FeedSpec] = []
    if args.feeds:
        feeds.extend(load_feeds_file(args.feeds))
    for url in args.feed or []:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--feed needs an http(s) URL, got {url!r}")
        feeds.append(FeedSpec(url=url))  # named after the feed's own title when polled
    only = bool(feeds) and not args.all
    summary = _run_ingest(
        feeds, settings, only=only, show_progress=not args.quiet,
        fetch_pages=not args.poll_only, force=args.force,
    )  # fmt: skip
    if args.json:
        json.dump(summary, sys.stdout, default=json_default, indent=1)
        print()
    else:
        print_summary(summary)
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_feeds_import(args: argparse.Namespace) -> int:
    """Register the feeds of an OPML (or TOML) file; `mediamon ingest` then polls them."""
    from warehouse.load import upsert_feeds

    specs = load_feeds_file(args.file)
    wh = Warehouse(settings_from(args).db)
    with wh.writer() as con:
        new = upsert_feeds(con, specs)
    print(f"{len(specs)} feeds read from {args.file}: {new} new, {len(specs) - new} already known")
    return EXIT_OK


def cmd_reextract(args: argparse.Namespace) -> int:
    """Re-run the current extractors over stored pages and text (no network), for articles
    whose rows come from older extractor versions (or all with --all), in a date range."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.reextract import reextract

    settings = settings_from(args)
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


def cmd_ingest_url(args: argparse.Namespace) -> int:
    """Fetch, clean and analyse the given article URLs now (no feed needed)."""
    for url in args.urls:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"not an http(s) URL: {url!r}")
    summary = _run_ingest([], settings_from(args), only=True, show_progress=not args.quiet,
                          page_urls=args.urls)  # fmt: skip
    print_summary(summary, title="ingest-url")
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def cmd_backfill(args: argparse.Namespace) -> int:
    """Re-read every feed of FILE in full (ignoring ETag/Last-Modified) and fetch every page
    not stored yet; known pages are never fetched twice."""
    feeds = load_feeds_file(args.feeds)
    summary = _run_ingest(feeds, settings_from(args), only=True, show_progress=not args.quiet,
                          conditional=False)  # fmt: skip
    print_summary(summary, title="backfill")
    return EXIT_OK if summary["ok"] else EXIT_FAILED


def register(add, sub) -> None:
    """Add this module's commands to the parser (``add`` registers one command)."""
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
