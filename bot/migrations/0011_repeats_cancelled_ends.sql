-- Repeats: weekly, every two weeks, monthly on the nth weekday, monthly on the last weekday. The
-- recurrence columns are free text, so the new values need no schema change.
--
-- Cancelling one service occurrence now keeps its series, and a cancelled occurrence that still
-- repeats is how a restart finds the series' next one. Before, cancelling ended the series: those
-- cancelled occurrences are marked as the last of their series, so none comes back to life.
UPDATE service_opportunities
SET recurrence = 'none'
WHERE status = 'cancelled' AND next_id IS NULL AND recurrence != 'none';
