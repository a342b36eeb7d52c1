"""Service opportunities: the rules, with no Discord in them, and the board that sequences them.

Validation of what posters type, durations, weekly repeats that keep local wall-clock time,
reminder due times, waitlist promotion and the text members read. The store persists;
:class:`~bot.service.board.ServiceBoard` (with ``upkeep.BoardKeeper``) sequences each action, with its
Discord side passed in as a ``ports.ServiceDiscord``; the cog in ``cogs/service`` holds the commands
and buttons and implements that Discord side.
"""

from __future__ import annotations

from bot.service._models import (
    DESCRIPTION_MAX,
    KIND_LABELS,
    SLOTS_MAX,
    SLOTS_MIN,
    TITLE_MAX,
    JoinOutcome,
    JoinResult,
    Kind,
    NewOpportunity,
    Opportunity,
    Recurrence,
    SignupStatus,
    Status,
    WithdrawResult,
)
from bot.service._render import (
    Card,
    board_card,
    cancel_notice,
    change_notice,
    describe_changes,
    join_text,
    newcomer_notice,
    next_not_posted_notice,
    public_thanks,
    reminder_text,
    slots_line,
    thank_you_dm,
    when_echo,
)
from bot.service._rules import (
    MAX_DURATION,
    MIN_DURATION,
    duration_examples,
    format_duration,
    parse_duration,
    promotions,
    validate_description,
    validate_slots,
    validate_title,
)
from bot.service._schedule import (
    REMINDER_LEADS,
    DueReminder,
    next_start,
    next_weekly,
    reminder_still_useful,
    reminder_times,
)
from bot.text import fit_lines

__all__ = [
    "DESCRIPTION_MAX",
    "KIND_LABELS",
    "MAX_DURATION",
    "MIN_DURATION",
    "REMINDER_LEADS",
    "SLOTS_MAX",
    "SLOTS_MIN",
    "TITLE_MAX",
    "Card",
    "DueReminder",
    "JoinOutcome",
    "JoinResult",
    "Kind",
    "NewOpportunity",
    "Opportunity",
    "Recurrence",
    "SignupStatus",
    "Status",
    "WithdrawResult",
    "board_card",
    "cancel_notice",
    "change_notice",
    "describe_changes",
    "duration_examples",
    "fit_lines",
    "format_duration",
    "join_text",
    "newcomer_notice",
    "next_not_posted_notice",
    "next_start",
    "next_weekly",
    "parse_duration",
    "promotions",
    "public_thanks",
    "reminder_still_useful",
    "reminder_text",
    "reminder_times",
    "slots_line",
    "thank_you_dm",
    "validate_description",
    "validate_slots",
    "validate_title",
    "when_echo",
]
