"""Named read-only queries behind the UI's Speaker, Entity, Spread and Article pages.

Charts and outlet lists come from the rollups (a speaker's: one GROUPING SETS pass over
article_speakers; an entity's: entity_days by index, and its article_entities rows, by
index for the rare ones, scanned within the page's window of days for the busy ones). What
needs the subject's latest rows (relays, names, co-occurring entities) first copies a
bounded Top-N of them into a temporary table (a read-only connection may create those; they
vanish when it closes). Values are always bound parameters.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.ui_claims import CLAIM_COLUMNS, CLAIM_ORDER, with_articles
from warehouse.ui_queries import in_list, one, rows

COOCCURRING_ARTICLES = 500  # co-occurrence is counted over the entity's latest articles
RECENT_CLAIMS = 2000  # relays and names of a speaker are counted over its latest claims
SPREAD_ROWS = 500  # articles listed on a spread page (the counts cover all of them)


def entity(con: duckdb.DuckDBPyConnection, entity_id: str) -> dict[str, Any] | None:
    return one(con.execute(
        "SELECT entity_id, canonical_name, kind, aliases, country_code, first_seen_at "
        "FROM entities WHERE entity_id = $id",
        {"id": entity_id},
    ))  # fmt: skip


# ------------------------------------------------------------------------------ speaker


def _since(column: str, since: date | None) -> tuple[str, dict[str, Any]]:
    """An optional lower bound on a day or time column (a fixed fragment, or nothing)."""
    if since is None:
        return "", {}
    return f" AND {column} >= $since", {"since": since}


def speaker_activity(
    con: duckdb.DuckDBPyConnection, entity_id: str, since: date | None, limit: int = 12
) -> dict[str, list[dict[str, Any]]]:
    """A speaker's claims per day and the outlets carrying them, in one pass over the
    article_speakers rollup."""
    window, params = _since("day", since)
    found = rows(con.execute(f"""
        SELECT day, outlet, CAST(sum(claims) AS BIGINT) AS claims,
               CAST(coalesce(sum(claims) FILTER (WHERE NOT is_copy), 0) AS BIGINT)
                   AS claims_original,
               count(*) AS articles, count(*) FILTER (WHERE is_copy) AS copies
        FROM article_speakers WHERE speaker_entity_id = $id{window}
        GROUP BY GROUPING SETS ((day), (outlet))
    """, {"id": entity_id, **params}))  # fmt: skip
    timeline = sorted((r for r in found if r["day"] is not None), key=lambda r: r["day"])
    outlets = sorted((r for r in found if r["day"] is None),
                     key=lambda r: (-r["claims"], r["outlet"] or ""))  # fmt: skip
    for r in timeline:
        del r["outlet"]
    for r in outlets:
        del r["day"]
    return {"timeline": timeline, "outlets": outlets[:limit]}


def speaker_recent(
    con: duckdb.DuckDBPyConnection, entity_id: str, since: date | None, limit: int = 12
) -> dict[str, Any]:
    """From a speaker's latest RECENT_CLAIMS claims (claim_feed, newest first, so a busy
    speaker's are found in its first row groups): the relays they come through (via
    chains), the names the speaker is quoted under, and the latest claims in full."""
    window, params = _since("ts", since)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _sp AS
        SELECT ts, claim_id, speaker, via FROM claim_feed
        WHERE speaker_entity_id = $id{window} ORDER BY ts DESC LIMIT $n
    """, {"id": entity_id, "n": RECENT_CLAIMS, **params})  # fmt: skip
    relays = rows(con.execute("""
        SELECT relay, count(*) AS claims
        FROM (SELECT unnest(via) AS relay FROM _sp WHERE len(via) > 0)
        GROUP BY relay ORDER BY claims DESC, relay LIMIT $limit
    """, {"limit": limit}))  # fmt: skip
    names = rows(con.execute("""
        SELECT speaker AS name, count(*) AS claims FROM _sp WHERE speaker IS NOT NULL
        GROUP BY speaker ORDER BY claims DESC, speaker LIMIT $limit
    """, {"limit": limit}))  # fmt: skip
    counted = con.execute("SELECT count(*) FROM _sp").fetchall()[0][0]
    latest = rows(con.execute(f"""
        SELECT {CLAIM_COLUMNS} FROM claim_feed c
        WHERE c.speaker_entity_id = $id
          AND c.ts >= (SELECT min(ts) FROM (SELECT ts FROM _sp ORDER BY ts DESC LIMIT 25))
        ORDER BY {CLAIM_ORDER} LIMIT 25
    """, {"id": entity_id}))  # fmt: skip
    return {"relays": relays, "names": names, "claims_counted": counted,
            "claims": with_articles(con, latest)}  # fmt: skip


