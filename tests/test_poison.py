"""Poison pages are isolated: a page whose cleaning or analysis fails (spaCy's E088 on an
over-long text, running over its time limit, killing its worker process) is recorded as failed
with its reason, the rest of its batch loads, and later runs do not trip over it again."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest

import extractors.pipeline as pipeline
import flows.resources as resources
from extractors.analysis import MAX_ANALYSED_CHARS
from extractors.pipeline import analyse_isolated, clean_and_analyse, clean_one, reextract_many
from flows.resources import RunResources, _new
from flows.settings import Settings
from flows.worker import time_limit
from tests.conftest import REPO
from tests.poison_helpers import (
    ARTICLES,
    article_html,
    big_html,
    die_on_poison,
    hang_on_poison,
    nap,
    page,
    slow_html,
)

# --- the worker path, in this process with the real model -----------------------------------


def test_an_overlong_text_fails_alone_and_its_batch_is_analysed() -> None:
    pages = [page(f"http://news.example/{i}", article_html(*a)) for i, a in enumerate(ARTICLES)]
    pages.insert(2, page("http://news.example/big", big_html()))
    results = clean_and_analyse(pages, with_claims=True, guard=time_limit)
    assert len(results) == len(pages)
    big_article, big_error, _ = results[2]
    normal = results[:2] + results[3:]
    assert all(a is not None and err is None and an is not None and an.analysed
               for a, err, an in normal)  # fmt: skip
    assert sum(len(an.claims) for _, _, an in normal) >= 3
    # Recorded as failed with its reason, or (analysed in bounded pieces / marked skipped by
    # the analysis itself) stored: either way it never took its batch down.
    assert big_article is not None or ("analysis failed" in big_error and "E088" in big_error)


def test_reextraction_skips_an_article_it_cannot_analyse() -> None:
    """Re-extraction keeps an article's stored rows when its new analysis fails."""
    huge = " ".join(["The council said the budget would rise."] * 60_000)  # > 2,000,000 chars
    items = [("a1", ARTICLES[0][1], "en", None), ("huge", huge, "en", None),
             ("a2", ARTICLES[1][1], "en", None)]  # fmt: skip
    out = {row[0]: row for row in reextract_many(items, guard=time_limit)}
    assert out["a1"][3].analysed and out["a2"][3].analysed
    _, article, error, analysis = out["huge"]
    assert (article is None and analysis is None and "analysis failed" in error) or (
        analysis is not None  # unless the analysis itself handles over-long texts by now
    )


def test_an_analysis_over_its_time_limit_fails_alone(monkeypatch) -> None:
    """A genuinely slow text (tens of thousands of words) against a short limit."""
    monkeypatch.setattr(pipeline, "ANALYSIS_LIMIT_S", 0.5)
    monkeypatch.setattr(pipeline, "ANALYSIS_BATCH_S_PER_ITEM", 0.0)
    # ~40,000 words, under MAX_ANALYSED_CHARS (a longer text is skipped as too long, unparsed).
    slow = " ".join(f"The council said on day {n} that the budget would rise." for n in range(4000))
    assert len(slow) < MAX_ANALYSED_CHARS
    items = [("a1", ARTICLES[0][1], "en"), ("slow", slow, "en"), ("a2", ARTICLES[1][1], "en")]
    done, failed = analyse_isolated(items, guard=time_limit)
    assert set(done) == {"a1", "a2"} and all(done[a].analysed for a in done)
    assert failed.keys() == {"slow"} and "over the time limit" in failed["slow"]


@pytest.mark.parametrize("where", ["clean", "batch"])
def test_cleaning_over_its_time_limit_fails_alone(monkeypatch, where: str) -> None:
    """A page under the 10 MB cap that takes over a minute of CPU to clean (300,000 small
    elements: ~75 s measured) against a 1 s limit (a normal page takes 5-40 ms once the
    cleaner is loaded)."""
    fine = page("http://x.example/ok", article_html(*ARTICLES[2]))
    assert clean_one(fine)[0] is not None  # loads the cleaner's lazy parts outside the limit
    monkeypatch.setattr(pipeline, "CLEAN_LIMIT_S", 1.0)
    deep = page("http://x.example/deep", slow_html())
    if where == "clean":
        article, error = clean_one(deep, guard=time_limit)
        expected = "cleaning failed: TimeLimitExceeded: over the time limit of 1 s of CPU time"
        assert article is None and error == expected
        return
    results = clean_and_analyse([deep, fine], with_claims=False, guard=time_limit)
    assert results[0][0] is None and "TimeLimitExceeded" in results[0][1]
    assert results[1][0] is not None and results[1][1] is None


def test_time_limit_does_nothing_outside_the_main_thread() -> None:
    """Signals reach only the main thread: elsewhere the limit is the caller's business (and
    arming it would interrupt the main thread instead)."""
    seen: list[bool] = []

    def worker() -> None:
        with time_limit(0.01):
            started = time.process_time()
            while time.process_time() - started < 0.2:  # CPU time, which the limit counts
                pass
        seen.append(True)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == [True]


