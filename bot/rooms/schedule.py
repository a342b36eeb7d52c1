"""Scheduling rules: how long a room may run, when it repeats (the rule is :mod:`bot.repeats`), when reminders and channels happen."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import _
from bot.problems import within
from bot.repeats import Repeat, next_occurrence
from bot.text import checked_text
from bot.timer_rules import DueReminder, reminder_still_worth_sending, reminders_ahead

DURATION_MIN = 15
DURATION_MAX = 240
# A temporary voice room opens this long before the start, so people can drift in and settle.
OPEN_LEAD = timedelta(minutes=15)
# Two reminders: a day ahead to plan around, and a quarter of an hour ahead to actually come.
REMINDER_LEADS: dict[str, timedelta] = {"24h": timedelta(hours=24), "15m": timedelta(minutes=15)}

_TITLE_MAX = 100  # Discord's limit for a scheduled event's name
_DESCRIPTION_MAX = 800  # Discord allows 1000; we add a line about the host and interest


def validate_duration(minutes: int) -> int:
    """Return ``minutes`` if it is a sensible room length, else raise a specific error."""
    return within(
        minutes,
        DURATION_MIN,
        DURATION_MAX,
        _("A room can last from {low} to {high} minutes; {minutes} is outside that. Try 60 for an hour.").format(
            low=DURATION_MIN, high=DURATION_MAX, minutes=minutes
        ),
    )


def validate_text(title: str, description: str | None) -> tuple[str, str | None]:
    """Trim a title and description and check them against Discord's limits."""
    clean_title = checked_text(
        title,
        what=_("That title"),
        limit=_TITLE_MAX,
        one_line=True,
        empty=_("Please give the room a title, like `Sunday meditation sit`."),
    )
    clean_description = checked_text(description, what=_("That description"), limit=_DESCRIPTION_MAX)
    return clean_title, clean_description or None


def next_weekly(start: datetime, zone: ZoneInfo, *, after: datetime | None = None) -> datetime:
    """The next weekly occurrence after ``start``, at the same wall-clock time in ``zone`` (see :mod:`bot.repeats`)."""
    return next_occurrence(start, zone, Repeat.WEEKLY, after=after)


def next_room_start(start: datetime, zone: ZoneInfo, recurrence: str, *, after: datetime | None = None) -> datetime:
    """When a series' next room starts after the one at ``start``: its repeat rule, missed ones skipped."""
    return next_occurrence(start, zone, Repeat(recurrence), after=after)


def reminders_due(start: datetime, now: datetime) -> list[DueReminder]:
    """The reminders still worth sending for a room starting at ``start``, soonest first (a room scheduled
    3 hours ahead gets only the 15-minute reminder)."""
    return reminders_ahead(REMINDER_LEADS, start, now)


def reminder_still_timely(lead: str, start: datetime, now: datetime) -> bool:
    """Whether a reminder firing at ``now`` is still worth sending.

    After an outage several reminders can fall due at once: only the shortest-lead one that is due
    makes sense ("Tomorrow" arriving with "Starting in 10 minutes" is noise), and none once the room
    has started.
    """
    return reminder_still_worth_sending(lead, REMINDER_LEADS, start, now)


def channel_open_at(start: datetime, now: datetime) -> datetime:
    """When to create a temporary voice room: :data:`OPEN_LEAD` before the start, or now if that has passed."""
    return max(start - OPEN_LEAD, now)
