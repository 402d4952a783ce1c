"""The `mediamon` command line: the parser and the top-level error handling.

Each command module registers its commands through ``register(add, sub)``; adding a command is
one module and one line in ``COMMAND_MODULES``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from flows.cli import read_cmds, run_cmds, service_cmds, ui_cmd
from flows.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    summary_line,
)
from flows.feeds_config import ConfigError
from warehouse.db import WarehouseError

COMMAND_MODULES = (run_cmds, read_cmds, service_cmds, ui_cmd)


def _feeds_group(sub: Any) -> None:
    feeds = sub.add_parser("feeds", help="manage registered feeds")
    fsub = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    for name, fn in (("import", run_cmds.cmd_feeds_import), ("list", read_cmds.cmd_feeds_list)):
        sp = fsub.add_parser(name, help=summary_line(fn.__doc__), description=fn.__doc__)
        sp.add_argument("--db", help="warehouse file")
        sp.set_defaults(fn=fn)
        if name == "import":
            sp.add_argument("file", help="OPML (or TOML) file of feeds")
        else:
            sp.add_argument("--format", choices=read_cmds.FORMATS, default="table")


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
        sp = sub.add_parser(name, help=summary_line(fn.__doc__), description=fn.__doc__, **kw)
        sp.add_argument("--db", help="warehouse file (default ./mediamon.duckdb or $MEDIAMON_DB)")
        sp.set_defaults(fn=fn)
        return sp

    for module in COMMAND_MODULES:
        module.register(add, sub)
    _feeds_group(sub)
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
        return EXIT_INTERRUPTED
