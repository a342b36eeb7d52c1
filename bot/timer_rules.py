"""What a durable timer is and the rules around it, apart from the service that runs them.

A :class:`Timer` row as handed to its handler, the lanes that keep urgent work ahead of bulk work, the retry
policy for kinds that are safe to repeat, and when a reminder is still worth sending after an outage.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "BULK",
    "LANES",
    "MAX_ATTEMPTS",
    "RETRY_BASE",
    "RETRY_CAP",
    "URGENT",
    "DueReminder",
    "Timer",
    "TimerHandler",
    "reminder_still_worth_sending",
    "reminders_ahead",
    "retry_delay",
]


@dataclass(frozen=True, slots=True)
class Timer:
    """One due timer as handed to its handler."""

    id: int
    kind: str
    due_at: datetime
    guild_id: int | None
    user_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0  # failed tries before this one

    def lateness(self, now: datetime) -> timedelta:
        """How late the timer is being handled (zero or more)."""
        return max(now - self.due_at, timedelta(0))


TimerHandler = Callable[[Timer], Awaitable[None]]


BULK, URGENT = "bulk", "urgent"
LANES = (BULK, URGENT)
MAX_ATTEMPTS = 5  # tries in all for a repeatable kind before it is given up as failed
RETRY_BASE = timedelta(minutes=1)  # the first retry; each later one waits twice as long
RETRY_CAP = timedelta(hours=1)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait before try ``attempt + 1`` after ``attempt`` failed (1, 2, 4, ... minutes, capped)."""
    return min(RETRY_BASE * (2 ** max(attempt - 1, 0)), RETRY_CAP)


@dataclass(frozen=True, slots=True)
class DueReminder:
    """One reminder to schedule: its lead's label (``24h``, ``1h``…) and when it should go out."""

    lead: str
    due_at: datetime


def reminders_ahead(leads: Mapping[str, timedelta], start: datetime, now: datetime) -> list[DueReminder]:
    """The reminders of ``leads`` still ahead for something starting at ``start``, soonest first.

    One whose time has passed is dropped, not sent late: something scheduled 3 hours ahead gets only its
    shorter reminders.
    """
    found = [DueReminder(lead, start - before) for lead, before in leads.items() if start - before > now]
    return sorted(found, key=lambda r: r.due_at)


def reminder_still_worth_sending(lead: str, leads: Mapping[str, timedelta], start: datetime, now: datetime) -> bool:
    """Whether a reminder ``lead`` before ``start``, firing at ``now``, is still worth sending.

    After an outage several reminders can fall due at once: only the shortest-lead one that is due
    makes sense ("tomorrow" arriving beside "in an hour" is noise), and none once the event started.
    """
    if now >= start or lead not in leads:
        return False
    own = leads[lead]
    return not any(other < own and now >= start - other for other in leads.values())
