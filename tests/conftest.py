"""Shared fixtures: the real data in ../shared, the newsweb loopback server, the demo site."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
NEWSWEB = SHARED / "newsweb"


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
    from flows.settings import Settings

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    settings = Settings(db=db, fetch=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1"})))
    summary = ingest(feeds=demo_feeds(demo_site), only_these_feeds=True, settings=settings)
    assert summary["ok"], summary
    return db
