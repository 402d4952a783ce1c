-- 0002: adaptive feed polling and syndication (near-duplicate wire copies).

ALTER TABLE feeds ADD COLUMN poll_interval_s INTEGER;      -- adapted to how often it publishes
ALTER TABLE feeds ADD COLUMN next_poll_at TIMESTAMPTZ;     -- scheduled runs skip it until then

ALTER TABLE articles ADD COLUMN syndicated_from TEXT;      -- article_id of the earliest copy
ALTER TABLE articles ADD COLUMN cluster_id TEXT;           -- shared by all copies of a story

-- MinHash LSH bands of each article's text (see extractors/minhash.py).
CREATE TABLE article_bands (
    article_id  TEXT NOT NULL,
    band_no     TINYINT NOT NULL,
    band        BIGINT NOT NULL
);
