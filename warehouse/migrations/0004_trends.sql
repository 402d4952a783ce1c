-- 0004: keys for trend analysis.

-- Near-identical wordings of one claim share a content_key (extractors/claim_key.py).
ALTER TABLE claims ADD COLUMN content_key TEXT;
