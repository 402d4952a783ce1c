"""Bulk, idempotent loads. Every write goes through an Arrow table registered with DuckDB and
one set-based statement; nothing is inserted row by row. Each function is one transaction."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa

from extractors.claim_key import claim_key
from extractors.minhash import MIN_SHARED_BANDS
from extractors.records import (
    Analysis,
    Article,
    Claim,
    Entity,
    FeedPoll,
    FeedSpec,
    Mention,
    PageOutcome,
    stable_id,
)
from extractors.urls import normalise_url
from warehouse import rollups
from warehouse.db import scalar
from warehouse.schema import STR_LIST, TS, arrow_schema, row
from warehouse.schema import table as _table


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def upsert_feeds(con: duckdb.DuckDBPyConnection, specs: Sequence[FeedSpec]) -> int:
    """Register feeds and their outlets; metadata of known feeds is refreshed, their poll
    state (validators, history) kept. Returns the number of feeds that were new."""
    if not specs:
        return 0
    now = datetime.now(UTC)
    unique = {s.feed_id: s for s in specs}
    feeds = _table(
        [
            {
                "feed_id": fid, "url": s.url, "name": s.name, "outlet": s.outlet or s.name,
                "country": s.country, "language": s.language, "tags": list(s.tags),
                "min_interval_s": s.min_interval_s, "added_at": now,
            }
            for fid, s in unique.items()
        ],
        pa.schema([
            ("feed_id", pa.string()), ("url", pa.string()), ("name", pa.string()),
            ("outlet", pa.string()), ("country", pa.string()), ("language", pa.string()),
            ("tags", STR_LIST), ("min_interval_s", pa.int32()), ("added_at", TS),
        ]),
    )  # fmt: skip
    with transaction(con), _registered(con, "new_feeds", feeds):
        before = scalar(con, "SELECT count(*) FROM feeds")
        con.execute(
            """
            INSERT INTO outlets (outlet, country, language, tags, added_at)
            SELECT outlet, any_value(country), any_value(language), [], min(added_at)
            FROM new_feeds WHERE outlet IS NOT NULL GROUP BY outlet
            ON CONFLICT (outlet) DO UPDATE SET
                country = coalesce(excluded.country, outlets.country),
                language = coalesce(excluded.language, outlets.language)
            """
        )
        con.execute(
            """
            INSERT INTO feeds (feed_id, url, name, outlet, country, language, tags,
                               min_interval_s, added_at)
            SELECT feed_id, url, name, outlet, country, language, tags, min_interval_s, added_at
            FROM new_feeds
            ON CONFLICT (feed_id) DO UPDATE SET
                -- an ad-hoc --feed names nothing: the name found at its first poll stays
                name = coalesce(excluded.name, feeds.name),
                outlet = coalesce(excluded.outlet, feeds.outlet), country = excluded.country,
                language = excluded.language, tags = excluded.tags,
                min_interval_s = excluded.min_interval_s, active = TRUE
            """
        )
        after = scalar(con, "SELECT count(*) FROM feeds")
    return after - before


_PAGE_SCHEMA = pa.schema([
    ("url", pa.string()), ("feed_id", pa.string()), ("outlet", pa.string()),
    ("guid", pa.string()), ("entry_title", pa.string()), ("entry_published_at", TS),
    ("entry_authors", STR_LIST), ("entry_language", pa.string()), ("discovered_at", TS),
])  # fmt: skip
_POLL_SCHEMA = pa.schema([
    ("poll_id", pa.string()), ("run_id", pa.string()), ("feed_id", pa.string()),
    ("started_at", TS), ("duration_ms", pa.int32()), ("http_status", pa.int32()),
    ("entries_seen", pa.int32()), ("entries_new", pa.int32()), ("error", pa.string()),
    ("etag", pa.string()), ("last_modified", pa.string()), ("kind", pa.string()),
    ("not_modified", pa.bool_()), ("poll_interval_s", pa.int32()), ("next_poll_at", TS),
    ("url", pa.string()), ("outlet", pa.string()), ("discovered_from", pa.string()),
])  # fmt: skip


def enqueue_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> int:
    """Queue page URLs directly (ad-hoc articles, no feed; cleaning names their outlet from
    the page). Known URLs are left as they are. Returns how many were new."""
    if not urls:
        return 0
    now = datetime.now(UTC)
    rows = [
        {"url": normalise_url(u), "feed_id": None, "outlet": None, "guid": None,
         "entry_title": None, "entry_published_at": None, "entry_authors": [],
         "entry_language": None, "discovered_at": now}
        for u in dict.fromkeys(urls)
    ]  # fmt: skip
    with transaction(con), _registered(con, "adhoc_pages", _table(rows, _PAGE_SCHEMA)):
        return len(
            con.execute(
                "INSERT INTO pages (url, feed_id, outlet, guid, entry_title, entry_published_at,"
                " entry_authors, entry_language, discovered_at, state, attempts)"
                " SELECT *, 'pending', 0 FROM adhoc_pages ON CONFLICT (url) DO NOTHING"
                " RETURNING url"
            ).fetchall()
        )


def _next_poll_in(p: FeedPoll) -> float:
    """Seconds until the feed is due again: Retry-After if the server asked, else its
    adaptive interval (failed polls come back after the interval too, never sooner than 60 s)."""
    if p.retry_after_s is not None:
        return max(p.retry_after_s, 60.0)
    return float(p.poll_interval_s or 900)


def record_polls(
    con: duckdb.DuckDBPyConnection, polls: Sequence[FeedPoll], run_id: str | None
) -> dict[str, int]:
    """Enqueue every entry URL not seen before and record the polls, in one transaction, so a
    feed's validators only advance together with the entries they vouch for.
    Returns {feed_id: new entries}."""
    if not polls:
        return {}
    now = datetime.now(UTC)
    first_feed: dict[str, str] = {}
    page_rows = []
    for poll in polls:
        for e in poll.entries:
            url = normalise_url(e.url)
            if url in first_feed:
                continue
            first_feed[url] = poll.feed_id
            page_rows.append({
                "url": url, "feed_id": poll.feed_id, "outlet": poll.outlet, "guid": e.guid,
                "entry_title": e.title, "entry_published_at": e.published_at,
                "entry_authors": list(e.authors), "entry_language": e.language,
                "discovered_at": now,
            })  # fmt: skip
    with transaction(con):
        new_urls: list[str] = []
        if page_rows:
            with _registered(con, "new_pages", _table(page_rows, _PAGE_SCHEMA)):
                new_urls = [
                    r[0]
                    for r in con.execute(
                        """
                        INSERT INTO pages (url, feed_id, outlet, guid, entry_title,
                            entry_published_at, entry_authors, entry_language, discovered_at,
                            state, attempts)
                        SELECT *, 'pending', 0 FROM new_pages
                        ON CONFLICT (url) DO NOTHING
                        RETURNING url
                        """
                    ).fetchall()
                ]
        new_per_feed: dict[str, int] = {}
        for url in new_urls:
            fid = first_feed[url]
            new_per_feed[fid] = new_per_feed.get(fid, 0) + 1
        poll_rows = [
            {
                "poll_id": stable_id("poll", p.feed_id, p.started_at.isoformat(), run_id),
                "run_id": run_id, "feed_id": p.feed_id, "started_at": p.started_at,
                "duration_ms": p.duration_ms, "http_status": p.http_status,
                "entries_seen": len(p.entries), "entries_new": new_per_feed.get(p.feed_id, 0),
                "error": p.error, "etag": p.etag, "last_modified": p.last_modified,
                "kind": p.kind, "not_modified": p.not_modified,
                "poll_interval_s": p.poll_interval_s,
                "next_poll_at": p.started_at + timedelta(seconds=_next_poll_in(p)),
                "url": p.url, "outlet": p.outlet, "discovered_from": p.discovered_from,
            }
            for p in polls
        ]  # fmt: skip
        with _registered(con, "new_polls", _table(poll_rows, _POLL_SCHEMA)):
            _register_found_feeds(con, now)
            con.execute(
                """
                INSERT INTO feed_polls
                SELECT poll_id, run_id, feed_id, started_at, duration_ms, http_status,
                       entries_seen, entries_new, error
                FROM new_polls ON CONFLICT (poll_id) DO NOTHING
                """
            )
            # Validators are only replaced on a successful 200; a 304 keeps the old ones.
            con.execute(
                """
                UPDATE feeds SET
                    last_polled_at = p.started_at,
                    last_status = p.http_status,
                    last_error = p.error,
                    etag = CASE WHEN p.error IS NULL AND NOT p.not_modified
                                THEN p.etag ELSE feeds.etag END,
                    last_modified = CASE WHEN p.error IS NULL AND NOT p.not_modified
                                THEN p.last_modified ELSE feeds.last_modified END,
                    kind = coalesce(p.kind, feeds.kind),
                    outlet = coalesce(feeds.outlet, p.outlet),
                    poll_interval_s = coalesce(p.poll_interval_s, feeds.poll_interval_s),
                    next_poll_at = p.next_poll_at
                FROM new_polls p WHERE feeds.feed_id = p.feed_id
                """
            )
    return new_per_feed


def _register_found_feeds(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Part of record_polls: outlets named at this poll get their row; feeds discovered on a
    web page become feeds of their own (inheriting its settings) and the page's entry is
    retired (inactive, kind 'web page'), so later runs poll the feed directly."""
    con.execute(
        """
        INSERT INTO outlets (outlet, tags, added_at)
        SELECT DISTINCT outlet, [], $now FROM new_polls WHERE outlet IS NOT NULL
        ON CONFLICT (outlet) DO NOTHING
        """,
        {"now": now},
    )
    con.execute(
        """
        INSERT INTO feeds (feed_id, url, name, outlet, country, language, tags, min_interval_s,
                           added_at)
        SELECT p.feed_id, p.url, f.name, p.outlet, f.country, f.language, f.tags,
               f.min_interval_s, $now
        FROM new_polls p JOIN feeds f ON f.feed_id = p.discovered_from
        ON CONFLICT (feed_id) DO UPDATE SET active = TRUE
        """,
        {"now": now},
    )
    con.execute(
        """
        UPDATE feeds SET active = FALSE, kind = 'web page', last_error = NULL
        WHERE feed_id IN (SELECT discovered_from FROM new_polls)
        """
    )


