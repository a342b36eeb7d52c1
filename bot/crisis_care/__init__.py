"""Crisis care in the bot: answer policy and wording, pure code with no Discord.

The detector itself lives in :mod:`bot.crisis`; this package decides what Kindred does with a detection.
What this module exports (:mod:`.policy`, :mod:`.text`) is free of Discord. The feature's service,
``bot.features.crisis``, is :class:`bot.crisis_care.care.CrisisCare`: it has an alert desk
(:mod:`.alerts`), a "Talk to someone here" desk (:mod:`.consent`), an answer memory (:mod:`.memory`)
and shared background work (:mod:`.work`), and sends through Discord with the buttons the cog gives it.
"""

from __future__ import annotations

from .policy import (
    ACK_QUIET,
    ALERT_DEDUPE,
    ANSWER_COOLDOWN,
    CLOSED_DM_LINE_LIFETIME,
    MAX_REPOSTS,
    REPOST_AFTER,
    AnswerDecision,
    MemberState,
    Why,
    alert_wanted,
    decide_answer,
)
from .text import (
    CATEGORY_LABELS,
    CLOSED_DM_LINE,
    LEVEL_LABELS,
    alert_text,
    answer_text,
    categories_line,
    claimed_line,
    dry_run_report,
    emergency_phrase,
    needs_substance_line,
    talk_limited_text,
)

__all__ = [
    "ACK_QUIET",
    "ALERT_DEDUPE",
    "ANSWER_COOLDOWN",
    "CATEGORY_LABELS",
    "CLOSED_DM_LINE",
    "CLOSED_DM_LINE_LIFETIME",
    "LEVEL_LABELS",
    "MAX_REPOSTS",
    "REPOST_AFTER",
    "AnswerDecision",
    "MemberState",
    "Why",
    "alert_text",
    "alert_wanted",
    "answer_text",
    "categories_line",
    "claimed_line",
    "decide_answer",
    "dry_run_report",
    "emergency_phrase",
    "needs_substance_line",
    "talk_limited_text",
]
