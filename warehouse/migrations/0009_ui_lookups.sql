-- 0009: lookups for the web view (`mediamon ui`), so its pages answer in well under a second
-- on millions of claims and mentions.
--
-- claim_feed: every claim with its article's time (publication, else fetch), outlet and
-- syndication flag, stored newest first. It is a rollup (warehouse/rollups.py keeps it in
-- step with claims and articles, like the others): "the newest claims matching X" reads the
-- first row groups only, and one article's or one spread's claims are found through the
-- zone maps of `ts` instead of a scan of every claim.
CREATE TABLE claim_feed (
    ts                 TIMESTAMPTZ,
    claim_id           TEXT NOT NULL,
    article_id         TEXT NOT NULL,
    outlet             TEXT,
    is_copy            BOOLEAN NOT NULL,
    speaker            TEXT,
    speaker_canonical  TEXT,
    speaker_entity_id  TEXT,
    speaker_kind       TEXT,
    cue                TEXT,
    cue_lemma          TEXT,
    content            TEXT NOT NULL,
    quote_type         TEXT NOT NULL,
    via                TEXT[],
    rule               TEXT,
    confidence         DOUBLE,
    content_key        TEXT,
    content_start      INTEGER NOT NULL,
    content_end        INTEGER NOT NULL,
    speaker_start      INTEGER,
    speaker_end        INTEGER
);

INSERT INTO claim_feed
SELECT coalesce(a.published_at, a.fetched_at), c.claim_id, c.article_id, a.outlet,
       a.syndicated_from IS NOT NULL, c.speaker, c.speaker_canonical, c.speaker_entity_id,
       c.speaker_kind, c.cue, c.cue_lemma, c.content, c.quote_type, c.via, c.rule, c.confidence,
       c.content_key, c.content_start, c.content_end, c.speaker_start, c.speaker_end
FROM claims c JOIN articles a USING (article_id)
ORDER BY 1 DESC, c.article_id, c.content_start, c.claim_id;

-- entity_days: mentions of each entity per day (article_entities summed over the day's
-- articles, a third of its rows), for the rising entities and an entity's timeline. Also a
-- rollup; rows sorted by day, and indexed by entity: one entity's days are at most one row
-- a day, few enough for DuckDB to fetch them by index rather than scan.
CREATE TABLE entity_days (
    day                DATE NOT NULL,
    entity_id          TEXT NOT NULL,
    mentions           BIGINT NOT NULL,
    articles           BIGINT NOT NULL,
    mentions_original  BIGINT NOT NULL,
    articles_original  BIGINT NOT NULL
);

INSERT INTO entity_days
SELECT day, entity_id, sum(mentions), count(*), coalesce(sum(mentions) FILTER (WHERE NOT is_copy), 0),
       count(*) FILTER (WHERE NOT is_copy)
FROM article_entities
GROUP BY day, entity_id
ORDER BY day, entity_id;

-- article_days: one row per article (its day, copy flag and number of claims), sorted by
-- day: the overview's articles and claims per day count a few narrow columns instead of
-- the articles' times. Also a rollup (warehouse/rollups.py).
CREATE TABLE article_days (
    day                DATE,
    article_id         TEXT NOT NULL,
    is_copy            BOOLEAN NOT NULL,
    claims             BIGINT NOT NULL
);

INSERT INTO article_days
SELECT CAST(coalesce(a.published_at, a.fetched_at) AS DATE) AS day, a.article_id,
       a.syndicated_from IS NOT NULL, coalesce(c.n, 0)
FROM articles a
LEFT JOIN (SELECT article_id, count(*) AS n FROM claims GROUP BY article_id) c USING (article_id)
ORDER BY day, a.article_id;

-- rising_now: the rising entities as of the newest article's day (the rising_entities
-- view's score: last 7 days against the 28 before), top 25, with their mentions per day for
-- the sparklines. Recomputed by every rollup refresh (warehouse/rollups.py: RISING_WINDOW,
-- RISING_BASELINE, RISING_KEPT are these numbers), so the overview reads 25 rows.
CREATE TABLE rising_now (
    as_of              DATE,
    entity_id          TEXT NOT NULL,
    entity             TEXT,
    kind               TEXT,
    mentions_7d        BIGINT NOT NULL,
    mentions_prior_28d BIGINT NOT NULL,
    score              DOUBLE NOT NULL,
    daily              STRUCT("day" DATE, n BIGINT)[]
);

INSERT INTO rising_now
WITH l AS (SELECT max(day) AS last FROM article_days),
s AS (
    SELECT d.entity_id,
           coalesce(sum(d.mentions) FILTER (WHERE d.day > l.last - 7), 0) AS recent,
           coalesce(sum(d.mentions) FILTER (WHERE d.day <= l.last - 7), 0) AS baseline
    FROM entity_days d, l
    WHERE d.day > l.last - 35
    GROUP BY d.entity_id
), top AS (
    SELECT entity_id, recent, baseline,
           round((recent - baseline * 7 / 28) / sqrt(baseline * 7 / 28 + 1), 3) AS score
    FROM s WHERE recent > baseline * 7 / 28
    ORDER BY score DESC, recent DESC, entity_id LIMIT 25
)
SELECT l.last, t.entity_id, e.canonical_name, e.kind, CAST(t.recent AS BIGINT),
       CAST(t.baseline AS BIGINT), t.score,
       (SELECT list({'day': d.day, 'n': d.mentions} ORDER BY d.day) FROM entity_days d
        WHERE d.entity_id = t.entity_id AND d.day > l.last - 35)
FROM top t JOIN entities e USING (entity_id), l
ORDER BY t.score DESC, t.recent DESC, t.entity_id;

-- Lookups by key instead of scans of the whole table: an article's entity mentions (the
-- article page highlights them), a claim's spread row (spread and article pages), and the
-- rollup rows of one entity or one speaker (their pages; DuckDB uses an index only when
-- few rows match, so busy entities are still scanned, within the page's window of days).
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX claim_key_stats_key ON claim_key_stats (content_key);
CREATE INDEX article_entities_entity ON article_entities (entity_id);
CREATE INDEX article_speakers_speaker ON article_speakers (speaker_entity_id);
CREATE INDEX entity_days_entity ON entity_days (entity_id);
