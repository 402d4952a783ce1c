"""The `mediamon` command line: the parser and the top-level error handling.

Each command module registers its commands through ``register(add, sub)``; adding a command is
one module and one line in ``COMMAND_MODULES``.

Whatever goes wrong reaches the user as one line on stderr and a documented exit status: 2 for a
wrong argument, file or setting, 1 when the run could not do its job, 130 on Ctrl-C, 141 when
the reader of our output went away (`mediamon … | head`). A traceback only with -v."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from flows.cli import api_cmds, read_cmds, run_cmds, service_cmds, ui_cmd
from flows.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    setup_console_logging,
    summary_line,
)
from flows.feeds_config import ConfigError
from flows.local_api import LocalApiError
from flows.settings import Settings, SettingsError
from warehouse.db import WarehouseError

COMMAND_MODULES = (run_cmds, read_cmds, service_cmds, api_cmds, ui_cmd)


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong argument is one line (the usage is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


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


def _verbose_everywhere(parser: argparse.ArgumentParser) -> None:
    """Accept -v after the command name too (`mediamon status -v`), on every (sub)command."""
    for action in parser._actions:  # argparse keeps its subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            for sp in set(action.choices.values()):
                if "-v" not in sp._option_string_actions:
                    sp.add_argument(
                        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log progress details",
                    )  # fmt: skip
                _verbose_everywhere(sp)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
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
    _verbose_everywhere(p)
    return p


def _quiet_stdout() -> None:
    """Our reader went away: send what is still buffered nowhere, so the interpreter's final
    flush does not complain about the broken pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _first_cause(exc: WarehouseError) -> WarehouseError:
    """A warehouse error raised while handling another (a failed run recording its failure
    on the same damaged file) reports the first one: that is what the user can act on."""
    seen = {id(exc)}
    while isinstance(exc.__context__, WarehouseError) and id(exc.__context__) not in seen:
        exc = exc.__context__
        seen.add(id(exc))
    return exc


def _internal_error(exc: BaseException, verbose: bool) -> int:
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    msg = " ".join(str(exc).split())[:300]
    hint = "" if verbose else "; run with -v for details"
    print(f"mediamon: internal error: {type(exc).__name__}: {msg}{hint}", file=sys.stderr)
    return EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_console_logging(args.verbose)
    try:
        # A bad MEDIAMON_* value stops every command alike, also one that does not use it:
        # the same shell would break the next command that does.
        Settings.from_env()
        code = args.fn(args)
        sys.stdout.flush()  # a closed pipe shows up here, not in the interpreter's exit
        return code
    except (ConfigError, SettingsError) as exc:
        print(f"mediamon: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WarehouseError as exc:
        print(f"mediamon: {_first_cause(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except LocalApiError as exc:
        print(f"mediamon: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("mediamon: interrupted; the next run completes the work", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # the last resort: one line, the traceback only with -v
        return _internal_error(exc, args.verbose)
