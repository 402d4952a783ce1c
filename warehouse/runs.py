"""The `runs` table: one row per flow run, with the process that executes it.

A run is 'running' from start_run until finish_run sets completed, failed or interrupted. A
run whose process died without finishing (kill -9, power loss) is found by the next run
(`unfinished_runs`, checked against the live processes by the caller) and marked 'crashed'.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from warehouse.db import scalar

FINAL_STATUSES = ("completed", "failed", "interrupted", "crashed")


@dataclass(frozen=True, slots=True)
class RunOwner:
    run_id: str
    pid: int | None
    host: str | None
    started_at: datetime


def start_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    flow: str,
    params: dict,
    pid: int | None = None,
    host: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status, params, pid, host)"
        " VALUES (?, ?, ?, 'running', ?, ?, ?) ON CONFLICT (run_id) DO NOTHING",
        [run_id, flow, datetime.now(UTC), json.dumps(params, default=str), pid, host],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict[str, int]
) -> None:
    if status not in FINAL_STATUSES:
        raise ValueError(f"not a final run status: {status!r}")
    con.execute(
        """
        UPDATE runs SET finished_at = ?, status = ?, feeds_polled = ?, feeds_failed = ?,
               pages_fetched = ?, articles_new = ?, failures = ?
        WHERE run_id = ?
        """,
        [
            datetime.now(UTC), status, counts.get("feeds_polled", 0),
            counts.get("feeds_failed", 0), counts.get("pages_fetched", 0),
            counts.get("articles_new", 0), counts.get("failures", 0), run_id,
        ],
    )  # fmt: skip


def unfinished_runs(con: duckdb.DuckDBPyConnection) -> list[RunOwner]:
    """Runs still marked 'running', with the process that executes (or executed) them."""
    rows = con.execute(
        "SELECT run_id, pid, host, started_at FROM runs WHERE status = 'running' ORDER BY 4"
    ).fetchall()
    return [RunOwner(*row) for row in rows]


def mark_crashed(con: duckdb.DuckDBPyConnection, run_ids: Sequence[str]) -> int:
    """Runs whose process is gone: 'crashed' (their work stays queued for the next run)."""
    if not run_ids:
        return 0
    return len(
        con.execute(
            "UPDATE runs SET status = 'crashed' WHERE status = 'running' "
            "AND list_contains(?, run_id) RETURNING run_id",
            [list(run_ids)],
        ).fetchall()
    )


def run_status(con: duckdb.DuckDBPyConnection, run_id: str) -> str | None:
    return scalar(con, "SELECT status FROM runs WHERE run_id = ?", [run_id])


def warehouse_totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What a run summary reports about the whole warehouse."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM outlets), (SELECT count(*) FROM articles),"
        " (SELECT count(*) FROM claims), (SELECT count(*) FROM entities)"
    ).fetchall()[0]
    return dict(zip(("outlets", "articles", "claims", "entities"), row, strict=True))
