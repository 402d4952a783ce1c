"""Runs and the processes that run them: a run whose process is gone (or whose pid now belongs
to a younger process) is found and marked crashed; live runs and runs of other hosts are
left alone; finished runs keep their status."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows import processes
from warehouse import runs
from warehouse.db import Warehouse
from warehouse.runs import RunOwner


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_live_process_is_alive_and_a_finished_one_is_not() -> None:
    host, now = processes.this_host(), datetime.now(UTC)
    me = RunOwner("r1", os.getpid(), host, now)
    assert processes.run_is_alive(me)
    assert not processes.run_is_alive(RunOwner("r2", _dead_pid(), host, now))


def test_a_recycled_pid_does_not_keep_a_run_alive() -> None:
    """The pid is alive, but its process started after the run did: not the run's process."""
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as young:
        try:
            started = datetime.now(UTC) - timedelta(minutes=5)
            assert not processes.run_is_alive(RunOwner("r", young.pid, processes.this_host(),
                                                       started))  # fmt: skip
        finally:
            young.kill()


@pytest.mark.parametrize(("pid", "host"), [(None, None), (1, "another-host.example")])
def test_runs_that_cannot_be_checked_count_as_alive(pid: int | None, host: str | None) -> None:
    assert processes.run_is_alive(RunOwner("r", pid, host, datetime.now(UTC)))


def test_mark_crashed_touches_only_dead_running_runs(tmp_path: Path) -> None:
    host = processes.this_host()
    with Warehouse(tmp_path / "runs.duckdb").writer() as con:
        runs.start_run(con, "alive", "ingest", {}, pid=os.getpid(), host=host)
        runs.start_run(con, "dead", "ingest", {}, pid=_dead_pid(), host=host)
        runs.start_run(con, "elsewhere", "ingest", {}, pid=1, host="another-host.example")
        runs.start_run(con, "done", "ingest", {}, pid=_dead_pid(), host=host)
        runs.finish_run(con, "done", "completed", {"pages_fetched": 3})
        dead = processes.dead_runs(runs.unfinished_runs(con))
        assert dead == ["dead"]
        assert runs.mark_crashed(con, dead) == 1
        status = {r: runs.run_status(con, r) for r in ("alive", "dead", "elsewhere", "done")}
    assert status == {"alive": "running", "dead": "crashed", "elsewhere": "running",
                      "done": "completed"}  # fmt: skip


def test_finish_run_refuses_a_status_that_is_not_final(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "runs.duckdb").writer() as con:
        runs.start_run(con, "r", "ingest", {})
        with pytest.raises(ValueError, match="final"):
            runs.finish_run(con, "r", "running", {})
