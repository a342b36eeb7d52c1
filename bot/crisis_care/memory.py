"""What the crisis service remembers about each member's answers, so the cooldown and a mute hold while
the database is down or slow.

The database is the truth; this memory is only a stand-in for it, kept beside it: every answer and
acknowledgement is remembered here at once and stored in the background.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.crisis_care.policy import MemberState

if TYPE_CHECKING:
    from bot.crisis_care.work import CareWork
    from bot.host import Host

__all__ = ["AnswerMemory", "merge_state"]

# Memory of recent answers is only a stand-in for the database; past this size old entries are dropped.
_MEMORY_LIMIT = 5000


def merge_state(stored: MemberState, remembered: MemberState | None) -> MemberState:
    """The stored state, with anything more recent this process remembers (a write may have failed)."""
    if remembered is None:
        return stored
    last_at, last_level = stored.last_answer_at, stored.last_answer_level
    if remembered.last_answer_at is not None and (last_at is None or remembered.last_answer_at > last_at):
        last_at, last_level = remembered.last_answer_at, remembered.last_answer_level
    acks = [a for a in (stored.acknowledged_at, remembered.acknowledged_at) if a is not None]
    return MemberState(stored.muted, last_at, last_level, max(acks) if acks else None)


class AnswerMemory:
    """Recent answers, acknowledgements and mute choices, merged with what the database says."""

    def __init__(self, bot: Host, work: CareWork) -> None:
        self.bot = bot
        self.work = work
        self._remembered: dict[int, MemberState] = {}
        # The last mute choice seen for each member, so a member who muted (perhaps because someone was
        # using the feature against them) stays muted while the database is down.
        self._muted: dict[int, bool] = {}

    def remember(self, user_id: int, state: MemberState) -> None:
        """Keep the latest answer/acknowledgement in memory too, in case the database write fails."""
        if len(self._remembered) >= _MEMORY_LIMIT:
            self._remembered.clear()  # only a stand-in: dropping it costs at most one extra answer
        self._remembered[user_id] = merge_state(state, self._remembered.get(user_id))

    def acknowledge(self, user_id: int, now: datetime) -> None:
        """The member said they're OK: remembered at once, stored in the background."""
        self.remember(user_id, MemberState(acknowledged_at=now))
        self.work.write_later("recording I'm OK", lambda: self.bot.store.crisis.acknowledge(user_id, now=now))

    def note_muted(self, user_id: int, muted: bool) -> None:
        """Remember a member's mute choice (read or just saved) for when the database can't be read."""
        if len(self._muted) >= _MEMORY_LIMIT:
            self._muted.clear()
        self._muted[user_id] = muted

    async def member_state(self, user_id: int) -> MemberState:
        """The member's answer state: stored (bounded), merged with what this process remembers."""
        stored = await self.work.attempt(
            "reading crisis state", lambda: self.bot.store.crisis.member_state(user_id), None
        )
        remembered = self._remembered.get(user_id)
        if stored is None:
            fallback = merge_state(MemberState(), remembered)
            return replace(fallback, muted=self._muted.get(user_id, False))
        self.note_muted(user_id, stored.muted)
        return merge_state(stored, remembered)
