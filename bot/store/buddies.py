"""Repository for buddy pairing: profiles, do-not-pair lists, rounds and their groups.

``current_partners`` and ``hard_moment_opt_in`` keep the signatures the check-ins feature relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.buddies.profiles import BuddyProfile
from bot.clock import to_db
from bot.db import Database
from bot.store.buddy_rounds import BuddyRounds, GroupInfo, RoundInfo
from bot.store.repo import Repo
from bot.store.rows import columns, from_row

__all__ = ["BuddyRepo", "BuddyRounds", "GroupInfo", "RoundInfo"]


_PROFILE_COLUMNS = columns(BuddyProfile, prefix="b.", leave_out=("interests", "timezone", "reachable"))


def _profile(
    row: Any, interests: Iterable[str] = (), timezone: str | None = None, reachable: bool = True
) -> BuddyProfile:
    return from_row(BuddyProfile, row, interests=frozenset(interests), timezone=timezone, reachable=reachable)


class BuddyRepo(Repo):
    """Everything buddy pairing stores: profiles and do-not-pair lists here, rounds and groups in ``rounds``."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.rounds = BuddyRounds(db)

    # -- the interface other features use ---------------------------------------------------
    async def current_partners(self, guild_id: int, user_id: int) -> list[int]:
        """User ids of the member's current buddy (or two, in a group of three); empty if none."""
        group = await self.rounds.active_group(guild_id, user_id)
        return [] if group is None else [u for u in group.user_ids if u != user_id]

    async def hard_moment_opt_in(self, guild_id: int, user_id: int) -> bool:
        """Whether the member agreed (``/buddy notify on``) to let their buddy know about hard moments."""
        value = await self._db.fetchval(
            "SELECT notify_hard_moments FROM buddy_members WHERE guild_id = ? AND user_id = ? AND status = 'active'",
            (guild_id, user_id),
        )
        return bool(value)

    async def set_hard_moment_opt_in(self, guild_id: int, user_id: int, on: bool, *, now: datetime) -> bool:
        """Turn the hard-moment notice on or off; False if the member hasn't joined pairing."""
        changed = await self._db.execute(
            "UPDATE buddy_members SET notify_hard_moments = ?, updated_at = ? WHERE guild_id = ? AND user_id = ?",
            (int(on), to_db(now), guild_id, user_id),
        )
        return changed == 1

    # -- profiles ---------------------------------------------------------------------------
    async def get(self, guild_id: int, user_id: int) -> BuddyProfile | None:
        """The member's pairing profile (any status), or None if they never joined."""
        row = await self._db.fetchone(
            f"SELECT {_PROFILE_COLUMNS} FROM buddy_members b WHERE b.guild_id = ? AND b.user_id = ?",
            (guild_id, user_id),
        )
        if row is None:
            return None
        interests = await self._db.fetchall(
            "SELECT i.name FROM member_interests m JOIN interests i ON i.id = m.interest_id "
            "WHERE i.guild_id = ? AND m.user_id = ?",
            (guild_id, user_id),
        )
        prefs = await self._db.fetchone("SELECT timezone, dm_closed_at FROM member_prefs WHERE user_id = ?", (user_id,))
        tz, closed = (prefs[0], prefs[1]) if prefs is not None else (None, None)
        return _profile(row, (r[0] for r in interests), tz, closed is None)

    async def join(
        self, guild_id: int, user_id: int, *, pathway: str, experience: str, wants: str, now: datetime
    ) -> bool:
        """Opt in (or back in): active, unpaused. Returns True if this is the first time in this server."""
        async with self._db.transaction() as tx:
            existed = await tx.exists(
                "SELECT 1 FROM buddy_members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            await tx.execute(
                "INSERT INTO buddy_members (guild_id, user_id, pathway, experience, wants, joined_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET status = 'active', "
                "pathway = excluded.pathway, experience = excluded.experience, wants = excluded.wants, "
                "paused_until = NULL, auto_paused = 0, ignored_rounds = 0, updated_at = excluded.updated_at",
                (guild_id, user_id, pathway, experience, wants, to_db(now), to_db(now)),
            )
        return not existed

    async def update(self, guild_id: int, user_id: int, *, now: datetime, **fields: str) -> bool:
        """Change pathway / experience / wants. False if the member hasn't joined."""
        allowed = {"pathway", "experience", "wants"}
        if not fields or not set(fields) <= allowed:
            raise ValueError(f"can only update {sorted(allowed)}")
        # Column names come from the fixed set above, never from member input.
        assignments = ", ".join(f"{name} = ?" for name in sorted(fields))
        changed = await self._db.execute(
            f"UPDATE buddy_members SET {assignments}, updated_at = ? WHERE guild_id = ? AND user_id = ?",
            (*(fields[name] for name in sorted(fields)), to_db(now), guild_id, user_id),
        )
        return changed == 1

    async def leave(self, guild_id: int, user_id: int, *, now: datetime) -> bool:
        """Leave pairing. Preferences and the do-not-pair list are kept for a possible return."""
        return await self._update_active(guild_id, user_id, "status = 'left', priority = 0", (), now=now)

    async def pause(self, guild_id: int, user_id: int, until: datetime, *, now: datetime) -> bool:
        """Sit rounds out until ``until``."""
        return await self._update_active(guild_id, user_id, "paused_until = ?", (to_db(until),), now=now)

    async def resume(self, guild_id: int, user_id: int, *, now: datetime) -> bool:
        """End any pause (chosen or automatic)."""
        assignments = "paused_until = NULL, auto_paused = 0, ignored_rounds = 0"
        return await self._update_active(guild_id, user_id, assignments, (), now=now)

    async def skip_round(self, guild_id: int, user_id: int, round_at: datetime, *, now: datetime) -> bool:
        """Leave the member out of the round due at ``round_at`` only."""
        return await self._update_active(guild_id, user_id, "skip_round_at = ?", (to_db(round_at),), now=now)

    async def _update_active(
        self, guild_id: int, user_id: int, assignments: str, values: tuple[Any, ...], *, now: datetime
    ) -> bool:
        """Change an active member's row. ``assignments`` is fixed SQL written in this class, never member input."""
        changed = await self._db.execute(
            f"UPDATE buddy_members SET {assignments}, updated_at = ? "
            "WHERE guild_id = ? AND user_id = ? AND status = 'active'",
            (*values, to_db(now), guild_id, user_id),
        )
        return changed == 1

    async def profiles(self, guild_id: int) -> list[BuddyProfile]:
        """Every active member's profile with interests and time zone, in two queries."""
        rows = await self._db.fetchall(
            f"SELECT {_PROFILE_COLUMNS}, p.timezone AS tz, p.dm_closed_at AS closed "
            "FROM buddy_members b LEFT JOIN member_prefs p ON p.user_id = b.user_id "
            "WHERE b.guild_id = ? AND b.status = 'active' ORDER BY b.user_id",
            (guild_id,),
        )
        interest_rows = await self._db.fetchall(
            "SELECT m.user_id, i.name FROM member_interests m JOIN interests i ON i.id = m.interest_id "
            "JOIN buddy_members b ON b.user_id = m.user_id AND b.guild_id = i.guild_id "
            "WHERE i.guild_id = ? AND b.status = 'active'",
            (guild_id,),
        )
        interests: dict[int, list[str]] = {}
        for r in interest_rows:
            interests.setdefault(r[0], []).append(r[1])
        return [_profile(r, interests.get(r["user_id"], ()), r["tz"], r["closed"] is None) for r in rows]

    async def guilds_of(self, user_id: int) -> list[int]:
        """Servers where the member has any pairing data."""
        rows = await self._db.fetchall(
            "SELECT guild_id FROM buddy_members WHERE user_id = ? UNION "
            "SELECT guild_id FROM buddy_group_members WHERE user_id = ?",
            (user_id, user_id),
        )
        return sorted(r[0] for r in rows)

    async def guilds_with_members(self) -> list[int]:
        """Servers where anyone is opted in: they need a round timer."""
        rows = await self._db.fetchall("SELECT DISTINCT guild_id FROM buddy_members WHERE status = 'active'")
        return [r[0] for r in rows]

    async def active_member_ids(self, guild_id: int) -> list[int]:
        """Opted-in members (paused or not): who gets the day-before nudge, filtered by the caller."""
        rows = await self._db.fetchall(
            "SELECT user_id FROM buddy_members WHERE guild_id = ? AND status = 'active' ORDER BY user_id",
            (guild_id,),
        )
        return [r[0] for r in rows]

    # -- do-not-pair ------------------------------------------------------------------------
    async def avoid(self, guild_id: int, user_id: int, other_user_id: int, *, now: datetime) -> bool:
        """Add to the member's do-not-pair list; False if already there."""
        changed = await self._db.execute(
            "INSERT INTO buddy_avoid (guild_id, user_id, avoided_user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, other_user_id, to_db(now)),
        )
        return changed == 1

    async def unavoid(self, guild_id: int, user_id: int, other_user_id: int) -> bool:
        """Remove from the member's do-not-pair list."""
        changed = await self._db.execute(
            "DELETE FROM buddy_avoid WHERE guild_id = ? AND user_id = ? AND avoided_user_id = ?",
            (guild_id, user_id, other_user_id),
        )
        return changed == 1

    async def avoid_list(self, guild_id: int, user_id: int) -> list[int]:
        """The member's own do-not-pair list (only ever shown to them)."""
        rows = await self._db.fetchall(
            "SELECT avoided_user_id FROM buddy_avoid WHERE guild_id = ? AND user_id = ? ORDER BY created_at, avoided_user_id",
            (guild_id, user_id),
        )
        return [r[0] for r in rows]

    async def avoid_pairs(self, guild_id: int) -> list[tuple[int, int]]:
        """Every do-not-pair entry in the server, for the matcher only."""
        rows = await self._db.fetchall(
            "SELECT user_id, avoided_user_id FROM buddy_avoid WHERE guild_id = ?", (guild_id,)
        )
        return [(r[0], r[1]) for r in rows]
