"""Overlapping runs and readers share one DuckDB file: three ingests at once plus an
analyst's read-only queries the whole time -> no errors, and the same rows as one
undisturbed run."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from flows.demo import demo_feeds
from flows.fetcher import FetchSettings
from flows.ingest import ingest
from flows.settings import Settings
from tests.conftest import REPO
from warehouse.db import Warehouse

TABLES = ("outlets", "feeds", "pages", "raw_pages", "articles", "article_analysis", "claims",
          "mentions", "entities", "article_bands")  # fmt: skip


def _counts(db: Path) -> dict[str, int]:
    with Warehouse(db).reader() as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def test_three_ingests_and_a_reader_at_once(demo_site, tmp_path: Path) -> None:
    feeds_file = tmp_path / "feeds.toml"
    feeds_file.write_text(
        "\n".join(
            f"[[feed]]\nurl = {json.dumps(f.url)}\noutlet = {json.dumps(f.outlet)}\n"
            for f in demo_feeds(demo_site)
        ),
        encoding="utf-8",
    )
    single = tmp_path / "single.duckdb"
    settings = Settings(
        db=single, fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"}))
    )
    ingest(feeds_file=str(feeds_file), only_these_feeds=True, settings=settings)
    expected = _counts(single)

    shared = tmp_path / "shared.duckdb"
    cmd = [sys.executable, "-m", "flows.cli", "ingest", "--feeds", str(feeds_file), "--db",
           str(shared), "--allow-private", "127.0.0.1", "-q"]  # fmt: skip
    procs = [
        subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    reader_errors: list[str] = []
    reads = 0
    stop = threading.Event()

    def read_loop() -> None:
        nonlocal reads
        while not stop.is_set():
            if not shared.exists():
                time.sleep(0.1)
                continue
            try:
                with Warehouse(shared).reader() as con:
                    con.execute("SELECT count(*), max(fetched_at) FROM articles").fetchall()
                    con.execute("SELECT * FROM speaker_daily LIMIT 5").fetchall()
                reads += 1
            except Exception as exc:  # any failure of an analyst's query counts
                reader_errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)

    reader = threading.Thread(target=read_loop)
    reader.start()
    outputs = [p.communicate(timeout=600) for p in procs]
    # The CLI too, as an analyst would run it, while the dust settles.
    cli = subprocess.run(
        [sys.executable, "-m", "flows.cli", "sql", "SELECT count(*) FROM claims", "--db",
         str(shared)], cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    stop.set()
    reader.join()
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err
    assert cli.returncode == 0, cli.stderr
    assert reader_errors == [] and reads > 0
    assert _counts(shared) == expected
