-- Views are re-created after every migration; they hold no data of their own.

-- One row per feed: its latest poll and how healthy it has been.
CREATE OR REPLACE VIEW feed_health AS
WITH polls AS (  -- aggregated per feed before the join: no grouping on the feeds' columns
    SELECT feed_id, count(poll_id) AS polls,
           count(poll_id) FILTER (WHERE error IS NOT NULL) AS failed_polls,
           sum(entries_new) AS entries_new
    FROM feed_polls
    GROUP BY feed_id
)
SELECT f.feed_id, f.outlet, f.name, f.url, f.kind, f.last_polled_at, f.last_status, f.last_error,
       coalesce(p.polls, 0)        AS polls,
       coalesce(p.failed_polls, 0) AS failed_polls,
       coalesce(p.entries_new, 0)  AS entries_new_total
FROM feeds f LEFT JOIN polls p USING (feed_id);

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

-- The trend views below read the rollups of migration 0005 (article_entities,
-- article_speakers, claim_key_stats, cooccurrence_weekly), never the raw mentions and
-- claims. warehouse/rollups.py keeps them in step: refresh_rollups(con, article_ids) in the
-- transaction of every write to articles / mentions / claims (see its docstring).

-- Mentions of each canonical entity per day and outlet. (The names are grouped on, not
-- joined afterwards, so a filter on entity reaches the rollup's scan.)
CREATE OR REPLACE VIEW entity_daily AS
SELECT a.day, a.entity_id, e.canonical_name AS entity, e.kind, a.outlet,
       CAST(sum(a.mentions) AS BIGINT) AS mentions,
       count(*) AS articles,  -- article_entities has one row per (article, entity)
       CAST(coalesce(sum(a.mentions) FILTER (WHERE NOT a.is_copy), 0) AS BIGINT)
           AS mentions_original,
       count(*) FILTER (WHERE NOT a.is_copy) AS articles_original
FROM article_entities a JOIN entities e USING (entity_id)
GROUP BY a.day, a.entity_id, e.canonical_name, e.kind, a.outlet;

-- Claims per canonical speaker per day and outlet.
CREATE OR REPLACE VIEW speaker_daily AS
SELECT day, speaker_canonical AS speaker, speaker_entity_id AS entity_id,
       any_value(speaker_kind) AS speaker_kind, outlet,
       CAST(sum(claims) AS BIGINT) AS claims,
       count(*) AS articles,  -- article_speakers has one row per (article, speaker)
       CAST(coalesce(sum(claims) FILTER (WHERE NOT is_copy), 0) AS BIGINT) AS claims_original
FROM article_speakers
GROUP BY day, speaker_canonical, speaker_entity_id, outlet;

-- The same claim (near-identical wording: same content_key) across outlets: first seen (with
-- its wording, speaker and outlet), last seen, in how many outlets and articles.
CREATE OR REPLACE VIEW claim_spread AS
SELECT content_key, content, speaker, first_seen, first_outlet, last_seen,
       outlets, articles, articles_original
FROM claim_key_stats;

-- Entities mentioned more in the last 7 days (up to the newest article, the same window as
-- `mediamon trends --until <newest day>`) than their trailing 28-day baseline predicts.
-- score = (recent - expected) / sqrt(expected + 1), a Poisson-style z-score: high for a
-- surge, modest for noise in rare names. Minimum support: mentioned by at least 2 outlets in
-- the 7 days (queries.MIN_OUTLETS), so one article or one outlet cannot make an entity rise.
CREATE OR REPLACE VIEW rising_entities AS
WITH bounds AS (SELECT max(day) AS last_day FROM article_facts),
per_entity AS (
    SELECT a.entity_id,
           coalesce(sum(a.mentions) FILTER (WHERE a.day > b.last_day - 7), 0) AS recent,
           count(DISTINCT a.outlet) FILTER (WHERE a.day > b.last_day - 7) AS outlets,
           coalesce(sum(a.mentions) FILTER (WHERE a.day <= b.last_day - 7
                                             AND a.day > b.last_day - 35), 0) AS baseline
    FROM article_entities a, bounds b
    WHERE a.day > b.last_day - 35
    GROUP BY a.entity_id
)
SELECT p.entity_id, e.canonical_name AS entity, e.kind,
       p.recent AS mentions_7d, p.outlets AS outlets_7d, p.baseline AS mentions_prior_28d,
       round((p.recent - p.baseline * 7 / 28.0) / sqrt(p.baseline * 7 / 28.0 + 1), 3) AS score
FROM per_entity p JOIN entities e USING (entity_id)
WHERE p.recent > p.baseline * 7 / 28.0 AND p.outlets >= 2;

-- Entity pairs mentioned in the same article, per week.
CREATE OR REPLACE VIEW cooccurrence AS
SELECT week, entity_a, name_a, entity_b, name_b, articles, articles_original
FROM cooccurrence_weekly;
