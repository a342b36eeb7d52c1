"""Read side of the service store: loading opportunities, lists, and a member's own history.

:class:`bot.store.service.ServiceRepo` builds on this; ``store.service`` stays the one entry point.
Nothing here writes, so none of it needs the write lock beyond a consistent read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import from_db, to_db
from bot.db import Database, Tx
from bot.service import Kind, Opportunity, Recurrence, SignupStatus, Status

__all__ = ["HistoryEntry", "ServiceQueries", "load", "load_or_none", "waitlist_position"]

_OPP_COLUMNS = (
    "id, guild_id, poster_user_id, title, description, kind, starts_at, duration_minutes, slots, "
    "recurrence, zone, status, channel_id, message_id, thread_id, next_id"
)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One time a member served, for their eyes only."""

    opportunity_id: int
    title: str
    kind: Kind
    served_at: datetime


class ServiceQueries:
    """Opportunities as members and organisers see them; part of :class:`bot.store.service.ServiceRepo`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, opp_id: int) -> Opportunity | None:
        """One opportunity with its volunteers and waitlist, or ``None``."""
        async with self._db.transaction() as tx:
            return await load_or_none(tx, opp_id)

    async def list_open(self, guild_id: int, *, now: datetime, kind: Kind | None = None) -> list[Opportunity]:
        """Open opportunities that haven't ended, soonest first."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id FROM service_opportunities WHERE guild_id = ? AND status = 'open' AND ends_at > ? "
                "AND (? IS NULL OR kind = ?) ORDER BY starts_at, id",
                (guild_id, to_db(now), kind, kind),
            )
            return [await load(tx, r[0]) for r in rows]

    async def running(self, guild_id: int, kind: Kind, *, now: datetime) -> list[Opportunity]:
        """Open opportunities of a kind happening right now (start <= now < end)."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id FROM service_opportunities WHERE guild_id = ? AND status = 'open' AND kind = ? "
                "AND starts_at <= ? AND ends_at > ? ORDER BY starts_at, id",
                (guild_id, kind.value, to_db(now), to_db(now)),
            )
            return [await load(tx, r[0]) for r in rows]

    async def managed_by(
        self, guild_id: int, user_id: int | None, *, statuses: tuple[Status, ...]
    ) -> list[Opportunity]:
        """Opportunities a member posted (or every one, for ``user_id=None``: a moderator), newest first."""
        placeholders = ",".join("?" for _ in statuses)  # only "?" marks are joined, never values
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id FROM service_opportunities WHERE guild_id = ? AND (? IS NULL OR poster_user_id = ?) "
                f"AND status IN ({placeholders}) ORDER BY starts_at DESC, id DESC LIMIT 25",
                (guild_id, user_id, user_id, *(s.value for s in statuses)),
            )
            return [await load(tx, r[0]) for r in rows]

    async def needing_end_timer(self, *, since: datetime) -> list[Opportunity]:
        """Opportunities whose end timer must exist: every open one, and the newest of each weekly series
        that ended since ``since`` without its next occurrence made yet."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id FROM service_opportunities WHERE status = 'open' OR (recurrence = 'weekly' "
                "AND next_id IS NULL AND message_id IS NOT NULL AND status IN ('completed', 'passed') "
                "AND ends_at >= ?) ORDER BY id",
                (to_db(since),),
            )
            return [await load(tx, r["id"]) for r in rows]

    async def wants_reminder(self, opp_id: int, user_id: int) -> bool:
        """True if the member holds a slot and hasn't turned this one's reminders off."""
        value = await self._db.fetchval(
            "SELECT reminders FROM service_signups WHERE opportunity_id = ? AND user_id = ? AND status = 'volunteer'",
            (opp_id, user_id),
        )
        return bool(value)

    async def commitments(
        self, guild_id: int, user_id: int, *, now: datetime
    ) -> list[tuple[Opportunity, SignupStatus]]:
        """The member's upcoming sign-ups (slot or waitlist), soonest first."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT o.id, s.status FROM service_signups s JOIN service_opportunities o ON o.id = s.opportunity_id "
                "WHERE s.guild_id = ? AND s.user_id = ? AND o.status = 'open' AND o.ends_at > ? "
                "ORDER BY o.starts_at, o.id",
                (guild_id, user_id, to_db(now)),
            )
            return [(await load(tx, r[0]), SignupStatus(r[1])) for r in rows]

    async def history(self, guild_id: int, user_id: int, *, limit: int = 15) -> list[HistoryEntry]:
        """Times the member served, newest first. Never aggregated or compared."""
        rows = await self._db.fetchall(
            "SELECT opportunity_id, title, kind, served_at FROM service_history WHERE guild_id = ? AND user_id = ? "
            "ORDER BY served_at DESC LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [HistoryEntry(r[0], r[1], Kind(r[2]), from_db(r[3])) for r in rows]

    async def open_involving(self, user_id: int, guild_id: int | None) -> tuple[list[int], list[int]]:
        """Open opportunities a member signed up for, and those they posted (for erasure)."""
        signed = await self._db.fetchall(
            "SELECT s.opportunity_id FROM service_signups s JOIN service_opportunities o ON o.id = s.opportunity_id "
            "WHERE s.user_id = ? AND (? IS NULL OR s.guild_id = ?) AND o.status = 'open' ORDER BY o.id",
            (user_id, guild_id, guild_id),
        )
        posted = await self._db.fetchall(
            "SELECT id FROM service_opportunities WHERE poster_user_id = ? AND (? IS NULL OR guild_id = ?) "
            "AND status = 'open' ORDER BY id",
            (user_id, guild_id, guild_id),
        )
        return [r[0] for r in signed], [r[0] for r in posted]


async def waitlist_position(tx: Tx, opp_id: int, user_id: int) -> int:
    """The member's place on the waitlist (1 is next), inside the caller's transaction."""
    value = await tx.fetchval(
        "SELECT COUNT(*) FROM service_signups WHERE opportunity_id = ? AND status = 'waitlist' "
        "AND id <= (SELECT id FROM service_signups WHERE opportunity_id = ? AND user_id = ?)",
        (opp_id, opp_id, user_id),
    )
    return int(value or 0)


async def load(tx: Tx, opp_id: int) -> Opportunity:
    """An opportunity the caller's transaction knows exists."""
    opp = await load_or_none(tx, opp_id)
    if opp is None:
        raise LookupError(f"service opportunity {opp_id} vanished mid-transaction")
    return opp


