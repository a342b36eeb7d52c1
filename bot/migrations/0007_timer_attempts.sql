-- Timers keep how often they were tried and why the last try failed, so failures are retried with backoff and counted.

-- attempts: failed tries so far (a retryable handler goes back to pending until the limit).
-- last_error: the last failure, for operators; finished_at: when the row left pending for good, for pruning.
ALTER TABLE timers ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE timers ADD COLUMN last_error TEXT;
ALTER TABLE timers ADD COLUMN finished_at TEXT;
CREATE INDEX timers_status_kind ON timers (status, kind);