def test_a_worker_process_that_dies_takes_only_its_item(tmp_path: Path) -> None:
    """A page that kills its worker (out of memory, a crash in C code) is failed on its own;
    the pool is replaced and every other item of the batch gets its result."""
    res: RunResources = _new(Settings(db=tmp_path / "w.duckdb", workers=2, claims=False))
    try:
        res.start_cpu_pool(2)
        items = ["a", "b", "poison", "c", "d"]
        out = res.run_cpu_chunked(
            die_on_poison, items, on_failure=lambda item, reason: f"failed {item}: {reason}"
        )
        assert out[:2] + out[3:] == ["done a", "done b", "done c", "done d"]
        assert out[2].startswith("failed poison: the worker process died")
        assert res.run_cpu_chunked(die_on_poison, ["e", "f"]) == ["done e", "done f"]
    finally:
        res.close()


def test_a_worker_process_that_hangs_takes_only_its_item(tmp_path: Path, monkeypatch) -> None:
    """A page that blocks its worker where no alarm reaches is failed on its own after the
    flow's wall-time backstop (shortened here); every other item of the batch gets its result."""
    monkeypatch.setattr(resources, "ITEM_HARD_LIMIT_S", 2.0)
    monkeypatch.setattr(resources, "CHUNK_HARD_LIMIT_BASE_S", 1.0)
    res: RunResources = _new(Settings(db=tmp_path / "w.duckdb", workers=2, claims=False))
    try:
        res.start_cpu_pool(2)
        items = ["a", "b", "poison", "c", "d"]
        out = res.run_cpu_chunked(
            hang_on_poison, items, on_failure=lambda item, reason: f"failed {item}: {reason}"
        )
        assert out[:2] + out[3:] == ["done a", "done b", "done c", "done d"]
        assert out[2] == "failed poison: the worker process hung on this page for over 2 s"
    finally:
        res.close()


def test_the_backstop_counts_running_time_not_time_queued(tmp_path: Path) -> None:
    """Batches queued behind others on a busy pool are not taken for hung: six 2 s jobs on
    one worker take 12 s in all, and none is counted running for 9 s (a job counts from
    when it enters the pool's call queue of workers + 1 jobs: at most 6 s here)."""
    res: RunResources = _new(Settings(db=tmp_path / "w.duckdb", workers=1, claims=False))
    try:
        res.start_cpu_pool(1)
        res.run_cpu(nap, 0)  # the worker is up (start-up is not what is measured here)
        assert res.cpu_pool is not None
        futures = [res.cpu_pool.submit(nap, 2.0) for _ in range(6)]
        assert res.wait_all(futures, run_limit_s=9.0) == [2.0] * 6
        futures = [res.cpu_pool.submit(nap, 3.0)]
        with pytest.raises(TimeoutError):
            res.wait_all(futures, run_limit_s=1.0)
    finally:
        res.close()


# --- end to end: a feed with one 2.1-million-character page among normal ones -----------------


class _Site(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype = "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def poison_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    paths = [f"/news/{i}" for i in range(len(ARTICLES))] + ["/news/huge"]
    _Site.pages = {p: article_html(*a) for p, a in zip(paths, ARTICLES, strict=False)}
    _Site.pages["/news/huge"] = big_html()
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}{p}</link><guid>{base}{p}</guid></item>"
        for i, p in enumerate(paths)
    )
    _Site.pages["/feed.xml"] = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Poison</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _ingest(base: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "ingest", "--feed", f"{base}/feed.xml", "--db",
         str(db), "--allow-private", "127.0.0.1", "-q", "--workers", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def test_feed_with_a_huge_page_loads_the_others_and_later_runs_go_on(
    poison_site: str, tmp_path: Path
) -> None:
    db = tmp_path / "poison.duckdb"
    first = _ingest(poison_site, db)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    huge = f"{poison_site}/news/huge"
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT url FROM articles").fetchall()}
        state, error = con.execute(
            "SELECT state, last_error FROM pages WHERE url = ?", [huge]
        ).fetchall()[0]
    assert {f"{poison_site}/news/{i}" for i in range(len(ARTICLES))} <= stored
    assert (state == "done" and huge in stored) or (state == "failed" and "failed" in error)
    # The next run, and one where the huge page is due again: exit 0, nothing stuck.
    assert _ingest(poison_site, db).returncode == 0
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE pages SET next_attempt_at = ? WHERE state = 'failed'",
            [datetime.now(UTC) - timedelta(minutes=1)],
        )
    third = _ingest(poison_site, db)
    assert third.returncode == 0, third.stdout + third.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        states = dict(con.execute("SELECT state, count(*) FROM pages GROUP BY 1").fetchall())
        statuses = {r[0] for r in con.execute("SELECT status FROM runs").fetchall()}
    assert states.get("pending", 0) == 0 and states["done"] >= len(ARTICLES)
    assert statuses == {"completed"}
