"""Time windows of the read commands (`trends`, `claims`): one rule for both.

A window counts back from now, or from an explicit `--until` (a date means "up to the end of
that day"); `--since` is a length (7d, 36h, 2w) counted back from that end, or a date. When a
window holds nothing, one line says why and what to try instead of printing an empty table.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flows.feeds_config import ConfigError

_LENGTH = re.compile(r"(\d+)\s*([hdw])")
_HOURS = {"h": 1, "d": 24, "w": 168}
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Window:
    since: datetime | None  # inclusive start; None: from the first article
    until: datetime  # exclusive end
    days: int | None  # length in whole days (rounded up); None when open-ended
    counted_back: bool  # --since was a length
    explicit_until: bool

    @property
    def last_day(self) -> date:
        """The last calendar day (UTC) the window includes."""
        return (self.until - timedelta(microseconds=1)).astimezone(UTC).date()

    @property
    def first_day(self) -> date:
        return self.since.astimezone(UTC).date() if self.since else date.min

    def describe(self) -> str:
        """In words, for headings and messages: "the last 7 days", "the 7 days up to ..."."""
        if self.since is None:
            return f"up to {self.last_day}" if self.explicit_until else "the warehouse"
        if self.counted_back:
            if self.explicit_until:
                return f"the {self.days} days up to {self.last_day}"
            return f"the last {self.days} days"
        end = f" up to {self.last_day}" if self.explicit_until else ""
        return f"{self.first_day} to {self.last_day}" if end else f"since {self.first_day}"


def _instant(value: str, flag: str) -> tuple[datetime, bool]:
    """An ISO date or date-time; returns (instant, was a bare date)."""
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(f"{flag} takes 7d, 36h, 2w or an ISO date, not {value!r}") from exc
    bare_date = len(value.strip()) == 10
    return (when if when.tzinfo else when.replace(tzinfo=UTC)), bare_date


def parse_window(
    since: str | None, until: str | None, default_days: int | None, now: datetime | None = None
) -> Window:
    """The window [since, until) of a read command (see the module docstring)."""
    now = now or datetime.now(UTC)
    end, explicit = now, False
    if until:
        explicit = True
        m = _LENGTH.fullmatch(until.strip().lower())
        if m:
            end = now - timedelta(hours=int(m.group(1)) * _HOURS[m.group(2)])
        else:
            end, bare = _instant(until, "--until")
            end = end + _DAY if bare else end  # a date: up to the end of that day
    if since is None and default_days is None:
        return Window(None, end, None, False, explicit)
    m = _LENGTH.fullmatch((since or f"{default_days}d").strip().lower())
    if m:
        hours = int(m.group(1)) * _HOURS[m.group(2)]
        start = end - timedelta(hours=hours)
        return Window(start, end, max(1, math.ceil(hours / 24)), True, explicit)
    start, _ = _instant(since or "", "--since")
    if start >= end:
        raise ConfigError(f"--since {since} is not before the window's end ({end:%Y-%m-%d %H:%M})")
    days = max(1, math.ceil((end - start) / _DAY))
    return Window(start, end, days, False, explicit)


def _round_up(days: int) -> int:
    """A suggestion that reads well: 52 -> 60, 7 -> 10, 130 -> 140."""
    return max(days, 10 * math.ceil(days / 10))


def empty_reason(
    window: Window, what: str, oldest: datetime | None, newest: datetime | None
) -> str:
    """One line: why `what` (e.g. "articles published") has nothing in the window and which
    window would have something."""
    if newest is None or oldest is None:
        return f"no {what} in the warehouse yet"
    head = f"no {what} in {window.describe()}"
    if window.since is not None and newest < window.since:
        back = _round_up(math.ceil((window.until - newest) / _DAY))
        day = newest.astimezone(UTC).date()
        return f"{head}; the newest is from {day} — try --since {back}d or --until {day}"
    if oldest >= window.until:
        day = oldest.astimezone(UTC).date() + timedelta(days=(window.days or 1) - 1)
        first = oldest.astimezone(UTC).date()
        return f"{head}; the oldest is from {first} — try --until {day}"
    span = f"{oldest.astimezone(UTC).date()} to {newest.astimezone(UTC).date()}"
    return f"{head} (the warehouse holds {span}: try a longer --since)"
