"""Long-running and analysis commands: server, serve, extract."""

from __future__ import annotations

import argparse
import sys

from flows.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    host_name,
    port_number,
    settings_from,
    summary_line,
)
from flows.feeds_config import ConfigError


def cmd_server(args: argparse.Namespace) -> int:
    """Start a Prefect server of your own on 127.0.0.1, in the foreground (UI included). Flow
    commands do not need it: they share the local Prefect API (`mediamon api`)."""
    import os
    import subprocess

    from flows import local_api
    from flows.serve import server_command

    running = local_api.running()
    if running is not None:  # two servers on one Prefect database would both schedule runs
        print(f"mediamon: the local Prefect API already serves this Prefect home at "
              f"{running.ui_url}; stop it first (`mediamon api stop`)",
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    print(f"export PREFECT_API_URL=http://127.0.0.1:{args.port}/api   # in the shells that "
          "run `mediamon serve` or `prefect deployment run`", file=sys.stderr)  # fmt: skip
    return subprocess.call(server_command(args.port), env=os.environ.copy())


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the deployments: ingest on an interval (or per [[schedule]] group of the feeds
    file), reextract and maintenance on cron, and an unscheduled ingest/adhoc for triggers."""
    from flows.feeds_config import parse_duration
    from flows.local_api import flow_session
    from flows.serve import build_deployments, serve_deployments

    settings = settings_from(args)
    interval = parse_duration(args.interval, "--interval")
    # Built (and the feeds file checked) before the API starts: a wrong file is one line.
    deployments = build_deployments(
        settings.db, args.feeds, interval, args.reextract_cron, args.maintenance_cron,
        allow_private_hosts=sorted(settings.fetch.allow_private_hosts),
    )  # fmt: skip
    with flow_session(quiet=False) as api:  # schedules need a started server: this one
        print(f"mediamon serve: Prefect API {api}", file=sys.stderr)
        serve_deployments(deployments)
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """Claims and entities for JSON lines {"id", "text"} read from FILE or stdin. A line that
    cannot be read or analysed gets {"id", "error"} and the others go on. --explain: per claim
    the rule, the speaker chain and the rejected candidates, as text."""
    from extractors.claims.explain import explain_jsonl
    from extractors.jsonl_extract import ExtractStats, extract_jsonl, read_lines
    from extractors.nlp import load_nlp

    if args.file in (None, "-"):
        src = sys.stdin.buffer
    else:
        try:
            src = open(args.file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise ConfigError(f"extract: cannot read {args.file}: {exc.strerror}") from exc
    stats = ExtractStats()
    try:
        nlp = load_nlp()
        lines = read_lines(src)
        out = explain_jsonl(lines, nlp) if args.explain else extract_jsonl(lines, nlp, stats=stats)
        for line in out:
            sys.stdout.write(line + "\n")
    finally:
        if src is not sys.stdin.buffer:
            src.close()
    if stats.errors:
        print(f"mediamon: extract: {stats.errors} of {stats.lines} lines could not be analysed "
              "(their output lines carry \"error\")", file=sys.stderr)  # fmt: skip
    # No line could be used: the input is the wrong file (Latin-1, not JSON lines), as a
    # wrong feeds file is; some bad lines among good ones are reported per line only.
    return EXIT_USAGE if stats.lines and stats.errors == stats.lines else EXIT_OK


def register(add, sub) -> None:
    """Add this module's commands to the parser (``add`` registers one command)."""
    sp = sub.add_parser("server", help=summary_line(cmd_server.__doc__),
                        description=cmd_server.__doc__)  # fmt: skip
    sp.add_argument("--port", type=port_number, default=4200)
    sp.set_defaults(fn=cmd_server)

    sp = add("serve", cmd_serve)
    sp.add_argument("--feeds", metavar="FILE", help="feeds file polled by the schedules")
    sp.add_argument("--interval", default="15m", help="ingest interval (default 15m)")
    sp.add_argument("--reextract-cron", default="0 3 * * *", help="default: 03:00 daily")
    sp.add_argument("--maintenance-cron", default="30 3 * * *", help="default: 03:30 daily")
    sp.add_argument(
        "--allow-private", metavar="HOST", action="append", type=host_name, help="see ingest"
    )

    sp = add("extract", cmd_extract)
    sp.add_argument("file", nargs="?", default="-", help="JSON lines file, or - for stdin")
    sp.add_argument("--explain", action="store_true",
                    help="readable rules, speaker chains and vetoes instead of JSON")  # fmt: skip
