"""`mediamon ui`: the read-only web view of the warehouse (flows/ui)."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from pathlib import Path

from flows.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, settings_from
from flows.feeds_config import ConfigError

UI_PORT = 8479


def _check_host(host: str) -> bool:
    """True when the host is a loopback address (or a name that resolves only to them)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as exc:
        raise ConfigError(f"--host {host!r} does not resolve: {exc}") from None
    return all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def _check_warehouse(db: Path) -> None:
    """A clear one-line error now, rather than a broken page later."""
    from warehouse import ui_queries
    from warehouse.db import Warehouse, WarehouseError

    if not db.is_file():
        raise ConfigError(f"no warehouse at {db}: run `mediamon demo` or `mediamon ingest` first")
    try:
        with Warehouse(db).reader() as con:
            problem = ui_queries.missing_schema(con)
    except WarehouseError as exc:
        raise ConfigError(str(exc)) from None
    except Exception as exc:  # duckdb refuses a file that is not a database
        raise ConfigError(f"{db} is not a DuckDB warehouse: {str(exc).splitlines()[0]}") from None
    if problem:
        raise ConfigError(
            f"{db}: {problem}; any writing command (`mediamon ingest`, "
            "`mediamon reextract`) upgrades it"
        )


def cmd_ui(args: argparse.Namespace) -> int:
    """Serve a read-only web view of the warehouse (claims, speakers, entities, spread) on
    loopback, and print its URL. Ctrl-C stops it."""
    try:
        return _serve(args)
    except KeyboardInterrupt:  # Ctrl-C while starting or serving: a normal way to stop
        return EXIT_INTERRUPTED


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from flows.ui.app import LOOPBACK_NAMES, create_app

    db = settings_from(args).db
    if not 0 <= args.port < 65536:
        raise ConfigError(f"--port must be 0-65535 (0: any free port), not {args.port}")
    loopback = _check_host(args.host)
    _check_warehouse(db)
    app = create_app(db, allowed_hosts=[*LOOPBACK_NAMES, args.host] if loopback else ["*"],
                     cache=not args.no_cache)  # fmt: skip
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    try:
        sock = socket.create_server((args.host, args.port), family=family)
    except OSError as exc:
        print(
            f"mediamon: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
            "pick another --port",
            file=sys.stderr,
        )
        return EXIT_FAILED
    shown = f"[{args.host}]" if ":" in args.host else args.host
    port = sock.getsockname()[1]
    print(
        f"mediamon ui: http://{shown}:{port}/  (warehouse {db}, read-only; Ctrl-C stops)",
        flush=True,
    )
    if not loopback:
        print(
            f"mediamon: warning: {args.host} is not loopback; anyone who can reach it can read "
            "the warehouse",
            file=sys.stderr,
        )
    config = uvicorn.Config(
        app, log_level="warning", access_log=args.access_log, lifespan="off", server_header=False
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])  # returns after SIGTERM; Ctrl-C re-raises KeyboardInterrupt
    finally:
        sock.close()
    return EXIT_OK if server.started else EXIT_FAILED


def register(add, sub) -> None:
    """Add this module's commands to the parser (``add`` registers one command)."""
    sp = add("ui", cmd_ui)
    sp.add_argument("--port", type=int, default=UI_PORT,
                    help=f"port (default {UI_PORT}; 0: any free port)")  # fmt: skip
    sp.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    sp.add_argument("--access-log", action="store_true", help="log every request")
    sp.add_argument("--no-cache", action="store_true",
                    help="compute every page afresh (for benchmarks)")  # fmt: skip
