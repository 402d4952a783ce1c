"""When to poll a feed again: adapted to how often it actually publishes.

A feed that publishes every ten minutes is polled every five to fifteen; one that publishes
twice a week is polled every few hours. Never more often than the feed's configured minimum
(or the default), never less often than MAX_INTERVAL_S. Unchanged (304) and failed polls
stretch the interval gradually, so quiet or broken feeds cost less.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise

DEFAULT_MIN_INTERVAL_S = 300
DEFAULT_INTERVAL_S = 900
MAX_INTERVAL_S = 6 * 3600
RECENT_ITEMS = 20


def next_interval(
    published: Iterable[datetime | None],
    previous_s: int | None,
    min_interval_s: int | None,
    changed: bool,
) -> int:
    """Seconds until the next poll. `changed` is False for 304s and failed polls."""
    floor = min_interval_s or DEFAULT_MIN_INTERVAL_S
    if not changed:
        wanted = (previous_s or DEFAULT_INTERVAL_S) * 1.5
    else:
        dates = sorted(d for d in published if d is not None)[-RECENT_ITEMS:]
        gaps = [(b - a).total_seconds() for a, b in pairwise(dates)]
        gaps = [g for g in gaps if g > 0]
        # Half the typical gap between items: a new item waits on average a quarter gap.
        wanted = statistics.median(gaps) / 2 if len(gaps) >= 2 else DEFAULT_INTERVAL_S
    return int(min(max(wanted, floor), max(MAX_INTERVAL_S, floor)))
