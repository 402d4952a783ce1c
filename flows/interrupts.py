"""Ctrl-C for commands that run flows: stop within seconds, lose nothing, exit 130.

The first SIGINT (to the process group, as a terminal sends it, or to the main process only)
raises KeyboardInterrupt in the main thread, where the flow runs: the flow marks its run
'interrupted' and tells its resources to stop (tasks stop waiting, worker processes are
ended), and Prefect records the flow run as crashed. Whatever is still busy after GRACE_S (a
fetch in flight, a politeness pause) is cut short with the process: the warehouse is
transactional and its queue keeps every unfinished page for the next run, exactly as after a
kill -9. A second Ctrl-C exits at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

MESSAGE = "mediamon: interrupted; the next run completes the work"
EXIT_INTERRUPTED = 130
GRACE_S = 3.0  # then whatever is still busy is cut short
CLEANUP_S = 0.5
SHOW_CURSOR = "\x1b[?25h"

T = TypeVar("T")
_exiting = threading.Lock()
_cleanups: list[Callable[[], None]] = []


def on_exit(cleanup: Callable[[], None]) -> None:
    """Run this before the process ends on an interrupt (e.g. restore the terminal)."""
    _cleanups.append(cleanup)


def exit_now() -> None:
    """End the process: stop the worker processes, say why, exit 130 without waiting for
    threads still busy (the interpreter's normal exit would join them)."""
    if not _exiting.acquire(blocking=False):
        threading.Event().wait()  # another thread is ending the process right now
    from flows import progress, resources

    for cleanup in [resources.abort_all, progress.shutdown, *_cleanups]:
        _bounded(cleanup, CLEANUP_S)
    try:
        sys.stdout.flush()
        if sys.stderr.isatty():
            sys.stderr.write(SHOW_CURSOR)  # a progress display may have hidden it
        print(MESSAGE, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
    os._exit(EXIT_INTERRUPTED)


def _bounded(fn: Callable[[], None], timeout_s: float) -> None:
    """Run a cleanup, but never let it hold up the exit (it may wait for a lock)."""

    def quietly() -> None:
        with contextlib.suppress(Exception):  # nothing may stop the exit now
            fn()

    t = threading.Thread(target=quietly, daemon=True)
    t.start()
    t.join(timeout_s)


def _watchdog() -> None:
    threading.Event().wait(GRACE_S)
    exit_now()


def _on_sigint(signum: int, frame: Any) -> None:
    if _interrupted.is_set():
        exit_now()  # second Ctrl-C: no more patience
    _interrupted.set()
    threading.Thread(target=_watchdog, name="interrupt-watchdog", daemon=True).start()
    raise KeyboardInterrupt


_interrupted = threading.Event()


def run_interruptible(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call fn with the Ctrl-C handling above (from the main thread; elsewhere plain call)."""
    if threading.current_thread() is not threading.main_thread():
        return fn(*args, **kwargs)
    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        return fn(*args, **kwargs)
    except KeyboardInterrupt:
        exit_now()
        raise  # not reached
    finally:
        signal.signal(signal.SIGINT, previous)
