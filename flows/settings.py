"""Run settings: defaults, then environment (MEDIAMON_*), then explicit overrides (CLI).

The only place in mediamon that reads the environment."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from flows.fetcher import FetchSettings

DEFAULT_DB = Path("mediamon.duckdb")

# The largest values that still mean something. A larger one is a typo, and would overflow a
# pool, the clock or an INTEGER column deep inside a run instead of failing here, named.
MAX_WORKERS = 256  # each worker process holds a spaCy model (~200 MB)
MAX_CONCURRENCY = 1024  # threads fetching at once
MAX_PER_HOST_CONCURRENCY = 64
MAX_ATTEMPTS = 1000
MAX_INTERVAL_S = 3600.0  # between two requests to one host; more is one request per run
MAX_USER_AGENT = 256  # characters; servers refuse much longer headers


class SettingsError(ValueError):
    """A setting (a MEDIAMON_* variable or its flag) has a value we cannot use; the message
    names it."""


def _env(name: str) -> str | None:
    """The variable's value, or None when unset or blank (blank means "the default")."""
    value = os.environ.get(name, "").strip()
    return value or None


def shown(raw: str, quote: bool = True) -> str:
    """A value as an error message quotes it: on one line, however long."""
    short = raw if len(raw) <= 40 else raw[:37] + "..."
    return repr(short) if quote else short


def _check_int(raw: str, name: str, minimum: int, maximum: int) -> int:
    """A whole number from minimum to maximum, or SettingsError naming the setting."""
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {shown(raw)}") from None
    if value < minimum:
        raise SettingsError(
            f"{name} must be {minimum} or more, not {shown(raw.strip(), quote=False)}"
        )
    if value > maximum:
        raise SettingsError(
            f"{name} must be at most {maximum}, not {shown(raw.strip(), quote=False)}"
        )
    return value


def _env_int(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = _env(name)
    return default if raw is None else _check_int(raw, name, minimum, maximum)


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}: {shown(raw)} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise SettingsError(f"{name}: seconds must be 0 or more, not {shown(raw)}")
    if value > MAX_INTERVAL_S:
        raise SettingsError(f"{name}: at most {MAX_INTERVAL_S:.0f} seconds, not {shown(raw)}")
    return value


_HOST = re.compile(r"^[A-Za-z0-9._:\[\]-]+$")


def check_host(value: str, name: str) -> str:
    """A host name or IP address as the allow list holds it (lower case), or SettingsError."""
    host = value.strip().lower()
    if not host or not _HOST.match(host) or "://" in value:
        where = f"{name}: " if name else ""
        raise SettingsError(
            f"{where}{shown(value)} is not a host name or IP address (e.g. 127.0.0.1, no URL)"
        )
    return host.strip("[]")


def _host_list(name: str) -> frozenset[str]:
    raw = _env(name) or ""
    return frozenset(check_host(h, name) for h in raw.split(",") if h.strip())


def _host_intervals(name: str) -> dict[str, float]:
    """ "example.org=2,news.example=0.5" -> seconds between requests per host."""
    out = {}
    for item in (_env(name) or "").split(","):
        if not item.strip():
            continue
        host, sep, seconds = item.partition("=")
        if not sep:
            raise SettingsError(f"{name}: {shown(item.strip())} is not host=seconds (e.g. x.org=2)")
        out[check_host(host, name)] = _seconds(f"{name}: {shown(item.strip())}", seconds.strip())
    return out


def _user_agent(name: str) -> str:
    value = _env(name)
    if value is None:
        return FetchSettings.user_agent
    if not all(32 <= ord(c) < 127 for c in value):
        raise SettingsError(f"{name} must be printable ASCII on one line")
    if len(value) > MAX_USER_AGENT:
        raise SettingsError(f"{name} must be at most {MAX_USER_AGENT} characters, not {len(value)}")
    return value


@dataclass(frozen=True)
class Settings:
    db: Path = DEFAULT_DB
    fetch: FetchSettings = field(default_factory=FetchSettings)
    feed_batch_size: int = 50  # feeds per Prefect task
    page_batch_size: int = 32  # pages per Prefect task (fetch + clean + load)
    workers: int = 0  # cleaning + NLP processes; 0 = one per core
    claims: bool = True  # extract claims and entities (spaCy) while ingesting
    max_attempts: int = 8  # a page is given up after this many failed runs' attempts
    # Backoff between runs after a transient failure (in-run retries come first): 5 s, doubling.
    # Short enough that the next scheduled run retries; permanent-looking failures wait 60x.
    retry_base_s: float = 5.0
    lock_timeout_s: float = 300.0  # how long to wait for another process's warehouse lock

    @property
    def worker_count(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Every MEDIAMON_* variable is checked here; a bad value raises SettingsError naming
        the variable."""
        fetch = FetchSettings(
            user_agent=_user_agent("MEDIAMON_USER_AGENT"),
            global_concurrency=_env_int(
                "MEDIAMON_CONCURRENCY", FetchSettings.global_concurrency, 1, MAX_CONCURRENCY
            ),
            per_host_concurrency=_env_int(
                "MEDIAMON_PER_HOST_CONCURRENCY",
                FetchSettings.per_host_concurrency,
                1,
                MAX_PER_HOST_CONCURRENCY,
            ),
            allow_private_hosts=_host_list("MEDIAMON_ALLOW_PRIVATE_HOSTS"),
            min_host_interval_s=_seconds(
                "MEDIAMON_MIN_HOST_INTERVAL_S", _env("MEDIAMON_MIN_HOST_INTERVAL_S") or "0"
            ),
            host_intervals=_host_intervals("MEDIAMON_HOST_INTERVALS"),
        )
        base = cls(
            db=Path(_env("MEDIAMON_DB") or DEFAULT_DB),
            fetch=fetch,
            workers=_env_int("MEDIAMON_WORKERS", 0, 0, MAX_WORKERS),
            max_attempts=_env_int("MEDIAMON_MAX_ATTEMPTS", 8, 1, MAX_ATTEMPTS),
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    def allowing_hosts(self, *hosts: str) -> Settings:
        allowed = self.fetch.allow_private_hosts | {check_host(h, "allowed host") for h in hosts}
        return replace(self, fetch=replace(self.fetch, allow_private_hosts=frozenset(allowed)))
