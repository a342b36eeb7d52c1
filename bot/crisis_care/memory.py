"""What the crisis service remembers about each member's answers, so the cooldown and a mute hold while
the database is down or slow.

The database is the truth, shared by every process on it: an answer is decided and recorded in one
transaction (:meth:`AnswerMemory.take_answer`), so two processes seeing the same member at once answer once.
This memory is only a stand-in for it, kept beside it: every answer and acknowledgement is remembered here
too, and when the database is down or slow the decision is taken on what this process remembers (logged).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.crisis import Level
from bot.crisis_care.policy import AnswerDecision, MemberState, decide_answer

if TYPE_CHECKING:
    from bot.crisis_care.work import CareWork
    from bot.host import Host

__all__ = ["AnswerMemory", "TakenAnswer", "merge_state"]

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


@dataclass(frozen=True, slots=True)
class TakenAnswer:
    """An answer decided on: whether to send it, and what the database held before it was recorded there
    (``None``: the database couldn't be reached, so nothing is recorded yet)."""

    decision: AnswerDecision
    previous: MemberState | None


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

    async def take_answer(self, user_id: int, level: Level, now: datetime) -> TakenAnswer:
        """Decide whether to answer the member now and, if so, record it in the same transaction, for every process.

        Bounded like every store call on the member's path: with the database down or slow, the decision is
        taken on this process's memory (and recorded once the answer went out, by :meth:`answered`).
        """
        decisions: list[AnswerDecision] = []

        def decide(stored: MemberState) -> bool:
            self.note_muted(user_id, stored.muted)
            decisions.append(decide_answer(merge_state(stored, self._remembered.get(user_id)), level, now))
            return decisions[-1].answer

        taken = await self.work.attempt(
            "deciding on a crisis answer",
            lambda: self.bot.store.crisis.take_answer(user_id, level, now=now, decide=decide),
            None,
        )
        if taken is None or not decisions:
            fallback = merge_state(MemberState(), self._remembered.get(user_id))
            state = replace(fallback, muted=self._muted.get(user_id, False))
            return TakenAnswer(decide_answer(state, level, now), None)
        return TakenAnswer(decisions[-1], taken[0])

    def answered(self, user_id: int, level: Level, now: datetime, taken: TakenAnswer, *, delivered: bool) -> None:
        """After sending: remember a delivered answer (and store it, if the database missed it at the decision);
        give an undelivered one back, so the cooldown doesn't hold for an answer nobody received."""
        if delivered:
            self.remember(user_id, MemberState(last_answer_at=now, last_answer_level=level))
            if taken.previous is None:
                self.work.write_later(
                    "recording the answer", lambda: self.bot.store.crisis.record_answer(user_id, level, now=now)
                )
        elif taken.previous is not None:
            previous = taken.previous
            self.work.write_later(
                "giving back an undelivered answer",
                lambda: self.bot.store.crisis.give_back_answer(user_id, taken_at=now, previous=previous, now=now),
            )
