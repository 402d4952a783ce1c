"""The daily `maintenance` flow: checkpoint the warehouse (fold the WAL into the file and
reclaim space from replaced rows) and report what needs a human (given-up pages, dead feeds)."""

from __future__ import annotations

import time
from typing import Any

from prefect import flow

from flows.artifacts import publish_summary
from flows.settings import Settings
from warehouse import maintenance as housekeeping
from warehouse.db import Warehouse


@flow(name="maintenance")
def maintenance(db: str | None = None) -> dict[str, Any]:
    settings = Settings.from_env(**({"db": db} if db else {}))
    t0 = time.monotonic()
    with Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s).writer() as con:
        before, after = housekeeping.checkpoint(con)
        summary = {
            "blocks_before": before,
            "blocks_after": after,
            **housekeeping.needs_attention(con),
            "duration_s": round(time.monotonic() - t0, 2),
        }
    publish_summary("maintenance", summary)
    return summary
