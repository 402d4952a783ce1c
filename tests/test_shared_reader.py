"""warehouse/shared_reader.py on real DuckDB files, with writers in other processes (file
locks are per process): visits at the same time share one attachment, the file is locked
exactly while a visit is under way, every visit sees the latest commit."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from warehouse.db import Warehouse, WarehouseError, WarehouseLocked
from warehouse.shared_reader import SharedReader

# A writer in another process: adds one outlet (or, with "hold", keeps the file for 3 s).
WRITER = """
import sys, time
from warehouse.db import Warehouse
with Warehouse(sys.argv[1], lock_timeout_s=float(sys.argv[3])).writer() as con:
    if sys.argv[2] == "hold":
        print("holding", flush=True)
        time.sleep(3)
    else:
        con.execute("INSERT INTO outlets (outlet, added_at) VALUES ($o, now())",
                    {"o": sys.argv[2]})
"""


def _writer(db: Path, what: str, wait_s: float = 30.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), what, str(wait_s)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with Warehouse(path).writer():
        pass  # migrated, empty
    return path


def _outlets(reader: SharedReader) -> list[str]:
    with reader.reader() as con:
        return sorted(r[0] for r in con.execute("SELECT outlet FROM outlets").fetchall())


def test_each_visit_sees_the_latest_commit(db: Path) -> None:
    reader = SharedReader(db, lock_timeout_s=30)
    assert _outlets(reader) == []
    for name in ("Outlet A", "Outlet B"):
        # Between visits the file is free: a writer in another process gets it at once.
        w = _writer(db, name, wait_s=0.5)
        assert w.wait(timeout=60) == 0, w.stderr.read() if w.stderr else ""
    assert _outlets(reader) == ["Outlet A", "Outlet B"]


def test_visits_at_once_share_the_file_and_release_it_after_the_last(db: Path) -> None:
    reader = SharedReader(db, lock_timeout_s=30)
    inside, leave = threading.Barrier(7), threading.Event()
    results: list[int] = []
    errors: list[Exception] = []

    def visit(k: int) -> None:
        try:
            with reader.reader() as con:
                # Temporary tables are each visit's own, on a shared attachment.
                con.execute("CREATE TEMP TABLE _mine AS SELECT count(*) + $k AS n FROM outlets",
                            {"k": k})  # fmt: skip
                inside.wait(timeout=30)  # all six are inside together
                leave.wait(timeout=60)
                results.append(con.execute("SELECT n FROM _mine").fetchall()[0][0])
        except Exception as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=visit, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    inside.wait(timeout=30)
    # While visits are under way the file is locked: a writer that will not wait fails.
    blocked = _writer(db, "Outlet X", wait_s=0)
    assert blocked.wait(timeout=60) != 0
    assert "locked" in (blocked.stderr.read() if blocked.stderr else "")
    leave.set()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and sorted(results) == list(range(6))
    w = _writer(db, "Outlet Y", wait_s=0)  # after the last visit: free again
    assert w.wait(timeout=60) == 0, w.stderr.read() if w.stderr else ""
    assert _outlets(reader) == ["Outlet Y"]


def test_a_writer_holding_the_file_makes_a_visit_wait_then_give_up(db: Path) -> None:
    holder = _writer(db, "hold")
    assert holder.stdout and holder.stdout.readline().strip() == "holding"
    impatient = SharedReader(db, lock_timeout_s=0.5)
    with pytest.raises(WarehouseLocked, match="stayed locked"), impatient.reader():
        pass
    assert holder.wait(timeout=60) == 0
    assert _outlets(SharedReader(db, lock_timeout_s=30)) == []  # and then reads


def test_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    missing = SharedReader(tmp_path / "none.duckdb", 1)
    with pytest.raises(WarehouseError, match="no warehouse at"), missing.reader():
        pass
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database", encoding="utf-8")
    reader = SharedReader(text, 1)
    with pytest.raises(WarehouseError, match="cannot open"), reader.reader():
        pass
    # Nothing is left attached by the failure: the next visit fails the same way.
    with pytest.raises(WarehouseError, match="cannot open"), reader.reader():
        pass
