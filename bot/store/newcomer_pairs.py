"""Repository for first-30-days buddies: mentors' opt-in, requests waiting for a mentor, and pairs.

Private to the two members of a pair (listed in :mod:`bot.privacy`); a request's row is the
newcomer's, and the mentor's id in it is theirs too, so either one's export shows it and either one's
erasure removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import to_db
from bot.db import Row
from bot.store.repo import Repo, written
from bot.store.rows import from_row

__all__ = ["NewcomerPair", "NewcomerPairRepo"]


_COLUMNS = "id, guild_id, user_id, mentor_user_id, status, told_waiting, thread_id, asked_at, paired_at, ended_at"


@dataclass(frozen=True, slots=True)
class NewcomerPair:
    """One request for a first-30-days buddy, waiting or paired (or ended)."""

    id: int
    guild_id: int
    user_id: int
    mentor_user_id: int | None
    status: str  # waiting | paired | ended
    told_waiting: bool
    thread_id: int | None
    asked_at: datetime
    paired_at: datetime | None
    ended_at: datetime | None


def _pair(row: Row) -> NewcomerPair:
    return from_row(NewcomerPair, row)


class NewcomerPairRepo(Repo):
    """Mentor opt-ins and first-30-days pairs."""

    # -- mentors ----------------------------------------------------------------------------
    async def set_mentor(self, guild_id: int, user_id: int, on: bool, *, now: datetime) -> bool:
        """Record a buddy member's offer to be a first-30-days buddy; False when they aren't an active member."""
        changed = await self._db.execute(
            "UPDATE buddy_members SET newcomer_mentor = ?, updated_at = ? "
            "WHERE guild_id = ? AND user_id = ? AND status = 'active'",
            (int(on), to_db(now), guild_id, user_id),
        )
        return changed > 0

    async def is_mentor(self, guild_id: int, user_id: int) -> bool:
        """Whether the member has offered (and is still in buddy pairing)."""
        return await self._db.exists(
            "SELECT 1 FROM buddy_members WHERE guild_id = ? AND user_id = ? AND status = 'active' "
            "AND newcomer_mentor = 1",
            (guild_id, user_id),
        )

    async def mentor_ids(self, guild_id: int) -> list[int]:
        """Active buddy members of the server who offered, steady or mentor by their own description."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM buddy_members WHERE guild_id = ? AND status = 'active' AND newcomer_mentor = 1 "
            "AND experience IN ('steady', 'mentor') ORDER BY user_id",
            (guild_id,),
        )
        return [r[0] for r in rows]

    async def mentor_load(self, guild_id: int) -> dict[int, int]:
        """How many open pairs each mentor has now."""
        rows = await self._db.fetchall(
            "SELECT mentor_user_id, count(*) FROM newcomer_pairs WHERE guild_id = ? AND status = 'paired' "
            "GROUP BY mentor_user_id",
            (guild_id,),
        )
        return {r[0]: r[1] for r in rows}

    # -- requests and pairs -----------------------------------------------------------------
    async def open_request(self, guild_id: int, user_id: int) -> NewcomerPair | None:
        """The member's waiting or paired request in the server."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM newcomer_pairs WHERE guild_id = ? AND user_id = ? "
            "AND status IN ('waiting', 'paired')",
            (guild_id, user_id),
        )
        return None if row is None else _pair(row)

    async def get(self, pair_id: int) -> NewcomerPair | None:
        """One request by id."""
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM newcomer_pairs WHERE id = ?", (pair_id,))
        return None if row is None else _pair(row)

    async def request(self, guild_id: int, user_id: int, *, now: datetime) -> NewcomerPair:
        """Open a request (waiting) unless one is open already; returns the open one."""
        await self._db.execute(
            "INSERT INTO newcomer_pairs (guild_id, user_id, status, asked_at) SELECT ?, ?, 'waiting', ? "
            "WHERE NOT EXISTS (SELECT 1 FROM newcomer_pairs WHERE guild_id = ? AND user_id = ? "
            "AND status IN ('waiting', 'paired'))",
            (guild_id, user_id, to_db(now), guild_id, user_id),
        )
        return written(await self.open_request(guild_id, user_id), f"buddy request of {user_id}")

    async def waiting(self, guild_id: int) -> list[NewcomerPair]:
        """Requests waiting for a mentor, first asked first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM newcomer_pairs WHERE guild_id = ? AND status = 'waiting' ORDER BY asked_at, id",
            (guild_id,),
        )
        return [_pair(r) for r in rows]

    async def guilds_waiting(self) -> list[int]:
        """Servers with a request waiting."""
        rows = await self._db.fetchall("SELECT DISTINCT guild_id FROM newcomer_pairs WHERE status = 'waiting'")
        return [r[0] for r in rows]

    async def mark_told_waiting(self, pair_id: int) -> None:
        """The member has been told honestly that no mentor is free yet (told once)."""
        await self._db.execute("UPDATE newcomer_pairs SET told_waiting = 1 WHERE id = ?", (pair_id,))

    async def pair(self, pair_id: int, mentor_user_id: int, *, now: datetime) -> bool:
        """Pair a waiting request with a mentor; False if it was no longer waiting (a racing attempt)."""
        changed = await self._db.execute(
            "UPDATE newcomer_pairs SET status = 'paired', mentor_user_id = ?, paired_at = ? "
            "WHERE id = ? AND status = 'waiting'",
            (mentor_user_id, to_db(now), pair_id),
        )
        return changed == 1

    async def set_thread(self, pair_id: int, thread_id: int) -> None:
        """Remember the pair's private thread."""
        await self._db.execute("UPDATE newcomer_pairs SET thread_id = ? WHERE id = ?", (thread_id, pair_id))

    async def end(self, pair_id: int, *, now: datetime) -> NewcomerPair | None:
        """End an open request or pair; returns it as it was, or None if it was already over."""
        before = await self.get(pair_id)
        changed = await self._db.execute(
            "UPDATE newcomer_pairs SET status = 'ended', ended_at = ? WHERE id = ? AND status != 'ended'",
            (to_db(now), pair_id),
        )
        return before if changed == 1 else None

    async def open_of(self, user_id: int) -> list[NewcomerPair]:
        """Every open request or pair the member is in, as newcomer or as mentor, in any server."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM newcomer_pairs WHERE status IN ('waiting', 'paired') "
            "AND (user_id = ? OR mentor_user_id = ?) ORDER BY id",
            (user_id, user_id),
        )
        return [_pair(r) for r in rows]

    async def past_mentors(self, guild_id: int, user_id: int) -> set[int]:
        """Mentors the member was paired with before (not to be paired again after asking to change)."""
        rows = await self._db.fetchall(
            "SELECT mentor_user_id FROM newcomer_pairs WHERE guild_id = ? AND user_id = ? AND status = 'ended' "
            "AND mentor_user_id IS NOT NULL",
            (guild_id, user_id),
        )
        return {r[0] for r in rows}

    async def kept_newcomers(self, guild_id: int) -> set[int]:
        """Members whose first-30-days buddy stays through a normal round (they sit the round out)."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM newcomer_pairs WHERE guild_id = ? AND status = 'paired'", (guild_id,)
        )
        return {r[0] for r in rows}