# Columns of the record that are not stored as such (the MinHash bands live in their own table).
_ARTICLE_NOT_STORED = ("bands",)
_ARTICLE_SCHEMA = arrow_schema(Article, _ARTICLE_NOT_STORED, [("run_id", pa.string())])
_RAW_SCHEMA = pa.schema([
    ("url", pa.string()), ("final_url", pa.string()), ("fetched_at", TS),
    ("http_status", pa.int32()), ("content_type", pa.string()), ("charset", pa.string()),
    ("redirects", STR_LIST), ("body_bytes", pa.int32()), ("body_zlib", pa.binary()),
])  # fmt: skip
_STATE_SCHEMA = pa.schema([
    ("url", pa.string()), ("ok", pa.bool_()), ("last_status", pa.int32()),
    ("last_error", pa.string()), ("attempted_at", TS), ("article_id", pa.string()),
    ("retryable", pa.bool_()), ("retry_after_s", pa.float64()),
])  # fmt: skip

# A permanent-looking failure (404, not HTML, no article text) is still retried, because
# sites fix pages and extractors improve, but this many times more slowly than a transient one.
PERMANENT_BACKOFF_FACTOR = 60


def store_page_outcomes(
    con: duckdb.DuckDBPyConnection,
    outcomes: Sequence[PageOutcome],
    run_id: str | None,
    max_attempts: int = 8,
    retry_base_s: float = 5.0,
    analyses: Sequence[Analysis] = (),
) -> tuple[int, int]:
    """Store raw pages, articles and queue states of one batch atomically.

    Failed pages get `next_attempt_at` by exponential backoff (or the server's Retry-After) and
    are given up after `max_attempts`, their last error kept. Claims, mentions and entities of
    the batch's articles are stored in the same transaction. Returns (new articles, failures).
    """
    if not outcomes:
        return 0, 0
    articles, raws, states = [], [], []
    for o in outcomes:
        if o.page is not None:
            p = o.page
            raws.append({
                "url": o.url, "final_url": p.final_url, "fetched_at": p.fetched_at,
                "http_status": p.status, "content_type": p.content_type, "charset": p.charset,
                "redirects": list(p.redirects), "body_bytes": len(p.body),
                "body_zlib": zlib.compress(p.body, 1),  # level 1: 3x cheaper, ~10% larger
            })  # fmt: skip
        a = o.article
        if a is not None:
            articles.append(row(a, _ARTICLE_NOT_STORED, run_id=run_id))
        states.append({
            "url": o.url, "ok": a is not None, "last_status": o.http_status,
            "last_error": o.error, "attempted_at": o.attempted_at,
            "article_id": a.article_id if a is not None else None,
            "retryable": o.retryable, "retry_after_s": o.retry_after_s,
        })  # fmt: skip
    new_ids: list[str] = []
    with transaction(con):
        if raws:
            with _registered(con, "new_raw", _table(raws, _RAW_SCHEMA)):
                con.execute("INSERT OR REPLACE INTO raw_pages SELECT * FROM new_raw")
        if articles:
            with _registered(con, "new_articles", _table(articles, _ARTICLE_SCHEMA)):
                new_ids = [
                    r[0]
                    for r in con.execute(
                        "INSERT INTO articles BY NAME SELECT * FROM new_articles "
                        "ON CONFLICT (article_id) DO NOTHING RETURNING article_id"
                    ).fetchall()
                ]
                # Outlets named by their pages (ad-hoc articles) get their row too.
                con.execute(
                    "INSERT INTO outlets (outlet, tags, added_at) SELECT DISTINCT outlet, [], "
                    "min(fetched_at) FROM new_articles WHERE outlet IS NOT NULL GROUP BY outlet "
                    "ON CONFLICT (outlet) DO NOTHING"
                )
                link_syndication(
                    con, new_ids, {o.article.article_id: o.article.bands for o in outcomes
                                   if o.article is not None and o.article.bands}
                )  # fmt: skip
        # Only articles inserted now: a second page with the same canonical URL keeps the
        # first article's text, so its analysis (with offsets into other text) is dropped.
        fresh = set(new_ids)
        store_analyses(con, [a for a in analyses if a.article_id in fresh])
        # Trend rollups follow in the same transaction (warehouse/rollups.py contract).
        rollups.refresh_rollups(con, new_ids)
        with _registered(con, "new_states", _table(states, _STATE_SCHEMA)):
            con.execute(
                """
                UPDATE pages SET
                    attempts = pages.attempts + 1,
                    state = CASE WHEN s.ok THEN 'done'
                                 WHEN pages.attempts + 1 >= $max THEN 'gave_up'
                                 ELSE 'failed' END,
                    next_attempt_at = CASE WHEN s.ok OR pages.attempts + 1 >= $max THEN NULL
                        ELSE s.attempted_at + to_seconds(CAST(least(86400, coalesce(
                            s.retry_after_s,
                            $base * pow(2, pages.attempts)
                                  * CASE WHEN s.retryable THEN 1 ELSE $slow END)) AS DOUBLE))
                        END,
                    last_status = s.last_status, last_error = s.last_error,
                    fetched_at = s.attempted_at, article_id = s.article_id
                FROM new_states s WHERE pages.url = s.url
                """,
                {"max": max_attempts, "base": retry_base_s, "slow": PERMANENT_BACKOFF_FACTOR},
            )
    failures = sum(1 for s in states if not s["ok"])
    return len(new_ids), failures


