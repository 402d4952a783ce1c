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
