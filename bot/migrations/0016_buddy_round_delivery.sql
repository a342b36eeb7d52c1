-- What a recorded round still owes its members, so a round cut off by a restart finishes on its rerun
-- without repeating anything: each group's introduction is marked once it went out, and a member owed
-- an "unmatched" or "paused" DM keeps the round and kind until it is sent. Plain portable SQL.
ALTER TABLE buddy_groups ADD COLUMN introduced_at TEXT;
-- Groups from before this column existed were introduced when their round ran.
UPDATE buddy_groups SET introduced_at = (SELECT r.ran_at FROM buddy_rounds r WHERE r.id = buddy_groups.round_id);
ALTER TABLE buddy_members ADD COLUMN notice_round_id INTEGER;
ALTER TABLE buddy_members ADD COLUMN notice_kind TEXT;
