"""Ctrl-C and kill -9 against real `mediamon ingest` processes in mid-flight (a demo site that
answers slowly, worker processes busy): the command stops with exit 130 and one line, leaves
no process behind, and the next run completes the work exactly once. A run killed with -9 is
marked crashed by the next run, and its worker processes end on their own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest

import demosite
from demosite import DemoSite
from flows.interrupts import MESSAGE
from tests.conftest import LOCAL_API_SERVICE, REPO, processes_marked, wait_until_gone

TAG = "MM_TEST_COMMAND"  # marks every process one command starts (workers included)


@pytest.fixture
def slow_site() -> Iterator[DemoSite]:
    with DemoSite(latency=0.25) as site:
        yield site


def _start(site: DemoSite, db: Path, tag: str) -> subprocess.Popen:
    feeds = db.with_suffix(".opml")
    feeds.write_text(httpx.get(site.opml_url).text, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--feeds", str(feeds), "--db", str(db),
         "--allow-private", "127.0.0.1", "--workers", "2"],
        cwd=REPO, env={**os.environ, TAG: tag}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,  # its own group, as a terminal job would have
    )  # fmt: skip


def _wait_mid_flight(site: DemoSite, proc: subprocess.Popen, tag: str) -> None:
    """Until pages are being fetched and the worker processes are up."""
    start = site.stats()["total"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [c for _, c in processes_marked(TAG, tag) if "multiprocessing.spawn" in c]
        if len(workers) >= 2 and site.stats()["total"] - start >= 15:
            return
        time.sleep(0.1)
    pytest.fail(f"the ingest never got mid-flight (exit {proc.poll()})")


def _runs(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()]


def _finish_and_check(site: DemoSite, db: Path) -> None:
    """The next run exits 0 and every article is stored exactly once."""
    tag = uuid.uuid4().hex
    proc = _start(site, db, tag)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, out + err
    expected = {site.base_url + a["canonical_url_path"] for a in demosite.articles()}
    with duckdb.connect(str(db), read_only=True) as con:
        urls = [r[0] for r in con.execute("SELECT canonical_url FROM articles").fetchall()]
        states = dict(con.execute("SELECT state, count(*) FROM pages GROUP BY 1").fetchall())
    assert sorted(urls) == sorted(expected)  # all of them, none twice
    assert states.get("pending", 0) == 0 and states.get("failed", 0) == 0
    assert wait_until_gone(TAG, tag, but=LOCAL_API_SERVICE) == []


@pytest.mark.parametrize("target", ["process group", "main process"])
def test_ctrl_c_stops_an_ingest_and_the_next_run_completes(
    slow_site: DemoSite, tmp_path: Path, target: str
) -> None:
    db = tmp_path / "interrupted.duckdb"
    tag = uuid.uuid4().hex
    proc = _start(slow_site, db, tag)
    _wait_mid_flight(slow_site, proc, tag)
    sent = time.monotonic()
    if target == "process group":
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    else:
        os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    print(f"SIGINT to the {target}: exit {proc.returncode} after {took:.2f} s")
    assert proc.returncode == 130, out + err
    assert err.strip().splitlines()[-1] == MESSAGE and "Traceback" not in out + err
    # No worker or helper process outlives the command (only the documented local API).
    assert wait_until_gone(TAG, tag, but=LOCAL_API_SERVICE) == []
    assert _runs(db) == ["interrupted"]
    _finish_and_check(slow_site, db)
    assert _runs(db) == ["interrupted", "completed"]


def test_a_run_killed_with_9_is_marked_crashed_and_its_workers_end(
    slow_site: DemoSite, tmp_path: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    tag = uuid.uuid4().hex
    proc = _start(slow_site, db, tag)
    _wait_mid_flight(slow_site, proc, tag)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only: its workers are orphaned
    proc.communicate(timeout=60)
    assert wait_until_gone(TAG, tag, but=LOCAL_API_SERVICE) == []  # the workers noticed and ended
    assert _runs(db) == ["running"]  # nobody could record anything
    _finish_and_check(slow_site, db)
    assert _runs(db) == ["crashed", "completed"]
