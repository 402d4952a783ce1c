"""Run-scoped resources (HTTP client, thread and process pools, warehouse handle) that tasks
look up by run id instead of receiving them as arguments.

Task arguments then stay small and picklable (a batch, the run id, the settings), so the same
tasks run on Prefect's thread-pool runner, where they share the flow's resources (one
politeness budget per host, one model per worker process), or on a distributed runner (Dask),
where each worker process builds its own resources on first use and does CPU work inline.

Every wait here watches the run's `stopping` flag: when the run is interrupted, tasks stop
waiting (RunStopped) instead of finishing their batches, and `abort` ends the worker
processes at once. A worker process that dies or hangs takes only its pages down with it:
the pool is replaced and the batch redone page by page, so the culprit is found and recorded.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from extractors.limits import ANALYSIS_BATCH_S_PER_ITEM, ANALYSIS_LIMIT_S, CLEAN_LIMIT_S
from flows.fetcher import Fetcher
from flows.settings import Settings
from flows.worker import warm_worker
from warehouse.db import Warehouse

log = logging.getLogger(__name__)

POLL_S = 0.2  # how often a waiting task looks at the stop flag
# The flow's own backstop for a worker stuck where its alarm cannot reach (deep in C code):
# well above the per-page limits the worker enforces itself (extractors/limits.py).
ITEM_HARD_LIMIT_S = 2 * (CLEAN_LIMIT_S + ANALYSIS_LIMIT_S + ANALYSIS_BATCH_S_PER_ITEM)
CHUNK_HARD_LIMIT_BASE_S = 120.0


class RunStopped(Exception):
    """The run is being interrupted: stop waiting, store nothing more."""


def _kill_pool(pool: ProcessPoolExecutor) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive():
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class RunResources:
    settings: Settings
    fetcher: Fetcher
    io_pool: ThreadPoolExecutor
    warehouse: Warehouse
    cpu_pool: Executor | None = None  # None: CPU work runs in the calling thread
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock)

    def start_cpu_pool(self, workers: int) -> None:
        """Worker processes for CPU work (cleaning, NLP), started only when there is work:
        spawning them and loading the model costs seconds a no-op run should not pay."""
        with self._pool_lock:
            if self.cpu_pool is None and workers > 0 and not self.stopping.is_set():
                self.cpu_pool = self._new_pool(workers)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),  # never fork a threaded process
            initializer=warm_worker,
            initargs=(self.settings.claims, os.getpid()),
        )
        if threading.current_thread() is threading.main_thread():
            # Start every worker now with Ctrl-C ignored: a process inherits that from its
            # birth, so a Ctrl-C while it is still importing cannot print a traceback.
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                for _ in range(workers):
                    pool.submit(os.getpid)
            finally:
                signal.signal(signal.SIGINT, previous)
        return pool

    def _replace_pool(self, broken: Executor, why: str) -> None:
        with self._pool_lock:
            if self.cpu_pool is broken and isinstance(broken, ProcessPoolExecutor):
                log.info("replacing the worker processes: %s", why)
                _kill_pool(broken)
                self.cpu_pool = (
                    None if self.stopping.is_set() else self._new_pool(broken._max_workers)
                )

    def wait_all(self, futures: Sequence[Future], run_limit_s: float | None = None) -> list:
        """Results of the futures, in order; RunStopped as soon as the run is interrupted,
        TimeoutError when one has been running for over run_limit_s. Time spent queued
        behind other batches does not count, except in the process pool's own call queue
        (its workers + 1 jobs, which it marks running as they enter it), so a batch may be
        counted a couple of batches' time early: the limits allow for that many times over."""
        started: dict[Future, float] = {}
        pending = set(futures)
        while pending:
            if self.stopping.is_set():
                raise RunStopped
            if run_limit_s is not None:
                now = time.monotonic()
                for f in pending:
                    if f.running():
                        since = started.setdefault(f, now)
                        if now - since > run_limit_s:
                            raise TimeoutError(f"still running after {run_limit_s:.0f} s")
            _, pending = wait(pending, timeout=POLL_S)
        return [f.result() for f in futures]

    def map_io(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> list:
        """fn over items on the I/O threads (fetches, polls), results in order."""
        return self.wait_all([self.io_pool.submit(fn, item) for item in items])

    def run_cpu(self, fn: Any, *args: Any) -> Any:
        if self.cpu_pool is None:
            return fn(*args)
        return self.wait_all([self.cpu_pool.submit(fn, *args)])[0]

    def run_cpu_chunked(
        self,
        fn: Any,
        items: list,
        *args: Any,
        on_failure: Callable[[Any, str], Any] | None = None,
    ) -> list:
        """fn(items, *args) -> list, computed in parts spread over the worker processes, so one
        batch keeps every core busy and no core idles at the end of a run. If a worker dies or
        hangs, the items are redone one by one; on_failure(item, reason) is the result of an
        item that kills or hangs a worker on its own."""
        pool = self.cpu_pool
        if pool is None or not items:
            return fn(items, *args)
        size = -(-len(items) // self.settings.worker_count)
        parts = [items[i : i + size] for i in range(0, len(items), size)]
        try:
            futures = [pool.submit(fn, part, *args) for part in parts]
            limit = CHUNK_HARD_LIMIT_BASE_S + ITEM_HARD_LIMIT_S * size
            return [row for rows in self.wait_all(futures, limit) for row in rows]
        except (BrokenProcessPool, TimeoutError) as exc:
            if on_failure is None:
                raise
            why = f"{type(exc).__name__}: {exc}"
        self._replace_pool(pool, why)
        return [self._run_alone(fn, item, args, on_failure) for item in items]

    def _run_alone(
        self, fn: Any, item: Any, args: tuple, on_failure: Callable[[Any, str], Any]
    ) -> Any:
        pool = self.cpu_pool
        if pool is None:
            raise RunStopped
        try:
            return self.wait_all([pool.submit(fn, [item], *args)], ITEM_HARD_LIMIT_S)[0][0]
        except BrokenProcessPool:
            reason = "the worker process died on this page (out of memory or a crash)"
        except TimeoutError:
            reason = f"the worker process hung on this page for over {ITEM_HARD_LIMIT_S:.0f} s"
        self._replace_pool(pool, reason)
        return on_failure(item, reason)

    def abort(self) -> None:
        """Interrupted: make every waiting task give up and end the worker processes now."""
        self.stopping.set()
        with self._pool_lock:
            if isinstance(self.cpu_pool, ProcessPoolExecutor):
                _kill_pool(self.cpu_pool)
        self.io_pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self.stopping.is_set():
            return  # abort() has let everything go; waiting here would stall the interrupt
        if self.cpu_pool is not None:
            self.cpu_pool.shutdown()
        self.io_pool.shutdown()
        self.fetcher.close()


_registry: dict[str, RunResources] = {}
_lock = threading.Lock()


def _new(settings: Settings, warehouse: Warehouse | None = None) -> RunResources:
    res = RunResources(
        settings=settings,
        fetcher=Fetcher(settings.fetch),
        io_pool=ThreadPoolExecutor(max_workers=settings.fetch.global_concurrency),
        warehouse=warehouse or Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s),
    )
    res.warehouse.stop_event = res.stopping  # a task waiting for the file lock gives up too
    return res


def open_run(run_id: str, settings: Settings, warehouse: Warehouse | None = None) -> RunResources:
    """Called by a flow: resources shared by all its tasks in this process (with the flow's
    warehouse handle, if given: it is migrated already)."""
    res = _new(settings, warehouse)
    with _lock:
        _registry[run_id] = res
    return res


def close_run(run_id: str) -> None:
    with _lock:
        res = _registry.pop(run_id, None)
    if res is not None:
        res.close()


def abort_all() -> None:
    """Interrupt every run of this process (Ctrl-C)."""
    with _lock:
        runs = list(_registry.values())
    for res in runs:
        res.abort()


def for_task(run_id: str, settings: Settings) -> RunResources:
    """Called by a task: the flow's resources if it runs in the flow's process, else (a remote
    worker) this worker's own, created once, with CPU work done inline."""
    with _lock:
        res = _registry.get(run_id)
        if res is None:
            res = _registry[run_id] = _new(settings)
        return res
