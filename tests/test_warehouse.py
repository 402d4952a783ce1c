"""Warehouse: migrations with records, bulk idempotent loads, queue states, views."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from extractors.clean import content_hash
from extractors.records import (
    Article,
    FeedEntry,
    FeedPoll,
    FeedSpec,
    FetchedPage,
    PageOutcome,
    article_id_for,
)
from warehouse import load, queries
from warehouse.db import Warehouse, WarehouseError, latest_version, migrate, schema_version

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SPECS = [
    FeedSpec(url="https://a.example/rss", name="A news", outlet="A", country="GB", language="en"),
    FeedSpec(url="https://b.example/atom", name="B", outlet="B", tags=("x",)),
]


def _poll(spec: FeedSpec, urls: list[str], etag: str | None = "v1") -> FeedPoll:
    return FeedPoll(
        feed_id=spec.feed_id, url=spec.url, outlet=spec.outlet, started_at=NOW, duration_ms=5,
        http_status=200, etag=etag, kind="rss",
        entries=tuple(FeedEntry(feed_id=spec.feed_id, url=u, title="t") for u in urls),
    )  # fmt: skip


def _article(url: str, text: str = "Some text here.") -> Article:
    return Article(
        article_id=article_id_for(url), url=url, canonical_url=url, outlet="A", feed_id=None,
        title="T", authors=("X",), published_at=NOW, fetched_at=NOW, language="en",
        site_name=None, text=text, word_count=len(text.split()), content_hash=content_hash(text),
        extractor_version="test/1",
    )  # fmt: skip


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "w.duckdb")


def test_migrations_are_recorded_and_views_exist(wh: Warehouse) -> None:
    with wh.writer() as con:
        assert schema_version(con) == latest_version()
        rows = con.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
        assert [r[0] for r in rows] == list(range(1, latest_version() + 1))
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        assert {"feed_health", "articles_daily", "page_failures"} <= views
        assert migrate(con) == []  # nothing twice


def test_reader_on_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with (
        pytest.raises(WarehouseError, match="no warehouse at"),
        Warehouse(tmp_path / "none").reader(),
    ):
        pass


def test_polls_queue_pages_once_and_validators_follow(wh: Warehouse) -> None:
    with wh.writer() as con:
        assert load.upsert_feeds(con, SPECS) == 2
        assert load.upsert_feeds(con, SPECS) == 0
        a, b = SPECS
        new = load.record_polls(
            con,
            [_poll(a, ["https://a.example/1?utm_source=rss", "https://a.example/2"]),
             _poll(b, ["https://a.example/1", "https://b.example/9"])],
            "run1",
        )  # fmt: skip
        assert new == {a.feed_id: 2, b.feed_id: 1}  # a/1 listed twice (tracking stripped)
        again = load.record_polls(con, [_poll(a, ["https://a.example/2"], etag="v2")], "run2")
        assert again == {}
        assert con.execute("SELECT count(*) FROM pages").fetchall()[0][0] == 3
        assert con.execute("SELECT count(*) FROM feed_polls").fetchall()[0][0] == 3
        etag = con.execute("SELECT etag FROM feeds WHERE feed_id = ?", [a.feed_id]).fetchall()
        assert etag == [("v2",)]
        # A 304 keeps the validators.
        nm = FeedPoll(feed_id=a.feed_id, url=a.url, outlet="A", started_at=NOW, duration_ms=1,
                      http_status=304, not_modified=True)  # fmt: skip
        load.record_polls(con, [nm], "run3")
        assert con.execute("SELECT etag, last_status FROM feeds WHERE feed_id = ?",
                           [a.feed_id]).fetchall() == [("v2", 304)]  # fmt: skip
        due = queries.due_pages(con, NOW)
        assert sorted(p.url for p in due) == [
            "https://a.example/1", "https://a.example/2", "https://b.example/9"]  # fmt: skip


def test_page_outcomes_are_atomic_idempotent_and_backed_off(wh: Warehouse) -> None:
    a = SPECS[0]
    with wh.writer() as con:
        load.upsert_feeds(con, SPECS)
        load.record_polls(con, [_poll(a, ["https://a.example/1", "https://a.example/2"])], "r")
        body = b"<html>hello</html>"
        page = FetchedPage("https://a.example/1", "https://a.example/1", 200, body,
                           "text/html", "utf-8", NOW)  # fmt: skip
        ok = PageOutcome("https://a.example/1", NOW, 200, _article("https://a.example/1"), page)
        fail = PageOutcome("https://a.example/2", NOW, 503, error="HTTP 503", retryable=True,
                           retry_after_s=30)  # fmt: skip
        assert load.store_page_outcomes(con, [ok, fail], "r", max_attempts=2) == (1, 1)
        # Same article again (e.g. a re-crawl under another URL): nothing duplicates.
        assert load.store_page_outcomes(con, [ok], "r") == (0, 0)
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 1
        raw = con.execute("SELECT body_zlib FROM raw_pages").fetchall()[0][0]
        assert zlib.decompress(raw) == body
        state = con.execute(
            "SELECT state, attempts, next_attempt_at, last_error FROM pages WHERE url = ?",
            ["https://a.example/2"],
        ).fetchall()[0]
        assert state[0] == "failed" and state[1] == 1 and state[3] == "HTTP 503"
        assert state[2] - NOW == timedelta(seconds=30)  # Retry-After honoured
        assert [p.url for p in queries.due_pages(con, NOW)] == []
        assert [p.url for p in queries.due_pages(con, NOW + timedelta(seconds=31))] == [
            "https://a.example/2"
        ]
        load.store_page_outcomes(con, [fail], "r", max_attempts=2)
        row = con.execute("SELECT state, last_error FROM page_failures").fetchall()
        assert row == [("gave_up", "HTTP 503")]  # reason kept


def test_failed_transaction_leaves_nothing(wh: Warehouse) -> None:
    with wh.writer() as con:
        load.upsert_feeds(con, SPECS)
        before = con.execute("SELECT count(*) FROM pages").fetchall()
        with pytest.raises(duckdb.Error), load.transaction(con):
            con.execute("INSERT INTO pages (url, discovered_at, state) VALUES ('u', now(), 'x')")
            con.execute("INSERT INTO nonexistent VALUES (1)")
        assert con.execute("SELECT count(*) FROM pages").fetchall() == before


def test_writer_waits_for_another_process_lock(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    path = tmp_path / "locked.duckdb"
    Warehouse(path)  # created by the child
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb,time,sys; c=duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(1.5); c.close()", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout and holder.stdout.readline().strip() == "held"
    t0 = time.monotonic()
    with Warehouse(path, lock_timeout_s=30).writer() as con:
        assert con.execute("SELECT 1").fetchall() == [(1,)]
    assert time.monotonic() - t0 > 0.3  # it really waited instead of failing
    holder.wait(timeout=10)


def test_analyses_replace_an_articles_rows_and_merge_entities(wh: Warehouse) -> None:
    from extractors.records import Analysis, Claim, Entity, Mention, entity_id_for

    eid = entity_id_for("org", "National Security Office")

    def analysis(n_claims: int, alias: str) -> Analysis:
        ent = Entity(eid, "National Security Office", "org", (alias,))
        claims = tuple(
            Claim(
                claim_id=f"c{i}",
                article_id="a1",
                speaker="the office",
                speaker_canonical="National Security Office",
                speaker_entity_id=eid,
                speaker_kind="organisation",
                cue="said",
                cue_lemma="say",
                content=f"text {i}",
                quote_type="indirect",
                via=("Interfax",),
                content_start=i,
                content_end=i + 5,
                speaker_start=None,
                speaker_end=None,
                sentence=0,
                confidence=0.9,
            )
            for i in range(n_claims)
        )
        mention = Mention("a1", eid, alias, 0, len(alias), 0, "ORG")
        return Analysis("a1", "ok", claims, (mention,), (ent,), fingerprint="fp-1")

    with wh.writer() as con:
        with load.transaction(con):
            load.store_analyses(con, [analysis(3, "NSO")])
        with load.transaction(con):
            load.store_analyses(con, [analysis(2, "the security office")])
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM mentions").fetchall() == [(1,)]
        assert con.execute("SELECT aliases FROM entities").fetchall() == [
            (["NSO", "the security office"],)
        ]
        assert con.execute("SELECT via FROM claims LIMIT 1").fetchall() == [(["Interfax"],)]
        assert con.execute("SELECT analysed, claims FROM article_analysis").fetchall() == [
            (True, 2)
        ]
