"""Repository for first-30-days support: the member's consent, chosen parts, rhythm and counts.

One row per member, private to them (listed in :mod:`bot.privacy`). Moderators get only
:meth:`NewcomerRepo.count_on`, a number with no names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.clock import to_db
from bot.db import Row
from bot.newcomers.rules import parse_parts, parts_text
from bot.store.repo import Repo, written
from bot.store.rows import from_row

__all__ = ["COUNTERS", "NewcomerRepo", "SupportRecord"]


# Counters the service may bump; a code constant, so the column name in the UPDATE is never a value.
COUNTERS = ("prompts_sent", "notes_sent", "slips")

_COLUMNS = (
    "user_id, guild_id, status, parts, start_on, checkin_time, timezone, prompts_sent, notes_sent, slips, "
    "offered_at, decided_at, ended_at, welcome_how, welcome_status"
)


@dataclass(frozen=True, slots=True)
class SupportRecord:
    """A member's first-30-days support row."""

    user_id: int
    guild_id: int | None
    status: str  # offered | on | declined | off | ended
    parts: frozenset[str]
    start_on: date | None
    checkin_time: time
    timezone: str
    prompts_sent: int
    notes_sent: int
    slips: int
    offered_at: datetime
    decided_at: datetime | None
    ended_at: datetime | None
    welcome_how: str | None = None  # dm | thread, once the member chose
    welcome_status: str | None = None  # waiting | greeted | missed

    @property
    def on(self) -> bool:
        """Whether the support is running now."""
        return self.status == "on"


def _record(row: Row) -> SupportRecord:
    return from_row(SupportRecord, row, parts=parse_parts(row["parts"]))


class NewcomerRepo(Repo):
    """First-30-days support rows."""

    async def get(self, user_id: int) -> SupportRecord | None:
        """The member's row, if they were ever offered the support."""
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM newcomer_support WHERE user_id = ?", (user_id,))
        return None if row is None else _record(row)

    async def record_offer(self, user_id: int, guild_id: int | None, *, now: datetime) -> SupportRecord:
        """Note that the member was offered the support; a decision they already made is kept as it is."""
        await self._db.execute(
            "INSERT INTO newcomer_support (user_id, guild_id, status, offered_at, updated_at) "
            "VALUES (?, ?, 'offered', ?, ?) ON CONFLICT (user_id) DO NOTHING",
            (user_id, guild_id, to_db(now), to_db(now)),
        )
        return written(await self.get(user_id), f"first-30-days support of {user_id}")

    async def offer_again(self, user_id: int, guild_id: int | None, *, now: datetime) -> bool:
        """Offer the support once more after a finished period (never after a "no thanks" or a turn-off)."""
        changed = await self._db.execute(
            "UPDATE newcomer_support SET status = 'offered', guild_id = coalesce(?, guild_id), offered_at = ?, "
            "decided_at = NULL, updated_at = ? WHERE user_id = ? AND status = 'ended'",
            (guild_id, to_db(now), to_db(now), user_id),
        )
        return changed > 0

    async def turn_on(
        self,
        user_id: int,
        guild_id: int | None,
        parts: frozenset[str],
        *,
        start_on: date,
        checkin_time: time,
        timezone: str,
        now: datetime,
    ) -> SupportRecord:
        """Start (or change) the support with these parts; a new period starts its counts afresh."""
        stamp = to_db(now)
        await self._db.execute(
            "INSERT INTO newcomer_support (user_id, guild_id, status, parts, start_on, checkin_time, timezone, "
            "offered_at, decided_at, updated_at) VALUES (?, ?, 'on', ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET guild_id = coalesce(excluded.guild_id, newcomer_support.guild_id), "
            "status = 'on', parts = excluded.parts, checkin_time = excluded.checkin_time, timezone = excluded.timezone, "
            "prompts_sent = CASE WHEN newcomer_support.start_on = excluded.start_on "
            "THEN newcomer_support.prompts_sent ELSE 0 END, "
            "notes_sent = CASE WHEN newcomer_support.start_on = excluded.start_on "
            "THEN newcomer_support.notes_sent ELSE 0 END, "
            "slips = CASE WHEN newcomer_support.start_on = excluded.start_on THEN newcomer_support.slips ELSE 0 END, "
            "start_on = excluded.start_on, decided_at = excluded.decided_at, ended_at = NULL, "
            "updated_at = excluded.updated_at",
            (
                user_id,
                guild_id,
                parts_text(parts),
                start_on.isoformat(),
                checkin_time.strftime("%H:%M"),
                timezone,
                stamp,
                stamp,
                stamp,
            ),
        )
        return written(await self.get(user_id), f"first-30-days support of {user_id}")

    async def set_status(self, user_id: int, status: str, *, now: datetime) -> bool:
        """Record a decline, a turn-off or the end of the period; False when the member has no row."""
        if status not in ("declined", "off", "ended"):
            raise ValueError(f"not a closing status: {status!r}")
        stamp = to_db(now)
        ended = stamp if status == "ended" else None
        changed = await self._db.execute(
            "UPDATE newcomer_support SET status = ?, decided_at = CASE WHEN ? = 'ended' THEN decided_at ELSE ? END, "
            "ended_at = coalesce(?, ended_at), updated_at = ? WHERE user_id = ?",
            (status, status, stamp, ended, stamp, user_id),
        )
        return changed > 0

    async def bump(self, user_id: int, counter: str) -> None:
        """Add one to a counter (a prompt or note delivered, a slip shared)."""
        if counter not in COUNTERS:
            raise ValueError(f"unknown counter {counter!r}")
        await self._db.execute(
            f"UPDATE newcomer_support SET {counter} = {counter} + 1 WHERE user_id = ?",
            (user_id,),
        )

    async def set_welcome(self, user_id: int, how: str | None, status: str | None, *, now: datetime) -> None:
        """Record how the member would like to be welcomed, and where that stands."""
        await self._db.execute(
            "UPDATE newcomer_support SET welcome_how = ?, welcome_status = ?, updated_at = ? WHERE user_id = ?",
            (how, status, to_db(now), user_id),
        )

    async def claim_welcome(self, user_id: int, *, now: datetime) -> bool:
        """Mark the member greeted if nobody has yet; False when a volunteer already said hello."""
        changed = await self._db.execute(
            "UPDATE newcomer_support SET welcome_status = 'greeted', updated_at = ? "
            "WHERE user_id = ? AND coalesce(welcome_status, '') != 'greeted'",
            (to_db(now), user_id),
        )
        return changed == 1

    async def running(self) -> list[SupportRecord]:
        """Every member whose support is on (for rebuilding timer chains)."""
        rows = await self._db.fetchall(f"SELECT {_COLUMNS} FROM newcomer_support WHERE status = 'on'")
        return [_record(r) for r in rows]

    async def count_on(self, guild_id: int) -> int:
        """How many members offered the support in this server have it on now: a number, never names."""
        return int(
            await self._db.fetchval(
                "SELECT count(*) FROM newcomer_support WHERE guild_id = ? AND status = 'on'", (guild_id,)
            )
        )
