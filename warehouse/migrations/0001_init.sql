-- 0001: the ingestion core: outlets, feeds, polls, the page queue, raw pages, articles, runs.

CREATE TABLE outlets (
    outlet      TEXT PRIMARY KEY,          -- display name, also the key analysts join on
    country     TEXT,                      -- ISO 3166-1 alpha-2
    language    TEXT,                      -- ISO 639-1
    tags        TEXT[],
    added_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE feeds (
    feed_id         TEXT PRIMARY KEY,      -- stable hash of the URL
    url             TEXT NOT NULL UNIQUE,
    name            TEXT,
    outlet          TEXT,
    country         TEXT,
    language        TEXT,
    tags            TEXT[],
    kind            TEXT,                  -- rss | atom | rdf | news-sitemap | sitemap | json ...
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    min_interval_s  INTEGER,               -- never poll more often than this
    etag            TEXT,                  -- validators for conditional GET
    last_modified   TEXT,
    last_polled_at  TIMESTAMPTZ,
    last_status     INTEGER,
    last_error      TEXT,
    added_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE feed_polls (
    poll_id       TEXT PRIMARY KEY,
    run_id        TEXT,
    feed_id       TEXT NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    duration_ms   INTEGER,
    http_status   INTEGER,                 -- NULL when no HTTP answer (timeout, refused ...)
    entries_seen  INTEGER NOT NULL DEFAULT 0,
    entries_new   INTEGER NOT NULL DEFAULT 0,
    error         TEXT
);

-- Every page URL discovered is recorded here before it is fetched: the queue survives crashes.
CREATE TABLE pages (
    url                 TEXT PRIMARY KEY,  -- normalised (tracking parameters removed)
    feed_id             TEXT,
    outlet              TEXT,
    guid                TEXT,
    entry_title         TEXT,
    entry_published_at  TIMESTAMPTZ,
    entry_authors       TEXT[],
    entry_language      TEXT,
    discovered_at       TIMESTAMPTZ NOT NULL,
    state               TEXT NOT NULL,     -- pending | done | failed | gave_up
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_status         INTEGER,
    last_error          TEXT,
    next_attempt_at     TIMESTAMPTZ,
    fetched_at          TIMESTAMPTZ,
    article_id          TEXT
);

-- Raw bytes as received, zlib-compressed, so re-extraction never needs the network.
CREATE TABLE raw_pages (
    url           TEXT PRIMARY KEY,
    final_url     TEXT,
    fetched_at    TIMESTAMPTZ NOT NULL,
    http_status   INTEGER,
    content_type  TEXT,
    charset       TEXT,                    -- from the HTTP header
    redirects     TEXT[],
    body_bytes    INTEGER,
    body_zlib     BLOB
);

CREATE TABLE articles (
    article_id         TEXT PRIMARY KEY,   -- stable hash of canonical_url
    url                TEXT NOT NULL,
    canonical_url      TEXT NOT NULL,
    outlet             TEXT,
    feed_id            TEXT,
    title              TEXT,
    authors            TEXT[],
    published_at       TIMESTAMPTZ,
    fetched_at         TIMESTAMPTZ NOT NULL,
    language           TEXT,
    site_name          TEXT,
    text               TEXT NOT NULL,
    word_count         INTEGER NOT NULL,
    content_hash       TEXT NOT NULL,
    extractor_version  TEXT NOT NULL,
    run_id             TEXT
);

CREATE TABLE runs (
    run_id         TEXT PRIMARY KEY,
    flow           TEXT NOT NULL,
    started_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    status         TEXT NOT NULL,          -- running | completed | failed
    feeds_polled   INTEGER,
    feeds_failed   INTEGER,
    pages_fetched  INTEGER,
    articles_new   INTEGER,
    failures       INTEGER,
    params         JSON
);
