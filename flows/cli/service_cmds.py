"""Long-running and analysis commands: server, serve, extract."""

from __future__ import annotations

import argparse
import sys

from flows.cli.common import EXIT_FAILED, EXIT_OK, settings_from, summary_line


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

    settings = settings_from(args)
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


def cmd_extract(args: argparse.Namespace) -> int:
    """Claims and entities for JSON lines {"id", "text"} read from FILE or stdin
    (--explain: per claim the rule, the speaker chain and the rejected candidates, as text)."""
    from extractors.claims.explain import explain_jsonl
    from extractors.jsonl_extract import extract_jsonl
    from extractors.nlp import load_nlp

    src = sys.stdin if args.file in (None, "-") else open(args.file, encoding="utf-8")  # noqa: SIM115
    try:
        nlp = load_nlp()
        run = explain_jsonl if args.explain else extract_jsonl
        for line in run(src, nlp):
            sys.stdout.write(line + "\n")
    finally:
        if src is not sys.stdin:
            src.close()
    return EXIT_OK


def register(add, sub) -> None:
    """Add this module's commands to the parser (``add`` registers one command)."""
    sp = sub.add_parser("server", help=summary_line(cmd_server.__doc__),
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
    sp.add_argument("--explain", action="store_true",
                    help="readable rules, speaker chains and vetoes instead of JSON")  # fmt: skip