# ------------------------------------------------------------------------------ entity


def entity_timeline(
    con: duckdb.DuckDBPyConnection, entity_id: str, since: date | None
) -> list[dict[str, Any]]:
    """An entity's mentions and articles per day, all and originals only (entity_days rollup:
    at most a row a day, fetched by its index; the window is applied afterwards, since with
    the day filter alongside DuckDB would scan the table instead)."""
    window, params = _since("day", since)
    return rows(con.execute(f"""
        WITH e AS MATERIALIZED (
            SELECT day, mentions, articles, mentions_original, articles_original
            FROM entity_days WHERE entity_id = $id)
        SELECT * FROM e WHERE TRUE{window} ORDER BY day
    """, {"id": entity_id, **params}))  # fmt: skip


def entity_rows(con: duckdb.DuckDBPyConnection, entity_id: str, since: date | None) -> None:
    """Copy the entity's article_entities rows within the window into the temporary table
    _entity (for entity_outlets and entity_company). They are fetched by the index on
    entity_id when the entity has so few rows of all time (entity_days counts them) that
    DuckDB uses it (index_scan_max_count; the day filter is applied afterwards, since beside
    it DuckDB would scan); else the window is scanned (busy entities: every day has some)."""
    window, params = _since("day", since)
    total = con.execute("SELECT coalesce(sum(articles), 0) FROM entity_days WHERE entity_id = $id",
                        {"id": entity_id}).fetchall()[0][0]  # fmt: skip
    by_index = con.execute("SELECT current_setting('index_scan_max_count')").fetchall()[0][0]
    columns = "article_id, day, outlet, is_copy, mentions"
    if total <= int(by_index):
        select = (f"WITH e AS MATERIALIZED (SELECT {columns} FROM article_entities "
                  f"WHERE entity_id = $id) SELECT * FROM e WHERE TRUE{window}")  # fmt: skip
    else:
        select = f"SELECT {columns} FROM article_entities WHERE entity_id = $id{window}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _entity AS {select}", {"id": entity_id, **params})


def entity_outlets(con: duckdb.DuckDBPyConnection, limit: int = 12) -> list[dict[str, Any]]:
    """The outlets mentioning the entity most (its rows in _entity: see entity_rows)."""
    return rows(con.execute("""
        SELECT outlet, CAST(sum(mentions) AS BIGINT) AS mentions, count(*) AS articles,
               CAST(coalesce(sum(mentions) FILTER (WHERE NOT is_copy), 0) AS BIGINT)
                   AS mentions_original,
               count(*) FILTER (WHERE NOT is_copy) AS articles_original
        FROM _entity GROUP BY outlet ORDER BY articles DESC, outlet LIMIT $limit
    """, {"limit": limit}))  # fmt: skip


def entity_company(
    con: duckdb.DuckDBPyConnection, entity_id: str, limit: int = 12
) -> dict[str, list[dict[str, Any]]]:
    """Entities mentioned in the same articles and who is quoted in them, over the entity's
    latest COOCCURRING_ARTICLES articles in _entity (see entity_rows): a bounded look,
    whatever the entity's fame, and within their days only (bound, for the zone maps)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _latest AS
        SELECT article_id, day FROM _entity ORDER BY day DESC, article_id LIMIT $n
    """, {"n": COOCCURRING_ARTICLES})  # fmt: skip
    first, last = con.execute("SELECT min(day), max(day) FROM _latest").fetchall()[0]
    if first is None:
        return {"cooccurring": [], "speakers": []}
    bounds = {"id": entity_id, "limit": limit, "first": first, "last": last}
    cooccurring = rows(con.execute("""
        SELECT x.entity_id, e.canonical_name AS entity, x.articles
        FROM (SELECT entity_id, count(*) AS articles FROM article_entities
              WHERE day BETWEEN $first AND $last
                AND article_id IN (SELECT article_id FROM _latest) AND entity_id <> $id
              GROUP BY entity_id ORDER BY articles DESC, entity_id LIMIT $limit) x
        JOIN entities e USING (entity_id)
        ORDER BY x.articles DESC, entity
    """, bounds))  # fmt: skip
    speakers = rows(con.execute("""
        SELECT speaker_canonical AS speaker, speaker_entity_id AS entity_id,
               any_value(speaker_kind) AS kind, CAST(sum(claims) AS BIGINT) AS claims,
               count(*) AS articles
        FROM article_speakers
        WHERE day BETWEEN $first AND $last
          AND article_id IN (SELECT article_id FROM _latest)
          AND speaker_entity_id IS DISTINCT FROM $id
        GROUP BY speaker_canonical, speaker_entity_id
        ORDER BY claims DESC, speaker LIMIT $limit
    """, bounds))  # fmt: skip
    return {"cooccurring": cooccurring, "speakers": speakers}


