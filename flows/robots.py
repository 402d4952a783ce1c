"""robots.txt per RFC 9309, parsed by protego (wildcards `*` and `$`, longest match wins,
Allow beats Disallow on a tie, the most specific user-agent group).

How an answer counts (RFC 9309 section 2.3.1):
* 2xx: its rules apply (the first 500 KiB are parsed; Crawl-delay is honoured by the fetcher);
* 4xx other than 429, or more than 5 redirects: "unavailable", everything is allowed;
* 5xx, 429, a timeout, no connection, a refused redirect: "unreachable", nothing is fetched
  from that host in this run (a later run asks again).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from protego import Protego

# RFC 9309: crawlers must parse at least the first 500 KiB.
ROBOTS_MAX_BYTES = 500 * 1024

Outcome = tuple[Protego | None, str | None]  # (rules or None = allow all, error)


class RobotsUnavailable(Exception):
    """robots.txt could not be read: RFC 9309 says assume everything is disallowed, for now."""


def interpret(netloc: str, status: int | None, body: bytes, error: str | None) -> Outcome:
    """What a robots.txt answer means for the host: (rules, None), (None, None) to allow
    everything, or (None, why nothing may be fetched)."""
    if status is not None and 200 <= status < 300 and error is None:
        return Protego.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")), None
    if status is not None and 300 <= status < 500 and status != 429:
        return None, None  # missing, forbidden, or redirected endlessly: allow all
    why = error or f"HTTP {status}"
    return None, f"robots.txt of {netloc} unreachable ({why}); not fetching from it in this run"


class RobotsGate:
    """One host's robots.txt, fetched once by the first thread that needs it. No lock is held
    while it is fetched (a robots.txt redirecting on its own host must not wait for itself);
    the other threads wait for the answer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: threading.Event | None = None
        self._outcome: Outcome = (None, "robots.txt not read yet")

    def outcome(self, load: Callable[[], Outcome]) -> Outcome:
        with self._lock:
            loader = self._ready is None
            if loader:
                self._ready = threading.Event()
            ready = self._ready
        assert ready is not None
        if loader:
            outcome: Outcome = (None, "robots.txt could not be read")
            try:
                outcome = load()
            finally:  # whatever happened, the waiting threads get an answer
                self._outcome = outcome
                ready.set()
        else:
            ready.wait()
        return self._outcome
