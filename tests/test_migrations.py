"""Schema evolution: a warehouse built at every earlier schema version upgrades to the
latest with its data intact, and views work afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.db import Warehouse, latest_version, migrate, schema_version

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
        # A run left 'running' without a recorded process cannot be checked: crashed.
        assert con.execute("SELECT status FROM runs").fetchall() == [("crashed",)]
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
