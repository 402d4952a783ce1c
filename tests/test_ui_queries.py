"""The UI's named queries on the demo warehouse, against what the raw tables say: the
overview's rollups (article_days, rising_now) and both ways a claim search finds an
entity's claims (listed by the entity's articles, or looked up within the search window)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from warehouse import ui_claims, ui_queries


@pytest.fixture()
def con(demo_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(demo_warehouse), read_only=True) as c:
        yield c


def test_daily_activity_counts_articles_copies_and_claims(con) -> None:
    last = ui_queries.day_of(con, ui_queries.newest(con))
    since = last - timedelta(days=400)
    expected = {r[0]: r[1:] for r in con.execute("""
        SELECT CAST(coalesce(a.published_at, a.fetched_at) AS DATE) AS day,
               count(*) FILTER (WHERE a.syndicated_from IS NULL),
               count(*) FILTER (WHERE a.syndicated_from IS NOT NULL),
               coalesce(sum((SELECT count(*) FROM claims c WHERE c.article_id = a.article_id)), 0)
        FROM articles a WHERE day >= $since GROUP BY day
    """, {"since": since}).fetchall()}  # fmt: skip
    got = {r["day"]: (r["originals"], r["copies"], r["claims"])
           for r in ui_queries.daily_activity(con, since)}  # fmt: skip
    assert got == expected
    assert sum(v[2] for v in got.values()) > 0  # the demo has claims


def test_rising_kept_by_the_load_equals_rising_computed_now(con) -> None:
    last = ui_queries.day_of(con, ui_queries.newest(con))
    kept = ui_queries.rising_kept(con, last, limit=10)
    assert kept is not None, "the demo's load computed rising_now for its newest day"
    live = ui_queries.rising(con, last, limit=10)
    key = ("entity_id", "entity", "mentions_7d", "mentions_prior_28d", "score")
    assert [tuple(r[k] for k in key) for r in kept] == [tuple(r[k] for k in key) for r in live]
    for k, r in zip(kept, live, strict=True):
        assert k["daily"] == sorted(r["daily"], key=lambda d: d["day"])
    # Another day than the one it was computed for: not used.
    assert ui_queries.rising_kept(con, last + timedelta(days=1)) is None


def _entities(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The demo's most mentioned entities and some mentioned once or twice."""
    busy = con.execute("SELECT entity_id FROM entity_days GROUP BY 1 "
                       "ORDER BY sum(articles) DESC, 1 LIMIT 4").fetchall()  # fmt: skip
    rare = con.execute("SELECT entity_id FROM entity_days GROUP BY 1 "
                       "HAVING sum(articles) <= 2 ORDER BY 1 LIMIT 4").fetchall()  # fmt: skip
    return [r[0] for r in busy + rare]


def test_entity_filter_finds_the_same_claims_listed_or_scanned(con) -> None:
    entities = _entities(con)
    assert len(entities) == 8
    seen = 0
    for entity in entities:
        expected = {r[0] for r in con.execute(
            "SELECT claim_id FROM claims WHERE article_id IN "
            "(SELECT article_id FROM mentions WHERE entity_id = $e)", {"e": entity},
        ).fetchall()}  # fmt: skip
        f = ui_claims.ClaimFilter(entity=entity)
        assert ui_claims.entity_claim_rows(con, [entity]) is not None  # few: listed
        listed = ui_claims.search_claims(con, f, 10_000)
        since = ui_claims.ClaimFilter(entity=entity, since=min(
            (c["published"] for c in listed), default=None))  # fmt: skip
        con.execute("SET index_scan_max_count = 0")  # every entity counts as busy now
        try:
            assert ui_claims.entity_claim_rows(con, [entity]) is None
            scanned = ui_claims.search_claims(con, f, 10_000)
            scanned_since = ui_claims.search_claims(con, since, 10_000)
        finally:
            con.execute("RESET index_scan_max_count")
        ids = [c["claim_id"] for c in listed]
        assert set(ids) == expected
        assert ids == [c["claim_id"] for c in scanned] == [c["claim_id"] for c in scanned_since]
        seen += bool(ids)
    assert seen >= 4  # the busy entities' articles carry claims
