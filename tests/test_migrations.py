"""Schema evolution: a warehouse built at every earlier schema version upgrades to the
latest with its data intact, and views work afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.db import Warehouse, latest_version, migrate, migrations, schema_version

NOW = datetime(2026, 11, 1, tzinfo=UTC)

# Rows valid from the version that introduced the table; the test inserts those whose
# version <= the starting version.
SEED = {
    1: [
        ("INSERT INTO outlets VALUES ('Old Outlet', 'GB', 'en', ['x'], ?)", [NOW]),
        ("INSERT INTO feeds (feed_id, url, outlet, added_at) VALUES ('f1', 'https://o/rss', "
         "'Old Outlet', ?)", [NOW]),
        ("INSERT INTO pages (url, feed_id, discovered_at, state, attempts) VALUES "
         "('https://o/1', 'f1', ?, 'done', 1)", [NOW]),
        ("INSERT INTO articles (article_id, url, canonical_url, outlet, fetched_at, text, "
         "word_count, content_hash, extractor_version) VALUES ('a1', 'https://o/1', "
         "'https://o/1', 'Old Outlet', ?, 'Old text said here.', 4, 'h', 'old')", [NOW]),
        ("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r1', 'ingest', ?, "
         "'running')", [NOW]),
    ],
    3: [
        ("INSERT INTO entities VALUES ('e1', 'Old Entity', 'org', ['OE'], NULL, ?)", [NOW]),
        ("INSERT INTO mentions VALUES ('a1', 'e1', 'OE', 0, 2, 0, 'ORG', 'old')", []),
        ("INSERT INTO claims (claim_id, article_id, speaker_canonical, content, quote_type, "
         "via, content_start, content_end, sentence, extractor_version) VALUES "
         "('c1', 'a1', 'Old Entity', 'text', 'indirect', [], 4, 8, 0, 'old')", []),
    ],
}  # fmt: skip


@pytest.mark.parametrize("start", range(1, latest_version()))
def test_upgrade_from_every_earlier_version(start: int, tmp_path: Path) -> None:
    path = tmp_path / f"v{start}.duckdb"
    with duckdb.connect(str(path)) as con:
        assert migrate(con, target=start) == list(range(1, start + 1))
        assert schema_version(con) == start
        for version, statements in SEED.items():
            if version <= start:
                for sql, params in statements:
                    con.execute(sql, params)
    with Warehouse(path).writer() as con:  # opening for writing migrates
        assert schema_version(con) == latest_version()
        assert con.execute("SELECT text FROM articles").fetchall() == [("Old text said here.",)]
        assert con.execute("SELECT url, state FROM pages").fetchall() == [("https://o/1", "done")]
        # A run left 'running' by a version that recorded no process cannot be checked: the
        # run-owner migration marks it crashed (from then on, the next run checks the pid).
        owner = next(v for v, name, _ in migrations() if name == "run_owner")
        status = "crashed" if start < owner else "running"
        assert con.execute("SELECT status FROM runs").fetchall() == [(status,)]
        if start >= 3:
            assert con.execute("SELECT speaker_canonical FROM claims").fetchall() == [
                ("Old Entity",)
            ]
        # Every view answers on the upgraded file.
        views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() "
                                           "WHERE NOT internal").fetchall()]  # fmt: skip
        for view in views:
            con.execute(f"SELECT * FROM {view} LIMIT 1").fetchall()
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()]
        assert sorted(versions) == list(range(1, latest_version() + 1))


def test_failed_migration_rolls_back_with_its_record(tmp_path: Path, monkeypatch) -> None:
    import warehouse.db as db

    real = db.migrations()
    broken = [*real, (len(real) + 1, "broken", "CREATE TABLE ok_table (x INT); SELECT nope;")]
    monkeypatch.setattr(db, "migrations", lambda: broken)
    with duckdb.connect(str(tmp_path / "b.duckdb")) as con:
        with pytest.raises(duckdb.Error):
            migrate(con)
        assert schema_version(con) == len(real)
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "ok_table" not in tables


def test_0007_repairs_implausible_dates_and_keeps_the_rollups_in_step(tmp_path: Path) -> None:
    """Old rows: a plausible date stays (its source told from the feed entry), an implausible
    one falls back to the entry's date or the fetch time, a missing one is the fetch time;
    the trend rollups of the moved articles follow; hosts come from the canonical URLs."""
    from warehouse.rollups import rebuild_rollups, rollup_drift

    fetched = datetime(2026, 11, 20, 12, tzinfo=UTC)
    entry = datetime(2026, 11, 18, 6, tzinfo=UTC)
    page = datetime(2026, 11, 19, 9, tzinfo=UTC)
    cases = {  # id: (canonical URL, stored date, entry date, expected date, expected source)
        "a1": ("https://www.one.example/1", datetime(1, 1, 1, tzinfo=UTC), entry, entry, "feed"),
        "a2": ("http://[::1]:8080/2", datetime(2031, 1, 1, tzinfo=UTC), None, fetched, "fetched"),
        "a3": ("https://three.example:8443/3", entry, entry, entry, "feed"),
        "a4": ("https://four.example/4", page, entry, page, "page"),
        "a5": ("https://five.example/5", None, None, fetched, "fetched"),
        "a6": ("https://six.example/6", datetime(1985, 5, 5, tzinfo=UTC),
               datetime(1, 1, 1, tzinfo=UTC), fetched, "fetched"),
    }  # fmt: skip
    path = tmp_path / "v6.duckdb"
    with duckdb.connect(str(path)) as con:
        migrate(con, target=6)
        for aid, (url, at, entry_at, _, _) in cases.items():
            con.execute(
                "INSERT INTO pages (url, discovered_at, state, attempts, entry_published_at) "
                "VALUES (?, ?, 'done', 1, ?)", [url, NOW, entry_at],
            )  # fmt: skip
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, outlet, published_at, "
                "fetched_at, text, word_count, content_hash, extractor_version) VALUES "
                "(?, ?, ?, ?, ?, ?, 'Text said.', 2, 'h', 'old')",
                [aid, url, url, f"Outlet {aid}", at, fetched],
            )
        con.execute("INSERT INTO entities VALUES ('e1', 'Ent One', 'org', [], NULL, ?), "
                    "('e2', 'Ent Two', 'org', [], NULL, ?)", [NOW, NOW])  # fmt: skip
        for aid in ("a1", "a2", "a4"):
            con.execute("INSERT INTO mentions VALUES (?, 'e1', 'E1', 0, 2, 0, 'ORG', 'old'), "
                        "(?, 'e2', 'E2', 3, 5, 0, 'ORG', 'old')", [aid, aid])  # fmt: skip
            con.execute(
                "INSERT INTO claims (claim_id, article_id, speaker_canonical, content, quote_type,"
                " via, content_start, content_end, sentence, extractor_version, content_key) "
                "VALUES (?, ?, 'Ent One', 'text', 'indirect', [], 0, 4, 0, 'old', 'k')",
                [f"c{aid}", aid],
            )
        rebuild_rollups(con)
    with Warehouse(path).writer() as con:
        assert schema_version(con) == latest_version()
        sql = "SELECT article_id, published_at, date_source, host FROM articles"
        got = {r[0]: r[1:] for r in con.execute(sql).fetchall()}
        for aid, (_, _, _, at, source) in cases.items():
            assert got[aid][:2] == (at, source), aid
        assert {aid: got[aid][2] for aid in ("a1", "a2", "a3")} == {
            "a1": "one.example", "a2": "[::1]", "a3": "three.example"}  # fmt: skip
        assert set(rollup_drift(con).values()) == {0}
        days = dict(con.execute("SELECT article_id, min(day) FROM article_entities "
                                "GROUP BY 1").fetchall())  # fmt: skip
        assert days["a1"] == entry.date() and days["a2"] == fetched.date()
