-- 0008: who runs a run. A run records the process (pid, host) that executes it, so the next
-- run can tell a live run from one whose process died (kill -9, power loss) and mark the dead
-- one 'crashed' instead of leaving it 'running' forever.
--
-- status: running | completed | failed | interrupted (Ctrl-C) | crashed (process gone)
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;

-- Runs left 'running' by an earlier version cannot be checked (no owner recorded): a run that
-- is in fact still going overwrites this when it finishes.
UPDATE runs SET status = 'crashed' WHERE status = 'running';
