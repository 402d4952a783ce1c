"""Page times of `mediamon ui` on a big warehouse: every page type, many different pages.

    uv run python bench/synthetic_warehouse.py --only-generate --db /tmp/mediamon-1m.duckdb
    uv run python bench/ui_pages.py --db /tmp/mediamon-1m.duckdb [--requests 40]

Starts the real command (`mediamon ui --port 0`), then requests each page type
`--requests` times, one request at a time as one person clicking would, cycling through
different subjects: the week's most-quoted and random speakers, rising and random entities,
random articles, the widest-spread and random claims, claim searches with every filter. The
same subjects are fetched in the JSON API. Reported per page type: wall time per request
(p50, p95, max, as the client sees it: connect to the warehouse, queries, rendering, HTTP)
and the server's CPU time per request (user + system of the server process, all its
threads: less sensitive to other work on the machine than wall time). By default the UI is
started with --no-cache, so every page is computed afresh; --cache measures the UI as it
runs normally (a page is reused until the warehouse changes).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import httpx

REPO = Path(__file__).resolve().parent.parent
CLK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK  # utime + stime


def _subjects(db: Path, n: int, rnd: random.Random) -> dict[str, list[str]]:
    """What to visit: half popular, half random subjects of the warehouse."""
    con = duckdb.connect(str(db), read_only=True)
    try:

        def col(sql: str, params: list | None = None) -> list:
            return [r[0] for r in con.execute(sql, params or []).fetchall()]

        last = col("SELECT max(day) FROM article_speakers")[0]
        top_speakers = col("SELECT speaker_entity_id FROM article_speakers WHERE day > ? - 7 AND "
                           "speaker_entity_id IS NOT NULL GROUP BY 1 ORDER BY sum(claims) DESC "
                           "LIMIT ?", [last, n])  # fmt: skip
        any_speakers = col("SELECT DISTINCT speaker_entity_id FROM (SELECT speaker_entity_id "
                           "FROM article_speakers USING SAMPLE 20000 ROWS) WHERE "
                           "speaker_entity_id IS NOT NULL LIMIT ?", [n])  # fmt: skip
        rising = col("SELECT entity_id FROM rising_entities ORDER BY score DESC LIMIT ?", [n])
        any_entities = col("SELECT DISTINCT entity_id FROM (SELECT entity_id FROM "
                           "article_entities USING SAMPLE 20000 ROWS) LIMIT ?", [n])  # fmt: skip
        articles = col("SELECT article_id FROM articles USING SAMPLE 5000 ROWS LIMIT ?", [2 * n])
        wide = col("SELECT content_key FROM claim_key_stats ORDER BY outlets DESC, articles DESC "
                   "LIMIT ?", [n])  # fmt: skip
        any_keys = col("SELECT content_key FROM claim_key_stats USING SAMPLE 5000 ROWS LIMIT ?",
                       [n])  # fmt: skip
        names = col("SELECT canonical_name FROM entities WHERE entity_id IN (SELECT unnest(?))",
                    [top_speakers[:10]])  # fmt: skip
        outlets = col("SELECT outlet FROM outlets USING SAMPLE 200 ROWS")
        words = [w for c in col("SELECT content FROM claims USING SAMPLE 200 ROWS")
                 for w in c.split() if w.isalpha() and len(w) > 4]  # fmt: skip
    finally:
        con.close()
    searches = [{}, {"page": "2"}, {"page": "5"}, {"type": "direct"}, {"since": "7d"},
                {"until": "30d"}, {"q": rnd.choice(words)}, {"q": rnd.choice(words)},
                {"speaker": rnd.choice(names)}, {"speaker": rnd.choice(names), "type": "direct"},
                {"outlet": rnd.choice(outlets)}, {"entity": rnd.choice(rising)},
                {"speaker_id": rnd.choice(top_speakers)}, {"q": rnd.choice(words), "since": "30d"},
                {"outlet": rnd.choice(outlets), "since": "30d"}, {"via": "Reuters"}]  # fmt: skip
    return {
        "speakers": top_speakers + any_speakers,
        "entities": rising + any_entities,
        "articles": articles,
        "spreads": wide + any_keys,
        "searches": ["?" + urlencode(s) if s else "" for s in searches],
    }


def _pages(s: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        "overview /": ["/"],
        "claims /claims?…": [f"/claims{q}" for q in s["searches"]],
        "speaker /speakers/<id>": [f"/speakers/{i}" for i in s["speakers"]],
        "entity /entities/<id>": [f"/entities/{i}" for i in s["entities"]],
        "spread /spread/<key>": [f"/spread/{k}" for k in s["spreads"]],
        "article /articles/<id>": [f"/articles/{i}" for i in s["articles"]],
        "api /api/claims?…": [f"/api/claims{q}" for q in s["searches"]],
        "api /api/entities/<id>/timeline": [f"/api/entities/{i}/timeline" for i in s["entities"]],
        "api /api/speakers/<id>": [f"/api/speakers/{i}" for i in s["speakers"]],
        "download /claims.csv?… (≤ 10,000 rows)": [f"/claims.csv{q}" for q in s["searches"][:6]],
    }


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="/tmp/mediamon-1m.duckdb")
    ap.add_argument("--requests", type=int, default=40, help="requests per page type")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", action="store_true",
                    help="let the UI reuse pages while the warehouse is unchanged (its default; "
                    "without this flag every page is computed afresh: --no-cache)")  # fmt: skip
    args = ap.parse_args(argv)
    db = Path(args.db)
    subjects = _subjects(db, args.requests, random.Random(args.seed))
    server = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "ui", "--db", str(db), "--port", "0",
         *([] if args.cache else ["--no-cache"])],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = server.stdout.readline() if server.stdout else ""
    if not line.startswith("mediamon ui: "):
        print(f"ui did not start: {line} {server.stderr.read() if server.stderr else ''}")
        return 1
    base = line.split()[2].rstrip("/")
    load0 = os.getloadavg()
    results: dict[str, list[tuple[float, float, int]]] = {}
    slow: list[tuple[float, str]] = []
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            client.get("/")  # first request compiles the templates
            for name, urls in _pages(subjects).items():
                for url in itertools.islice(itertools.cycle(urls), args.requests):
                    c0, t0 = _cpu_seconds(server.pid), time.perf_counter()
                    r = client.get(url)
                    wall = time.perf_counter() - t0
                    results.setdefault(name, []).append(
                        (wall, _cpu_seconds(server.pid) - c0, r.status_code)
                    )
                    if wall > 1.0:
                        slow.append((wall, url))
    finally:
        server.terminate()
        server.wait(timeout=30)
    load1 = os.getloadavg()
    size = db.stat().st_size / 1e9
    print(f"### mediamon ui page times ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n")
    print(f"Command: `uv run python bench/ui_pages.py {' '.join(argv or sys.argv[1:])}`  ")
    print(f"Warehouse `{db}` ({size:.1f} GB), DuckDB {duckdb.__version__}, {os.cpu_count()} "
          f"cores; load average {load0[0]:.1f} at start, {load1[0]:.1f} at end\n")  # fmt: skip
    print("| page | requests | p50 ms | p95 ms | max ms | server CPU p50 / p95 ms | status |")
    print("|---|---:|---:|---:|---:|---:|---|")
    everything: list[float] = []
    for name, rows in results.items():
        walls = [w * 1000 for w, _, _ in rows]
        cpus = [c * 1000 for _, c, _ in rows]
        everything += walls
        codes = ", ".join(f"{k}×{v}" for k, v in sorted(
            {c: sum(1 for *_, x in rows if x == c) for _, _, c in rows}.items()))  # fmt: skip
        cpu = f"{statistics.median(cpus):.0f} / {_quantile(cpus, 0.95):.0f}"
        print(f"| {name} | {len(rows)} | {statistics.median(walls):.0f} | "
              f"{_quantile(walls, 0.95):.0f} | {max(walls):.0f} | {cpu} | {codes} |")  # fmt: skip
    print(f"\nAll pages: p50 {statistics.median(everything):.0f} ms, p95 "
          f"{_quantile(everything, 0.95):.0f} ms, max {max(everything):.0f} ms; "
          f"{len(slow)} of {len(everything)} over 1 s")  # fmt: skip
    for wall, url in sorted(slow, reverse=True)[:10]:
        print(f"  {wall * 1000:.0f} ms  {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
