"""Progress of long runs, reported to whoever is watching (the CLI sets a reporter).

Flows call `progress.stage(name, total)` and `progress.advance(name, n)`; without a reporter
these are no-ops, so flows triggered by Prefect deployments stay silent."""

from __future__ import annotations

import threading
from typing import Protocol


class Reporter(Protocol):
    def stage(self, name: str, total: int) -> None: ...
    def advance(self, name: str, n: int = 1) -> None: ...
    def close(self) -> None: ...


_reporter: Reporter | None = None
_lock = threading.Lock()


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def shutdown() -> None:
    """Close the current display now (the process is about to end)."""
    reporter = _reporter
    set_reporter(None)
    if reporter is not None:
        reporter.close()


def stage(name: str, total: int) -> None:
    if _reporter is not None:
        with _lock:
            _reporter.stage(name, total)


def advance(name: str, n: int = 1) -> None:
    if _reporter is not None:
        with _lock:
            _reporter.advance(name, n)


class RichReporter:
    """A progress bar per stage on stderr (rich ships with Prefect)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, int] = {}
        self._progress.start()

    def stage(self, name: str, total: int) -> None:
        if name in self._tasks:
            self._progress.update(self._tasks[name], total=total)
        else:
            self._tasks[name] = self._progress.add_task(name, total=total)

    def advance(self, name: str, n: int = 1) -> None:
        if name in self._tasks:
            self._progress.advance(self._tasks[name], n)

    def close(self) -> None:
        self._progress.stop()
