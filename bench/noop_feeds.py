#!/usr/bin/env python3
"""A no-op run over 1,000 unchanged feeds: how long does "nothing new" cost?

    uv run python bench/noop_feeds.py [--feeds 1000] [--root ../shared/data/newsweb]

The 1,000 feeds are newsweb's real RSS, Atom and news-sitemap feeds (936), plus copies under
distinct URLs (`?copy=N`) up to the count, all served by newsweb's serve.py on loopback.
Setup: one full ingest (text only) so every feed has validators and every page is stored.
Measured: the next `mediamon ingest --feeds FILE` as a user runs it (a new process: imports,
Prefect's temporary API, 1,000 conditional GETs answered 304, nothing fetched), and the
flow's own time inside it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.newsweb_server import DEFAULT_ROOT, served  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--root", default=str(DEFAULT_ROOT))
    ap.add_argument("--feeds", type=int, default=1000)
    args = ap.parse_args()
    root = Path(args.root)
    with served(root) as base:
        publishers = sorted(p.name for p in (root / "feeds").iterdir()
                            if p.is_dir() and p.name != "real")  # fmt: skip
        urls = [f"{base}/feeds/{p}/{name}" for p in publishers
                for name in ("rss.xml", "atom.xml", "news-sitemap.xml")]  # fmt: skip
        n = 0
        while len(urls) < args.feeds:
            urls.append(f"{base}/feeds/{publishers[n % len(publishers)]}/rss.xml?copy={n}")
            n += 1
        urls = urls[: args.feeds]
        tmp = Path(tempfile.mkdtemp(prefix="mediamon-noop-"))
        feeds = tmp / "feeds.toml"
        feeds.write_text("".join(f'[[feed]]\nurl = "{u}"\noutlet = "{u.split("/")[4]}"\n\n'
                                 for u in urls))  # fmt: skip
        db = tmp / "noop.duckdb"
        cli = [sys.executable, "-m", "flows.cli", "ingest", "--feeds", str(feeds), "--db", str(db),
               "--allow-private", "127.0.0.1", "-q", "--json"]  # fmt: skip
        t0 = time.perf_counter()
        setup = subprocess.run([*cli, "--no-claims"], cwd=REPO, capture_output=True, text=True)
        t_setup = time.perf_counter() - t0
        if setup.returncode != 0:
            raise SystemExit(f"setup run failed:\n{setup.stdout[-2000:]}\n{setup.stderr[-3000:]}")
        first = json.loads(setup.stdout)
        t0 = time.perf_counter()
        noop = subprocess.run(cli, cwd=REPO, capture_output=True, text=True)
        t_noop = time.perf_counter() - t0
        second = json.loads(noop.stdout)
    print(f"feeds: {len(urls)} on one loopback host (per-host concurrency 2)\n")
    print("| run | wall s (whole command) | flow s | feeds 304 | pages fetched |")
    print("|---|---|---|---|---|")
    print(
        f"| setup (full, text only) | {t_setup:.1f} | {first['duration_s']:.1f} | "
        f"{first['feeds_not_modified']} | {first['pages_fetched']} |"
    )
    print(
        f"| no-op | {t_noop:.1f} | {second['duration_s']:.1f} | "
        f"{second['feeds_not_modified']} | {second['pages_fetched']} |"
    )


if __name__ == "__main__":
    main()
