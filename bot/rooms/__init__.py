"""Voice rooms: the rules, with no Discord in sight, and the service that runs a room's life.

``schedule`` holds what a member asks for (duration limits, repeats (the rule is :mod:`bot.repeats`), reminder and
channel-opening times); ``lifecycle`` holds what happens once a room exists (when it completes,
who counts as having come). :class:`~bot.rooms.service.RoomService` (``service``, with ``making``
and ``upkeep``) runs a room's life, with its Discord side passed in as a ``ports.RoomDiscord``;
the cog in ``cogs/rooms`` holds the commands and buttons and implements that Discord side.
"""

from __future__ import annotations

from bot.rooms.lifecycle import (
    EMPTY_GRACE,
    MAX_OVERRUN,
    Completion,
    attendance_line,
    completion_decision,
    count_attendees,
)
from bot.rooms.schedule import (
    DURATION_MAX,
    DURATION_MIN,
    OPEN_LEAD,
    REMINDER_LEADS,
    DueReminder,
    channel_open_at,
    next_room_start,
    next_weekly,
    reminder_still_timely,
    reminders_due,
    validate_duration,
    validate_text,
)

__all__ = [
    "DURATION_MAX",
    "DURATION_MIN",
    "EMPTY_GRACE",
    "MAX_OVERRUN",
    "OPEN_LEAD",
    "REMINDER_LEADS",
    "Completion",
    "DueReminder",
    "attendance_line",
    "channel_open_at",
    "completion_decision",
    "count_attendees",
    "next_room_start",
    "next_weekly",
    "reminder_still_timely",
    "reminders_due",
    "validate_duration",
    "validate_text",
]
