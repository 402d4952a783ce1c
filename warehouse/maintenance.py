"""Housekeeping of the warehouse file: checkpoint it and report what needs a human."""

from __future__ import annotations

import duckdb

from warehouse.db import scalar


def _blocks(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "SELECT sum(total_blocks) FROM pragma_database_size()") or 0)


def checkpoint(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Fold the write-ahead log into the file and reclaim space from replaced rows.
    Returns the file's blocks (before, after)."""
    before = _blocks(con)
    con.execute("FORCE CHECKPOINT").fetchall()
    return before, _blocks(con)


def needs_attention(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Pages given up after every retry, and feeds whose last poll failed."""
    return {
        "pages_given_up": int(scalar(con, "SELECT count(*) FROM pages WHERE state = 'gave_up'")),
        "feeds_failing": int(
            scalar(con, "SELECT count(*) FROM feeds WHERE last_error IS NOT NULL")
        ),
    }
