"""The DuckDB file: opening it (waiting politely for another process's lock), migrating it,
re-creating views.

A DuckDB writer locks every other process out, readers included, so connections here are
short-lived: open, do one unit of work, close. Whoever finds the file locked waits with
backoff instead of failing.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse.sandbox import BASE_CONFIG, READ_CONFIG, first_line, lock_down

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")


_writer_locks: dict[str, threading.RLock] = {}
_writer_locks_guard = threading.Lock()


def _writer_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.RLock())


class WarehouseError(RuntimeError):
    """A problem with the warehouse file, worded for the user."""


class WarehouseLocked(WarehouseError):
    """Another process held the file for longer than we were willing to wait."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every bundled migration, in order."""
    found = []
    for entry in resources.files("warehouse.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise WarehouseError(f"migrations are not numbered 1..n without gaps: {versions}")
    return found


def latest_version() -> int:
    return migrations()[-1][0]


def _is_lock_conflict(exc: Exception) -> bool:
    msg = str(exc)
    return "lock" in msg.lower() and ("Conflicting" in msg or "Could not set lock" in msg)


def _first_error(exc: duckdb.Error) -> duckdb.Error:
    """The DuckDB error that started it: a damaged block aborts the transaction, and whatever
    runs next (cleanup included) fails with "transaction is aborted", which says nothing."""
    while isinstance(exc.__context__, duckdb.Error) and exc.__context__ is not exc:
        exc = exc.__context__
    return exc


T = TypeVar("T")
# What callers outside warehouse/ may name in type hints (they never import duckdb).
Connection = duckdb.DuckDBPyConnection


def open_waiting(
    path: Path,
    timeout_s: float,
    open_file: Callable[[], T],
    stop: threading.Event | None = None,
) -> T:
    """open_file() (which opens `path`), retried while another process holds the file's
    lock, for at most timeout_s: then WarehouseLocked; any other failure: WarehouseError.
    A set ``stop`` (an interrupted run) ends the wait at once."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    stop = stop or threading.Event()
    while True:
        try:
            return open_file()
        except duckdb.Error as exc:
            if not (isinstance(exc, duckdb.IOException) and _is_lock_conflict(exc)):
                raise WarehouseError(f"cannot open {path}: {first_line(exc)}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"{path} stayed locked by another process for {timeout_s:.0f} s: {exc}"
                ) from exc
            # Another process is writing; wait with jittered backoff (they are short).
            if stop.wait(delay * (0.5 + random.random())):
                raise WarehouseError(f"gave up waiting for {path}: interrupted") from exc
            delay = min(delay * 1.6, 2.0)


class Warehouse:
    """Access to one DuckDB warehouse file."""

    def __init__(self, path: str | Path, lock_timeout_s: float = 300.0) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        self._migrated = False
        # Set by an interrupted run: stop waiting for another process's lock.
        self.stop_event: threading.Event | None = None

    def _connect(self, read_only: bool, config: dict[str, object]) -> duckdb.DuckDBPyConnection:
        if read_only and not self.path.exists():
            raise WarehouseError(
                f"no warehouse at {self.path}: run `mediamon ingest` (or `mediamon demo`) first"
            )
        if self.path.is_dir():
            raise WarehouseError(f"{self.path} is a directory, not a warehouse file")
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WarehouseError(f"cannot create {self.path.parent}: {exc.strerror}") from exc
        return open_waiting(
            self.path,
            self.lock_timeout_s,
            lambda: duckdb.connect(str(self.path), read_only=read_only, config=config),
            self.stop_event,
        )

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write connection, migrated to the latest schema; closed on exit. A DuckDB error
        escaping the block (a damaged file, typically) becomes a one-line WarehouseError.

        Within a process, one writer at a time per file: threads opening and closing the same
        file at once race inside DuckDB (a connection opened while the last one closes finds
        its database half shut down), and concurrent migrations conflict in the catalog."""
        lock = _writer_lock(self.path)
        if not lock.acquire(timeout=self.lock_timeout_s):
            raise WarehouseLocked(f"{self.path} stayed busy in this process for "
                                  f"{self.lock_timeout_s:.0f} s")  # fmt: skip
        try:
            con = self._connect(read_only=False, config=BASE_CONFIG)
            try:
                if not self._migrated:
                    migrate(con)
                    self._migrated = True
                yield con
            except duckdb.Error as exc:
                raise WarehouseError(f"{self.path}: {first_line(_first_error(exc))}") from exc
            finally:
                con.close()
        finally:
            lock.release()

    @contextmanager
    def reader(self, write_dir: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A sandboxed read-only connection (see warehouse/sandbox.py); hold it only as long
        as a query takes. ``write_dir``: the one directory it may write files into (export).
        A DuckDB error escaping the block becomes a one-line WarehouseError."""
        if write_dir is None:
            con = self._connect(read_only=True, config=READ_CONFIG)
        else:
            con = self._connect(read_only=True, config=BASE_CONFIG)
        try:
            if write_dir is not None:
                lock_down(con, write_dir)
            yield con
        except duckdb.Error as exc:
            raise WarehouseError(
                f"cannot read {self.path}: {first_line(_first_error(exc))}"
            ) from exc
        finally:
            con.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> object:
    """First column of the first row. Always fetches everything: DuckDB refuses further work
    on a connection whose last result was only partly read."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = scalar(
        con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    )
    if not exists:
        return 0
    return int(scalar(con, "SELECT coalesce(max(version), 0) FROM schema_migrations"))


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> list[int]:
    """Apply pending migrations, each in its own transaction together with its record, then
    re-create the views. Returns the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    current = schema_version(con)
    applied = []
    for version, name, sql in migrations():
        if version <= current or (target is not None and version > target):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, datetime.now(UTC)]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        log.info("applied migration %04d_%s", version, name)
        applied.append(version)
    if target is None or target >= latest_version():
        create_views(con)
    return applied


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    sql = resources.files("warehouse").joinpath("views.sql").read_text(encoding="utf-8")
    con.execute(sql)
