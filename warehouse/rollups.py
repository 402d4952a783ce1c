"""Rollups behind the trend views: small derived tables (migration 0005) kept in step with
articles, mentions and claims, so the views never aggregate the raw tables.

    article_entities    one row per (article, entity): day, week, outlet, is_copy, mentions
                        -> entity_daily, rising_entities, cooccurrence
    article_speakers    one row per (article, canonical speaker): day, outlet, claims
                        -> speaker_daily (and queries.top_speakers)
    article_claim_keys  the content_keys of each article's claims (bookkeeping for refreshes)
    claim_key_stats     the claim_spread view, one row per content_key
    claim_feed          every claim with its article's time, outlet, copy flag, newest first
                        (migration 0007: the web view's claim lists and lookups)
    entity_days         one row per (day, entity): article_entities summed over the day
                        (migration 0007: the web view's rising entities and timelines)
    article_days        one row per article: day, copy flag, number of claims (migration
                        0007: the web view's articles and claims per day)
    rising_now          the top RISING_KEPT rising entities as of the newest article's day,
                        with their mentions per day (migration 0007: the web view's overview)
    cooccurrence_weekly the cooccurrence view: entity pairs per week (kept by deltas)

Contract: the trend views read only the rollups, so every write that changes, for some
articles, their publication/fetch time, outlet or syndication link (`syndicated_from`), or
replaces their mentions or claims, must call `refresh_rollups(con, article_ids)` **in the
same transaction, after those writes**. Articles re-linked as wire copies of the given ones
are found by the refresh itself (same cluster_id), as are the content_keys and entity pairs
the articles had before their claims / mentions were replaced. Entities are never deleted
and their canonical names never change (entity_id is derived from the name), so
cooccurrence_weekly keeps the names. `rebuild_rollups(con)` recomputes everything (after bulk loads,
repairs, or to check a refresh: `rollup_drift(con)` lists differences).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

ROLLUP_TABLES = (
    "article_entities", "article_speakers", "article_claim_keys", "claim_key_stats",
    "cooccurrence_weekly", "claim_feed", "entity_days", "article_days", "rising_now",
)  # fmt: skip
# rising_now: the rising_entities view's scoring (last 7 days against the 28 before, ending
# at the newest article's day), its top RISING_KEPT kept (migration 0007 has the same numbers).
RISING_WINDOW, RISING_BASELINE, RISING_KEPT = 7, 28, 25

# Each SELECT takes its scope (a condition) as `{scope}`; TRUE = everything. The day is
# computed like the article_facts view (cast to DATE in the session TimeZone).
_DAY = "CAST(coalesce(a.published_at, a.fetched_at) AS DATE)"
_TS = "coalesce(a.published_at, a.fetched_at)"

_ARTICLE_ENTITIES = f"""
    SELECT m.article_id, m.entity_id, {_DAY} AS day, date_trunc('week', {_DAY}) AS week,
           a.outlet, a.syndicated_from IS NOT NULL AS is_copy, count(*) AS mentions
    FROM mentions m JOIN articles a USING (article_id)
    WHERE {{scope}}
    GROUP BY ALL
    ORDER BY day, m.article_id, m.entity_id
"""

_ARTICLE_SPEAKERS = f"""
    SELECT c.article_id, {_DAY} AS day, a.outlet, a.syndicated_from IS NOT NULL AS is_copy,
           c.speaker_canonical, c.speaker_entity_id, any_value(c.speaker_kind) AS speaker_kind,
           count(*) AS claims
    FROM claims c JOIN articles a USING (article_id)
    WHERE c.speaker_canonical IS NOT NULL AND {{scope}}
    GROUP BY c.article_id, a.published_at, a.fetched_at, a.outlet, a.syndicated_from,
             c.speaker_canonical, c.speaker_entity_id
    ORDER BY day, c.article_id
"""

_ARTICLE_CLAIM_KEYS = """
    SELECT DISTINCT article_id, content_key FROM claims c WHERE {scope} ORDER BY 1, 2
