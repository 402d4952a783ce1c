"""`mediamon sql` and every read path cannot leave the warehouse or change it: each escape of
issue 10 (and the others we found) is refused with one line and exit 1, against a real
warehouse file whose row counts and bytes are checked unchanged afterwards."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.conftest import REPO
from warehouse.db import Warehouse
from warehouse.queries import table_counts
from warehouse.sandbox import QueryRefused, check_user_query


@pytest.fixture(scope="module")
def sandbox_env(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A private copy of the demo warehouse, another DuckDB file to attach, an outside Parquet
    file, and a place where nothing may appear."""
    root = tmp_path_factory.mktemp("sandbox")
    wh = root / "wh.duckdb"
    shutil.copy(demo_warehouse, wh)
    other = root / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE loot AS SELECT 1 AS x")
    outside = root / "outside.parquet"
    duckdb.sql(f"COPY (SELECT 42 AS secret) TO '{outside}' (FORMAT parquet)")
    drop = root / "drop"
    drop.mkdir()
    return {"wh": wh, "other": other, "outside": outside, "drop": drop}


def _state(wh: Path) -> tuple[dict[str, int], str]:
    with Warehouse(wh).reader() as con:
        counts = table_counts(con)
    return counts, hashlib.sha256(wh.read_bytes()).hexdigest()


def _escapes(env: dict) -> list[str]:
    wh, other, outside, drop = env["wh"], env["other"], env["outside"], env["drop"]
    return [
        # files outside the warehouse: read, listed, written
        "SELECT * FROM read_text('/etc/shadow')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/root/*')",
        "SELECT * FROM glob('*')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/hostname')",
        "SELECT * FROM read_json_auto('/etc/passwd')",
        f"SELECT * FROM read_parquet('{outside}')",
        f"SELECT * FROM '{outside}'",
        f"SELECT * FROM '{other}'",
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
        f"COPY (SELECT * FROM claims) TO '{drop}/claims.csv'",
        f"COPY claims TO '{drop}/claims.parquet' (FORMAT parquet)",
        f"EXPORT DATABASE '{drop}/db'",
        f"IMPORT DATABASE '{drop}'",
        f"EXPLAIN ANALYZE COPY claims TO '{drop}/x.csv'",
        # the attach chain of the issue, whole and step by step
        f"ATTACH '{other}' AS o (READ_WRITE); USE o; DETACH wh; "
        f"ATTACH '{wh}' AS w2 (READ_WRITE); DELETE FROM w2.claims",
        f"ATTACH '{other}' AS o (READ_WRITE)",
        f"ATTACH '{wh}' AS w2 (READ_WRITE)",
        f"ATTACH '{wh}' AS w2",
        "ATTACH ':memory:' AS m",
        "USE o",
        "DETACH wh",
        # extensions and configuration
        "INSTALL httpfs",
        "FORCE INSTALL httpfs",
        "LOAD httpfs",
        f"LOAD '{drop}/evil.duckdb_extension'",
        "SET enable_external_access = true",
        "SET allowed_directories = ['/']",
        "RESET lock_configuration",
        "SET threads = 1",
        "PRAGMA enable_profiling",
        "PRAGMA threads = 1",
        "CALL enable_logging()",
        "CREATE SECRET (TYPE s3, KEY_ID 'a', SECRET 'b')",
        # writes to the warehouse itself
        "DELETE FROM claims",
        "UPDATE articles SET title = 'x'",
        "INSERT INTO outlets (name) VALUES ('x')",
        "DROP TABLE claims",
        "CREATE TABLE t AS SELECT 1",
        "CREATE TEMP TABLE t AS SELECT 1",
        "CREATE TEMP MACRO m(x) AS x",
        "ALTER TABLE claims ADD COLUMN x INT",
        "CHECKPOINT",
        "FORCE CHECKPOINT",
        "VACUUM",
        "BEGIN TRANSACTION",
        "CALL pragma_version()",
        # several statements in one
        "SELECT 1; SELECT 2",
        "SELECT count(*) FROM claims; DELETE FROM claims",
    ]


