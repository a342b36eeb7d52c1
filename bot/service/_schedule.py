"""When things happen: repeats in the poster's local time (the rule is :mod:`bot.repeats`), and reminder due times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.repeats import Repeat, next_occurrence
from bot.timer_rules import DueReminder, reminder_still_worth_sending, reminders_ahead

# Lead label -> how long before the start the DM goes out. The label is part of the timer key.
REMINDER_LEADS: dict[str, timedelta] = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}


def next_weekly(starts_at: datetime, zone: ZoneInfo, now: datetime) -> datetime:
    """The next weekly occurrence after ``starts_at`` that hasn't started yet at ``now`` (see :mod:`bot.repeats`)."""
    return next_occurrence(starts_at, zone, Repeat.WEEKLY, after=now)


def next_start(starts_at: datetime, zone: ZoneInfo, recurrence: Repeat, now: datetime) -> datetime:
    """The next occurrence of a series after ``starts_at`` that hasn't started yet at ``now``.

    Normally one interval on; if the bot was away for longer, occurrences already gone are skipped
    rather than posted late.
    """
    return next_occurrence(starts_at, zone, recurrence, after=now)


def reminder_times(starts_at: datetime, now: datetime) -> list[DueReminder]:
    """The reminders still worth sending: those whose due time hasn't passed yet.

    Someone signing up 3 hours ahead gets only the 1-hour reminder; 30 minutes ahead, none.
    """
    return reminders_ahead(REMINDER_LEADS, starts_at, now)


def reminder_still_useful(lead: str, starts_at: datetime, now: datetime) -> bool:
    """Whether a reminder firing at ``now`` is still worth sending.

    Reminders can fire late (the bot was down, or restarted after a long outage). Once the
    opportunity has started, a reminder is noise; and a day-before reminder that only gets out
    after the hour-before one fell due would arrive twice in a row saying different things, so the
    shorter lead wins.
    """
    return reminder_still_worth_sending(lead, REMINDER_LEADS, starts_at, now)
