"""Shared fixtures: the real data in ../shared, the newsweb loopback server, the demo site,
and Prefect's state for the session.

Every test session starts cold, as a new user: its own empty state directory (so its own
Prefect home and local API server, never the developer's), and no PREFECT_API_URL. Flows
run in-process and CLI subprocesses share the session's local API server, started by the
first flow; at the end the session stops it and fails if any process it started (servers,
workers, commands) is still alive.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from demosite import DemoSite

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
NEWSWEB = SHARED / "newsweb"

# Before anything imports flows (and so Prefect): the session's own, fresh state directory.
# Once per process: this module is imported again as `tests.conftest` by test modules.
SESSION_MARK = "MM_TEST_SESSION"  # inherited by every process the session starts
if os.environ.get("MM_TEST_SESSION_PID") != str(os.getpid()):
    os.environ["MM_TEST_SESSION_PID"] = str(os.getpid())
    os.environ[SESSION_MARK] = uuid.uuid4().hex
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="mediamon-test-state-")
    for _var in ("PREFECT_HOME", "PREFECT_API_URL"):
        os.environ.pop(_var, None)
SESSION_STATE = Path(os.environ["XDG_STATE_HOME"])


def cold_env(state_dir: Path, **extra: str) -> dict[str, str]:
    """Environment for a subprocess that starts as a new user would: its own empty state
    directory (hence Prefect home and local API), nothing inherited from this session's."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_HOME", "PREFECT_API_URL")}
    env["XDG_STATE_HOME"] = str(state_dir)
    env.update(extra)
    return env


def processes_marked(name: str, value: str) -> list[tuple[int, str]]:
    """(pid, command line) of the live processes whose environment has name=value, except
    this process and its multiprocessing resource tracker (it ends with this process)."""
    needle = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if not cmd:  # a zombie: gone, only not reaped yet
            continue
        if ppid == os.getpid() and "multiprocessing.resource_tracker" in cmd:
            continue
        found.append((int(entry.name), cmd.strip()))
    return found


LOCAL_API_SERVICE = "flows.local_api"  # the one process meant to outlive a command


def wait_until_gone(
    name: str, value: str, timeout_s: float = 15.0, but: str | None = None
) -> list[tuple[int, str]]:
    """The marked processes still alive after timeout_s (except those whose command line
    contains `but`)."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = [(p, c) for p, c in processes_marked(name, value) if not (but and but in c)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def demo_feeds_toml(site: DemoSite, path: Path) -> Path:
    """A feeds file with the demo site's feeds."""
    from flows.demo import demo_feeds

    lines = []
    for f in demo_feeds(site):
        lines += ["[[feed]]", f"url = {json.dumps(f.url)}", f"outlet = {json.dumps(f.outlet)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def mediamon(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO,
             timeout: float = 900) -> subprocess.CompletedProcess:  # fmt: skip
    """Run the mediamon command line as a user would (a new process)."""
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=timeout,
    )  # fmt: skip


def stop_local_api(state_dir: Path) -> None:
    """Stop the local API server of a state directory, if one runs."""
    from flows import local_api

    local_api.stop(state_dir / "mediamon" / "prefect")


@pytest.fixture(scope="session", autouse=True)
def prefect_session() -> Iterator[None]:
    """Flows run in this process use the session's local API (started now if a collected
    test imports Prefect; a run of Prefect-free tests never starts one)."""
    if "prefect" not in sys.modules:
        yield
        return
    from flows.local_api import flow_session

    with flow_session():
        yield


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No process the session started may outlive it, except the documented local API, which
    is stopped here."""
    if (SESSION_STATE / "mediamon").exists():
        stop_local_api(SESSION_STATE)
    left = wait_until_gone(SESSION_MARK, os.environ[SESSION_MARK], timeout_s=10)
    if left:
        for pid, _ in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        lines = "\n".join(f"  pid {pid}: {cmd[:200]}" for pid, cmd in left)
        session.config.get_terminal_writer().line(
            f"processes outlived the test session (killed now):\n{lines}", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def newsweb_manifest() -> list[dict]:
    with (NEWSWEB / "manifest.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


class ServedNewsweb:
    def __init__(self, *extra_args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(NEWSWEB / "serve.py"), "--port", "0", "--quiet", *extra_args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("serving http://"):
            self.proc.kill()
            raise RuntimeError(f"serve.py did not start: {line!r}")
        self.base_url = line.split()[1].rstrip("/")
        self.host = self.base_url.split("//", 1)[1]

    def opml(self, tmp: Path) -> Path:
        text = (NEWSWEB / "feeds" / "index.opml").read_text(encoding="utf-8")
        path = tmp / "newsweb.opml"
        path.write_text(text.replace("{HOST}", self.host), encoding="utf-8")
        return path

    def stats(self) -> dict:
        import httpx

        return httpx.get(self.base_url + "/__stats").json()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def newsweb() -> Iterator[ServedNewsweb]:
    if not NEWSWEB.exists():
        pytest.fail(f"shared data missing: {NEWSWEB} (CI provides ../shared beside the repo)")
    server = ServedNewsweb()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_site():
    from demosite import DemoSite

    site = DemoSite().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def demo_warehouse(demo_site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse filled by one real ingest of the demo site (read-only use, please)."""
    from flows.demo import demo_feeds
    from flows.fetcher import FetchSettings
    from flows.ingest import ingest
    from flows.local_api import flow_session
    from flows.settings import Settings

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    settings = Settings(db=db, fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"})))
    # Its own session on the local API: a run of Prefect-free test modules (test_ui alone)
    # has none from prefect_session, and Prefect's temporary API is not what users meet.
    with flow_session():
        summary = ingest(feeds=demo_feeds(demo_site), only_these_feeds=True, settings=settings)
    assert summary["ok"], summary
    return db
