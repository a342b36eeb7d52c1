"""Buddy pairing rules, free of Discord: schedules, eligibility, matcher input, quiet rounds, wording.

The matcher itself lives in :mod:`bot.matching`; the cog in ``cogs/buddies`` renders what these
modules decide. :mod:`bot.buddies.notice` is the one Discord-facing helper other features call.
"""
