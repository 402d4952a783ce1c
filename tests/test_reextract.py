"""Re-extraction from stored pages (no network): after an extractor version change, exactly
one version of rows per article remains, and nothing else changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from flows.reextract import reextract
from flows.settings import Settings


def _snapshot(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "articles": con.execute("SELECT count(*) FROM articles").fetchall(),
            "claims": con.execute(
                "SELECT article_id, claim_id, content FROM claims ORDER BY 1, 2"
            ).fetchall(),
            "mentions": con.execute("SELECT count(*) FROM mentions").fetchall(),
            "versions": con.execute(
                "SELECT count(DISTINCT extractor_version) FROM claims"
            ).fetchall(),
        }


def test_reextract_replaces_old_versions_atomically(demo_warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_warehouse, db)
    before = _snapshot(db)
    # Make the stored rows look like the output of older extractors (a version bump in code
    # and a bump in the database are the same thing to the flow).
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE article_analysis SET fingerprint = 'mediamon.claims-0.9-old'")
        con.execute("UPDATE claims SET extractor_version = 'mediamon.claims-0.9-old'")
        con.execute("UPDATE mentions SET extractor_version = 'mediamon.claims-0.9-old'")
        con.execute("UPDATE articles SET extractor_version = 'mediamon.clean/0', text = 'stale'")
        con.execute("DELETE FROM claims WHERE claim_id IN (SELECT claim_id FROM claims LIMIT 7)")
    summary = reextract(settings=Settings(db=db))
    assert summary["articles"] == before["articles"][0][0]
    assert summary["recleaned"] == summary["articles"]  # from raw pages, no network
    after = _snapshot(db)
    assert after == before  # same rows as a fresh ingest with the current extractors
    with duckdb.connect(str(db), read_only=True) as con:
        fps = con.execute("SELECT DISTINCT fingerprint FROM article_analysis").fetchall()
        old = con.execute(
            "SELECT count(*) FROM claims WHERE extractor_version LIKE '%old%'"
        ).fetchall()
        stale = con.execute("SELECT count(*) FROM articles WHERE text = 'stale'").fetchall()
    assert len(fps) == 1 and old == [(0,)] and stale == [(0,)]
    with duckdb.connect(str(db)) as con:
        from warehouse.rollups import rollup_drift

        assert set(rollup_drift(con).values()) == {0}
    # Up to date now: a second run has nothing to do.
    assert reextract(settings=Settings(db=db))["articles"] == 0
