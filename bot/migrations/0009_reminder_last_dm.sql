-- The last reminder DM delivered to each member and the occurrence it was for, so a reminder cut off by a crash can tell whether it already went out.

ALTER TABLE checkin_reminders ADD COLUMN last_dm_id INTEGER;
ALTER TABLE checkin_reminders ADD COLUMN last_dm_due TEXT;
