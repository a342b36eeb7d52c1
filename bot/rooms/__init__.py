"""Voice rooms: the rules, with no Discord in sight.

``schedule`` holds what a member asks for (duration limits, weekly recurrence, reminder and
channel-opening times); ``lifecycle`` holds what happens once a room exists (when it completes,
who counts as having come). The cog in ``cogs/rooms`` only adapts these to Discord.
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
    Reminder,
    channel_open_at,
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
    "Reminder",
    "attendance_line",
    "channel_open_at",
    "completion_decision",
    "count_attendees",
    "next_weekly",
    "reminder_still_timely",
    "reminders_due",
    "validate_duration",
    "validate_text",
]
