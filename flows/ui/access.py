"""Short read-only visits to the warehouse for the UI.

A DuckDB writer locks the file against every reader and a reader against every writer, so
the UI never keeps the file open: each request opens it read-only through
`Warehouse.reader()` (which carries the warehouse's read-only safety settings), runs its
named queries and closes it, typically within tens of milliseconds, so an ingest waiting
for the lock gets it right after. While an ingest holds the file, a request waits up to
`wait_s`, then the page says "warehouse busy, retrying" and reloads itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from warehouse.db import Warehouse, WarehouseError, WarehouseLocked

T = TypeVar("T")
WAIT_S = 4.0  # how long a request waits for an ingest's lock before showing "busy"


class Busy(RuntimeError):
    """An ingest held the warehouse longer than a page should wait."""


class Unreadable(RuntimeError):
    """The warehouse could not be read (missing file, not a mediamon warehouse ...)."""


class WarehouseAccess:
    def __init__(self, path: Path, wait_s: float = WAIT_S) -> None:
        self.path = Path(path)
        self.wait_s = wait_s

    def read(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(con, *args) on a fresh read-only connection, closed right after."""
        try:
            with Warehouse(self.path, lock_timeout_s=self.wait_s).reader() as con:
                return fn(con, *args)
        except WarehouseLocked as exc:
            raise Busy(str(exc)) from exc
        except WarehouseError as exc:
            raise Unreadable(str(exc)) from exc
        except duckdb.Error as exc:
            raise Unreadable(f"{type(exc).__name__}: {str(exc).splitlines()[0]}") from exc
