"""Check-ins, reminders and the recovery date as plain logic. No Discord in here.

The cog in ``cogs/checkins`` parses interactions and renders; the rules live here so unit tests
call them directly. :mod:`bot.checkins.chart` (matplotlib) is imported separately, on demand.
"""

from __future__ import annotations

from bot.checkins._history import DaySummary, HistorySummary, WeeklySummary, streak, summarise, weekly_summary
from bot.checkins._models import (
    MAX_NOTE,
    MOOD_LABELS,
    SHARE_MODES,
    TRIGGERS,
    CheckinDraft,
    CheckinEntry,
    ShareMode,
    mood_label,
    parse_int_field,
    parse_share,
    parse_triggers,
    validate_checkin,
)
from bot.checkins._recovery import (
    Milestone,
    RecoveryRecord,
    date_suggestions,
    milestone_label,
    milestone_on,
    milestones_after,
    next_milestone,
    parse_recovery_date,
    set_date,
    slip,
)
from bot.checkins._reflection import (
    COPING_STEPS,
    hard_moment_text,
    is_hard_moment,
    reflect,
    share_summary,
    trigger_names,
)
from bot.checkins._schedule import (
    ALL_WEEKDAYS,
    LATE_LIMIT,
    ReminderPlan,
    format_weekdays,
    local_wall_to_utc,
    next_occurrence,
    parse_weekdays,
    should_send_late,
    weekdays_from_text,
    weekdays_to_text,
)

__all__ = [
    "ALL_WEEKDAYS",
    "COPING_STEPS",
    "LATE_LIMIT",
    "MAX_NOTE",
    "MOOD_LABELS",
    "SHARE_MODES",
    "TRIGGERS",
    "CheckinDraft",
    "CheckinEntry",
    "DaySummary",
    "HistorySummary",
    "Milestone",
    "RecoveryRecord",
    "ReminderPlan",
    "ShareMode",
    "WeeklySummary",
    "date_suggestions",
    "format_weekdays",
    "hard_moment_text",
    "is_hard_moment",
    "local_wall_to_utc",
    "milestone_label",
    "milestone_on",
    "milestones_after",
    "mood_label",
    "next_milestone",
    "next_occurrence",
    "parse_int_field",
    "parse_recovery_date",
    "parse_share",
    "parse_triggers",
    "parse_weekdays",
    "reflect",
    "set_date",
    "share_summary",
    "should_send_late",
    "slip",
    "streak",
    "summarise",
    "trigger_names",
    "validate_checkin",
    "weekdays_from_text",
    "weekdays_to_text",
    "weekly_summary",
]
