"""Buddy rounds and their groups in SQL: recorded once, ended kindly, followed up. Part of :class:`BuddyRepo`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.buddies.lifecycle import QuietOutcome
from bot.clock import to_db
from bot.store.repo import Repo
from bot.store.rows import from_row

__all__ = ["BuddyRounds", "GroupInfo", "Notice", "RoundInfo"]

UNMATCHED, PAUSED = "unmatched", "paused"
"""The kinds of DM a round owes a member who wasn't grouped."""


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """One round that ran."""

    id: int
    guild_id: int
    scheduled_for: datetime | None
    ran_at: datetime
    ends_at: datetime
    seed: int


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A group in a round, with the members still in it."""

    id: int
    round_id: int
    guild_id: int
    reason: str
    thread_id: int | None
    status: str
    user_ids: tuple[int, ...]
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Notice:
    """A DM a recorded round still owes a member: ``kind`` is :data:`UNMATCHED` or :data:`PAUSED`."""

    user_id: int
    kind: str


class BuddyRounds(Repo):
    """Pairing rounds and their groups; part of :class:`bot.store.buddies.BuddyRepo`."""

    # -- rounds -----------------------------------------------------------------------------
    async def latest_round(self, guild_id: int) -> RoundInfo | None:
        """The most recent round that ran in the server."""
        row = await self._db.fetchone(
            "SELECT id, guild_id, scheduled_for, ran_at, ends_at, seed FROM buddy_rounds "
            "WHERE guild_id = ? ORDER BY id DESC LIMIT 1",
            (guild_id,),
        )
        return None if row is None else self._round(row)

    async def get_round(self, round_id: int) -> RoundInfo | None:
        """One round by id."""
        row = await self._db.fetchone(
            "SELECT id, guild_id, scheduled_for, ran_at, ends_at, seed FROM buddy_rounds WHERE id = ?", (round_id,)
        )
        return None if row is None else self._round(row)

    async def scheduled_round(self, guild_id: int, scheduled_for: datetime) -> RoundInfo | None:
        """The scheduled round at this time, if it was recorded."""
        row = await self._db.fetchone(
            "SELECT id, guild_id, scheduled_for, ran_at, ends_at, seed FROM buddy_rounds "
            "WHERE guild_id = ? AND scheduled_for = ?",
            (guild_id, to_db(scheduled_for)),
        )
        return None if row is None else self._round(row)

    async def recent_pairs(self, guild_id: int, rounds: int) -> set[frozenset[int]]:
        """Every pair grouped together in the last ``rounds`` rounds (ended pairings included)."""
        rows = await self._db.fetchall(
            "SELECT a.user_id, b.user_id FROM buddy_group_members a "
            "JOIN buddy_group_members b ON a.group_id = b.group_id AND a.user_id < b.user_id "
            "JOIN buddy_groups g ON g.id = a.group_id "
            "WHERE g.round_id IN (SELECT id FROM buddy_rounds WHERE guild_id = ? ORDER BY id DESC LIMIT ?)",
            (guild_id, max(rounds, 0)),
        )
        return {frozenset((r[0], r[1])) for r in rows}

    async def recent_memberships(self, guild_id: int, rounds: int) -> tuple[list[int], dict[int, set[int]]]:
        """Round ids (newest first) and who was grouped in each, for "rounds since paired"."""
        round_rows = await self._db.fetchall(
            "SELECT id FROM buddy_rounds WHERE guild_id = ? ORDER BY id DESC LIMIT ?", (guild_id, rounds)
        )
        ids = [r[0] for r in round_rows]
        members: dict[int, set[int]] = {i: set() for i in ids}
        if ids:
            rows = await self._db.fetchall(
                "SELECT g.round_id, m.user_id FROM buddy_group_members m JOIN buddy_groups g ON g.id = m.group_id "
                "WHERE g.guild_id = ? AND g.round_id >= ?",
                (guild_id, min(ids)),
            )
            for r in rows:
                members.setdefault(r[0], set()).add(r[1])
        return ids, members

    async def quiet_answers(self, round_id: int) -> dict[int, str | None]:
        """Answers to "Did you connect?" from members whose pairing ran its course (not ended)."""
        rows = await self._db.fetchall(
            "SELECT m.user_id, m.connected FROM buddy_group_members m JOIN buddy_groups g ON g.id = m.group_id "
            "WHERE g.round_id = ? AND g.status = 'active' AND m.left_at IS NULL",
            (round_id,),
        )
        return {r[0]: r[1] for r in rows}

    async def record_round(
        self,
        guild_id: int,
        *,
        scheduled_for: datetime | None,
        ran_at: datetime,
        ends_at: datetime,
        seed: int,
        groups: Sequence[tuple[str, Sequence[int]]],
        unmatched: Sequence[int],
        quiet: QuietOutcome,
    ) -> tuple[int, list[int]] | None:
        """Write the round, its groups and everyone's new state in ONE transaction.

        Returns (round id, group ids in the order given), or None if this scheduled round already
        ran (the unique (guild, time) key), which is what makes a round impossible to run twice.
        """
        async with self._db.transaction() as tx:
            if scheduled_for is not None and await tx.exists(
                "SELECT 1 FROM buddy_rounds WHERE guild_id = ? AND scheduled_for = ?",
                (guild_id, to_db(scheduled_for)),
            ):
                return None
            # The previous round's pairings are over; ended ones keep their status.
            await tx.execute(
                "UPDATE buddy_groups SET status = 'finished' WHERE guild_id = ? AND status = 'active'", (guild_id,)
            )
            round_id = await tx.insert(
                "INSERT INTO buddy_rounds (guild_id, scheduled_for, ran_at, ends_at, seed) VALUES (?, ?, ?, ?, ?)",
                (
                    guild_id,
                    None if scheduled_for is None else to_db(scheduled_for),
                    to_db(ran_at),
                    to_db(ends_at),
                    seed,
                ),
            )
            group_ids: list[int] = []
            for reason, user_ids in groups:
                group_id = await tx.insert(
                    "INSERT INTO buddy_groups (round_id, guild_id, reason) VALUES (?, ?, ?)",
                    (round_id, guild_id, reason),
                )
                group_ids.append(group_id)
                await tx.executemany(
                    "INSERT INTO buddy_group_members (group_id, guild_id, user_id) VALUES (?, ?, ?)",
                    [(group_id, guild_id, u) for u in user_ids],
                )
                await tx.executemany(
                    "UPDATE buddy_members SET priority = 0, last_paired_at = ? WHERE guild_id = ? AND user_id = ?",
                    [(to_db(ran_at), guild_id, u) for u in user_ids],
                )
            # Who is owed a DM is stored with the round, so a rerun after a restart sends only what's missing.
            await tx.executemany(
                "UPDATE buddy_members SET priority = 1, notice_round_id = ?, notice_kind = ? "
                "WHERE guild_id = ? AND user_id = ?",
                [(round_id, UNMATCHED, guild_id, u) for u in unmatched],
            )
            await tx.executemany(
                "UPDATE buddy_members SET ignored_rounds = ? WHERE guild_id = ? AND user_id = ?",
                [(count, guild_id, u) for u, count in quiet.counts.items()],
            )
            await tx.executemany(
                "UPDATE buddy_members SET auto_paused = 1, notice_round_id = ?, notice_kind = ? "
                "WHERE guild_id = ? AND user_id = ? AND status = 'active'",
                [(round_id, PAUSED, guild_id, u) for u in sorted(quiet.to_pause)],
            )
        return round_id, group_ids

    async def set_thread(self, group_id: int, thread_id: int) -> None:
        """Remember the group's private thread."""
        await self._db.execute("UPDATE buddy_groups SET thread_id = ? WHERE id = ?", (thread_id, group_id))

    async def mark_introduced(self, group_id: int, now: datetime) -> None:
        """The group's introduction went out: a rerun of its round must not send it again."""
        await self._db.execute("UPDATE buddy_groups SET introduced_at = ? WHERE id = ?", (to_db(now), group_id))

    async def pending_intros(self, round_id: int) -> list[tuple[int, GroupInfo]]:
        """The round's running groups not yet introduced, each with its place among all the round's groups
        (the starter questions follow it)."""
        rows = await self._db.fetchall(
            "SELECT id, introduced_at, status FROM buddy_groups WHERE round_id = ? ORDER BY id", (round_id,)
        )
        pending = []
        for index, row in enumerate(rows):
            group = None if row[1] is not None or row[2] != "active" else await self.group(row[0])
            if group is not None and len(group.user_ids) >= 2:  # nobody to introduce once one stepped away
                pending.append((index, group))
        return pending

    async def notices_owed(self, guild_id: int, round_id: int) -> list[Notice]:
        """The DMs this round still owes its unmatched and newly paused members."""
        rows = await self._db.fetchall(
            "SELECT user_id, notice_kind FROM buddy_members WHERE guild_id = ? AND notice_round_id = ? "
            "ORDER BY user_id",
            (guild_id, round_id),
        )
        return [Notice(r[0], r[1]) for r in rows]

    async def notice_sent(self, guild_id: int, user_id: int, round_id: int) -> None:
        """The member's DM from this round went out (or was given up on): never send it again."""
        await self._db.execute(
            "UPDATE buddy_members SET notice_round_id = NULL, notice_kind = NULL "
            "WHERE guild_id = ? AND user_id = ? AND notice_round_id = ?",
            (guild_id, user_id, round_id),
        )

    # -- groups -----------------------------------------------------------------------------
    async def active_group(self, guild_id: int, user_id: int) -> GroupInfo | None:
        """The member's current group, if they're in one and haven't stepped away."""
        group_id = await self._db.fetchval(
            "SELECT g.id FROM buddy_group_members m JOIN buddy_groups g ON g.id = m.group_id "
            "WHERE m.guild_id = ? AND m.user_id = ? AND m.left_at IS NULL AND g.status = 'active' "
            "ORDER BY g.id DESC LIMIT 1",
            (guild_id, user_id),
        )
        return None if group_id is None else await self.group(group_id)

    async def group(self, group_id: int) -> GroupInfo | None:
        """A group with the members still in it."""
        row = await self._db.fetchone(
            "SELECT g.id, g.round_id, g.guild_id, g.reason, g.thread_id, g.status, r.ends_at "
            "FROM buddy_groups g JOIN buddy_rounds r ON r.id = g.round_id WHERE g.id = ?",
            (group_id,),
        )
        if row is None:
            return None
        members = await self._db.fetchall(
            "SELECT user_id FROM buddy_group_members WHERE group_id = ? AND left_at IS NULL ORDER BY user_id",
            (group_id,),
        )
        return from_row(GroupInfo, row, user_ids=tuple(r[0] for r in members))

    async def round_groups(self, round_id: int) -> list[GroupInfo]:
        """The round's groups still running."""
        rows = await self._db.fetchall(
            "SELECT id FROM buddy_groups WHERE round_id = ? AND status = 'active' ORDER BY id", (round_id,)
        )
        groups = [await self.group(r[0]) for r in rows]
        return [g for g in groups if g is not None]

    async def step_away(self, group_id: int, user_id: int, *, now: datetime) -> tuple[int, ...] | None:
        """The member leaves the group. Returns who remains; under two left ends the group.

        Anyone left without a buddy goes first in line for the next round. Returns None when the
        member had already stepped away (or never was in the group), so two racing ends (a double
        click, an erasure) tell the partner only once.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE buddy_group_members SET left_at = ? WHERE group_id = ? AND user_id = ? AND left_at IS NULL",
                (to_db(now), group_id, user_id),
            )
            if changed != 1:
                return None
            rows = await tx.fetchall(
                "SELECT user_id, guild_id FROM buddy_group_members WHERE group_id = ? AND left_at IS NULL",
                (group_id,),
            )
            remaining = tuple(sorted(r[0] for r in rows))
            if len(remaining) < 2:
                await tx.execute(
                    "UPDATE buddy_groups SET status = 'ended', ended_at = ? WHERE id = ?", (to_db(now), group_id)
                )
                await tx.executemany(
                    "UPDATE buddy_members SET priority = 1 WHERE guild_id = ? AND user_id = ?",
                    [(r[1], r[0]) for r in rows],
                )
        return remaining

    async def record_connect(self, group_id: int, user_id: int, answer: str, *, now: datetime) -> bool:
        """Save a "Did you connect?" answer; False if the member isn't in that group."""
        changed = await self._db.execute(
            "UPDATE buddy_group_members SET connected = ?, answered_at = ? WHERE group_id = ? AND user_id = ?",
            (answer, to_db(now), group_id, user_id),
        )
        return changed == 1

    @staticmethod
    def _round(row: Any) -> RoundInfo:
        return from_row(RoundInfo, row)
