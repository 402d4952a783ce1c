"""Prefect settings for quiet, fast, offline runs; applied before Prefect is imported.

Only defaults are set: anything the user exported (e.g. PREFECT_API_URL of a started server,
or PREFECT_HOME) wins. Values are the ones measured in DEVELOPERS.md. Prefect's state (its
SQLite database, the local API's record and log) lives in a per-user state directory, never
in the current directory: ``$XDG_STATE_HOME/mediamon/prefect``, by default
``~/.local/state/mediamon/prefect``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_READ_BATCH_SIZE": "200",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}


def state_home() -> Path:
    """The XDG state directory of mediamon (per user)."""
    base = os.environ.get("XDG_STATE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "mediamon"


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or state_home() / "prefect")


def configure() -> None:
    home = prefect_home()
    os.environ.setdefault("PREFECT_HOME", str(home))
    # Prefect creates its home without parents and warns if it cannot (a fresh account has
    # no ~/.local/state yet); a read-only home is reported by the command that needs it.
    with contextlib.suppress(OSError):
        home.mkdir(parents=True, exist_ok=True)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
