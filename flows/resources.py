"""Run-scoped resources (HTTP client, thread and process pools, warehouse handle) that tasks
look up by run id instead of receiving them as arguments.

Task arguments then stay small and picklable (a batch, the run id, the settings), so the same
tasks run on Prefect's thread-pool runner, where they share the flow's resources (one
politeness budget per host, one model per worker process), or on a distributed runner (Dask),
where each worker process builds its own resources on first use and does CPU work inline.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from flows.batching import warm_worker
from flows.fetcher import Fetcher
from flows.settings import Settings
from warehouse.db import Warehouse


@dataclass
class RunResources:
    settings: Settings
    fetcher: Fetcher
    io_pool: ThreadPoolExecutor
    warehouse: Warehouse
    cpu_pool: Executor | None = None  # None: CPU work runs in the calling thread
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def start_cpu_pool(self, workers: int) -> None:
        """Worker processes for CPU work (cleaning, NLP), started only when there is work:
        spawning them and loading the model costs seconds a no-op run should not pay."""
        if self.cpu_pool is None and workers > 0:
            self.cpu_pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),  # never fork a threaded process
                initializer=warm_worker,
                initargs=(self.settings.claims,),
            )

    def run_cpu(self, fn: Any, *args: Any) -> Any:
        if self.cpu_pool is None:
            return fn(*args)
        return self.cpu_pool.submit(fn, *args).result()

    def run_cpu_chunked(self, fn: Any, items: list, *args: Any, parts: int = 0) -> list:
        """fn(items, *args) -> list, computed in parts spread over the worker processes, so one
        batch keeps every core busy and no core idles at the end of a run."""
        if self.cpu_pool is None or len(items) < 2:
            return self.run_cpu(fn, items, *args)
        parts = parts or self.settings.worker_count
        size = -(-len(items) // parts)
        futures = [
            self.cpu_pool.submit(fn, items[i : i + size], *args) for i in range(0, len(items), size)
        ]
        return [row for fut in futures for row in fut.result()]

    def close(self) -> None:
        if self.cpu_pool is not None:
            self.cpu_pool.shutdown()
        self.io_pool.shutdown()
        self.fetcher.close()


_registry: dict[str, RunResources] = {}
_lock = threading.Lock()


def _new(settings: Settings) -> RunResources:
    return RunResources(
        settings=settings,
        fetcher=Fetcher(settings.fetch),
        io_pool=ThreadPoolExecutor(max_workers=settings.fetch.global_concurrency),
        warehouse=Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s),
    )


def open_run(run_id: str, settings: Settings) -> RunResources:
    """Called by a flow: resources shared by all its tasks in this process."""
    res = _new(settings)
    with _lock:
        _registry[run_id] = res
    return res


def close_run(run_id: str) -> None:
    with _lock:
        res = _registry.pop(run_id, None)
    if res is not None:
        res.close()


def for_task(run_id: str, settings: Settings) -> RunResources:
    """Called by a task: the flow's resources if it runs in the flow's process, else (a remote
    worker) this worker's own, created once, with CPU work done inline."""
    with _lock:
        res = _registry.get(run_id)
        if res is None:
            res = _registry[run_id] = _new(settings)
        return res
