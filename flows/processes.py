"""Which processes are alive: for telling a live run from one whose process died."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from warehouse.runs import RunOwner


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def process_started_at(pid: int) -> float | None:
    """When a process started (Unix time), where /proc tells; None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration, ValueError):
        return None
    ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: start time in clock ticks
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def run_is_alive(run: RunOwner, host: str | None = None) -> bool:
    """Is the process that runs this run still there? A run of another host (or recorded
    without an owner) cannot be checked and counts as alive; a recycled pid (a process that
    started after the run did) does not."""
    if run.pid is None or run.host != (host or this_host()):
        return True
    if not pid_alive(run.pid):
        return False
    started = process_started_at(run.pid)
    return started is None or started <= run.started_at.timestamp() + 1.0


def dead_runs(runs: list[RunOwner]) -> list[str]:
    host = this_host()
    return [r.run_id for r in runs if not run_is_alive(r, host)]