"""

_CLAIM_KEY_STATS = f"""
    SELECT c.content_key,
           arg_min(c.content, {_TS}) AS content,
           arg_min(c.speaker_canonical, {_TS}) AS speaker,
           min({_TS}) AS first_seen,
           arg_min(a.outlet, {_TS}) AS first_outlet,
           max({_TS}) AS last_seen,
           count(DISTINCT a.outlet) AS outlets,
           count(DISTINCT c.article_id) AS articles,
           count(DISTINCT c.article_id) FILTER (WHERE a.syndicated_from IS NULL)
               AS articles_original
    FROM claims c JOIN articles a USING (article_id)
    WHERE {{scope}}
    GROUP BY c.content_key
    ORDER BY first_seen, c.content_key
"""

# Newest first: the web view's "latest claims" then reads the first row groups only.
_CLAIM_FEED = f"""
    SELECT {_TS} AS ts, c.claim_id, c.article_id, a.outlet,
           a.syndicated_from IS NOT NULL AS is_copy, c.speaker, c.speaker_canonical,
           c.speaker_entity_id, c.speaker_kind, c.cue, c.cue_lemma, c.content, c.quote_type,
           c.via, c.rule, c.confidence, c.content_key, c.content_start, c.content_end,
           c.speaker_start, c.speaker_end
    FROM claims c JOIN articles a USING (article_id)
    WHERE {{scope}}
    ORDER BY ts DESC, c.article_id, c.content_start, c.claim_id
"""

# From article_entities (so it is filled after it); scope on alias a.
_ENTITY_DAYS = """
    SELECT a.day, a.entity_id, CAST(sum(a.mentions) AS BIGINT) AS mentions,
           count(*) AS articles,
           CAST(coalesce(sum(a.mentions) FILTER (WHERE NOT a.is_copy), 0) AS BIGINT)
               AS mentions_original,
           count(*) FILTER (WHERE NOT a.is_copy) AS articles_original
    FROM article_entities a
    WHERE {scope}
    GROUP BY a.day, a.entity_id
    ORDER BY a.day, a.entity_id
"""

# One row per article, sorted by day (scope on alias a); its claims counted in a join,
# where claims is also called `a` so that the same scope applies to both.
_ARTICLE_DAYS = f"""
    SELECT {_DAY} AS day, a.article_id, a.syndicated_from IS NOT NULL AS is_copy,
           coalesce(n.claims, 0) AS claims
    FROM articles a
    LEFT JOIN (SELECT a.article_id, count(*) AS claims FROM claims a WHERE {{scope}}
               GROUP BY a.article_id) n USING (article_id)
    WHERE {{scope}}
    ORDER BY day, a.article_id
"""

# The whole of rising_now, recomputed after every refresh from entity_days (one pass over
# the last RISING_WINDOW + RISING_BASELINE days) and article_days (the newest day).
_RISING_NOW = f"""
    WITH l AS (SELECT max(day) AS last FROM article_days),
    s AS (
        SELECT d.entity_id,
               coalesce(sum(d.mentions) FILTER (WHERE d.day > l.last - {RISING_WINDOW}), 0)
                   AS recent,
               coalesce(sum(d.mentions) FILTER (WHERE d.day <= l.last - {RISING_WINDOW}), 0)
                   AS baseline
        FROM entity_days d, l
        WHERE d.day > l.last - {RISING_WINDOW + RISING_BASELINE}
        GROUP BY d.entity_id
    ), top AS (
        SELECT entity_id, recent, baseline,
               round((recent - baseline * {RISING_WINDOW} / {RISING_BASELINE})
                     / sqrt(baseline * {RISING_WINDOW} / {RISING_BASELINE} + 1), 3) AS score
        FROM s WHERE recent > baseline * {RISING_WINDOW} / {RISING_BASELINE}
        ORDER BY score DESC, recent DESC, entity_id LIMIT {RISING_KEPT}
    )
    SELECT l.last AS as_of, t.entity_id, e.canonical_name AS entity, e.kind,
           CAST(t.recent AS BIGINT) AS mentions_7d,
           CAST(t.baseline AS BIGINT) AS mentions_prior_28d, t.score,
           (SELECT list({{'day': d.day, 'n': d.mentions}} ORDER BY d.day) FROM entity_days d
            WHERE d.entity_id = t.entity_id
              AND d.day > l.last - {RISING_WINDOW + RISING_BASELINE}) AS daily
    FROM top t JOIN entities e USING (entity_id), l
    ORDER BY t.score DESC, t.recent DESC, t.entity_id
