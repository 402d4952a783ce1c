-- 0006: every claim names the rule that made it; an analysis is ok, skipped or failed.
ALTER TABLE claims ADD COLUMN rule TEXT;

-- ok: claims and mentions stored; skipped: not analysed on purpose (language, too short, too
-- long); failed: the extractor raised (error kept), the article's previous rows are kept and
-- the next run or `mediamon reextract` tries again.
ALTER TABLE article_analysis ADD COLUMN status TEXT;
ALTER TABLE article_analysis ADD COLUMN error TEXT;
UPDATE article_analysis SET status = CASE WHEN analysed THEN 'ok' ELSE 'skipped' END;
