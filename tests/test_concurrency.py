"""Overlapping runs and an analyst share one DuckDB file, from a cold start: a new user's fresh
state directory (no Prefect home, no local API yet), three `mediamon ingest` of the same feeds
started at once and `mediamon sql` every 0.5 s the whole time -> three exits 0, no query
error, one local API server started (not three), and the same rows as one undisturbed run."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flows.fetcher import FetchSettings
from flows.ingest import ingest
from flows.settings import Settings
from tests.conftest import (
    LOCAL_API_SERVICE,
    cold_env,
    demo_feeds_toml,
    mediamon,
    processes_marked,
    stop_local_api,
    wait_until_gone,
)
from warehouse.db import Warehouse

TABLES = ("outlets", "feeds", "pages", "raw_pages", "articles", "article_analysis", "claims",
          "mentions", "entities", "article_bands")  # fmt: skip


def _counts(db: Path) -> dict[str, int]:
    with Warehouse(db).reader() as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def _servers(home: Path) -> list[tuple[int, str]]:
    return [p for p in processes_marked("PREFECT_HOME", str(home)) if LOCAL_API_SERVICE in p[1]]


def test_three_ingests_and_an_analyst_from_a_cold_start(demo_site, tmp_path: Path) -> None:
    feeds_file = demo_feeds_toml(demo_site, tmp_path / "feeds.toml")
    single = tmp_path / "single.duckdb"
    settings = Settings(
        db=single, fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"}))
    )
    ingest(feeds_file=str(feeds_file), only_these_feeds=True, settings=settings)
    expected = _counts(single)

    state = tmp_path / "fresh-state"  # nothing of this session's Prefect state is reused
    env = cold_env(state)
    shared = tmp_path / "shared.duckdb"
    args = ["ingest", "--feeds", str(feeds_file), "--db", str(shared), "--allow-private",
            "127.0.0.1", "-q"]  # fmt: skip
    results: list = [None] * 3

    def run(i: int) -> None:
        results[i] = mediamon(*args, env=env)

    runners = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in runners:
        t.start()
    queries: list = []
    try:
        while any(t.is_alive() for t in runners):  # the analyst, every 0.5 s
            if shared.exists():
                queries.append(mediamon("sql", "SELECT count(*) FROM articles", "--db",
                                        str(shared), env=env))  # fmt: skip
            time.sleep(0.5)
        for t in runners:
            t.join()
        queries.append(mediamon("sql", "SELECT * FROM speaker_daily LIMIT 5", "--db",
                                str(shared), env=env))  # fmt: skip
        home = state / "mediamon" / "prefect"
        servers = _servers(home)
    finally:
        stop_local_api(state)
    for r in results:
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Traceback" not in r.stdout + r.stderr
    assert queries and all(q.returncode == 0 and not q.stderr for q in queries), [
        q.stderr for q in queries if q.returncode or q.stderr
    ]
    assert len(servers) == 1, servers  # three first commands, one server
    assert wait_until_gone("PREFECT_HOME", str(home)) == []  # stopped, nothing left
    assert _counts(shared) == expected
    with Warehouse(shared).reader() as con:
        dup = con.execute("SELECT count(*) - count(DISTINCT canonical_url) FROM articles")
        assert dup.fetchall()[0][0] == 0
