-- 0003: attributed claims, named entities and their mentions (extractors/analysis.py).

-- Which articles were analysed, by which extractor build (fingerprint), and which were
-- skipped on purpose (languages we do not analyse: stored, marked, never an error).
CREATE TABLE article_analysis (
    article_id     TEXT PRIMARY KEY,
    analysed       BOOLEAN NOT NULL,
    fingerprint    TEXT NOT NULL,
    claims         INTEGER NOT NULL,
    mentions       INTEGER NOT NULL,
    analysed_at    TIMESTAMPTZ NOT NULL
);

-- Canonical actors and places: every alias of one actor maps to one entity_id.
CREATE TABLE entities (
    entity_id       TEXT PRIMARY KEY,      -- stable hash of (kind, canonical_name)
    canonical_name  TEXT NOT NULL,
    kind            TEXT NOT NULL,         -- person | org | place | agency | group | misc
    aliases         TEXT[],
    country_code    TEXT,
    first_seen_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE mentions (
    article_id         TEXT NOT NULL,
    entity_id          TEXT NOT NULL,
    surface            TEXT NOT NULL,
    start              INTEGER NOT NULL,   -- character offsets into articles.text
    "end"              INTEGER NOT NULL,
    sentence           INTEGER NOT NULL,
    label              TEXT,               -- spaCy label (PERSON, ORG, GPE, ...)
    extractor_version  TEXT NOT NULL
);

CREATE TABLE claims (
    claim_id           TEXT PRIMARY KEY,
    article_id         TEXT NOT NULL,
    speaker            TEXT,
    speaker_canonical  TEXT,
    speaker_entity_id  TEXT,
    speaker_kind       TEXT,               -- person | organisation | place | document | anonymous
    cue                TEXT,
    cue_lemma          TEXT,
    content            TEXT NOT NULL,
    quote_type         TEXT NOT NULL,      -- direct | indirect | mixed
    via                TEXT[],             -- relays, in order: ["statement", "TASS"]
    content_start      INTEGER NOT NULL,
    content_end        INTEGER NOT NULL,
    speaker_start      INTEGER,
    speaker_end        INTEGER,
    sentence           INTEGER NOT NULL,
    confidence         DOUBLE,
    extractor_version  TEXT NOT NULL
);