def quoted_claims(con: duckdb.DuckDBPyConnection, entity_id: str, since: date | None) -> int:
    """How many claims an entity made as a speaker (article_speakers rollup)."""
    window, params = _since("day", since)
    return con.execute(
        "SELECT coalesce(sum(claims), 0) FROM article_speakers WHERE speaker_entity_id = $id"
        + window,
        {"id": entity_id, **params},
    ).fetchall()[0][0]


# ------------------------------------------------------------------------------ spread


def spread(con: duckdb.DuckDBPyConnection, content_key: str) -> dict[str, Any] | None:
    """One claim (content_key) across outlets: its claim_spread row (index
    claim_key_stats_key) and every article carrying it, oldest first, with syndication
    links (claim_feed between first and last seen: its zone maps skip everything else)."""
    stats = one(con.execute("""
        SELECT content_key, content, speaker, first_seen, first_outlet, last_seen, outlets,
               articles, articles_original
        FROM claim_key_stats WHERE content_key = $key
    """, {"key": content_key}))  # fmt: skip
    if stats is None:
        return None
    found = rows(con.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claim_feed c "
        "WHERE c.ts BETWEEN $first AND $last AND c.content_key = $key "
        "ORDER BY c.ts, c.outlet, c.claim_id LIMIT $n",
        {"first": stats["first_seen"], "last": stats["last_seen"], "key": content_key,
         "n": SPREAD_ROWS},
    ))  # fmt: skip
    ids = sorted({c["article_id"] for c in found})
    links: dict[str, tuple] = {}
    if ids:
        placeholders, params = in_list("a", ids)
        links = {r[0]: r[1:] for r in con.execute(
            "SELECT article_id, title, canonical_url, syndicated_from, cluster_id FROM articles "
            f"WHERE article_id IN {placeholders}", params,
        ).fetchall()}  # fmt: skip
    for c in found:
        c["title"], c["url"], c["syndicated_from"], c["cluster_id"] = links.get(
            c["article_id"], (None, None, None, None)
        )
    stats["rows"] = found
    return stats


# ------------------------------------------------------------------------------ article


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """One article with its analysis status (claims.rule / status are NULL until the claims
    engine of migration 0006 fills them)."""
    return one(con.execute("""
        SELECT a.article_id, a.url, a.canonical_url, a.outlet, a.title, a.authors,
               coalesce(a.published_at, a.fetched_at) AS published, a.published_at,
               a.fetched_at, a.language, a.text, a.word_count, a.syndicated_from, a.cluster_id,
               x.analysed, x.status, x.error, x.fingerprint
        FROM articles a LEFT JOIN article_analysis x USING (article_id)
        WHERE a.article_id = $id
    """, {"id": article_id}))  # fmt: skip


def article_claims(
    con: duckdb.DuckDBPyConnection, article_id: str, published: datetime
) -> list[dict[str, Any]]:
    """The article's claims in text order (claim_feed, found through its `ts` zone maps),
    each with how far its wording spread."""
    found = rows(con.execute(
        f"SELECT {CLAIM_COLUMNS} FROM claim_feed c WHERE c.ts = $ts AND c.article_id = $id "
        "ORDER BY c.content_start, c.claim_id",
        {"ts": published, "id": article_id},
    ))  # fmt: skip
    keys = sorted({c["content_key"] for c in found if c["content_key"]})
    spread = {}
    if keys:
        placeholders, params = in_list("k", keys)
        spread = {r[0]: r[1:] for r in con.execute(
            "SELECT content_key, outlets, articles FROM claim_key_stats "
            f"WHERE content_key IN {placeholders}", params,
        ).fetchall()}  # fmt: skip
    for c in found:
        c["spread_outlets"], c["spread_articles"] = spread.get(c["content_key"], (None, None))
    return found


def article_mentions(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """Entity mentions of one article (index mentions_article), with their entities."""
    return rows(con.execute("""
        SELECT m.start, m."end", m.surface, m.label, m.entity_id, e.canonical_name, e.kind
        FROM (SELECT * FROM mentions WHERE article_id = $id) m
        LEFT JOIN entities e USING (entity_id)
        ORDER BY m.start
    """, {"id": article_id}))  # fmt: skip


def article_copies(con: duckdb.DuckDBPyConnection, cluster_id: str) -> list[dict[str, Any]]:
    """Every article of a syndication cluster (the original and its copies), oldest first."""
    return rows(con.execute("""
        SELECT article_id, outlet, title, coalesce(published_at, fetched_at) AS published,
               syndicated_from IS NOT NULL AS is_copy
        FROM articles WHERE cluster_id = $cluster
        ORDER BY published, article_id
    """, {"cluster": cluster_id}))  # fmt: skip
