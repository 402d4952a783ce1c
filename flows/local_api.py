"""One long-lived local Prefect API server per user, shared by every mediamon process.

Why: without a configured server, Prefect starts a temporary API (uvicorn + SQLite) inside
every process that runs a flow. That costs ~20 s per command here, and three commands started
at once race each other on one SQLite file and time out. Instead, the first flow command starts
one detached server (127.0.0.1, a free port, Prefect's state under ``PREFECT_HOME``) and records
it in ``local-api.json``; later commands find it there, check its health and reuse it through
``PREFECT_API_URL``. A file lock makes concurrent first commands start exactly one server; a
server found dead (crash, reboot, kill) or of another Prefect version is replaced. It keeps
running until ``mediamon api stop``: it is mediamon's one documented long-lived process. Its
output goes to ``local-api.log`` in the same directory, never to the user's terminal.

A ``PREFECT_API_URL`` the user exported (a server of their own, Prefect Cloud) always wins.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

from flows.processes import pid_alive

STATE_FILE = "local-api.json"
LOCK_FILE = "local-api.lock"
LOG_FILE = "local-api.log"
START_TIMEOUT_S = 120.0  # a fresh SQLite database migrates in ~10 s; far more under load
HEALTH_TIMEOUT_S = 3.0
# A running server that does not answer for this long is taken for wedged and replaced. Long,
# because replacing a server that is only slow (a loaded machine) breaks the runs using it.
WEDGED_AFTER_S = 60.0
LOG_ROTATE_BYTES = 5_000_000


class LocalApiError(RuntimeError):
    """The local Prefect API could not be started or reached; worded for the user."""


@dataclass(frozen=True)
class ApiServer:
    pid: int
    port: int
    prefect_version: str
    python: str
    started_at: str
    home: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return Path(self.home) / LOG_FILE


def home() -> Path:
    """Where Prefect keeps its state (set by flows.prefect_env before Prefect is imported)."""
    from flows.prefect_env import prefect_home

    return prefect_home()


def read_state(where: Path | None = None) -> ApiServer | None:
    path = (where or home()) / STATE_FILE
    try:
        return ApiServer(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write_state(server: ApiServer) -> None:
    path = Path(server.home) / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(server), indent=1), encoding="utf-8")
    tmp.replace(path)  # atomic: a reader sees the old record or the new one, never half


def _clear_state(where: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (where / STATE_FILE).unlink()


def healthy(port: int, timeout_s: float = HEALTH_TIMEOUT_S) -> bool:
    """Does the API on this loopback port answer its health check? (stdlib only: this runs
    before Prefect is imported)."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        con.request("GET", "/api/health")
        return con.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        con.close()


def _is_our_server(pid: int) -> bool:
    """Is this pid still the server we started (not a recycled pid)? Where /proc is missing
    (macOS), liveness alone has to do."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.exists():
        return pid_alive(pid)
    try:
        return b"flows.local_api" in cmdline.read_bytes()
    except OSError:
        return False


@contextlib.contextmanager
def _locked(where: Path, timeout_s: float) -> Iterator[None]:
    """An exclusive lock across processes: the one starting a server holds it until the server
    answers, so concurrent first commands wait for it instead of starting their own."""
    import fcntl

    where.mkdir(parents=True, exist_ok=True)
    with open(where / LOCK_FILE, "a+") as f:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LocalApiError(
                        f"another process held {where / LOCK_FILE} for {timeout_s:.0f} s "
                        "while starting the local Prefect API"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _answers(server: ApiServer, patience_s: float) -> bool:
    """Is the recorded server ours, alive and answering? A live one may be busy (starting,
    migrating, under load): it gets patience_s to answer."""
    deadline = time.monotonic() + patience_s
    while _is_our_server(server.pid):
        if healthy(server.port):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return False


def _patience(server: ApiServer) -> float:
    """A server still within its start-up time gets the rest of it, others WEDGED_AFTER_S."""
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(server.started_at)).total_seconds()
    except ValueError:
        age = START_TIMEOUT_S
    return max(WEDGED_AFTER_S, START_TIMEOUT_S - age)


def running(where: Path | None = None) -> ApiServer | None:
    """The recorded server, if it is alive and answers."""
    server = read_state(where)
    return server if server and _answers(server, HEALTH_TIMEOUT_S) else None


def ensure(timeout_s: float = START_TIMEOUT_S) -> str:
    """The API URL flows should use: the user's PREFECT_API_URL if they exported one, else the
    shared local server, started now if none is running (or found dead, or outdated)."""
    where = home()
    exported = os.environ.get("PREFECT_API_URL")
    recorded = read_state(where)
    if exported and not (recorded and exported == recorded.url):
        return exported  # a server of the user's own
    current = _prefect_version()
    if recorded and recorded.prefect_version == current and _answers(recorded, 0):
        return recorded.url  # the common case: no lock, one health check
    try:
        return _ensure_locked(where, current, timeout_s)
    except OSError as exc:  # an unwritable state directory, no free port, ...
        raise LocalApiError(f"cannot start the local Prefect API in {where}: {exc}") from exc


def _ensure_locked(where: Path, current: str, timeout_s: float) -> str:
    with _locked(where, timeout_s + WEDGED_AFTER_S):
        recorded = read_state(where)  # someone may have started it while we waited
        if recorded and _answers(recorded, _patience(recorded)):
            if recorded.prefect_version == current:
                return recorded.url
            _stop_pid(recorded.pid)  # Prefect was upgraded: its server must match
        elif recorded and _is_our_server(recorded.pid):
            _stop_pid(recorded.pid)  # alive but not answering: wedged
        return _start(where, timeout_s).url


def _prefect_version() -> str:
    return package_version("prefect")


def _server_env(where: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({
        "PREFECT_HOME": str(where),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",  # the UI must call this port
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    })  # fmt: skip
    return env


def _rotate_log(where: Path) -> Path:
    log = where / LOG_FILE
    with contextlib.suppress(OSError):
        if log.stat().st_size > LOG_ROTATE_BYTES:
            log.replace(log.with_suffix(".log.1"))
    return log


def _start(where: Path, timeout_s: float) -> ApiServer:
    """Start a detached server on a free loopback port and wait until it answers. The socket is
    bound here and handed over, so no other process can take the port in between."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    log = _rotate_log(where)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.local_api", "--fd", str(sock.fileno())],
            pass_fds=(sock.fileno(),), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            cwd=where, env=_server_env(where, port),
            start_new_session=True,  # Ctrl-C in the user's terminal is not meant for it
        )  # fmt: skip
    sock.close()
    server = ApiServer(
        pid=proc.pid, port=port, prefect_version=_prefect_version(), python=sys.executable,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"), home=str(where),
    )  # fmt: skip
    _write_state(server)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _clear_state(where)
            raise LocalApiError(
                f"the local Prefect API exited at start (code {proc.returncode}); see {log}"
            )
        if healthy(port, timeout_s=2.0):
            proc.returncode = 0  # detached on purpose: no "still running" warning at exit
            return server
        time.sleep(0.2)
    _stop_pid(proc.pid)
    _clear_state(where)
    raise LocalApiError(f"the local Prefect API did not answer within {timeout_s:.0f} s; see {log}")


