"""The shared local Prefect API: `mediamon api status|start|stop`."""

from __future__ import annotations

import argparse
import os

from flows.cli.common import EXIT_OK, summary_line


def _describe(server) -> str:
    return (
        f"local Prefect API: running (pid {server.pid}, Prefect {server.prefect_version}, "
        f"since {server.started_at})\n"
        f"  API   {server.url}\n"
        f"  UI    {server.ui_url}\n"
        f"  state {server.home}\n"
        f"  log   {server.log}"
    )


def cmd_api(args: argparse.Namespace) -> int:
    """The local Prefect API that flow commands share (started by the first one): status shows
    it (and its UI address), start starts it now, stop stops it (the next flow command starts
    it again)."""
    from flows import local_api

    exported = os.environ.get("PREFECT_API_URL")
    recorded = local_api.read_state()
    if exported and not (recorded and recorded.url == exported):
        print(f"using PREFECT_API_URL={exported} (exported): no local API is started for it")
        return EXIT_OK
    if args.action == "stop":
        stopped = local_api.stop()
        print(f"stopped the local Prefect API (pid {stopped.pid})" if stopped
              else "the local Prefect API is not running")  # fmt: skip
        return EXIT_OK
    if args.action == "start":
        local_api.ensure()
    server = local_api.running()
    if server is None:
        print(f"local Prefect API: not running (the next flow command starts it; state in "
              f"{local_api.home()})")  # fmt: skip
    else:
        print(_describe(server))
    return EXIT_OK


def register(add, sub) -> None:
    """Add this module's commands to the parser (``add`` registers one command)."""
    sp = sub.add_parser("api", help=summary_line(cmd_api.__doc__), description=cmd_api.__doc__)
    sp.add_argument("action", nargs="?", choices=("status", "start", "stop"), default="status")
    sp.set_defaults(fn=cmd_api)
