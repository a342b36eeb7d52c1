-- Several processes share one database, each owning some shards' servers: a claimed timer says which process took it.

-- claimed_by: the claiming process's identity (bot.shards.Ownership.identity, e.g. 'shards 0,2 of 4', or
-- 'single'), stable across its restarts, so start-up recovery settles only the work this process was doing.
ALTER TABLE timers ADD COLUMN claimed_by TEXT;
-- Start-up recovery and the daily upkeep look for running timers.
CREATE INDEX timers_running ON timers (claimed_by) WHERE status = 'running';
