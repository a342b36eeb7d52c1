"""Buddy pairing rules, free of Discord: schedules, eligibility, matcher input, quiet rounds, wording.

The matcher itself lives in :mod:`bot.matching`; the cog in ``cogs/buddies`` renders what these
modules decide. Two modules here do talk to Discord: :mod:`bot.buddies.rounds`, the feature's service
(``bot.features.buddies``), and :mod:`bot.buddies.notice`, the helper other features call.
"""