def test_every_escape_is_refused_in_one_line(sandbox_env: dict, capsys) -> None:
    wh = sandbox_env["wh"]
    before = _state(wh)
    assert before[0]["claims"] > 0 and before[0]["articles"] > 0
    for sql in _escapes(sandbox_env):
        assert main(["sql", sql, "--db", str(wh)]) == 1, sql
        out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mediamon: refused: "), (sql, err)
        assert "root:" not in out and "42" not in out, (sql, out)  # nothing leaked
    assert _state(wh) == before  # same row counts, same bytes
    assert list(sandbox_env["drop"].iterdir()) == []  # nothing written outside


def test_the_issue_escapes_as_real_processes(sandbox_env: dict) -> None:
    wh, other, drop = sandbox_env["wh"], sandbox_env["other"], sandbox_env["drop"]
    before = _state(wh)
    for sql in (
        "SELECT * FROM read_text('/etc/shadow')",
        "SELECT * FROM glob('/root/*')",
        f"COPY (SELECT 1) TO '{drop}/any.csv'",
        f"ATTACH '{other}' AS o (READ_WRITE); USE o; DETACH wh; "
        f"ATTACH '{wh}' AS w2 (READ_WRITE); DELETE FROM w2.claims",
        "INSTALL httpfs",
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "flows.cli", "sql", sql, "--db", str(wh)],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 1, (sql, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout and proc.stdout == ""
    assert _state(wh) == before
    assert list(drop.iterdir()) == []


def test_queries_views_and_inspection_still_work(sandbox_env: dict, capsys) -> None:
    wh = str(sandbox_env["wh"])
    for sql in (
        "SELECT count(*) AS n FROM claims",
        "WITH x AS (SELECT outlet FROM articles) SELECT count(*) FROM x",
        "FROM rising_entities LIMIT 3",
        "SELECT * FROM claim_spread LIMIT 3",
        "DESCRIBE claims",
        "SHOW TABLES",
        "SUMMARIZE outlets",
        "EXPLAIN SELECT * FROM articles_daily",
        "EXPLAIN ANALYZE SELECT count(*) FROM articles",
        "PIVOT articles ON language IN ('en') USING count(*)",
        "-- a comment first\nSELECT 1 AS one;",
    ):
        assert main(["sql", sql, "--db", wh, "--format", "csv"]) == 0, sql
        out, err = capsys.readouterr()
        assert out and not err, (sql, err)


def test_read_connections_are_sandboxed_without_the_gate(sandbox_env: dict) -> None:
    """The gate is the first layer; the connection itself refuses on its own."""
    outside, drop, other = sandbox_env["outside"], sandbox_env["drop"], sandbox_env["other"]
    with Warehouse(sandbox_env["wh"]).reader() as con:
        for sql in (
            "SELECT * FROM read_text('/etc/passwd')",
            f"SELECT * FROM '{outside}'",
            f"COPY (SELECT 1) TO '{drop}/x.csv'",
            f"ATTACH '{other}' AS o",
            "INSTALL httpfs",
            "SET enable_external_access = true",
            "DELETE FROM claims",
        ):
            with pytest.raises(duckdb.Error):
                con.execute(sql).fetchall()
    assert list(drop.iterdir()) == []


def test_export_may_write_into_its_directory_only(sandbox_env: dict, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert main(["export", str(out), "--db", str(sandbox_env["wh"])]) == 0
    assert (out / "claims.parquet").stat().st_size > 0
    with Warehouse(sandbox_env["wh"]).reader(write_dir=out) as con:
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute(f"COPY (SELECT 1) TO '{tmp_path}/beside.csv'").fetchall()
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET allowed_directories = ['/']").fetchall()
    assert not (tmp_path / "beside.csv").exists()


@pytest.mark.parametrize(
    "sql",
    ["", "-- nothing", "EXPLAIN ANALYZE DELETE FROM claims",
     "/* c */ EXPLAIN ANALYZE /* c */ INSERT INTO outlets (name) VALUES ('x')",
     "EXPLAIN /* c */ ANALYZE DELETE FROM claims",
     "EXPLAIN COPY claims TO 'x.csv'"],
)  # fmt: skip
def test_gate_edge_cases(sql: str) -> None:
    con = duckdb.connect()
    with pytest.raises(QueryRefused):
        check_user_query(con, sql)
