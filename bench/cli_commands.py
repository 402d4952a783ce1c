#!/usr/bin/env python3
"""Whole commands as a user runs them (new processes, wall time from start to exit).

    uv run python bench/cli_commands.py [--root ../shared/data/newsweb] [--repeat 3]

In a fresh state directory (so a fresh Prefect home, no local API yet):
1. cold start: `mediamon api start` alone, then the first flow command (`mediamon ingest` of
   the demo site's 5 feeds, 48 pages) when the API is already up, and `mediamon demo` on a
   home where nothing runs yet (it starts the API itself);
2. no-op: `mediamon ingest --feeds demo.toml` again (every feed answers 304), and `mediamon
   demo` again (the same, plus starting the demo site), --repeat times each;
3. newsweb: the first `mediamon ingest --feeds index.opml` of 312 feeds and 412 real pages
   into a fresh warehouse, then the same command again on the unchanged site.
The local API started here is stopped at the end. Prints a Markdown table and the load.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.newsweb_server import DEFAULT_ROOT, served  # noqa: E402


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True)  # fmt: skip
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return took, done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--root", default=str(DEFAULT_ROOT))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from demosite import DemoSite

    tmp = Path(tempfile.mkdtemp(prefix="mediamon-cli-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["XDG_STATE_HOME"] = str(tmp / "state")
    rows = _Rows()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        cold_env = {**env, "XDG_STATE_HOME": str(tmp / "state-demo")}
        port = str(_free_port())
        t, _ = _timed(["demo", "--port", port, "--db", str(tmp / "d.duckdb"), "-q"], cold_env)
        rows.append(("`mediamon demo`, first command on a fresh home (starts the API)",
                     f"{t:.1f}", "48 pages"))  # fmt: skip
        t, _ = _timed(["api", "start"], env)
        rows.append(("`mediamon api start` on a fresh home (the API alone)", f"{t:.1f}", ""))
        with DemoSite() as site:
            feeds = tmp / "demo.toml"
            feeds.write_text("".join(f'[[feed]]\nurl = "{f["url"]}"\noutlet = "{f["name"]}"\n\n'
                                     for f in site.feeds()))  # fmt: skip
            ingest = ["ingest", "--feeds", str(feeds), "--db", str(tmp / "i.duckdb"),
                      "--allow-private", "127.0.0.1", "-q"]  # fmt: skip
            t, _ = _timed(ingest, env)
            rows.append(("`mediamon ingest` demo feeds, first run (API up)", f"{t:.1f}",
                         "48 pages"))  # fmt: skip
            noop = [_timed(ingest, env)[0] for _ in range(args.repeat)]
            rows.append(("`mediamon ingest` demo feeds, no-op (5 × 304)", _spread(noop), ""))
        demo = ["demo", "--port", port, "--db", str(tmp / "d.duckdb"), "-q"]
        noop = [_timed(demo, cold_env)[0] for _ in range(args.repeat)]
        rows.append(("`mediamon demo` again, no-op (5 × 304)", _spread(noop), ""))
        rows += _newsweb(Path(args.root), tmp, env)
    finally:
        for state in ("state", "state-demo"):
            subprocess.run([sys.executable, "-m", "flows.cli", "api", "stop"], cwd=REPO,
                           env={**env, "XDG_STATE_HOME": str(tmp / state)},
                           capture_output=True)  # fmt: skip
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{os.cpu_count()} cores; load average before {load_before}, after {load_after}")


class _Rows(list):
    """Table rows, printed as they come (a long bench interrupted still reports)."""

    def append(self, row: tuple[str, str, str]) -> None:
        if not self:
            print("| command | wall s (whole command) | notes |\n|---|---|---|", flush=True)
        super().append(row)
        print(f"| {row[0]} | {row[1]} | {row[2]} |", flush=True)

    def __iadd__(self, rows: list) -> _Rows:  # type: ignore[override]
        for row in rows:
            self.append(row)
        return self


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} (min {min(values):.1f}, max {max(values):.1f})"


def _summary(stdout: str) -> dict:
    """The --json summary: the last JSON object on stdout."""
    import json

    start = stdout.rfind("\n{\n") + 1 if not stdout.startswith("{") else 0
    try:
        return json.loads(stdout[start:])
    except ValueError as exc:
        raise SystemExit(f"no JSON summary in the output:\n{stdout[-3000:]}") from exc


def _newsweb(root: Path, tmp: Path, env: dict[str, str]) -> list[tuple[str, str, str]]:
    with served(root) as base:
        opml = tmp / "index.opml"
        opml.write_text((root / "feeds" / "index.opml").read_text().replace("{HOST}",
                        base.split("//")[1]))  # fmt: skip
        cmd = ["ingest", "--feeds", str(opml), "--db", str(tmp / "n.duckdb"), "--allow-private",
               "127.0.0.1", "-q", "--json"]  # fmt: skip
        first, out1 = _timed(cmd, env)
        again, out2 = _timed(cmd, env)
    s1, s2 = _summary(out1.stdout), _summary(out2.stdout)
    return [
        ("newsweb: first `mediamon ingest` (312 feeds)", f"{first:.1f}",
         f"{s1['pages_fetched']} pages, {s1['articles_new']} articles"),
        ("newsweb: the same command again, site unchanged", f"{again:.1f}",
         f"{s2['feeds_not_modified']}/{s2['feeds_polled']} feeds 304, "
         f"{s2['pages_fetched']} pages fetched; {again / first:.1%} of the first run"),
    ]  # fmt: skip


if __name__ == "__main__":
    main()
