#!/usr/bin/env python3
"""The ingest flow on a Dask task runner with two local workers (the scale-out trial).

    uv run --extra scale python bench/dask_ingest.py [--processes]

Runs the real `ingest` flow against the demo site with
`DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": ...})` instead of the default
thread-pool runner, and prints the run summary and time beside the default runner's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--processes", action="store_true", help="Dask worker processes, not threads")
    args = ap.parse_args()

    from flows.local_api import flow_session

    with flow_session():  # the shared local Prefect API, as the CLI uses it
        _trial(args.processes)


def _trial(processes: bool) -> None:
    from prefect_dask import DaskTaskRunner

    from demosite import DemoSite
    from flows.demo import demo_feeds
    from flows.fetcher import FetchSettings
    from flows.ingest import ingest
    from flows.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="mediamon-dask-"))
    fetch = FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"}))
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": processes,
                                            "threads_per_worker": 2})  # fmt: skip
    with DemoSite() as site:
        feeds = demo_feeds(site)
        results = []
        for name, flow in (
            ("thread pool (default)", ingest),
            ("dask, 2 local workers", ingest.with_options(task_runner=runner)),
        ):
            t0 = time.perf_counter()
            try:
                s = flow(
                    feeds=feeds,
                    only_these_feeds=True,
                    settings=Settings(db=tmp / f"{len(results)}.duckdb", fetch=fetch),
                )
                results.append((name, time.perf_counter() - t0, s["articles_new"],
                                s["claims_total"], ""))  # fmt: skip
            except Exception as exc:  # report, do not hide: this is what the trial is for
                results.append(
                    (name, time.perf_counter() - t0, 0, 0, f"{type(exc).__name__}: {exc}")
                )
    print("| task runner | wall s | articles | claims | error |")
    print("|---|---|---|---|---|")
    for name, secs, arts, claims, err in results:
        print(f"| {name} | {secs:.1f} | {arts} | {claims} | {err[:160]} |")


if __name__ == "__main__":
    main()
