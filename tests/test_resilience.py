"""Nothing lost, nothing duplicated: flaky servers, kill -9 mid-run, hostile bytes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.feeds import parse_feed
from extractors.opml import OpmlError, parse_opml
from flows.feeds_config import load_feeds_file
from flows.fetcher import FetchSettings
from flows.ingest import ingest
from flows.settings import Settings
from tests.conftest import NEWSWEB, REPO, ServedNewsweb, newsweb_manifest

SAMPLES = [p.read_bytes() for p in sorted((NEWSWEB / "feeds" / "real").glob("*.*"))[:12]]


def _articles(db: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT canonical_url, content_hash FROM articles ORDER BY 1").fetchall()


def test_flaky_slow_gzip_server_everything_arrives_once_within_three_runs(
    tmp_path: Path,
) -> None:
    server = ServedNewsweb(
        "--error-rate", "0.2", "--slow-ms", "50", "--jitter-ms", "50", "--gzip", "--seed", "7"
    )
    try:
        feeds = load_feeds_file(server.opml(tmp_path))
        db = tmp_path / "flaky.duckdb"
        s = Settings(db=db, fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"})))
        runs = 0
        pages_total = len(newsweb_manifest())
        while runs < 3:
            runs += 1
            ingest(feeds=feeds, only_these_feeds=True, settings=s)
            with duckdb.connect(str(db), read_only=True) as con:
                done = con.execute("SELECT count(*) FROM pages WHERE state = 'done'").fetchall()
                pending = con.execute("SELECT count(*) FROM pages WHERE state <> 'done'").fetchall()
            # Only the one page without article text may stay failed.
            if done[0][0] >= pages_total - 1 and pending[0][0] <= 1:
                break
            time.sleep(6)  # the first between-run backoff is 5 s
        stats = server.stats()
    finally:
        server.stop()
    with duckdb.connect(str(db), read_only=True) as con:
        n_pages = con.execute("SELECT count(*) FROM pages").fetchall()[0][0]
        n_done = con.execute("SELECT count(*) FROM pages WHERE state='done'").fetchall()[0][0]
        dup = con.execute(
            "SELECT count(*) - count(DISTINCT canonical_url) FROM articles"
        ).fetchall()[0][0]
    assert n_pages == pages_total and n_done >= pages_total - 1, (runs, n_done)
    assert dup == 0
    assert stats["max_inflight"] <= FetchSettings().per_host_concurrency
    assert sum(stats["by_status"].get(c, 0) for c in ("500", "502", "503", "429")) > 0


def _start_cli(opml: Path, db: Path) -> subprocess.Popen:
    # stderr goes to a file beside the warehouse: a failing run's message is in the report.
    log = (db.parent / f"{db.stem}.stderr.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ingest", "--feeds", str(opml), "--db", str(db),
         "--allow-private", "127.0.0.1", "-q"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=log,
        start_new_session=True,  # so the kill takes Prefect's API subprocess down too
    )  # fmt: skip


def test_kill_9_at_any_point_then_one_run_completes_exactly(
    newsweb: ServedNewsweb, tmp_path: Path
) -> None:
    opml = newsweb.opml(tmp_path)
    feeds = load_feeds_file(opml)
    base = Settings(
        db=tmp_path / "undisturbed.duckdb",
        fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"})),
    )
    ingest(feeds=feeds, only_these_feeds=True, settings=base)
    expected = _articles(base.db)

    db = tmp_path / "killed.duckdb"
    # Kill after the server has answered this many more requests: during polling, early in
    # page fetching, and late in page fetching.
    for extra_requests in (150, 420, 650):
        start = newsweb.stats()["total"]
        proc = _start_cli(opml, db)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if newsweb.stats()["total"] - start >= extra_requests:
                break
            time.sleep(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    final = _start_cli(opml, db)
    code = final.wait(timeout=300)
    assert code == 0, (db.parent / f"{db.stem}.stderr.log").read_text()[-3000:]
    assert _articles(db) == expected
    with duckdb.connect(str(db), read_only=True) as con:
        states = dict(con.execute("SELECT state, count(*) FROM pages GROUP BY 1").fetchall())
    assert states.get("pending", 0) == 0


# derandomize: CI sees the same examples each run (a new failure is found by running with
# --hypothesis-seed=random locally, then becomes a fixed regression case).
@settings(
    max_examples=300, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=20),
    st.integers(0, 10**6),
)
def test_mutated_real_feeds_never_raise(sample: bytes, flips: list, cut: int) -> None:
    """Found by this test once: feedparser raising UnicodeDecodeError / ValueError on a
    mangled XML declaration (sample aif.ru.rss, byte 30 -> 0, cut at 38)."""
    data = bytearray(sample)
    for pos, value in flips:
        if data:
            data[pos % len(data)] = value
    body = bytes(data[: max(1, cut % (len(data) + 1))])
    parsed = parse_feed(body, "fuzz")
    assert parsed.error is None or parsed.entries == ()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(body: bytes) -> None:
    parse_feed(body, "fuzz")
    with contextlib.suppress(OpmlError):
        parse_opml(body)


def test_xxe_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    uri = secret.as_uri()
    rss = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "{uri}">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>
<link>https://x.example/1</link><description>&xxe;</description></item></channel></rss>"""
    parsed = parse_feed(rss.encode(), "f")
    blob = repr(parsed)
    assert "TOP-SECRET" not in blob
    sitemap = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "{uri}">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>"""
    assert "TOP-SECRET" not in repr(parse_feed(sitemap.encode(), "f"))
    opml = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "{uri}">]>
<opml><body><outline text="&xxe;" xmlUrl="https://x.example/&xxe;"/></body></opml>"""
    with contextlib.suppress(OpmlError):
        assert "TOP-SECRET" not in repr(parse_opml(opml.encode()))


def test_redirect_to_private_address_fetches_nothing_there() -> None:
    """A public-looking feed redirecting to the metadata service is refused before connecting
    (and a loopback target is refused too when loopback is not allowed)."""
    from tests.hostile_server import HostileServer

    with HostileServer() as server:
        from flows.fetcher import Fetcher

        with Fetcher(FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"}))) as f:
            res = f.get(server.base_url + "/to-metadata")
        assert res.status is None and "refused" in (res.error or "")
        assert httpx.get(server.base_url + "/ok").status_code == 200  # server itself fine