"""

# Entity pairs of the same article, per week (from article_entities; scope on alias a).
_PAIRS = """
    WITH p AS (
        SELECT a.week, a.entity_id AS entity_a, b.entity_id AS entity_b,
               count(*) AS articles, count(*) FILTER (WHERE NOT a.is_copy) AS articles_original
        FROM article_entities a
        JOIN article_entities b
          ON a.article_id = b.article_id AND a.week = b.week AND a.entity_id < b.entity_id
        WHERE {scope}
        GROUP BY a.week, a.entity_id, b.entity_id
    )
    SELECT p.week, p.entity_a, ea.canonical_name AS name_a, p.entity_b,
           eb.canonical_name AS name_b, p.articles, p.articles_original
    FROM p
    JOIN entities ea ON ea.entity_id = p.entity_a
    JOIN entities eb ON eb.entity_id = p.entity_b
    ORDER BY p.week, p.articles DESC, p.entity_a, p.entity_b
"""

_IN_IDS = "{alias}.article_id IN (SELECT article_id FROM _rollup_ids)"
_IN_KEYS = (
    "EXISTS (SELECT 1 FROM _rollup_keys k WHERE k.content_key IS NOT DISTINCT FROM "
    "{alias}.content_key)"
)
_IN_DAYS = (
    "EXISTS (SELECT 1 FROM _rollup_days d WHERE d.day = {alias}.day "
    "AND d.entity_id = {alias}.entity_id)"
)
# (table, SELECT, scope of a refresh, alias the scope applies to), in the order of filling
_FILLS = (
    ("article_entities", _ARTICLE_ENTITIES, _IN_IDS, "m"),
    ("entity_days", _ENTITY_DAYS, _IN_DAYS, "a"),
    ("article_speakers", _ARTICLE_SPEAKERS, _IN_IDS, "c"),
    ("article_claim_keys", _ARTICLE_CLAIM_KEYS, _IN_IDS, "c"),
    ("claim_key_stats", _CLAIM_KEY_STATS, _IN_KEYS, "c"),
    ("claim_feed", _CLAIM_FEED, _IN_IDS, "c"),
    ("article_days", _ARTICLE_DAYS, _IN_IDS, "a"),
)


def rebuild_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every rollup from articles, mentions, claims and entities (rows sorted by
    day / week, which keeps the zone maps of day and week filters tight). Entity pairs are
    computed one week at a time to bound memory. Runs in the caller's transaction if any.
    Only the rollups the file's schema has: a file on an older schema (a repair before its
    upgrade) gets the later ones from their own migrations."""
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, select, _scope, _alias in _FILLS:
        if table in present:
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} " + select.format(scope="TRUE"))
    if "rising_now" in present:
        _fill_rising(con)
    con.execute("DELETE FROM cooccurrence_weekly")
    weeks = [r[0] for r in con.execute("SELECT DISTINCT week FROM article_entities ORDER BY 1")
             .fetchall()]  # fmt: skip
    for week in weeks:
        con.execute(
            "INSERT INTO cooccurrence_weekly " + _PAIRS.format(scope="a.week = $week"),
            {"week": week},
        )


def _fill_rising(con: duckdb.DuckDBPyConnection) -> None:
    """rising_now afresh: every write may move the newest day or any entity's counts."""
    con.execute("DELETE FROM rising_now")
    con.execute(f"INSERT INTO rising_now {_RISING_NOW}")