def _stop_pid(pid: int, timeout_s: float = 15.0) -> bool:
    """SIGTERM, then SIGKILL after timeout_s. True if the process is gone."""
    for sig, wait in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)  # its own session: the group is the server and its children
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(pid) or _reaped(pid):
                return True
            time.sleep(0.1)
    return not pid_alive(pid)


def _reaped(pid: int) -> bool:
    """Reap the server if this process started it (else it lingers as a zombie)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == pid


def stop(where: Path | None = None) -> ApiServer | None:
    """Stop the recorded server (if it is ours and alive). Returns what was stopped."""
    where = where or home()
    with _locked(where, START_TIMEOUT_S):
        server = read_state(where)
        if server is None:
            return None
        alive = _is_our_server(server.pid)
        if alive:
            _stop_pid(server.pid)
        _clear_state(where)
        return server if alive else None


@contextlib.contextmanager
def flow_session(quiet: bool = True) -> Iterator[str]:
    """Run flows in this block against the shared local API (or the user's own server). With
    quiet=True Prefect's console output stays off the terminal: its logs still go to the API
    (the UI shows them), and the command prints its own summary and one-line errors."""
    quiet = quiet and not logging.getLogger().isEnabledFor(logging.INFO)  # -v shows all
    if quiet and "prefect" not in sys.modules:  # Prefect reads its settings once, at import
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    # Find (or start) the API while Prefect is being imported: on a fresh home the server's
    # start-up overlaps the 2-4 s import instead of adding to it.
    found: dict[str, object] = {}
    finder = threading.Thread(target=_find_api, args=(found,), name="local-api", daemon=True)
    finder.start()
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    finder.join()
    if "error" in found:
        raise found["error"]  # type: ignore[misc]
    url = str(found["url"])
    os.environ["PREFECT_API_URL"] = url  # for processes started from here (serve's runs)
    if quiet:  # nor through the handler the CLI gives the root logger
        logging.getLogger("prefect").propagate = False
    # The heartbeat thread costs up to a second per flow and only serves crash detection of
    # deployed runs; a CLI run is watched by its user (and the next run checks its pid).
    with temporary_settings({PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield url


def _find_api(found: dict[str, object]) -> None:
    try:
        found["url"] = ensure()
    except Exception as exc:  # handed to the caller's thread
        found["error"] = exc


def _serve(fd: int) -> None:
    """The server process: Prefect's API, UI and background services (the scheduler among
    them, so `mediamon serve` schedules work) on the socket handed over by `_start`."""
    import uvicorn
    from prefect.server.api.server import create_app

    sock = socket.socket(fileno=fd)
    config = uvicorn.Config(
        create_app(final=True), log_level="warning", timeout_keep_alive=30, lifespan="on"
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    _serve(int(sys.argv[sys.argv.index("--fd") + 1]))
