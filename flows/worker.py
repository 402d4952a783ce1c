"""What runs inside the worker processes that clean and analyse pages.

* Start-up (`warm_worker`): load the extractors and the spaCy model once; ignore Ctrl-C (the
  flow's process decides when workers stop, and a worker must not print a traceback); exit
  on its own when the flow's process is gone (killed with -9), so no worker outlives its run.
* Time limits per page (`time_limit`): a CPU-time alarm interrupts cleaning or analysis that
  runs over its limit; extractors.pipeline then records that page as failed and goes on
  with the rest.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractors.clean import PageInput

PARENT_CHECK_S = 1.0


def warm_worker(with_claims: bool, parent_pid: int) -> None:
    """Runs once in each worker process (the pool's initializer)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    import extractors.clean  # noqa: F401

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    if with_claims:
        from extractors.nlp import load_nlp

        load_nlp()


def _exit_with_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)  # orphaned: the run is over, nobody will read our results


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in this (main) thread once this process has used `seconds`
    of CPU time: CPU time, so a machine busy with other work does not make a normal page
    fail (wall time under load was seen 8x the CPU time). It nests: an outer limit that
    would end sooner is left alone, a later one is re-armed afterwards. Outside the main
    thread it does nothing (signals only reach the main thread)."""
    from extractors.pipeline import TimeLimitExceeded

    outer_left, outer_interval = signal.getitimer(signal.ITIMER_PROF)
    in_main = threading.current_thread() is threading.main_thread()
    if not in_main or (outer_left and outer_left <= seconds):
        yield
        return

    def _expired(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded(f"over the time limit of {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, _expired)
    started = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        if outer_left:
            left = outer_left - (time.process_time() - started)
            signal.setitimer(signal.ITIMER_PROF, max(left, 0.001), outer_interval)


def clean_and_analyse(pages: list[PageInput], with_claims: bool = True) -> list:
    """extractors.pipeline.clean_and_analyse with the per-page time limits armed."""
    from extractors.pipeline import clean_and_analyse as run

    return run(pages, with_claims, guard=time_limit)


def reextract_many(items: list) -> list:
    """extractors.pipeline.reextract_many with the per-page time limits armed."""
    from extractors.pipeline import reextract_many as run

    return run(items, guard=time_limit)
