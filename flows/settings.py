"""Run settings: defaults, then environment (MEDIAMON_*), then explicit overrides (CLI).

The only place in mediamon that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from flows.fetcher import FetchSettings

DEFAULT_DB = Path("mediamon.duckdb")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _host_intervals(value: str) -> dict[str, float]:
    """ "example.org=2,news.example=0.5" -> seconds between requests per host."""
    out = {}
    for item in value.split(","):
        if "=" in item:
            host, seconds = item.split("=", 1)
            out[host.strip().lower()] = float(seconds)
    return out


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
        fetch = FetchSettings(
            user_agent=os.environ.get("MEDIAMON_USER_AGENT", FetchSettings.user_agent),
            global_concurrency=_env_int("MEDIAMON_CONCURRENCY", FetchSettings.global_concurrency),
            per_host_concurrency=_env_int(
                "MEDIAMON_PER_HOST_CONCURRENCY", FetchSettings.per_host_concurrency
            ),
            allow_private_hosts=frozenset(
                h.strip().lower()
                for h in os.environ.get("MEDIAMON_ALLOW_PRIVATE_HOSTS", "").split(",")
                if h.strip()
            ),
            min_host_interval_s=float(os.environ.get("MEDIAMON_MIN_HOST_INTERVAL_S", "0")),
            host_intervals=_host_intervals(os.environ.get("MEDIAMON_HOST_INTERVALS", "")),
        )
        base = cls(
            db=Path(os.environ.get("MEDIAMON_DB", str(DEFAULT_DB))),
            fetch=fetch,
            workers=_env_int("MEDIAMON_WORKERS", 0),
            max_attempts=_env_int("MEDIAMON_MAX_ATTEMPTS", 8),
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    def allowing_hosts(self, *hosts: str) -> Settings:
        allowed = self.fetch.allow_private_hosts | {h.lower() for h in hosts}
        return replace(self, fetch=replace(self.fetch, allow_private_hosts=frozenset(allowed)))
