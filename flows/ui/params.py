"""Query parameters of the UI and the JSON API: checked, typed, with one-line errors.

Nothing here reaches SQL as text: the values end up as bound parameters of the UI's
named queries (warehouse/ui_*.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode, urlsplit

from warehouse.ui_claims import QUOTE_TYPES, ClaimFilter

MAX_TEXT = 200  # longest free-text filter accepted (characters)
PAGE_SIZE = 50  # claims per page
MAX_PAGE = 200  # deeper paging: narrow the filters instead (OFFSET grows linearly)
API_MAX_LIMIT = 500
WINDOWS = {"30": 30, "90": 90, "365": 365, "all": None}  # ?days= on speaker and entity pages
DEFAULT_WINDOW = "90"
TEXT_FILTERS = ("q", "speaker", "speaker_id", "entity", "outlet", "via", "content_key")
_RELATIVE = re.compile(r"(\d{1,4})\s*([hdw])")


class BadParameter(ValueError):
    """A query parameter the UI cannot use; the message names it and says what it takes."""


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise BadParameter(f"{name}: at most {MAX_TEXT} characters")
    if any(ord(ch) < 32 for ch in value):
        raise BadParameter(f"{name}: control characters are not allowed")
    return value or None


def parse_when(
    name: str, value: str | None, now: datetime, end_of_day: bool = False
) -> datetime | None:
    """ "2026-11-18", an ISO date-time, or "7d" / "36h" / "2w" before now. A bare date as
    an upper bound means the end of that day."""
    value = (value or "").strip().lower()
    if not value:
        return None
    m = _RELATIVE.fullmatch(value)
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        return now - timedelta(hours=hours)
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            when = datetime.combine(d + timedelta(days=1 if end_of_day else 0), time(), UTC)
        else:
            when = datetime.fromisoformat(value)
    except ValueError:
        raise BadParameter(f"{name}: expected a date like 2026-11-18, or 7d, 36h, 2w") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _int(params: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise BadParameter(f"{name}: a whole number from {lo} to {hi}")
    return int(raw)


def claim_filter(params: Mapping[str, str], now: datetime | None = None) -> ClaimFilter:
    now = now or datetime.now(UTC)
    values = {name: _text(params, name) for name in TEXT_FILTERS}
    qtype = _text(params, "type")
    if qtype and qtype not in QUOTE_TYPES:
        raise BadParameter(f"type: one of {', '.join(QUOTE_TYPES)}")
    since = parse_when("since", params.get("since"), now)
    until = parse_when("until", params.get("until"), now, end_of_day=True)
    if since and until and since >= until:
        raise BadParameter("since: must be before until")
    return ClaimFilter(since=since, until=until, type=qtype, **values)


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int
    page: int


def page_paging(params: Mapping[str, str]) -> Paging:
    page = _int(params, "page", 1, 1, MAX_PAGE)
    return Paging(PAGE_SIZE, (page - 1) * PAGE_SIZE, page)


def api_paging(params: Mapping[str, str]) -> Paging:
    limit = _int(params, "limit", PAGE_SIZE, 1, API_MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, MAX_PAGE * PAGE_SIZE)
    return Paging(limit, offset, offset // limit + 1)


def window_days(params: Mapping[str, str]) -> tuple[str, int | None]:
    """The ?days= window of the speaker and entity pages: its name and length (None: all)."""
    name = (params.get("days") or DEFAULT_WINDOW).strip().lower()
    if name not in WINDOWS:
        raise BadParameter(f"days: one of {', '.join(WINDOWS)}")
    return name, WINDOWS[name]


def filter_query(params: Mapping[str, str], **changes: object) -> str:
    """The query string of the current filters (as the user typed them), with changes."""
    keep = {
        k: v
        for k, v in params.items()
        if v and k in (*TEXT_FILTERS, "type", "since", "until", "page")
    }
    for k, v in changes.items():
        if v in (None, ""):
            keep.pop(k, None)
        else:
            keep[k] = str(v)
    return urlencode(keep)


def claims_link(**filters: object) -> str:
    """/claims with these filters (for links from other pages)."""
    names = {f.name for f in fields(ClaimFilter)} | {"page"}
    query = urlencode(
        {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in filters.items()
            if k in names and v not in (None, "")
        }
    )
    return "/claims" + ("?" + query if query else "")


def is_web_url(value: object) -> bool:
    """Only http(s) addresses with a host become links; anything else (javascript:, data:,
    relative paths, whitespace tricks) is shown as text."""
    if not isinstance(value, str) or value != value.strip() or len(value) > 4000:
        return False
    if any(ord(ch) < 33 for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