async def load_or_none(tx: Tx, opp_id: int) -> Opportunity | None:
    """An opportunity with its volunteers and waitlist, or ``None``, inside the caller's transaction."""
    row = await tx.fetchone(f"SELECT {_OPP_COLUMNS} FROM service_opportunities WHERE id = ?", (opp_id,))
    if row is None:
        return None
    signups = await tx.fetchall(
        "SELECT user_id, status FROM service_signups WHERE opportunity_id = ? ORDER BY id", (opp_id,)
    )
    return _opportunity(row, signups)


def _opportunity(row: Any, signups: list[Any]) -> Opportunity:
    return Opportunity(
        id=row["id"],
        guild_id=row["guild_id"],
        poster_user_id=row["poster_user_id"],
        title=row["title"],
        description=row["description"],
        kind=Kind(row["kind"]),
        starts_at=from_db(row["starts_at"]),
        duration=timedelta(minutes=row["duration_minutes"]),
        slots=row["slots"],
        recurrence=Recurrence(row["recurrence"]),
        zone=row["zone"],
        status=Status(row["status"]),
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        next_id=row["next_id"],
        volunteers=tuple(s["user_id"] for s in signups if s["status"] == SignupStatus.VOLUNTEER.value),
        waitlist=tuple(s["user_id"] for s in signups if s["status"] == SignupStatus.WAITLIST.value),
    )
