"""The README stays true: its Quickstart has the two commands CI runs, and every SQL example
runs as written against a real warehouse."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from warehouse.db import Warehouse
from warehouse.sandbox import run_user_query

README = (REPO / "README.md").read_text(encoding="utf-8")
SQL_BLOCKS = re.findall(r"```sql\n(.*?)```", README, re.S)


def test_quickstart_has_two_commands_and_ci_runs_the_second() -> None:
    m = re.search(r"^## Quickstart$.*?```\n(.*?)```", README, re.S | re.M)
    assert m
    commands = [c.strip() for c in m.group(1).splitlines() if c.strip()]
    assert commands == ["python3 dev.py demo", "python3 dev.py test"]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("sql", SQL_BLOCKS, ids=[f"sql{i}" for i in range(len(SQL_BLOCKS))])
def test_readme_sql_runs(sql: str, demo_warehouse: Path) -> None:
    """As `mediamon sql` runs it: through the one-query gate, on a sandboxed connection."""
    with Warehouse(demo_warehouse).reader() as con:
        table = run_user_query(con, sql)
    assert table is not None and isinstance(table.rows, list)


def test_readme_examples_return_data(demo_warehouse: Path) -> None:
    """The analyst-facing examples are not just valid SQL: on the demo they show something
    (the trend views read rollups that the load keeps in step)."""
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        daily = next(b for b in SQL_BLOCKS if "FROM articles_daily" in b)
        assert con.execute(daily).fetchall(), "articles_daily is empty after the demo"
        latest = next(b for b in SQL_BLOCKS if "FROM articles\n" in b and "LIMIT 10" in b)
        assert len(con.execute(latest).fetchall()) == 10
        per_rule = next(b for b in SQL_BLOCKS if "GROUP BY rule" in b)
        assert all(rule for rule, *_ in con.execute(per_rule).fetchall()), "a claim without rule"
        for i, block in enumerate(SQL_BLOCKS):
            if any(v in block for v in ("speaker_daily", "rising_entities", "claim_spread",
                                        "unnest(via)", "cluster_id", "cooccurrence")):  # fmt: skip
                assert con.execute(block).fetchall(), f"README sql{i} returns nothing on the demo"
