-- 0005: rollups behind the trend views (entity_daily, speaker_daily, rising_entities,
-- cooccurrence, claim_spread), so they answer in well under 2 s on millions of mentions.
--
-- Contract: these tables hold no information of their own; they are derived from articles,
-- mentions and claims and are maintained by warehouse/rollups.py. Whoever changes articles
-- (dates, outlet, syndication links), mentions or claims calls
-- rollups.refresh_rollups(con, article_ids) in the same transaction; rollups.rebuild_rollups
-- recomputes everything. The statements below backfill an upgraded warehouse (the same
-- definitions as rollups.py).

-- One row per (article, entity): the article's day (publication, else fetch, cast to DATE in
-- the writer's TimeZone like article_facts), week, outlet, whether it is a syndicated copy,
-- and how often the entity is mentioned in it.
CREATE TABLE article_entities (
    article_id  TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    day         DATE NOT NULL,
    week        TIMESTAMP NOT NULL,            -- date_trunc('week', day), as cooccurrence.week
    outlet      TEXT,
    is_copy     BOOLEAN NOT NULL,
    mentions    INTEGER NOT NULL
);

-- The claim_spread view, materialised: one row per content_key.
CREATE TABLE claim_key_stats (
    content_key        TEXT,
    content            TEXT,
    speaker            TEXT,
    first_seen         TIMESTAMPTZ,
    first_outlet       TEXT,
    last_seen          TIMESTAMPTZ,
    outlets            BIGINT NOT NULL,
    articles           BIGINT NOT NULL,
    articles_original  BIGINT NOT NULL
);

-- Which content_keys each article's claims have (so a refresh finds the keys an article
-- had before its claims were replaced).
CREATE TABLE article_claim_keys (
    article_id   TEXT NOT NULL,
    content_key  TEXT
);

-- Claims per (article, canonical speaker), for speaker_daily / top_speakers.
CREATE TABLE article_speakers (
    article_id         TEXT NOT NULL,
    day                DATE NOT NULL,
    outlet             TEXT,
    is_copy            BOOLEAN NOT NULL,
    speaker_canonical  TEXT NOT NULL,
    speaker_entity_id  TEXT,
    speaker_kind       TEXT,
    claims             INTEGER NOT NULL
);

-- The cooccurrence view, materialised: entity pairs of the same article per week (entity
-- names are immutable: entity_id is derived from the canonical name).
CREATE TABLE cooccurrence_weekly (
    week               TIMESTAMP NOT NULL,
    entity_a           TEXT NOT NULL,
    name_a             TEXT NOT NULL,
    entity_b           TEXT NOT NULL,
    name_b             TEXT NOT NULL,
    articles           BIGINT NOT NULL,
    articles_original  BIGINT NOT NULL
);

INSERT INTO article_entities
SELECT m.article_id, m.entity_id, CAST(coalesce(a.published_at, a.fetched_at) AS DATE),
       date_trunc('week', CAST(coalesce(a.published_at, a.fetched_at) AS DATE)),
       a.outlet, a.syndicated_from IS NOT NULL, count(*)
FROM mentions m JOIN articles a USING (article_id)
GROUP BY ALL
ORDER BY 3, 1, 2;

INSERT INTO article_claim_keys
SELECT DISTINCT article_id, content_key FROM claims ORDER BY 1, 2;

INSERT INTO article_speakers
SELECT c.article_id, CAST(coalesce(a.published_at, a.fetched_at) AS DATE), a.outlet,
       a.syndicated_from IS NOT NULL, c.speaker_canonical, c.speaker_entity_id,
       any_value(c.speaker_kind), count(*)
FROM claims c JOIN articles a USING (article_id)
WHERE c.speaker_canonical IS NOT NULL
GROUP BY c.article_id, a.published_at, a.fetched_at, a.outlet, a.syndicated_from,
         c.speaker_canonical, c.speaker_entity_id
ORDER BY 2, 1;

INSERT INTO claim_key_stats
SELECT c.content_key,
       arg_min(c.content, coalesce(a.published_at, a.fetched_at)),
       arg_min(c.speaker_canonical, coalesce(a.published_at, a.fetched_at)),
       min(coalesce(a.published_at, a.fetched_at)),
       arg_min(a.outlet, coalesce(a.published_at, a.fetched_at)),
       max(coalesce(a.published_at, a.fetched_at)),
       count(DISTINCT a.outlet), count(DISTINCT c.article_id),
       count(DISTINCT c.article_id) FILTER (WHERE a.syndicated_from IS NULL)
FROM claims c JOIN articles a USING (article_id)
GROUP BY c.content_key
ORDER BY 4, 1;

INSERT INTO cooccurrence_weekly
WITH p AS (
    SELECT a.week, a.entity_id AS entity_a, b.entity_id AS entity_b,
           count(*) AS articles, count(*) FILTER (WHERE NOT a.is_copy) AS articles_original
    FROM article_entities a
    JOIN article_entities b
      ON a.article_id = b.article_id AND a.week = b.week AND a.entity_id < b.entity_id
    GROUP BY a.week, a.entity_id, b.entity_id
)
SELECT p.week, p.entity_a, ea.canonical_name, p.entity_b, eb.canonical_name, p.articles,
       p.articles_original
FROM p
JOIN entities ea ON ea.entity_id = p.entity_a
JOIN entities eb ON eb.entity_id = p.entity_b
ORDER BY p.week, p.articles DESC, p.entity_a, p.entity_b;
