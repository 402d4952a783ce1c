"""Shared pieces of the flows: batching and the retry rule for tasks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from warehouse.db import WarehouseLocked


def chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def retry_on_lock(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a batch only for the transient failure a task can hit: the warehouse staying
    locked by another process. Page and feed errors are recorded, never raised."""
    try:
        state.result()
    except WarehouseLocked:
        return True
    except Exception:
        return False
    return False
