"""Short read-only visits to the warehouse for the UI.

A DuckDB writer locks the file against every reader and a reader against every writer, so
the UI never keeps the file open: each request attaches it read-only
(warehouse/shared_reader.py: requests under way at the same time share one attachment),
runs its named queries and lets go, typically within tens of milliseconds, so an ingest
waiting for the lock gets it right after. While an ingest holds the file, a request waits up to
`wait_s`, then the page says "warehouse busy, retrying" and reloads itself.

What a page read is kept (a small LRU) under the warehouse's state: the size and
modification time of the file and of its write-ahead log, taken before the read. Every
commit changes one of them, so a page is recomputed after any write and served from memory
(without touching the file, so without holding any lock) until then.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from warehouse.db import WarehouseError, WarehouseLocked
from warehouse.shared_reader import SharedReader

T = TypeVar("T")
WAIT_S = 4.0  # how long a request waits for an ingest's lock before showing "busy"
CACHE_ENTRIES = 256  # page reads kept per warehouse state


class Busy(RuntimeError):
    """An ingest held the warehouse longer than a page should wait."""


class Unreadable(RuntimeError):
    """The warehouse could not be read (missing file, not a mediamon warehouse ...)."""


class WarehouseAccess:
    def __init__(self, path: Path, wait_s: float = WAIT_S, cache: bool = True) -> None:
        self.path = Path(path)
        self.wait_s = wait_s
        self.cache_enabled = cache
        self._reader = SharedReader(self.path, wait_s)
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def state(self) -> tuple:
        """What changes whenever a writer commits: size and mtime of the file and its WAL."""
        out: list[object] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = os.stat(p)
                out.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    def read(self, fn: Callable[..., T], *args: Any, cache: bool = True) -> T:
        """fn(con, *args) on a fresh read-only connection, closed right after; the result
        is reused while the warehouse does not change (args must be hashable)."""
        key = (fn.__module__, fn.__qualname__, args, self.state())
        if cache and self.cache_enabled:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return copy.deepcopy(self._cache[key])  # pages add to what they get
        result = self._read(fn, *args)
        if cache and self.cache_enabled:
            with self._lock:
                self._cache[key] = copy.deepcopy(result)
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
        return result

    def _read(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            with self._reader.reader() as con:
                return fn(con, *args)
        except WarehouseLocked as exc:
            raise Busy(str(exc)) from exc
        except WarehouseError as exc:
            raise Unreadable(str(exc)) from exc