def link_syndication(
    con: duckdb.DuckDBPyConnection, new_ids: Sequence[str], bands: dict[str, tuple[int, ...]]
) -> int:
    """Store the new articles' LSH bands and link them to near-identical stored articles (wire
    copies): every copy of a story gets cluster_id = the earliest copy's article_id, and the
    later copies syndicated_from = that id. Returns how many articles were (re)linked."""
    rows = [
        {"article_id": a, "band_no": i, "band": band}
        for a in new_ids
        if bands.get(a)
        for i, band in enumerate(bands[a])
    ]
    if not rows:
        return 0
    table = _table(
        rows, pa.schema([("article_id", pa.string()), ("band_no", pa.int8()), ("band", pa.int64())])
    )
    with _registered(con, "new_bands", table):
        # Insert first, so copies arriving in the same batch find each other too.
        con.execute("INSERT INTO article_bands SELECT * FROM new_bands").fetchall()
        pairs = con.execute(
            """
            SELECT n.article_id, o.article_id
            FROM new_bands n JOIN article_bands o USING (band_no, band)
            WHERE o.article_id <> n.article_id
            GROUP BY ALL HAVING count(*) >= $min
            """,
            {"min": MIN_SHARED_BANDS},
        ).fetchall()
    if not pairs:
        return 0
    touched = {a for pair in pairs for a in pair}
    members = con.execute(
        """
        SELECT article_id, coalesce(published_at, fetched_at) AS t, cluster_id FROM articles
        WHERE list_contains($ids, article_id) OR list_contains($ids, cluster_id)
        """,
        {"ids": sorted(touched)},
    ).fetchall()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    for article_id, _t, cluster in members:
        if cluster:
            parent[find(article_id)] = find(cluster)
    when = {m[0]: (m[1], m[0]) for m in members}
    groups: dict[str, list[str]] = {}
    for article_id in when:
        groups.setdefault(find(article_id), []).append(article_id)
    links_rows = []
    for ids in groups.values():
        root = min(ids, key=lambda i: when[i])
        links_rows.extend(
            {"article_id": i, "cluster_id": root, "syndicated_from": None if i == root else root}
            for i in ids
        )
    links = _table(
        links_rows,
        pa.schema(
            [("article_id", pa.string()), ("cluster_id", pa.string()),
             ("syndicated_from", pa.string())]
        ),
    )  # fmt: skip
    with _registered(con, "syndication", links):
        con.execute(
            """
            UPDATE articles SET cluster_id = s.cluster_id, syndicated_from = s.syndicated_from
            FROM syndication s WHERE articles.article_id = s.article_id
            """
        ).fetchall()
    return len(links_rows)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str, params: dict) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow, started_at, status, params) VALUES (?, ?, ?, 'running', ?)"
        " ON CONFLICT (run_id) DO NOTHING",
        [run_id, flow, datetime.now(UTC), json.dumps(params, default=str)],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict[str, int]
) -> None:
    con.execute(
        """
        UPDATE runs SET finished_at = ?, status = ?, feeds_polled = ?, feeds_failed = ?,
               pages_fetched = ?, articles_new = ?, failures = ?
        WHERE run_id = ?
        """,
        [
            datetime.now(UTC), status, counts.get("feeds_polled", 0),
            counts.get("feeds_failed", 0), counts.get("pages_fetched", 0),
            counts.get("articles_new", 0), counts.get("failures", 0), run_id,
        ],
    )  # fmt: skip


