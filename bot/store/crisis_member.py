"""Crisis care's per-member state: the answer cooldown, "I'm OK" and the mute, shared by every process.

The state follows a member across servers, and so across the processes of a cluster: deciding on an answer
and recording it is one transaction (:meth:`CrisisMemberRepo.take_answer`), so two processes never both answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.clock import to_db
from bot.crisis import Level
from bot.crisis_care.policy import MemberState
from bot.store.repo import Repo
from bot.store.rows import from_row

__all__ = ["CrisisMemberRepo"]

_STATE = "SELECT muted, last_answer_at, last_answer_level, acknowledged_at FROM crisis_member_state WHERE user_id = ?"


class CrisisMemberRepo(Repo):
    """The ``crisis_member_state`` table (the crisis repository's member half)."""

    # -- member state -------------------------------------------------------------------------
    async def member_state(self, user_id: int) -> MemberState:
        """The member's answer state (defaults when nothing is stored)."""
        row = await self._db.fetchone(_STATE, (user_id,))
        if row is None:
            return MemberState()
        return from_row(MemberState, row)

    async def record_answer(self, user_id: int, level: Level, *, now: datetime) -> None:
        """Remember that the member was answered automatically now, at ``level``."""
        await self._db.execute(
            "INSERT INTO crisis_member_state (user_id, last_answer_at, last_answer_level, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET last_answer_at = excluded.last_answer_at, "
            "last_answer_level = excluded.last_answer_level, updated_at = excluded.updated_at",
            (user_id, to_db(now), int(level), to_db(now)),
        )

    async def take_answer(
        self, user_id: int, level: Level, *, now: datetime, decide: Callable[[MemberState], bool]
    ) -> tuple[MemberState, bool]:
        """Read the member's state and, if ``decide(state)`` says answer, record the answer now, atomically.

        Returns the state read and whether the answer was taken. In one write transaction, so of two processes
        deciding at once for the same member, the second reads the first's answer: one answer, one cooldown.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetchone(_STATE, (user_id,))
            state = MemberState() if row is None else from_row(MemberState, row)
            if not decide(state):
                return state, False
            await tx.execute(
                "INSERT INTO crisis_member_state (user_id, last_answer_at, last_answer_level, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET last_answer_at = excluded.last_answer_at, "
                "last_answer_level = excluded.last_answer_level, updated_at = excluded.updated_at",
                (user_id, to_db(now), int(level), to_db(now)),
            )
        return state, True

    async def give_back_answer(self, user_id: int, *, taken_at: datetime, previous: MemberState, now: datetime) -> None:
        """An answer taken at ``taken_at`` never reached the member: the last answer is ``previous``'s again
        (unless a later answer replaced it meanwhile)."""
        last_at = None if previous.last_answer_at is None else to_db(previous.last_answer_at)
        last_level = None if previous.last_answer_level is None else int(previous.last_answer_level)
        await self._db.execute(
            "UPDATE crisis_member_state SET last_answer_at = ?, last_answer_level = ?, updated_at = ? "
            "WHERE user_id = ? AND last_answer_at = ?",
            (last_at, last_level, to_db(now), user_id, to_db(taken_at)),
        )

    async def acknowledge(self, user_id: int, *, now: datetime) -> None:
        """The member clicked "I'm OK"."""
        await self._db.execute(
            "INSERT INTO crisis_member_state (user_id, acknowledged_at, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET acknowledged_at = excluded.acknowledged_at, "
            "updated_at = excluded.updated_at",
            (user_id, to_db(now), to_db(now)),
        )

    async def set_muted(self, user_id: int, muted: bool, *, now: datetime) -> bool:
        """Turn automatic answers off (or on); returns False when it already was that way."""
        async with self._db.transaction() as tx:
            current = await tx.fetchval("SELECT muted FROM crisis_member_state WHERE user_id = ?", (user_id,))
            if bool(current) == muted:
                return False
            await tx.execute(
                "INSERT INTO crisis_member_state (user_id, muted, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET muted = excluded.muted, updated_at = excluded.updated_at",
                (user_id, int(muted), to_db(now)),
            )
        return True
