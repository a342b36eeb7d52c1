"""When things happen: weekly repeats in the poster's local time, and reminder due times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.timers import reminder_still_worth_sending

__all__ = [
    "REMINDER_LEADS",
    "DueReminder",
    "local_wall_time",
    "next_weekly",
    "reminder_still_useful",
    "reminder_times",
]

# Lead label -> how long before the start the DM goes out. The label is part of the timer key.
REMINDER_LEADS: dict[str, timedelta] = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}


@dataclass(frozen=True, slots=True)
class DueReminder:
    """One reminder to schedule: its label (``24h``/``1h``) and when it should go out."""

    lead: str
    due_at: datetime


def local_wall_time(instant: datetime, zone: ZoneInfo, days_later: int) -> datetime:
    """The same local wall-clock time ``days_later`` days on, as a UTC instant.

    Why not ``instant + timedelta(days=7)``: across a daylight-saving change that lands an hour
    early or late on the clock people actually read. If the wall time doesn't exist that day
    (spring forward), zoneinfo's ``fold=0`` reading moves it forward by the gap; if it exists
    twice (fall back), the first one is used.
    """
    local = instant.astimezone(zone).replace(tzinfo=None) + timedelta(days=days_later)
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def next_weekly(starts_at: datetime, zone: ZoneInfo, now: datetime) -> datetime:
    """The next weekly occurrence after ``starts_at`` that hasn't started yet at ``now``.

    Normally one week on; if the bot was away for longer, weeks already gone are skipped rather
    than posted late.
    """
    weeks = 1
    candidate = local_wall_time(starts_at, zone, 7)
    while candidate <= now:
        weeks += 1
        candidate = local_wall_time(starts_at, zone, 7 * weeks)
    return candidate


def reminder_times(starts_at: datetime, now: datetime) -> list[DueReminder]:
    """The reminders still worth sending: those whose due time hasn't passed yet.

    Someone signing up 3 hours ahead gets only the 1-hour reminder; 30 minutes ahead, none.
    """
    return [
        DueReminder(lead, starts_at - before) for lead, before in REMINDER_LEADS.items() if starts_at - before > now
    ]


def reminder_still_useful(lead: str, starts_at: datetime, now: datetime) -> bool:
    """Whether a reminder firing at ``now`` is still worth sending.

    Reminders can fire late (the bot was down, or restarted after a long outage). Once the
    opportunity has started, a reminder is noise; and a day-before reminder that only gets out
    after the hour-before one fell due would arrive twice in a row saying different things, so the
    shorter lead wins.
    """
    return reminder_still_worth_sending(lead, REMINDER_LEADS, starts_at, now)