_ENTITY_SCHEMA = arrow_schema(Entity, extra=[("first_seen_at", TS)])
_MENTION_SCHEMA = arrow_schema(Mention, extra=[("extractor_version", pa.string())])
_CLAIM_SCHEMA = arrow_schema(
    Claim, extra=[("extractor_version", pa.string()), ("content_key", pa.string())]
)
# article_analysis: one row per analysed article; `analysed` (= status 'ok') predates `status`.
_ANALYSIS_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("analysed", pa.bool_()), ("fingerprint", pa.string()),
    ("claims", pa.int32()), ("mentions", pa.int32()), ("analysed_at", TS),
    ("status", pa.string()), ("error", pa.string()),
])  # fmt: skip


def store_analyses(con: duckdb.DuckDBPyConnection, analyses: Sequence[Analysis]) -> int:
    """Replace the claims and mentions of these articles by the given analyses and merge
    their entities (aliases accumulate). A failed analysis only records its status and error:
    the article's earlier rows stay until a later run succeeds. Call inside a transaction.
    Returns claims stored."""
    if not analyses:
        return 0
    now = datetime.now(UTC)
    entities: dict[str, dict] = {}
    mentions, claims, marks = [], [], []
    for an in analyses:
        fp = an.fingerprint
        marks.append({
            "article_id": an.article_id, "analysed": an.analysed, "fingerprint": fp,
            "claims": len(an.claims), "mentions": len(an.mentions), "analysed_at": now,
            "status": an.status, "error": an.error,
        })  # fmt: skip
        for e in an.entities:
            known = entities.setdefault(e.entity_id, row(e, first_seen_at=now))
            known["aliases"] = sorted(set(known["aliases"]) | set(e.aliases))
        mentions.extend(row(m, extractor_version=fp) for m in an.mentions)
        claims.extend(
            row(c, extractor_version=fp, content_key=claim_key(c.content)) for c in an.claims
        )
    replaced = [{"article_id": m["article_id"]} for m in marks if m["status"] != "failed"]
    ids = _table(replaced, pa.schema([("article_id", pa.string())]))
    with _registered(con, "analysed_ids", ids):
        con.execute("DELETE FROM claims WHERE article_id IN (SELECT article_id FROM analysed_ids)")
        con.execute(
            "DELETE FROM mentions WHERE article_id IN (SELECT article_id FROM analysed_ids)"
        )
    with _registered(con, "new_marks", _table(marks, _ANALYSIS_SCHEMA)):
        con.execute("INSERT OR REPLACE INTO article_analysis BY NAME SELECT * FROM new_marks")
    if entities:
        with _registered(con, "new_entities", _table(list(entities.values()), _ENTITY_SCHEMA)):
            con.execute(
                """
                INSERT INTO entities BY NAME SELECT * FROM new_entities
                ON CONFLICT (entity_id) DO UPDATE SET
                    aliases = list_sort(list_distinct(list_concat(entities.aliases,
                                                                  excluded.aliases))),
                    country_code = coalesce(entities.country_code, excluded.country_code)
                """
            )
    if mentions:
        with _registered(con, "new_mentions", _table(mentions, _MENTION_SCHEMA)):
            con.execute("INSERT INTO mentions BY NAME SELECT * FROM new_mentions")
    if claims:
        with _registered(con, "new_claims", _table(claims, _CLAIM_SCHEMA)):
            # Claim ids are deterministic; a repeated id within a batch keeps one row.
            con.execute("INSERT OR REPLACE INTO claims BY NAME SELECT * FROM new_claims")
    return len(claims)