def refresh_rollups(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> int:
    """Bring the rollups up to date for these articles (new, re-analysed, re-cleaned or
    re-linked), plus every article sharing a cluster_id with one of them and every
    content_key their claims have or had. Set-based; call inside the transaction that made
    the changes, after them. Returns how many articles were refreshed."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _rollup_ids AS
        WITH given AS (SELECT DISTINCT unnest(CAST($ids AS VARCHAR[])) AS article_id)
        SELECT article_id FROM given
        UNION
        SELECT a.article_id FROM articles a
        WHERE a.cluster_id IN (SELECT b.cluster_id FROM articles b
                               WHERE b.article_id IN (SELECT article_id FROM given))
        """,
        {"ids": ids},
    )
    # What these articles contributed before: their content_keys, and their entity pairs
    # (subtracted below, then their current pairs added: a delta, not a recomputation).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _rollup_keys AS
        SELECT content_key FROM article_claim_keys
        WHERE article_id IN (SELECT article_id FROM _rollup_ids)
        UNION
        SELECT content_key FROM claims WHERE article_id IN (SELECT article_id FROM _rollup_ids)
        """
    )
    # The (day, entity) pairs of these articles, before (the rollup) and now (the data):
    # their entity_days rows are counted afresh from article_entities.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _rollup_days AS
        SELECT day, entity_id FROM article_entities
        WHERE article_id IN (SELECT article_id FROM _rollup_ids)
        UNION
        SELECT {_DAY} AS day, m.entity_id FROM mentions m JOIN articles a USING (article_id)
        WHERE m.article_id IN (SELECT article_id FROM _rollup_ids)
        """
    )
    pairs = _PAIRS.format(scope=_IN_IDS.format(alias="a"))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _rollup_pairs AS SELECT * REPLACE (-articles AS articles, "
        f"-articles_original AS articles_original) FROM ({pairs})"
    )
    for table, select, scope, alias in _FILLS:
        con.execute(f"DELETE FROM {table} WHERE " + scope.format(alias=table))
        con.execute(f"INSERT INTO {table} " + select.format(scope=scope.format(alias=alias)))
    _fill_rising(con)
    con.execute(f"INSERT INTO _rollup_pairs {pairs}")
    con.execute(
        """
        MERGE INTO cooccurrence_weekly t
        USING (
            SELECT week, entity_a, any_value(name_a) AS name_a, entity_b,
                   any_value(name_b) AS name_b, CAST(sum(articles) AS BIGINT) AS articles,
                   CAST(sum(articles_original) AS BIGINT) AS articles_original
            FROM _rollup_pairs
            GROUP BY week, entity_a, entity_b
            HAVING sum(articles) <> 0 OR sum(articles_original) <> 0
        ) d
        ON t.week = d.week AND t.entity_a = d.entity_a AND t.entity_b = d.entity_b
        WHEN MATCHED THEN UPDATE SET articles = t.articles + d.articles,
                                     articles_original = t.articles_original
                                                         + d.articles_original
        WHEN NOT MATCHED THEN INSERT (week, entity_a, name_a, entity_b, name_b, articles,
                                      articles_original)
            VALUES (d.week, d.entity_a, d.name_a, d.entity_b, d.name_b, d.articles,
                    d.articles_original)
        """
    )
    con.execute(
        "DELETE FROM cooccurrence_weekly WHERE articles = 0 "
        "AND week IN (SELECT DISTINCT week FROM _rollup_pairs)"
    )
    refreshed = int(con.execute("SELECT count(*) FROM _rollup_ids").fetchone()[0])
    # (On an error the caller's rollback discards the temp tables with everything else.)
    for temp in ("_rollup_ids", "_rollup_keys", "_rollup_days", "_rollup_pairs"):
        con.execute(f"DROP TABLE {temp}")
    return refreshed


def rollup_drift(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows that differ between each rollup and a fresh recomputation (both directions);
    all zeros when the rollups are up to date. Reads everything: for tests and repairs on
    small warehouses."""
    drift = {}
    fills = [(t, sel) for t, sel, _s, _a in _FILLS] + [
        ("cooccurrence_weekly", _PAIRS),
        ("rising_now", _RISING_NOW),
    ]
    for table, select in fills:
        sql = select.format(scope="TRUE") if "{scope}" in select else select
        # arg_min / any_value pick any row among ties: compare the deterministic columns.
        cols = {
            "claim_key_stats": "* EXCLUDE (content, speaker, first_outlet)",
            "article_speakers": "* EXCLUDE (speaker_kind)",
        }.get(table, "*")
        drift[table] = int(
            con.execute(
                f"""
                WITH fresh AS ({sql}),
                a AS (SELECT {cols} FROM {table} EXCEPT ALL SELECT {cols} FROM fresh),
                b AS (SELECT {cols} FROM fresh EXCEPT ALL SELECT {cols} FROM {table})
                SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)
                """
            ).fetchone()[0]
        )
    return drift
