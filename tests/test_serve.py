"""Schedules and triggers against a real Prefect server: `mediamon serve` with a 1-minute
interval produces scheduled runs, and `prefect deployment run … --param` is executed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows.demo import demo_feeds
from tests.conftest import REPO
from warehouse.db import Warehouse

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _feeds_toml(demo_site, path: Path) -> Path:
    lines = []
    for f in demo_feeds(demo_site):
        lines += ["[[feed]]", f"url = {json.dumps(f.url)}", f"outlet = {json.dumps(f.outlet)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _runs(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    with Warehouse(db).reader() as con:
        return con.execute(
            "SELECT status, params FROM runs WHERE flow = 'ingest' ORDER BY started_at"
        ).fetchall()


@pytest.fixture
def prefect_server(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"),
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}  # fmt: skip
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(api + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("prefect server did not become healthy in 90 s")
    yield api
    os.killpg(proc.pid, 15)
    proc.wait(timeout=30)


def test_serve_runs_on_schedule_and_on_trigger(
    prefect_server: str,
    demo_site,
    tmp_path: Path,
) -> None:
    db = tmp_path / "served.duckdb"
    feeds = _feeds_toml(demo_site, tmp_path / "feeds.toml")
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_RUNNER_POLL_FREQUENCY": "5"}
    env.pop("MEDIAMON_ALLOW_PRIVATE_HOSTS", None)  # the flag alone must reach the served runs
    serve = subprocess.Popen(
        [str(BIN / "mediamon"), "serve", "--feeds", str(feeds), "--interval", "1m",
         "--db", str(db), "--allow-private", "127.0.0.1"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and serve.poll() is None:
            if sum(1 for status, _ in _runs(db) if status == "completed") >= 2:
                break
            time.sleep(3)
        runs = _runs(db)
        assert serve.poll() is None, "mediamon serve exited"
        assert sum(1 for status, _ in runs if status == "completed") >= 2, runs

        # An ad-hoc trigger with parameters, the Prefect way.
        trigger = subprocess.run(
            [str(BIN / "prefect"), "deployment", "run", "ingest/adhoc",
             "--param", "force=true", "--param", "tags=[\"triggered\"]"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert trigger.returncode == 0, trigger.stdout + trigger.stderr
        deadline = time.monotonic() + 120
        triggered = []
        while time.monotonic() < deadline and not triggered:
            triggered = [
                r for r in _runs(db)
                if r[0] == "completed" and json.loads(r[1]).get("tags") == ["triggered"]
            ]  # fmt: skip
            time.sleep(2)
        assert triggered and json.loads(triggered[0][1])["force"] is True
        with Warehouse(db).reader() as con:
            assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 48
    finally:
        os.killpg(serve.pid, 15)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, 9)


def test_allowed_hosts_travel_with_the_ingest_deployments(demo_site, tmp_path: Path) -> None:
    from flows.serve import build_deployments

    feeds = _feeds_toml(demo_site, tmp_path / "feeds.toml")
    deployments = build_deployments(tmp_path / "w.duckdb", str(feeds), 60, "0 3 * * *",
                                    "30 3 * * *", allow_private_hosts=["127.0.0.1"])  # fmt: skip
    ingests = [d for d in deployments if d.flow_name == "ingest"]
    assert {d.name for d in ingests} == {"scheduled", "adhoc"}
    assert all(d.parameters["allow_private_hosts"] == ["127.0.0.1"] for d in ingests)
    plain = build_deployments(tmp_path / "w.duckdb", None, 60, "0 3 * * *", "30 3 * * *")
    assert all("allow_private_hosts" not in d.parameters for d in plain)
