-- Views are re-created after every migration; they hold no data of their own.

-- One row per feed: its latest poll and how healthy it has been.
CREATE OR REPLACE VIEW feed_health AS
SELECT f.feed_id, f.outlet, f.name, f.url, f.kind, f.last_polled_at, f.last_status, f.last_error,
       count(p.poll_id)                                   AS polls,
       count(p.poll_id) FILTER (WHERE p.error IS NOT NULL) AS failed_polls,
       coalesce(sum(p.entries_new), 0)                    AS entries_new_total
FROM feeds f LEFT JOIN feed_polls p USING (feed_id)
GROUP BY ALL;

-- Articles per outlet and publication day (falling back to the fetch day).
CREATE OR REPLACE VIEW articles_daily AS
SELECT CAST(coalesce(published_at, fetched_at) AS DATE) AS day, outlet,
       count(*) AS articles, sum(word_count) AS words
FROM articles
GROUP BY ALL;

-- Pages that could not become articles, with the reason and when they are retried.
CREATE OR REPLACE VIEW page_failures AS
SELECT url, outlet, state, attempts, last_status, last_error, next_attempt_at
FROM pages
WHERE state IN ('failed', 'gave_up');

-- ---------------------------------------------------------------------------------------
-- Trends. Every count comes in two flavours: all articles, and originals only (excluding
-- syndicated copies, i.e. articles with syndicated_from set), so wire stories republished
-- by many outlets can be counted once or as often as they ran.

-- One row per article: its day (publication, else fetch), outlet and whether it is a copy.
CREATE OR REPLACE VIEW article_facts AS
SELECT article_id, outlet, coalesce(published_at, fetched_at) AS ts,
       CAST(coalesce(published_at, fetched_at) AS DATE) AS day,
       syndicated_from IS NOT NULL AS is_copy, coalesce(cluster_id, article_id) AS story_id
FROM articles;

-- Mentions of each canonical entity per day and outlet.
CREATE OR REPLACE VIEW entity_daily AS
SELECT f.day, m.entity_id, e.canonical_name AS entity, e.kind, f.outlet,
       count(*) AS mentions,
       count(DISTINCT m.article_id) AS articles,
       count(*) FILTER (WHERE NOT f.is_copy) AS mentions_original,
       count(DISTINCT m.article_id) FILTER (WHERE NOT f.is_copy) AS articles_original
FROM mentions m
JOIN article_facts f USING (article_id)
JOIN entities e USING (entity_id)
GROUP BY ALL;

-- Claims per canonical speaker per day and outlet.
CREATE OR REPLACE VIEW speaker_daily AS
SELECT f.day, c.speaker_canonical AS speaker, c.speaker_entity_id AS entity_id,
       any_value(c.speaker_kind) AS speaker_kind, f.outlet,
       count(*) AS claims,
       count(DISTINCT c.article_id) AS articles,
       count(*) FILTER (WHERE NOT f.is_copy) AS claims_original
FROM claims c JOIN article_facts f USING (article_id)
WHERE c.speaker_canonical IS NOT NULL
GROUP BY f.day, c.speaker_canonical, c.speaker_entity_id, f.outlet;

-- The same claim (near-identical wording: same content_key) across outlets.
CREATE OR REPLACE VIEW claim_spread AS
SELECT c.content_key,
       arg_min(c.content, f.ts) AS content,
       arg_min(c.speaker_canonical, f.ts) AS speaker,
       min(f.ts) AS first_seen,
       arg_min(f.outlet, f.ts) AS first_outlet,
       max(f.ts) AS last_seen,
       count(DISTINCT f.outlet) AS outlets,
       count(DISTINCT c.article_id) AS articles,
       count(DISTINCT c.article_id) FILTER (WHERE NOT f.is_copy) AS articles_original
FROM claims c JOIN article_facts f USING (article_id)
GROUP BY c.content_key;

-- Entities mentioned more in the last 7 days (up to the newest article) than their trailing
-- 28-day baseline predicts. score = (recent - expected) / sqrt(expected + 1), a Poisson-style
-- z-score: high for a surge, modest for noise in rare names.
CREATE OR REPLACE VIEW rising_entities AS
WITH bounds AS (SELECT max(day) AS last_day FROM article_facts),
per_entity AS (
    SELECT d.entity_id, any_value(d.entity) AS entity, any_value(d.kind) AS kind,
           coalesce(sum(d.mentions) FILTER (WHERE d.day > b.last_day - 7), 0) AS recent,
           coalesce(sum(d.mentions) FILTER (WHERE d.day <= b.last_day - 7
                                             AND d.day > b.last_day - 35), 0) AS baseline
    FROM entity_daily d, bounds b
    WHERE d.day > b.last_day - 35
    GROUP BY d.entity_id
)
SELECT entity_id, entity, kind, recent AS mentions_7d, baseline AS mentions_prior_28d,
       round((recent - baseline * 7 / 28.0) / sqrt(baseline * 7 / 28.0 + 1), 3) AS score
FROM per_entity
WHERE recent > baseline * 7 / 28.0;

-- Entity pairs mentioned in the same article, per week.
CREATE OR REPLACE VIEW cooccurrence AS
WITH article_entities AS (
    SELECT DISTINCT m.article_id, m.entity_id, date_trunc('week', f.day) AS week, f.is_copy
    FROM mentions m JOIN article_facts f USING (article_id)
)
SELECT a.week, a.entity_id AS entity_a, ea.canonical_name AS name_a,
       b.entity_id AS entity_b, eb.canonical_name AS name_b,
       count(*) AS articles,
       count(*) FILTER (WHERE NOT a.is_copy) AS articles_original
FROM article_entities a
JOIN article_entities b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
JOIN entities ea ON ea.entity_id = a.entity_id
JOIN entities eb ON eb.entity_id = b.entity_id
GROUP BY ALL;
