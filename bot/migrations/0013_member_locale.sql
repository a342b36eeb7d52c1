-- The Discord language a member last used a command in, so DMs sent by timers and crisis answers
-- (which no interaction carries a language for) reach them in it. Plain portable SQL.
ALTER TABLE member_prefs ADD COLUMN locale TEXT;
