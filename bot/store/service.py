"""Repository for service opportunities: posts, sign-ups, the waitlist and private history.

Every rule that must hold under concurrent clicks (one slot, one person) is checked and applied
inside a single ``db.transaction()``, which takes SQLite's write lock up front (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import from_db, to_db
from bot.db import Tx
from bot.i18n import N_, _, ngettext
from bot.problems import KindredError
from bot.service import (
    JoinOutcome,
    JoinResult,
    Kind,
    NewOpportunity,
    Opportunity,
    Recurrence,
    SignupStatus,
    Status,
    WithdrawResult,
    promotions,
)
from bot.store.repo import Repo
from bot.store.service_queries import HistoryEntry, load, load_or_none, waitlist_position

__all__ = ["HistoryEntry", "NewOpportunity", "ServiceRepo"]


# Why an opportunity can no longer be edited, one sentence per state (the state's name alone doesn't translate).
_NOT_EDITABLE: dict[Status, str] = {
    Status.CANCELLED: N_("#{id} was cancelled, so it can't be edited any more."),
    Status.COMPLETED: N_("#{id} is completed, so it can't be edited any more."),
    Status.PASSED: N_("#{id} has already taken place, so it can't be edited any more."),
}


class ServiceRepo(Repo):
    """Opportunities, sign-ups and history. Methods named for what they do; row loading in :mod:`.service_queries`."""

    # -- reads --------------------------------------------------------------------------------
    async def get(self, opp_id: int) -> Opportunity | None:
        """One opportunity with its volunteers and waitlist, or ``None``."""
        async with self._db.transaction() as tx:
            return await load_or_none(tx, opp_id)

    async def list_open(self, guild_id: int, *, now: datetime, kind: Kind | None = None) -> list[Opportunity]:
        """Open opportunities that haven't ended, soonest first."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id FROM service_opportunities WHERE guild_id = ? AND status = 'open' AND ends_at > ? "
                "AND (CAST(? AS TEXT) IS NULL OR kind = ?) ORDER BY starts_at, id",
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
                "SELECT id FROM service_opportunities WHERE guild_id = ? AND (CAST(? AS BIGINT) IS NULL OR poster_user_id = ?) "
                f"AND status IN ({placeholders}) ORDER BY starts_at DESC, id DESC LIMIT 25",
                (guild_id, user_id, user_id, *(s.value for s in statuses)),
            )
            return [await load(tx, r[0]) for r in rows]

    async def needing_end_timer(self, *, since: datetime) -> list[Opportunity]:
        """Opportunities whose end timer must exist: every open one, and the newest of each repeating
        series that ended (or was cancelled on its own) since ``since`` without its next occurrence made yet."""
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id FROM service_opportunities WHERE status = 'open' OR (recurrence != 'none' "
                "AND next_id IS NULL AND message_id IS NOT NULL AND status IN ('completed', 'passed', 'cancelled') "
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
            "WHERE s.user_id = ? AND (CAST(? AS BIGINT) IS NULL OR s.guild_id = ?) AND o.status = 'open' ORDER BY o.id",
            (user_id, guild_id, guild_id),
        )
        posted = await self._db.fetchall(
            "SELECT id FROM service_opportunities WHERE poster_user_id = ? AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?) "
            "AND status = 'open' ORDER BY id",
            (user_id, guild_id, guild_id),
        )
        return [r[0] for r in signed], [r[0] for r in posted]

    # -- opportunities ---------------------------------------------------------------------
    async def create(self, new: NewOpportunity, *, now: datetime, previous_id: int | None = None) -> Opportunity:
        """Store a new opportunity and return it."""
        async with self._db.transaction() as tx:
            opp_id = await self._insert(tx, new, now=now, previous_id=previous_id)
            return await load(tx, opp_id)

    async def set_message(self, opp_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the board card lives."""
        await self._db.execute(
            "UPDATE service_opportunities SET channel_id = ?, message_id = ? WHERE id = ?",
            (channel_id, message_id, opp_id),
        )

    async def update(self, edited: Opportunity, *, now: datetime) -> tuple[Opportunity, Opportunity, list[int]]:
        """Write a poster's edit: the title, description, start, length, slots and repeat of ``edited``.

        Returns (before, after, members promoted because slots grew)."""
        opp_id = edited.id
        async with self._db.transaction() as tx:
            old = await load_or_none(tx, opp_id)
            if old is None:
                raise KindredError(_("I couldn't find service opportunity #{id}.").format(id=opp_id))
            if old.status is not Status.OPEN:
                raise KindredError(_(_NOT_EDITABLE[old.status]).format(id=opp_id))
            if edited.slots < old.filled:
                raise KindredError(
                    ngettext(
                        "{count} person has already volunteered, so slots can't go below {count}. "
                        "If fewer helpers are needed, you could talk to them first.",
                        "{count} people have already volunteered, so slots can't go below {count}. "
                        "If fewer helpers are needed, you could talk to them first.",
                        old.filled,
                    ).format(count=old.filled)
                )
            await tx.execute(
                "UPDATE service_opportunities SET title = ?, description = ?, starts_at = ?, ends_at = ?, "
                "duration_minutes = ?, slots = ?, recurrence = ?, updated_at = ? WHERE id = ?",
                (
                    edited.title,
                    edited.description,
                    to_db(edited.starts_at),
                    to_db(edited.ends_at),
                    int(edited.duration.total_seconds() // 60),
                    edited.slots,
                    edited.recurrence.value,
                    to_db(now),
                    opp_id,
                ),
            )
            promoted = promotions(edited.slots, old.filled, list(old.waitlist))
            await self._promote(tx, opp_id, promoted, now)
            return old, await load(tx, opp_id), promoted

    async def close(
        self, opp_id: int, status: Status, *, now: datetime, end_series: bool = False
    ) -> Opportunity | None:
        """Move an open opportunity to cancelled or passed. ``None`` if it wasn't open (so once only).

        ``end_series`` also makes it the last of its series, in the same write: a cancelled occurrence
        that still repeats is how the series' next one is found again after a restart.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE service_opportunities SET status = ?, closed_at = ?, updated_at = ?, "
                "recurrence = CASE WHEN ? = 1 THEN 'none' ELSE recurrence END "
                "WHERE id = ? AND status = 'open'",
                (status.value, to_db(now), to_db(now), int(end_series), opp_id),
            )
            return await load(tx, opp_id) if changed else None

    async def complete(self, opp_id: int, served: list[int], *, now: datetime) -> Opportunity | None:
        """Mark it completed and record who served in their private history. Once only."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE service_opportunities SET status = 'completed', closed_at = ?, updated_at = ? "
                "WHERE id = ? AND status IN ('open', 'passed')",
                (to_db(now), to_db(now), opp_id),
            )
            if not changed:
                return None
            opp = await load(tx, opp_id)
            # Only people who actually signed up can be recorded, whatever a stale select sent.
            confirmed = [uid for uid in served if uid in opp.volunteers]
            await tx.executemany(
                "INSERT INTO service_history "
                "(opportunity_id, guild_id, user_id, title, kind, served_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [
                    (opp.id, opp.guild_id, uid, opp.title, opp.kind.value, to_db(opp.starts_at), to_db(now))
                    for uid in confirmed
                ],
            )
            return opp

    async def spawn_next(self, opp_id: int, starts_at: datetime, *, now: datetime) -> Opportunity | None:
        """Create a series' next occurrence, exactly once per occurrence (``None`` if already done)."""
        async with self._db.transaction() as tx:
            opp = await load_or_none(tx, opp_id)
            if opp is None or opp.next_id is not None or opp.recurrence is Recurrence.NONE:
                return None
            new = NewOpportunity(
                guild_id=opp.guild_id,
                poster_user_id=opp.poster_user_id,
                title=opp.title,
                description=opp.description,
                kind=opp.kind,
                starts_at=starts_at,
                duration=opp.duration,
                slots=opp.slots,
                recurrence=opp.recurrence,
                zone=opp.zone,
            )
            next_id = await self._insert(tx, new, now=now, previous_id=opp.id)
            await tx.execute("UPDATE service_opportunities SET next_id = ? WHERE id = ?", (next_id, opp.id))
            # The new card goes where the old one was, unless the board moves later.
            await tx.execute("UPDATE service_opportunities SET channel_id = ? WHERE id = ?", (opp.channel_id, next_id))
            return await load(tx, next_id)

    # -- sign-ups --------------------------------------------------------------------------
    async def join(self, opp_id: int, user_id: int, *, now: datetime) -> JoinResult:
        """Take a slot if one is free, otherwise a waitlist place: checked and written atomically."""
        async with self._db.transaction() as tx:
            opp = await tx.fetchone(
                "SELECT guild_id, status, slots, ends_at, title FROM service_opportunities WHERE id = ?", (opp_id,)
            )
            if opp is None:
                raise KindredError(
                    _("I couldn't find service opportunity #{id}. `/service list` shows open ones.").format(id=opp_id)
                )
            if opp["status"] != Status.OPEN.value or from_db(opp["ends_at"]) <= now:
                raise KindredError(
                    _("**{title}** isn't taking volunteers any more. `/service list` shows open ones.").format(
                        title=opp["title"]
                    )
                )
            existing = await tx.fetchval(
                "SELECT status FROM service_signups WHERE opportunity_id = ? AND user_id = ?", (opp_id, user_id)
            )
            if existing == SignupStatus.VOLUNTEER.value:
                return JoinResult(JoinOutcome.ALREADY_VOLUNTEER)
            if existing == SignupStatus.WAITLIST.value:
                return JoinResult(JoinOutcome.ALREADY_WAITLISTED, await waitlist_position(tx, opp_id, user_id))
            filled = await tx.fetchval(
                "SELECT COUNT(*) FROM service_signups WHERE opportunity_id = ? AND status = 'volunteer'", (opp_id,)
            )
            status = SignupStatus.VOLUNTEER if filled < opp["slots"] else SignupStatus.WAITLIST
            await tx.insert(
                "INSERT INTO service_signups (opportunity_id, guild_id, user_id, status, created_at) VALUES (?, ?, ?, ?, ?)",
                (opp_id, opp["guild_id"], user_id, status.value, to_db(now)),
            )
            if status is SignupStatus.VOLUNTEER:
                return JoinResult(JoinOutcome.VOLUNTEERED)
            return JoinResult(JoinOutcome.WAITLISTED, await waitlist_position(tx, opp_id, user_id))

    async def withdraw(self, opp_id: int, user_id: int, *, now: datetime) -> WithdrawResult:
        """Give up a slot or waitlist place; a freed slot goes to the first person waiting."""
        async with self._db.transaction() as tx:
            was = await tx.fetchval(
                "SELECT status FROM service_signups WHERE opportunity_id = ? AND user_id = ?", (opp_id, user_id)
            )
            if was is None:
                return WithdrawResult(None)
            await tx.execute("DELETE FROM service_signups WHERE opportunity_id = ? AND user_id = ?", (opp_id, user_id))
            promoted: list[int] = []
            opp = await load(tx, opp_id)
            if was == SignupStatus.VOLUNTEER.value and opp.status is Status.OPEN and opp.ends_at > now:
                promoted = promotions(opp.slots, opp.filled, list(opp.waitlist))
                await self._promote(tx, opp_id, promoted, now)
            return WithdrawResult(SignupStatus(was), tuple(promoted))

    async def set_reminders(self, opp_id: int, user_id: int, *, on: bool) -> bool:
        """Turn this opportunity's reminders on or off for a member; False if not signed up."""
        changed = await self._db.execute(
            "UPDATE service_signups SET reminders = ? WHERE opportunity_id = ? AND user_id = ?",
            (int(on), opp_id, user_id),
        )
        return changed > 0

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    async def _insert(tx: Tx, new: NewOpportunity, *, now: datetime, previous_id: int | None) -> int:
        return await tx.insert(
            "INSERT INTO service_opportunities (guild_id, poster_user_id, title, description, kind, starts_at, "
            "ends_at, duration_minutes, slots, recurrence, zone, previous_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.guild_id,
                new.poster_user_id,
                new.title,
                new.description,
                new.kind.value,
                to_db(new.starts_at),
                to_db(new.starts_at + new.duration),
                int(new.duration.total_seconds() // 60),
                new.slots,
                new.recurrence.value,
                new.zone,
                previous_id,
                to_db(now),
                to_db(now),
            ),
        )

    @staticmethod
    async def _promote(tx: Tx, opp_id: int, user_ids: list[int], now: datetime) -> None:
        await tx.executemany(
            "UPDATE service_signups SET status = 'volunteer', promoted_at = ? WHERE opportunity_id = ? AND user_id = ?",
            [(to_db(now), opp_id, uid) for uid in user_ids],
        )
