"""Short read-only visits to the warehouse from a long-running process (the web view).

A DuckDB writer locks every other process out, so a reader must not keep the file open
between visits. Opening and closing a DuckDB database for each visit costs ~40 ms of CPU
(a whole database instance is started and stopped); attaching the file to one in-memory
instance that lives as long as the process costs ~10 ms. So the file is ATTACHed READ_ONLY
when a visit begins while none is under way, visits running at the same time share that
attachment (each on its own cursor: own temporary tables, own transaction), and the last
one to end DETACHes it, which releases the lock. The file is therefore held exactly while
some visit is under way, as with a connection per visit, and every attachment sees the
latest commit (no writer can commit while it is attached).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.db import WarehouseError, open_waiting
from warehouse.sandbox import BASE_CONFIG, first_line

ALIAS = "warehouse"  # the attached file's catalog name; a visit's cursor USEs it


class SharedReader:
    def __init__(self, path: Path, lock_timeout_s: float) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s
        # Not READ_CONFIG: ATTACH of the file needs external access; every query here is a
        # named, parameter-bound one of warehouse/ (no user SQL reaches this connection).
        self._db = duckdb.connect(":memory:", config=BASE_CONFIG)
        self._lock = threading.Lock()
        self._visits = 0

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only cursor on the warehouse; hold it only as long as a page's queries."""
        self._begin()
        try:
            cur = self._db.cursor()
            try:
                cur.execute(f"USE {ALIAS}")
                yield cur
            except duckdb.Error as exc:  # the web layer sees one-line WarehouseErrors only
                raise WarehouseError(f"cannot read {self.path}: {first_line(exc)}") from exc
            finally:
                cur.close()
        finally:
            self._end()

    def _begin(self) -> None:
        with self._lock:
            if self._visits == 0:
                if not self.path.exists():
                    raise WarehouseError(
                        f"no warehouse at {self.path}: run `mediamon ingest` (or `mediamon "
                        "demo`) first"
                    )
                # The path is a bound parameter of ATTACH, never part of the SQL text.
                open_waiting(self.path, self.lock_timeout_s, lambda: self._db.execute(
                    f"ATTACH $path AS {ALIAS} (READ_ONLY)", {"path": str(self.path)}))  # fmt: skip
            self._visits += 1

    def _end(self) -> None:
        with self._lock:
            self._visits -= 1
            if self._visits == 0:
                self._db.execute(f"DETACH {ALIAS}")
