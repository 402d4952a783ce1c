"""The edge: Prefect flows and thin tasks, the HTTP fetcher, settings and the CLI.

Nothing else in mediamon imports this package."""

from flows.prefect_env import configure as _configure

# Prefect reads its settings at import time, so they must be in place before any flow module
# imports it.
_configure()
