"""The shared local Prefect API, as a new user meets it: the first flow command starts it (its
state in the per-user state directory, nothing in the current directory, nothing on the
terminal), later commands reuse it, every run is a Prefect flow run it shows, a dead server is
replaced, `mediamon api stop` stops it, and an exported PREFECT_API_URL is used as it is."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import httpx

from tests.conftest import (
    LOCAL_API_SERVICE,
    cold_env,
    demo_feeds_toml,
    mediamon,
    processes_marked,
    stop_local_api,
)

STATE_FILE = Path("mediamon") / "prefect" / "local-api.json"


def _record(state: Path) -> dict:
    return json.loads((state / STATE_FILE).read_text(encoding="utf-8"))


def _flow_runs(api: str) -> list[tuple[str, str]]:
    runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=30).json()
    return [(r["name"], r["state"]["type"]) for r in runs]


def _ingest(feeds: Path, db: Path, env: dict, cwd: Path | None = None):
    args = ["ingest", "--feeds", str(feeds), "--db", str(db), "--allow-private", "127.0.0.1",
            "-q", "--no-claims"]  # fmt: skip
    return mediamon(*args, env=env, cwd=cwd) if cwd else mediamon(*args, env=env)


def test_first_command_starts_the_api_later_ones_reuse_it(demo_site, tmp_path: Path) -> None:
    state, work = tmp_path / "state", tmp_path / "work"
    work.mkdir()
    work.chmod(0o555)  # read-only for a normal user; and nothing may be written there anyway
    env = cold_env(state)
    feeds = demo_feeds_toml(demo_site, tmp_path / "feeds.toml")
    try:
        first = _ingest(feeds, tmp_path / "w.duckdb", env, cwd=work)
        assert first.returncode == 0, first.stdout + first.stderr
        assert first.stderr == ""  # no server chatter, no warnings on the terminal
        server = _record(state)
        second = _ingest(feeds, tmp_path / "w.duckdb", env, cwd=work)
        assert second.returncode == 0 and second.stderr == "", second.stderr
        assert _record(state) == server  # reused, not restarted
        api = f"http://127.0.0.1:{server['port']}/api"
        runs = _flow_runs(api)
        assert len(runs) == 2 and {state_ for _, state_ in runs} == {"COMPLETED"}
        status = mediamon("api", "status", env=env)
        assert status.returncode == 0 and api in status.stdout
        assert str(server["pid"]) in status.stdout
        assert list(work.iterdir()) == []  # no .prefect/ (or anything) in the current directory
        log = state / "mediamon" / "prefect" / "local-api.log"
        assert log.exists()  # the server's output goes there
        stopped = mediamon("api", "stop", env=env)
        assert stopped.returncode == 0 and str(server["pid"]) in stopped.stdout
        assert not any(str(server["pid"]) == str(p) for p, _ in processes_marked(
            "PREFECT_HOME", str(state / "mediamon" / "prefect")))  # fmt: skip
        assert "not running" in mediamon("api", "status", env=env).stdout
    finally:
        work.chmod(0o755)
        stop_local_api(state)


def test_a_dead_or_foreign_server_record_is_replaced(demo_site, tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = cold_env(state)
    feeds = demo_feeds_toml(demo_site, tmp_path / "feeds.toml")
    try:
        assert mediamon("api", "start", env=env).returncode == 0
        dead = _record(state)
        os.killpg(dead["pid"], signal.SIGKILL)  # a crash; its record stays behind
        time.sleep(0.5)
        run = _ingest(feeds, tmp_path / "w.duckdb", env)
        assert run.returncode == 0, run.stdout + run.stderr
        replaced = _record(state)
        assert replaced["pid"] != dead["pid"]
        # A record whose pid now belongs to another process (pid reuse): never touched.
        record = state / STATE_FILE
        stop_local_api(state)
        record.write_text(json.dumps({**replaced, "pid": os.getpid(), "port": 9}), "utf-8")
        assert mediamon("api", "start", env=env).returncode == 0
        assert _record(state)["pid"] not in (os.getpid(), replaced["pid"])
    finally:
        stop_local_api(state)
    servers = [p for p in processes_marked("PREFECT_HOME", str(state / "mediamon" / "prefect"))
               if LOCAL_API_SERVICE in p[1]]  # fmt: skip
    assert servers == []


def test_an_exported_prefect_api_url_is_used_as_it_is(demo_site, tmp_path: Path) -> None:
    """A server of the user's own (here: one started from another state directory) is used;
    no local API is started for the user's state directory."""
    theirs, mine = tmp_path / "their-state", tmp_path / "my-state"
    try:
        assert mediamon("api", "start", env=cold_env(theirs)).returncode == 0
        api = f"http://127.0.0.1:{_record(theirs)['port']}/api"
        env = cold_env(mine, PREFECT_API_URL=api)
        feeds = demo_feeds_toml(demo_site, tmp_path / "feeds.toml")
        run = _ingest(feeds, tmp_path / "w.duckdb", env)
        assert run.returncode == 0, run.stdout + run.stderr
        assert not (mine / STATE_FILE).exists()
        assert [name for name, _ in _flow_runs(api)] and "PREFECT_API_URL" in mediamon(
            "api", "status", env=env
        ).stdout
    finally:
        stop_local_api(theirs)
