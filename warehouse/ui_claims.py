"""Named read-only queries behind the UI's claim search (the Claims page, /api/claims and
the CSV download): which claims match a ClaimFilter, newest first, from claim_feed
(migration 0007: every claim with its article's time, outlet and copy flag, stored newest
first).

The WHERE clause is put together from the fixed fragments of `_CONDITIONS` only, chosen by
which filters are set; every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import duckdb

from warehouse.ui_queries import in_list, rows

QUOTE_TYPES = ("direct", "indirect", "mixed")
SEARCH_WINDOWS = (30,)  # days a claim search is tried on before all time (search_claims)


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


def entity_claim_rows(
    con: duckdb.DuckDBPyConnection, entity_ids: Sequence[str]
) -> list[int] | None:
    """Row ids in claim_feed of the claims of the articles mentioning these entities, when
    those articles are few enough for DuckDB to fetch them by the index on
    article_entities.entity_id (entity_days counts them first; the index serves at most
    index_scan_max_count rows); None for busier entities, whose articles a search looks up
    within its window of days instead. The claims are found by their articles' times (the
    zone maps of ts skip the other row groups; a condition on article_id beside it would be
    checked on every row of those), then kept by article id. Row ids hold for the
    connection's snapshot (a reader sees no change)."""
    if not entity_ids:
        return []
    placeholders, params = in_list("e", entity_ids)
    total = con.execute(
        f"SELECT coalesce(sum(articles), 0) FROM entity_days WHERE entity_id IN {placeholders}",
        params,
    ).fetchall()[0][0]  # fmt: skip
    by_index = con.execute("SELECT current_setting('index_scan_max_count')").fetchall()[0][0]
    if total > int(by_index):
        return None
    ids = {r[0] for r in con.execute(
        "WITH e AS MATERIALIZED (SELECT article_id FROM article_entities "
        f"WHERE entity_id IN {placeholders}) SELECT DISTINCT article_id FROM e",
        params,
    ).fetchall()}  # fmt: skip
    if not ids:
        return []
    placeholders, params = in_list("a", sorted(ids))
    times = sorted({r[0] for r in con.execute(
        "SELECT coalesce(published_at, fetched_at) FROM articles "
        f"WHERE article_id IN {placeholders}",
        params,
    ).fetchall()} - {None})  # fmt: skip
    if not times:
        return []
    placeholders, params = in_list("t", times)
    return [rid for rid, article in con.execute(
        f"SELECT rowid, article_id FROM claim_feed WHERE ts IN {placeholders}", params
    ).fetchall() if article in ids]  # fmt: skip


def claim_conditions(
    f: ClaimFilter,
    speakers: Sequence[str] = (),
    entities: Sequence[str] = (),
    claim_rows: Sequence[int] | None = None,
) -> tuple[str, dict[str, Any]]:
    """WHERE clause over claim_feed (fixed fragments joined with AND) and its parameters;
    `speakers` / `entities`: the entity ids the speaker and entity names stand for;
    `claim_rows`: the rows of the entities' claims (entity_claim_rows), when listed."""
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
        if claim_rows is None:
            params |= entity_ids
        else:
            fragments["entity"] = "c.rowid IN (SELECT unnest(CAST($entity_rows AS BIGINT[])))"
            params["entity_rows"] = list(claim_rows)
    return " AND ".join(fragments.values()) or "TRUE", params


Names = tuple[list[str], list[str], list[int] | None]


def _names(con: duckdb.DuckDBPyConnection, f: ClaimFilter) -> Names:
    """What claim_conditions needs besides the filter: the entity ids of the speaker and
    entity names, and the entity's claims when few enough to list."""
    entities = named(con, f.entity)
    return named(con, f.speaker), entities, (entity_claim_rows(con, entities) if f.entity else None)


def _windows(con: duckdb.DuckDBPyConnection, f: ClaimFilter, names: Names) -> list[ClaimFilter]:
    """The filter narrowed to the latest SEARCH_WINDOWS (never wider than its own `since`),
    then as given: a search tries them in turn, stopping at the first that fills its page.
    (Only as given when the entity's claims are listed: the list already narrows it.)"""
    if names[2] is not None:
        return [f]
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
    names = _names(con, f)
    found: list[dict[str, Any]] = []
    for narrowed in _windows(con, f, names):
        found = _search(con, narrowed, limit, offset, names)
        if len(found) == limit:
            break
    return with_articles(con, found)


def _search(
    con: duckdb.DuckDBPyConnection,
    f: ClaimFilter,
    limit: int,
    offset: int,
    names: Names,
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
    names = _names(con, f)
    for narrowed in _windows(con, f, names):
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
