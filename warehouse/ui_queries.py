"""Named read-only queries behind `mediamon ui` (flows/ui): the overview, claim search and
the article page. (Speaker, entity and spread pages: warehouse/ui_profiles.py.)

Every value is a bound parameter. The only SQL put together at run time is the choice among
the fixed WHERE fragments of `claim_conditions` and the number of `$pN` placeholders of an
IN list (constants of this module, never a value). Aggregates read the rollups (trend
rollups, and claim_feed of migration 0007: claims newest first with their article's time and
outlet), so no page aggregates the raw claims or mentions. Rows come back as dicts.

Days are the session time zone's, like the trend views; timestamps are grouped into
15-minute buckets before being cast to dates (a cast per row is the costly part, and every
time-zone offset is a multiple of 15 minutes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from warehouse.db import schema_version

# What the UI reads beyond the trend rollups: claim_feed (migration 0007) and claims.rule /
# article_analysis.status (0006).
REQUIRED = {"claim_feed": "ts", "claims": "rule", "article_analysis": "status"}
QUOTE_TYPES = ("direct", "indirect", "mixed")
RISING_WINDOW, RISING_BASELINE = 7, 28  # days, as the rising_entities view
RISING_CANDIDATES = 2000  # entities with the most recent mentions scored first (see rising)
SEARCH_WINDOWS = (30,)  # days a claim search is tried on before all time (search_claims)


def rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def one(cur: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    found = rows(cur)
    return found[0] if found else None


def in_list(name: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    """`($name0, $name1, …)` and its parameters: unlike list_contains, an IN list of
    parameters lets DuckDB look the keys up in an index."""
    params = {f"{name}{k}": v for k, v in enumerate(values)}
    return "(" + ", ".join(f"${p}" for p in params) + ")", params


def missing_schema(con: duckdb.DuckDBPyConnection) -> str | None:
    """None when the warehouse has what the UI reads, else what is missing, in words."""
    if schema_version(con) == 0:
        return "not a mediamon warehouse (no schema_migrations table)"
    have = set(con.execute(
        "SELECT table_name || '.' || column_name FROM information_schema.columns"
    ).fetchall())  # fmt: skip
    missing = [f"{t}.{c}" for t, c in REQUIRED.items() if (f"{t}.{c}",) not in have]
    return f"schema too old (no {', '.join(missing)})" if missing else None


# ------------------------------------------------------------------------------ overview


def newest(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """Time of the newest article (publication, else fetch), as article_facts counts it.
    Two steps: the newest publication time (answered from the column's statistics), then
    only the undated articles fetched after it (the zone maps of fetched_at skip the rest)."""
    published = con.execute("SELECT max(published_at) FROM articles").fetchall()[0][0]
    fetched = con.execute(
        "SELECT max(fetched_at) FROM articles WHERE published_at IS NULL"
        + ("" if published is None else " AND fetched_at > $published"),
        {} if published is None else {"published": published},
    ).fetchall()[0][0]  # fmt: skip
    return max(filter(None, (published, fetched)), default=None)


def day_of(con: duckdb.DuckDBPyConnection, ts: datetime) -> date:
    """The session's calendar day of a time (how the rollups cast it)."""
    return con.execute("SELECT CAST($ts AS DATE)", {"ts": ts}).fetchall()[0][0]


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return one(con.execute("""
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM claims) AS claims,
               (SELECT count(*) FROM entities) AS entities,
               (SELECT count(*) FROM outlets) AS outlets,
               (SELECT count(*) FROM feeds) AS feeds
    """)) or {}  # fmt: skip


def daily_articles(con: duckdb.DuckDBPyConnection, since: date) -> list[dict[str, Any]]:
    """Original articles and syndicated copies per day from `since` on."""
    return rows(con.execute("""
        WITH b AS (
            SELECT epoch_ms(coalesce(published_at, fetched_at)) // 900000 AS b,
                   count(*) FILTER (WHERE syndicated_from IS NULL) AS originals,
                   count(*) FILTER (WHERE syndicated_from IS NOT NULL) AS copies
            FROM articles
            WHERE coalesce(published_at, fetched_at) >= CAST($since AS TIMESTAMPTZ)
            GROUP BY 1)
        SELECT CAST(to_timestamp(b * 900) AS DATE) AS day,
               CAST(sum(originals) AS BIGINT) AS originals, CAST(sum(copies) AS BIGINT) AS copies
        FROM b GROUP BY 1 HAVING day >= $since ORDER BY 1
    """, {"since": since}))  # fmt: skip


def daily_claims(con: duckdb.DuckDBPyConnection, since: date) -> list[dict[str, Any]]:
    """Claims per day (of their article) from `since` on (claim_feed)."""
    return rows(con.execute("""
        WITH b AS (
            SELECT epoch_ms(ts) // 900000 AS b, count(*) AS claims FROM claim_feed
            WHERE ts >= CAST($since AS TIMESTAMPTZ) GROUP BY 1)
        SELECT CAST(to_timestamp(b * 900) AS DATE) AS day, CAST(sum(claims) AS BIGINT) AS claims
        FROM b GROUP BY 1 HAVING day >= $since ORDER BY 1
    """, {"since": since}))  # fmt: skip


_RISING = """
    WITH recent AS (
        SELECT entity_id, sum(mentions) AS recent FROM article_entities
        WHERE day > $last - $w GROUP BY entity_id
        ORDER BY recent DESC, entity_id LIMIT $m
    ), days AS MATERIALIZED (
        SELECT entity_id, day, CAST(sum(mentions) AS BIGINT) AS n FROM article_entities
        WHERE day > $last - CAST($w + $b AS INTEGER)
          AND entity_id IN (SELECT entity_id FROM recent)
        GROUP BY entity_id, day
    ), scored AS (
        SELECT entity_id, coalesce(sum(n) FILTER (WHERE day > $last - $w), 0) AS recent,
               coalesce(sum(n) FILTER (WHERE day <= $last - $w), 0) AS baseline
        FROM days GROUP BY entity_id
    ), top AS (
        SELECT entity_id, recent, baseline,
               round((recent - baseline * $w / $b) / sqrt(baseline * $w / $b + 1), 3) AS score
        FROM scored WHERE recent > baseline * $w / $b
        ORDER BY score DESC, recent DESC, entity_id LIMIT $limit
    )
    SELECT t.entity_id, e.canonical_name AS entity, e.kind, CAST(t.recent AS BIGINT)
           AS mentions_7d, CAST(t.baseline AS BIGINT) AS mentions_prior_28d, t.score,
           (SELECT min(recent) FROM recent) AS floor, (SELECT count(*) FROM recent) AS scored,
           (SELECT list({'day': d.day, 'n': d.n}) FROM days d WHERE d.entity_id = t.entity_id)
               AS daily
    FROM top t JOIN entities e USING (entity_id)
    ORDER BY t.score DESC, t.recent DESC, t.entity_id
"""


def rising(con: duckdb.DuckDBPyConnection, last: date, limit: int = 10) -> list[dict[str, Any]]:
    """The rising_entities view's list (last 7 days vs the 28 before, ending at `last`), with
    each entity's mentions per day. Exact, but cheaper than the view: an entity's score
    never exceeds its recent mentions, so only the entities with the most recent mentions
    are scored; if one left out could still beat the list, more are scored."""
    m = RISING_CANDIDATES
    while True:
        found = rows(con.execute(_RISING, {"last": last, "w": RISING_WINDOW, "b": RISING_BASELINE,
                                           "m": m, "limit": limit}))  # fmt: skip
        complete = not found or found[0]["scored"] < m
        if complete or (len(found) == limit and found[-1]["score"] >= found[0]["floor"]):
            return found
        m *= 8


def top_speakers(con: duckdb.DuckDBPyConnection, since: date, limit: int = 10) -> list[dict]:
    """Most-quoted canonical speakers since a day (article_speakers rollup, as speaker_daily)."""
    return rows(con.execute("""
        SELECT speaker_canonical AS speaker, any_value(speaker_entity_id) AS entity_id,
               any_value(speaker_kind) AS kind, CAST(sum(claims) AS BIGINT) AS claims,
               CAST(coalesce(sum(claims) FILTER (WHERE NOT is_copy), 0) AS BIGINT)
                   AS claims_original,
               count(DISTINCT outlet) AS outlets
        FROM article_speakers
        WHERE day >= $since
        GROUP BY speaker_canonical
        ORDER BY claims DESC, speaker
        LIMIT $limit
    """, {"since": since, "limit": limit}))  # fmt: skip


def failing_feeds(con: duckdb.DuckDBPyConnection, limit: int = 8) -> list[dict[str, Any]]:
    return rows(con.execute("""
        SELECT outlet, name, url, last_status, last_error, last_polled_at,
               count(*) OVER () AS failing
        FROM feeds WHERE last_error IS NOT NULL
        ORDER BY last_polled_at DESC NULLS LAST, url
        LIMIT $limit
    """, {"limit": limit}))  # fmt: skip


def last_runs(con: duckdb.DuckDBPyConnection, limit: int = 6) -> list[dict[str, Any]]:
    return rows(con.execute("""
        SELECT run_id, flow, started_at, finished_at, status, feeds_polled, feeds_failed,
               pages_fetched, articles_new, failures
        FROM runs ORDER BY started_at DESC LIMIT $limit
    """, {"limit": limit}))  # fmt: skip


def outlet_names(con: duckdb.DuckDBPyConnection, limit: int = 300) -> list[str]:
    cur = con.execute("SELECT outlet FROM outlets ORDER BY outlet LIMIT $limit", {"limit": limit})
    return [r[0] for r in cur.fetchall()]


# ------------------------------------------------------------------------------ claims


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """The claim filters of the Claims page and /api/claims (all optional)."""

    q: str | None = None  # words in the content (case-insensitive)
    speaker: str | None = None  # canonical name, alias or name as written
    speaker_id: str | None = None  # a speaker's entity_id
    entity: str | None = None  # entity_id, canonical name or alias mentioned in the article
    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    type: str | None = None  # direct | indirect | mixed
    via: str | None = None  # a relay in the via chain
    content_key: str | None = None


# Fixed fragments over claim_feed (alias c), chosen by which filters are set. {speakers} and
# {entities} are IN lists of placeholders for the entities a name stands for (named()).
_CONDITIONS = {
    "q": "contains(lower(c.content), lower($q))",
    "speaker": """(c.speaker_entity_id IN {speakers}
                   OR lower(c.speaker_canonical) = lower($speaker)
                   OR contains(lower(c.speaker), lower($speaker)))""",
    "speaker_id": "c.speaker_entity_id = $speaker_id",
    "entity": """c.article_id IN (SELECT article_id FROM article_entities
                                  WHERE entity_id IN {entities}{entity_since})""",
    "outlet": "c.outlet = $outlet",
    "since": "c.ts >= $since",
    "until": "c.ts < $until",
    "type": "c.quote_type = $type",
    "via": "list_contains(list_transform(c.via, lambda x: lower(x)), lower($via))",
    "content_key": "c.content_key = $content_key",
}
CLAIM_COLUMNS = """
    c.claim_id, c.article_id, c.speaker, c.speaker_canonical, c.speaker_entity_id,
    c.speaker_kind, c.cue, c.cue_lemma, c.content, c.quote_type, c.via, c.rule, c.confidence,
    c.content_key, c.content_start, c.content_end, c.speaker_start, c.speaker_end,
    c.outlet, c.ts AS published, c.is_copy
"""
CLAIM_ORDER = "c.ts DESC, c.article_id, c.content_start, c.claim_id"


def named(con: duckdb.DuckDBPyConnection, name: str | None) -> list[str]:
    """The entities a name stands for: its id (looked up by key first: the pages link by
    id), else every entity with that canonical name or alias (any case)."""
    if not name:
        return []
    by_id = con.execute("SELECT entity_id FROM entities WHERE entity_id = $name",
                        {"name": name}).fetchall()  # fmt: skip
    if by_id:
        return [by_id[0][0]]
    return [r[0] for r in con.execute("""
        SELECT entity_id FROM entities
        WHERE entity_id = $name OR lower(canonical_name) = lower($name)
           OR list_contains(list_transform(aliases, lambda x: lower(x)), lower($name))
    """, {"name": name}).fetchall()]  # fmt: skip


def claim_conditions(
    f: ClaimFilter, speakers: Sequence[str] = (), entities: Sequence[str] = ()
) -> tuple[str, dict[str, Any]]:
    """WHERE clause over claim_feed (fixed fragments joined with AND) and its parameters;
    `speakers` / `entities`: the entity ids the speaker and entity names stand for."""
    params: dict[str, Any] = {k: getattr(f, k) for k in _CONDITIONS
                              if getattr(f, k) not in (None, "")}  # fmt: skip
    speaker_in, speaker_ids = in_list("s", speakers or [None])
    entity_in, entity_ids = in_list("e", entities or [None])
    # The entity's articles are looked up from the day before `since` on (their day is the
    # writer's calendar day), so the rollup's zone maps skip older days.
    bound = " AND day >= CAST($since AS DATE) - 1" if "since" in params else ""
    fragments = {k: _CONDITIONS[k].format(speakers=speaker_in, entities=entity_in,
                                          entity_since=bound) for k in params}  # fmt: skip
    if "speaker" in params:
        params |= speaker_ids
    if "entity" in params:
        del params["entity"]  # the fragment names the entities only by their ids
        params |= entity_ids
    return " AND ".join(fragments.values()) or "TRUE", params


def _windows(con: duckdb.DuckDBPyConnection, f: ClaimFilter) -> list[ClaimFilter]:
    """The filter narrowed to the latest SEARCH_WINDOWS (never wider than its own `since`),
    then as given: a search tries them in turn, stopping at the first that fills its page."""
    newest = con.execute("SELECT max(ts) FROM claim_feed").fetchall()[0][0]
    tries = []
    for days in SEARCH_WINDOWS:
        if newest is not None:
            since = max(filter(None, (f.since, newest - timedelta(days=days))))
            if since != f.since:
                tries.append(replace(f, since=since))
    return [*tries, f]


def search_claims(
    con: duckdb.DuckDBPyConnection, f: ClaimFilter, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """Claims matching the filters, newest article first, `limit` rows from `offset`, each
    with its article's title and link. claim_feed is stored newest first, so an unselective
    search reads only its first row groups; a selective one is tried on the latest
    SEARCH_WINDOWS first (the zone maps of `ts` skip the rest): when a window fills the page,
    those are the newest matches of all, else the next, wider window is searched."""
    names = (named(con, f.speaker), named(con, f.entity))
    found: list[dict[str, Any]] = []
    for narrowed in _windows(con, f):
        found = _search(con, narrowed, limit, offset, names)
        if len(found) == limit:
            break
    return with_articles(con, found)


def _search(
    con: duckdb.DuckDBPyConnection,
    f: ClaimFilter,
    limit: int,
    offset: int,
    names: tuple[list[str], list[str]],
) -> list[dict[str, Any]]:
    """Two steps: the matching claims' row ids in order (reading only the columns the
    filters and the order need), then the whole rows of just those claims (fetched by row
    id: a read-only connection sees one unchanging snapshot, so the ids hold)."""
    where, params = claim_conditions(f, *names)
    keys = [r[0] for r in con.execute(
        f"SELECT c.rowid FROM claim_feed c WHERE {where} "
        f"ORDER BY {CLAIM_ORDER} LIMIT $limit OFFSET $offset",
        {**params, "limit": limit, "offset": offset},
    ).fetchall()]  # fmt: skip
    if not keys:
        return []
    found = {r.pop("rid"): r for r in rows(con.execute(
        f"SELECT c.rowid AS rid, {CLAIM_COLUMNS} FROM claim_feed c "
        "WHERE c.rowid IN (SELECT unnest($rows))",
        {"rows": keys},
    ))}  # fmt: skip
    return [found[k] for k in keys]


# What a claims download can hold, as text-ready values: column -> expression over
# claim_feed c and articles a (the time as ISO 8601 text, the via chain joined with " > ").
EXPORT_COLUMNS = {
    "published": "strftime(c.ts, '%Y-%m-%d %H:%M:%S.%f%z')",
    **{k: f"c.{k}" for k in ("outlet", "speaker", "speaker_canonical", "speaker_kind", "cue",
                             "content", "quote_type", "rule", "confidence", "article_id",
                             "claim_id", "content_key")},
    "via": "array_to_string(c.via, ' > ')",
    "title": "a.title",
    "url": "a.canonical_url",
}  # fmt: skip


def export_claims(
    con: duckdb.DuckDBPyConnection, f: ClaimFilter, limit: int, columns: Sequence[str]
) -> list[tuple]:
    """Up to `limit` claims matching the filters, newest first, as tuples of `columns`
    (names of EXPORT_COLUMNS), for a download. As search_claims: tried on the latest days
    first, the row ids first, reading only what the filters need, then the whole rows of
    those claims; their articles are looked up within the claims' time span (zone maps)."""
    select = ", ".join(EXPORT_COLUMNS[c] for c in columns)  # a KeyError names a wrong column
    names = (named(con, f.speaker), named(con, f.entity))
    for narrowed in _windows(con, f):
        where, params = claim_conditions(narrowed, *names)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _keys AS SELECT c.rowid AS rid, c.ts, c.article_id "
            f"FROM claim_feed c WHERE {where} ORDER BY {CLAIM_ORDER} LIMIT $limit",
            {**params, "limit": limit},
        )  # fmt: skip
        if con.execute("SELECT count(*) FROM _keys").fetchall()[0][0] == limit:
            break
    span = con.execute("SELECT min(ts), max(ts) FROM _keys").fetchall()[0]
    if span[0] is None:
        return []
    # The claims are fetched first, on their own: joined in one plan with the articles, the
    # row id filter no longer reaches the claim_feed scan as directly.
    return con.execute(f"""
        WITH c AS MATERIALIZED (SELECT * FROM claim_feed WHERE rowid IN (SELECT rid FROM _keys)),
        a AS (
            SELECT article_id, title, canonical_url FROM articles
            WHERE published_at BETWEEN $first AND $last
              AND article_id IN (SELECT article_id FROM _keys)
            UNION ALL
            SELECT article_id, title, canonical_url FROM articles
            WHERE published_at IS NULL AND fetched_at BETWEEN $first AND $last
              AND article_id IN (SELECT article_id FROM _keys))
        SELECT {select}
        FROM c LEFT JOIN a ON a.article_id = c.article_id
        ORDER BY {CLAIM_ORDER}
    """, {"first": span[0], "last": span[1]}).fetchall()  # fmt: skip


def with_articles(con: duckdb.DuckDBPyConnection, claims: list[dict]) -> list[dict[str, Any]]:
    """Add title and url of each claim's article (looked up by primary key)."""
    ids = sorted({c["article_id"] for c in claims})
    if not ids:
        return claims
    placeholders, params = in_list("a", ids)
    titles = {r[0]: r[1:] for r in con.execute(
        f"SELECT article_id, title, canonical_url FROM articles WHERE article_id IN {placeholders}",
        params,
    ).fetchall()}  # fmt: skip
    for c in claims:
        c["title"], c["url"] = titles.get(c["article_id"], (None, None))
    return claims


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
