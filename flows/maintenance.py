"""The daily `maintenance` flow: checkpoint the warehouse (fold the WAL into the file and
reclaim space from replaced rows) and report what needs a human (given-up pages, dead feeds)."""

from __future__ import annotations

import time
from typing import Any

from prefect import flow

from flows.artifacts import publish_summary
from flows.settings import Settings
from warehouse.db import Warehouse, scalar


@flow(name="maintenance")
def maintenance(db: str | None = None) -> dict[str, Any]:
    settings = Settings.from_env(**({"db": db} if db else {}))
    t0 = time.monotonic()
    with Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s).writer() as con:
        before = scalar(con, "SELECT sum(total_blocks) FROM pragma_database_size()")
        con.execute("FORCE CHECKPOINT").fetchall()
        after = scalar(con, "SELECT sum(total_blocks) FROM pragma_database_size()")
        summary = {
            "blocks_before": int(before or 0),
            "blocks_after": int(after or 0),
            "pages_given_up": scalar(con, "SELECT count(*) FROM pages WHERE state='gave_up'"),
            "feeds_failing": scalar(con, "SELECT count(*) FROM feeds WHERE last_error IS NOT NULL"),
            "duration_s": round(time.monotonic() - t0, 2),
        }
    publish_summary("maintenance", summary)
    return summary
