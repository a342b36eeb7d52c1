"""When Kindred answers a member automatically, and when it alerts a server's crisis team.

Plain rules over plain values, so every case is unit-tested without Discord or a database:

- one automatic answer per member per 6 hours, unless the level rises to imminent;
- after "I'm OK", no automatic answer for 24 hours unless the level is imminent;
- a member who muted automatic answers gets none (moderator alerts still follow the server policy);
- the server's alert policy (off / imminent / all) decides which detections alert the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.crisis import Level

__all__ = [
    "ACK_QUIET",
    "ALERT_DEDUPE",
    "ANSWER_COOLDOWN",
    "CLOSED_DM_LINE_LIFETIME",
    "MAX_REPOSTS",
    "REPOST_AFTER",
    "AnswerDecision",
    "MemberState",
    "Why",
    "alert_wanted",
    "decide_answer",
]

ANSWER_COOLDOWN = timedelta(hours=6)
ACK_QUIET = timedelta(hours=24)
REPOST_AFTER = timedelta(minutes=15)
MAX_REPOSTS = 3
# A second alert about the same member at the same or a lower level within this window adds noise,
# not information: the team already has one to act on.
ALERT_DEDUPE = timedelta(hours=6)
# Long enough for the member to see the closed-DM line in the channel, short enough not to linger there.
CLOSED_DM_LINE_LIFETIME = timedelta(minutes=3)


@dataclass(frozen=True, slots=True)
class MemberState:
    """What the bot remembers about a member's automatic answers (the defaults when nothing is stored)."""

    muted: bool = False
    last_answer_at: datetime | None = None
    last_answer_level: Level | None = None
    acknowledged_at: datetime | None = None


class Why(StrEnum):
    """The reason behind an answer decision (for logs and ``/crisis test``)."""

    NOTHING = "nothing detected"
    MUTED = "the member muted automatic answers"
    ACKNOWLEDGED = "the member said they're OK in the last 24 hours"
    COOLDOWN = "the member was answered in the last 6 hours"
    ESCALATION = "the level rose to imminent since the last answer"
    FIRST = "no recent answer"


@dataclass(frozen=True, slots=True)
class AnswerDecision:
    """Whether to send the member a private answer now, and why."""

    answer: bool
    why: Why


def decide_answer(state: MemberState, level: Level, now: datetime) -> AnswerDecision:
    """Apply mute, the "I'm OK" quiet period and the cooldown (with escalation) to one detection."""
    if level <= Level.NONE:
        return AnswerDecision(False, Why.NOTHING)
    if state.muted:
        return AnswerDecision(False, Why.MUTED)
    imminent = level >= Level.IMMINENT
    if state.acknowledged_at is not None and now - state.acknowledged_at < ACK_QUIET and not imminent:
        return AnswerDecision(False, Why.ACKNOWLEDGED)
    if state.last_answer_at is not None and now - state.last_answer_at < ANSWER_COOLDOWN:
        previous = state.last_answer_level if state.last_answer_level is not None else Level.NONE
        if imminent and previous < Level.IMMINENT:
            return AnswerDecision(True, Why.ESCALATION)
        return AnswerDecision(False, Why.COOLDOWN)
    return AnswerDecision(True, Why.FIRST)


def alert_wanted(policy: str, level: Level) -> bool:
    """True when the server's alert policy says this level should alert the crisis team.

    Unknown policies behave like ``imminent``, the default: a typo must neither silence alerts nor flood them.
    """
    if level <= Level.NONE or policy == "off":
        return False
    if policy == "all":
        return True
    return level >= Level.IMMINENT