def replace_article_texts(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> int:
    """Overwrite text and metadata of re-cleaned articles (ids and URLs stay). Call inside a
    transaction."""
    if not articles:
        return 0
    rows = [
        {"article_id": a.article_id, "url": a.url, "canonical_url": a.canonical_url,
         "outlet": a.outlet, "feed_id": a.feed_id, "title": a.title, "authors": list(a.authors),
         "published_at": a.published_at, "fetched_at": a.fetched_at, "language": a.language,
         "site_name": a.site_name, "text": a.text, "word_count": a.word_count,
         "content_hash": a.content_hash, "extractor_version": a.extractor_version,
         "date_source": a.date_source, "host": a.host, "run_id": None}
        for a in articles
    ]  # fmt: skip
    with _registered(con, "recleaned", _table(rows, _ARTICLE_SCHEMA)):
        con.execute(
            """
            UPDATE articles SET title = r.title, authors = r.authors, language = r.language,
                   site_name = r.site_name, text = r.text, word_count = r.word_count,
                   content_hash = r.content_hash, extractor_version = r.extractor_version,
                   published_at = coalesce(r.published_at, articles.published_at),
                   date_source = coalesce(r.date_source, articles.date_source),
                   host = coalesce(r.host, articles.host)
            FROM recleaned r WHERE articles.article_id = r.article_id
            """
        ).fetchall()
    return len(rows)
