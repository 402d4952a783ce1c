-- 0007: clean inputs. Every article says where its publication time came from and which
-- host it was published on; stored dates outside [1990-01-01, fetch time + 1 day] (template
-- placeholders such as 0001-01-01, dates in the future) are repaired.
--
-- articles.date_source: page (the page's own metadata) | feed (the feed entry's date) |
--                       fetched (neither gave a plausible date: the fetch time).
-- articles.host:        host of the canonical URL, lower-case, without "www." (IPv6 literals
--                       in brackets); the outlet is a name, the host is where it lives.
ALTER TABLE articles ADD COLUMN date_source TEXT;
ALTER TABLE articles ADD COLUMN host TEXT;

UPDATE articles SET host = nullif(regexp_replace(lower(regexp_extract(
    canonical_url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)', 1)),
    '^www\.', ''), '');

-- Old rows: a plausible stored date is kept (earlier versions preferred the feed entry's date,
-- so it is "feed" when it equals the entry's date, else "page"); an implausible one falls back
-- to the entry's date if that is plausible, else to the fetch time; a missing one is the
-- fetch time (which the trend views already used for it).
CREATE TEMP TABLE _0007_dates AS
WITH d AS (
    SELECT a.article_id, a.published_at AS old_at, a.fetched_at, p.entry_published_at AS entry_at,
           a.published_at >= TIMESTAMPTZ '1990-01-01 00:00:00+00'
               AND a.published_at <= a.fetched_at + INTERVAL 1 DAY AS page_ok,
           p.entry_published_at >= TIMESTAMPTZ '1990-01-01 00:00:00+00'
               AND p.entry_published_at <= a.fetched_at + INTERVAL 1 DAY AS entry_ok
    FROM articles a LEFT JOIN pages p ON p.url = a.url
)
SELECT article_id,
       CASE WHEN page_ok THEN old_at WHEN entry_ok THEN entry_at ELSE fetched_at END
           AS published_at,
       CASE WHEN page_ok AND old_at = entry_at THEN 'feed' WHEN page_ok THEN 'page'
            WHEN entry_ok THEN 'feed' ELSE 'fetched' END AS date_source,
       -- the trend rollups keep coalesce(published_at, fetched_at): only these rows move
       old_at IS NOT NULL AND NOT coalesce(page_ok, FALSE) AS moved
FROM d;

-- Entity pairs are kept per week: the weeks these articles leave ...
CREATE TEMP TABLE _0007_weeks AS
SELECT DISTINCT week FROM article_entities
WHERE article_id IN (SELECT article_id FROM _0007_dates WHERE moved);

UPDATE articles SET published_at = d.published_at, date_source = d.date_source
FROM _0007_dates d WHERE articles.article_id = d.article_id;

-- The rollups of the moved articles follow (warehouse/rollups.py contract; same definitions).
UPDATE article_entities
SET day = CAST(a.published_at AS DATE), week = date_trunc('week', CAST(a.published_at AS DATE))
FROM articles a
WHERE article_entities.article_id = a.article_id
  AND a.article_id IN (SELECT article_id FROM _0007_dates WHERE moved);

UPDATE article_speakers SET day = CAST(a.published_at AS DATE)
FROM articles a
WHERE article_speakers.article_id = a.article_id
  AND a.article_id IN (SELECT article_id FROM _0007_dates WHERE moved);

-- ... and the weeks they join.
INSERT INTO _0007_weeks
SELECT DISTINCT week FROM article_entities
WHERE article_id IN (SELECT article_id FROM _0007_dates WHERE moved);

CREATE TEMP TABLE _0007_keys AS
SELECT DISTINCT content_key FROM claims
WHERE article_id IN (SELECT article_id FROM _0007_dates WHERE moved);

DELETE FROM claim_key_stats
WHERE EXISTS (SELECT 1 FROM _0007_keys k
              WHERE k.content_key IS NOT DISTINCT FROM claim_key_stats.content_key);

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
WHERE EXISTS (SELECT 1 FROM _0007_keys k WHERE k.content_key IS NOT DISTINCT FROM c.content_key)
GROUP BY c.content_key;

DELETE FROM cooccurrence_weekly WHERE week IN (SELECT week FROM _0007_weeks);

INSERT INTO cooccurrence_weekly
WITH p AS (
    SELECT a.week, a.entity_id AS entity_a, b.entity_id AS entity_b,
           count(*) AS articles, count(*) FILTER (WHERE NOT a.is_copy) AS articles_original
    FROM article_entities a
    JOIN article_entities b
      ON a.article_id = b.article_id AND a.week = b.week AND a.entity_id < b.entity_id
    WHERE a.week IN (SELECT week FROM _0007_weeks)
    GROUP BY a.week, a.entity_id, b.entity_id
)
SELECT p.week, p.entity_a, ea.canonical_name, p.entity_b, eb.canonical_name, p.articles,
       p.articles_original
FROM p
JOIN entities ea ON ea.entity_id = p.entity_a
JOIN entities eb ON eb.entity_id = p.entity_b;

DROP TABLE _0007_dates;
DROP TABLE _0007_weeks;
DROP TABLE _0007_keys;
