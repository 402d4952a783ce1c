"""Named queries the flows and the CLI run against the warehouse."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from warehouse.db import scalar


@dataclass(frozen=True, slots=True)
class FeedToPoll:
    feed_id: str
    url: str
    outlet: str | None
    etag: str | None
    last_modified: str | None
    min_interval_s: int | None = None
    poll_interval_s: int | None = None


@dataclass(frozen=True, slots=True)
class PageToFetch:
    url: str
    feed_id: str | None
    outlet: str | None
    guid: str | None
    entry_title: str | None
    entry_published_at: datetime | None
    entry_authors: tuple[str, ...]
    entry_language: str | None
    attempts: int


def feeds_to_poll(
    con: duckdb.DuckDBPyConnection,
    explicit: Sequence[str] = (),
    only_explicit: bool = False,
    due_before: datetime | None = None,
) -> list[FeedToPoll]:
    """Feeds to poll with their conditional-GET validators: the explicit ones always; with
    only_explicit=False also every other active feed that is due (next_poll_at passed), or
    every active feed when due_before is None."""
    sql = """
        SELECT feed_id, url, outlet, etag, last_modified, min_interval_s, poll_interval_s
        FROM feeds
        WHERE list_contains($explicit, feed_id)
           OR (NOT $only AND active
               AND ($due IS NULL OR next_poll_at IS NULL OR next_poll_at <= $due))
        ORDER BY url
    """
    params = {"explicit": list(explicit), "only": only_explicit, "due": due_before}
    return [FeedToPoll(*row) for row in con.execute(sql, params).fetchall()]


def due_pages(
    con: duckdb.DuckDBPyConnection, now: datetime, limit: int | None = None
) -> list[PageToFetch]:
    """Queued pages never tried, and failed ones whose backoff has expired, oldest first."""
    sql = """
        SELECT url, feed_id, outlet, guid, entry_title, entry_published_at, entry_authors,
               entry_language, attempts
        FROM pages
        WHERE state = 'pending' OR (state = 'failed' AND next_attempt_at <= ?)
        ORDER BY discovered_at, url
    """
    params: list = [now]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [
        PageToFetch(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6] or ()), r[7], r[8])
        for r in con.execute(sql, params).fetchall()
    ]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = ["outlets", "feeds", "feed_polls", "pages", "raw_pages", "articles", "claims",
             "mentions", "entities"]  # fmt: skip
    return {n: scalar(con, f"SELECT count(*) FROM {n}") for n in names}


def recent_polls(con: duckdb.DuckDBPyConnection, limit: int = 20) -> duckdb.DuckDBPyRelation:
    return con.sql(
        """
        SELECT p.started_at, f.outlet, f.url, p.http_status, p.duration_ms, p.entries_seen,
               p.entries_new, p.error
        FROM feed_polls p JOIN feeds f USING (feed_id)
        ORDER BY p.started_at DESC LIMIT """
        + str(int(limit))
    )


KIND_GROUPS = {
    "person": ("person",),
    "org": ("org", "agency", "group"),
    "place": ("place",),
}


# A rising entity must be mentioned by at least this many outlets in the recent window, so a
# single article (or one outlet's obsession) cannot top the list. The rising_entities view
# uses the same floor.
MIN_OUTLETS = 2


def rising_entities(
    con: duckdb.DuckDBPyConnection,
    window_days: int = 7,
    baseline_days: int = 28,
    kind: str | None = None,
    limit: int = 20,
    last_day: date | None = None,
    min_outlets: int = MIN_OUTLETS,
) -> duckdb.DuckDBPyConnection:
    """Entities mentioned more in the `window_days` ending with `last_day` (default: the
    newest article's day, like the `rising_entities` view) than their `baseline_days` before
    predict, by at least `min_outlets` outlets in the window. score = (recent - expected) /
    sqrt(expected + 1). Reads the article_entities rollup (see warehouse/rollups.py)."""
    return con.execute(
        """
        WITH bounds AS (
            SELECT coalesce(CAST($last AS DATE), (SELECT max(day) FROM article_facts)) AS last_day
        ),
        per_entity AS (
            SELECT a.entity_id,
                   coalesce(sum(a.mentions) FILTER (WHERE a.day > b.last_day - $w), 0) AS recent,
                   count(DISTINCT a.outlet) FILTER (WHERE a.day > b.last_day - $w) AS outlets,
                   coalesce(sum(a.mentions) FILTER (WHERE a.day <= b.last_day - $w), 0)
                       AS baseline
            FROM article_entities a, bounds b
            WHERE a.day > b.last_day - CAST($w + $b AS INTEGER) AND a.day <= b.last_day
            GROUP BY a.entity_id
        )
        SELECT e.canonical_name AS entity, e.kind, p.recent AS mentions, p.outlets,
               p.baseline AS baseline_mentions,
               round((p.recent - p.baseline * $w / $b) / sqrt(p.baseline * $w / $b + 1), 2)
                   AS score
        FROM per_entity p JOIN entities e USING (entity_id)
        WHERE p.recent > p.baseline * $w / $b AND p.outlets >= $min_outlets
          AND ($kinds IS NULL OR list_contains($kinds, e.kind))
        ORDER BY score DESC, mentions DESC, entity
        LIMIT $limit
        """,
        {"w": window_days, "b": baseline_days, "limit": limit, "last": last_day,
         "min_outlets": min_outlets, "kinds": list(KIND_GROUPS[kind]) if kind else None},
    )  # fmt: skip


def top_speakers(
    con: duckdb.DuckDBPyConnection,
    since: datetime,
    kind: str | None = None,
    limit: int = 20,
    until: datetime | None = None,
) -> duckdb.DuckDBPyConnection:
    """Most-quoted canonical speakers in the days from `since` to `until` (both days
    included; no upper bound by default), with outlets and articles."""
    kinds = {"person": ["person"], "org": ["organisation"], "place": ["place"]}.get(kind or "")
    return con.execute(
        """
        SELECT speaker, any_value(speaker_kind) AS kind, sum(claims) AS claims,
               sum(claims_original) AS claims_original, count(DISTINCT outlet) AS outlets
        FROM speaker_daily
        WHERE day >= CAST($since AS DATE) AND ($until IS NULL OR day <= CAST($until AS DATE))
          AND ($kinds IS NULL OR list_contains($kinds, speaker_kind))
        GROUP BY speaker
        ORDER BY claims DESC, speaker
        LIMIT $limit
        """,
        {"since": since, "until": until, "kinds": kinds, "limit": limit},
    )


# Claims whose speaker is `$name`: the canonical name as a whole word ($pattern), or any alias
# of the speaker's entity (resolved on the entities first: one row per entity, not per claim).
_SPEAKER_MATCH = """
    (regexp_matches(c.speaker_canonical, $pattern)
     OR c.speaker_entity_id IN (
         SELECT entity_id FROM entities
         WHERE list_contains(list_transform(aliases, lambda x: lower(x)), lower($name))))
"""


def _speaker_params(name: str) -> dict:
    # Whole words only: "NSO" must not find "Mansour".
    return {"pattern": rf"(?i)\b{re.escape(name)}\b", "name": name}


def claims_by_speaker(
    con: duckdb.DuckDBPyConnection,
    name: str,
    since: datetime | None = None,
    limit: int = 50,
    until: datetime | None = None,
) -> duckdb.DuckDBPyConnection:
    """What a speaker said in [since, until): matched on the canonical name or any alias."""
    return con.execute(
        f"""
        SELECT coalesce(a.published_at, a.fetched_at) AS published, a.outlet,
               c.speaker_canonical AS speaker, c.cue_lemma AS cue, c.quote_type, c.content,
               c.rule, a.canonical_url AS link
        FROM claims c
        JOIN articles a USING (article_id)
        WHERE {_SPEAKER_MATCH}
          AND ($since IS NULL OR coalesce(a.published_at, a.fetched_at) >= $since)
          AND ($until IS NULL OR coalesce(a.published_at, a.fetched_at) < $until)
        ORDER BY published DESC, c.content_start
        LIMIT $limit
        """,
        {**_speaker_params(name), "since": since, "until": until, "limit": limit},
    )


def speaker_span(
    con: duckdb.DuckDBPyConnection, name: str
) -> tuple[int, datetime | None, datetime | None]:
    """(claims, oldest, newest article time) of a speaker over the whole warehouse."""
    row = con.execute(
        f"""
        SELECT count(*), min(coalesce(a.published_at, a.fetched_at)),
               max(coalesce(a.published_at, a.fetched_at))
        FROM claims c JOIN articles a USING (article_id)
        WHERE {_SPEAKER_MATCH}
        """,
        _speaker_params(name),
    ).fetchall()[0]
    return int(row[0]), row[1], row[2]


def article_span(
    con: duckdb.DuckDBPyConnection, since: datetime | None, until: datetime | None
) -> tuple[int, datetime | None, datetime | None]:
    """(articles in [since, until), oldest and newest article time in the warehouse): what a
    command says when its window is empty."""
    row = con.execute(
        """
        SELECT count(*) FILTER (WHERE ($since IS NULL OR ts >= $since)
                                  AND ($until IS NULL OR ts < $until)),
               min(ts), max(ts)
        FROM article_facts
        """,
        {"since": since, "until": until},
    ).fetchall()[0]
    return int(row[0]), row[1], row[2]


EXPORT_TABLES = (
    "outlets", "feeds", "feed_polls", "pages", "articles", "article_analysis", "entities",
    "mentions", "claims", "runs",
)  # fmt: skip


def export(con: duckdb.DuckDBPyConnection, directory: str, fmt: str) -> list[tuple[str, int]]:
    """Write every table (not raw page bytes) to DIR/<table>.<fmt>. Returns (file, rows)."""
    import os

    os.makedirs(directory, exist_ok=True)
    options = "(FORMAT parquet, COMPRESSION zstd)" if fmt == "parquet" else "(FORMAT csv, HEADER)"
    written = []
    for table in EXPORT_TABLES:
        path = os.path.join(directory, f"{table}.{fmt}")
        # Identifiers come from the fixed list above; the path is quoted as a literal.
        con.execute(f"COPY {table} TO '{path.replace(chr(39), chr(39) * 2)}' {options}")
        written.append((path, scalar(con, f"SELECT count(*) FROM {table}")))
    return written


def articles_to_reextract(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    clean_version: str,
    since: datetime | None = None,
    until: datetime | None = None,
    everything: bool = False,
) -> list[tuple[str, bool]]:
    """(article_id, needs re-cleaning) for articles in the date range whose analysis or
    cleaning is not from the current extractors (or all of them with everything=True)."""
    return con.execute(
        """
        SELECT a.article_id, a.extractor_version <> $clean AS needs_clean
        FROM articles a LEFT JOIN article_analysis x USING (article_id)
        WHERE ($since IS NULL OR coalesce(a.published_at, a.fetched_at) >= $since)
          AND ($until IS NULL OR coalesce(a.published_at, a.fetched_at) < $until)
          AND ($all OR x.fingerprint IS DISTINCT FROM $fp OR x.status = 'failed'
               OR a.extractor_version <> $clean)
        ORDER BY a.article_id
        """,
        {"clean": clean_version, "since": since, "until": until, "all": everything,
         "fp": fingerprint},
    ).fetchall()  # fmt: skip


def reextract_inputs(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[tuple]:
    """Stored text and, where kept, the raw page of each article, with what the feed said."""
    return con.execute(
        """
        SELECT a.article_id, a.text, a.language, a.outlet, a.feed_id,
               r.url, r.final_url, r.body_zlib, r.content_type, r.charset, r.fetched_at,
               p.guid, p.entry_title, p.entry_published_at, p.entry_authors, p.entry_language
        FROM articles a
        LEFT JOIN raw_pages r ON r.url = a.url
        LEFT JOIN pages p ON p.url = a.url
        WHERE list_contains($ids, a.article_id)
        """,
        {"ids": list(article_ids)},
    ).fetchall()


def claim_ids_by_article(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Each article's claim ids (sorted), to tell whose claims a re-extraction changed."""
    return dict(
        con.execute(
            "SELECT article_id, list_sort(list(claim_id)) FROM claims "
            "WHERE list_contains(?, article_id) GROUP BY 1",
            [list(article_ids)],
        ).fetchall()
    )


def run_highlights(
    con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, limit: int = 5
) -> tuple[list[tuple], list[tuple]]:
    """Top claims of the articles a run loaded, and the entities it saw first."""
    top_claims = con.execute(
        """
        SELECT coalesce(c.speaker_canonical, c.speaker, '?'), c.cue_lemma, c.content, a.outlet
        FROM claims c JOIN articles a USING (article_id)
        WHERE a.run_id = ? AND c.speaker_canonical IS NOT NULL
        ORDER BY c.confidence DESC, length(c.content) DESC
        LIMIT ?
        """,
        [run_id, limit],
    ).fetchall()
    new_entities = con.execute(
        "SELECT canonical_name, kind FROM entities WHERE first_seen_at >= ? "
        "ORDER BY canonical_name LIMIT ?",
        [started_at, limit * 4],
    ).fetchall()
    return top_claims, new_entities
