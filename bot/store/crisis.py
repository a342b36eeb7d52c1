"""Repository for crisis care: member answer state, team alerts and claims, audit, per-server terms.

No table here ever holds a member's words: alerts keep only the level, categories and where.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_db, to_db
from bot.crisis import Category, Level, Term
from bot.db import Row, Tx
from bot.store.crisis_member import CrisisMemberRepo
from bot.store.crisis_servers import CrisisServerRepo
from bot.store.rows import columns, from_row

__all__ = ["Alert", "AuditEntry", "ClaimResult", "CrisisRepo", "NewAlert", "StoredTerm"]


@dataclass(frozen=True, slots=True)
class StoredTerm:
    """A moderator's extra term as stored."""

    term: Term
    added_by_user_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewAlert:
    """What the flow knows when it alerts a team."""

    guild_id: int
    subject_user_id: int
    level: Level
    categories: tuple[Category, ...]
    reason: str  # "detection" or "consent"
    alert_channel_id: int
    source_channel_id: int | None = None
    source_message_id: int | None = None
    actor_user_id: int | None = None  # the member themself for consent alerts


@dataclass(frozen=True, slots=True)
class Alert:
    """One stored alert."""

    id: int
    guild_id: int
    subject_user_id: int
    level: Level
    categories: tuple[Category, ...]
    reason: str
    source_channel_id: int | None
    source_message_id: int | None
    alert_channel_id: int
    alert_message_ids: tuple[int, ...]
    reposts: int
    claimed_by_user_id: int | None
    claimed_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """``claimed`` is True when this call claimed the alert; otherwise ``alert`` says who had."""

    claimed: bool
    alert: Alert | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail."""

    alert_id: int | None
    action: str
    actor_user_id: int | None
    subject_user_id: int | None
    detail: str
    at: datetime


def _audit_entry(row: Row) -> AuditEntry:
    return from_row(AuditEntry, row)


_ALERT_COLUMNS = columns(Alert)


_RECENT = (
    f"SELECT {_ALERT_COLUMNS} FROM crisis_alerts WHERE guild_id = ? AND subject_user_id = ? AND reason = ? "
    "AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT 1"
)


def _categories(text: str) -> tuple[Category, ...]:
    return tuple(Category(c) for c in text.split(",") if c)


async def _insert_alert(tx: Tx, new: NewAlert, now: datetime) -> int:
    """Insert an alert and its audit line inside ``tx``; returns the alert's id."""
    alert_id = await tx.insert(
        "INSERT INTO crisis_alerts (guild_id, subject_user_id, level, categories, reason, source_channel_id, "
        "source_message_id, alert_channel_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.guild_id,
            new.subject_user_id,
            int(new.level),
            ",".join(str(c) for c in new.categories),
            new.reason,
            new.source_channel_id,
            new.source_message_id,
            new.alert_channel_id,
            to_db(now),
        ),
    )
    await tx.execute(
        "INSERT INTO crisis_audit (guild_id, alert_id, action, actor_user_id, subject_user_id, detail, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            new.guild_id,
            alert_id,
            "alert" if new.reason == "detection" else "consent",
            new.actor_user_id,
            new.subject_user_id,
            new.level.name.lower(),
            to_db(now),
        ),
    )
    return alert_id


class CrisisRepo(CrisisMemberRepo, CrisisServerRepo):
    """Crisis care storage. Every method is one statement or one transaction."""

    # -- per-server terms ---------------------------------------------------------------------
    async def terms(self, guild_id: int) -> list[StoredTerm]:
        """The server's extra terms, alphabetical."""
        rows = await self._db.fetchall(
            "SELECT term, category, level, added_by_user_id, created_at FROM crisis_terms WHERE guild_id = ? "
            "ORDER BY term",
            (guild_id,),
        )
        return [
            StoredTerm(
                Term(r["term"], Category(r["category"]), Level(r["level"])),
                r["added_by_user_id"],
                from_db(r["created_at"]),
            )
            for r in rows
        ]

    async def add_term(self, guild_id: int, term: Term, *, user_id: int, now: datetime) -> bool:
        """Add a term, or update its category and level; returns True when it was new."""
        async with self._db.transaction() as tx:
            # Check-then-write is atomic here: the transaction holds SQLite's write lock from the start.
            existing = await tx.fetchval(
                "SELECT id FROM crisis_terms WHERE guild_id = ? AND term = ?", (guild_id, term.term)
            )
            if existing is None:
                await tx.execute(
                    "INSERT INTO crisis_terms (guild_id, term, category, level, added_by_user_id, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (guild_id, term.term, str(term.category), int(term.level), user_id, to_db(now)),
                )
            else:
                await tx.execute(
                    "UPDATE crisis_terms SET term = ?, category = ?, level = ?, added_by_user_id = ? WHERE id = ?",
                    (term.term, str(term.category), int(term.level), user_id, existing),
                )
            await tx.execute(
                "INSERT INTO crisis_audit (guild_id, action, actor_user_id, detail, at) VALUES (?, ?, ?, ?, ?)",
                (guild_id, "term-add", user_id, f"{term.category}/{term.level.name.lower()}", to_db(now)),
            )
        return existing is None

    async def remove_term(self, guild_id: int, term: str, *, user_id: int, now: datetime) -> bool:
        """Remove a term (case-insensitive); returns False when it wasn't there."""
        async with self._db.transaction() as tx:
            removed = await tx.execute("DELETE FROM crisis_terms WHERE guild_id = ? AND term = ?", (guild_id, term))
            if removed:
                await tx.execute(
                    "INSERT INTO crisis_audit (guild_id, action, actor_user_id, at) VALUES (?, ?, ?, ?)",
                    (guild_id, "term-remove", user_id, to_db(now)),
                )
        return removed > 0

    # -- alerts -------------------------------------------------------------------------------
    async def create_alert(self, new: NewAlert, *, now: datetime) -> int:
        """Store an alert (not yet posted) and audit it; returns its id."""
        async with self._db.transaction() as tx:
            return await _insert_alert(tx, new, now)

    async def create_alert_unless_recent(
        self, new: NewAlert, *, now: datetime, since: datetime, at_least: bool = False
    ) -> tuple[int | None, Alert | None]:
        """Store an alert unless one of the same reason about the member in the server is recent, atomically.

        Recent means created at or after ``since`` (and, with ``at_least``, at ``new.level`` or above, so a rise
        in level still alerts). Returns ``(new id, None)``, or ``(None, the recent alert)`` when none was stored.
        The check and the insert are one write transaction, and write transactions never interleave on either
        backend, so processes deciding at once about the same member store one alert between them.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetchone(_RECENT, (new.guild_id, new.subject_user_id, new.reason, to_db(since)))
            recent = self._alert(row) if row is not None else None
            if recent is not None and (not at_least or recent.level >= new.level):
                return None, recent
            return await _insert_alert(tx, new, now), None

    async def alert(self, alert_id: int) -> Alert | None:
        """One alert, or None if it was erased."""
        row = await self._db.fetchone(f"SELECT {_ALERT_COLUMNS} FROM crisis_alerts WHERE id = ?", (alert_id,))
        return self._alert(row) if row is not None else None

    async def recent_alert(self, guild_id: int, subject_user_id: int, *, since: datetime, reason: str) -> Alert | None:
        """The latest alert of this kind about the member in the server since ``since``."""
        row = await self._db.fetchone(_RECENT, (guild_id, subject_user_id, reason, to_db(since)))
        return self._alert(row) if row is not None else None

    async def open_alerts(self, *, since: datetime, max_reposts: int) -> list[Alert]:
        """Unclaimed alerts created since ``since`` whose re-posts aren't used up (never posted counts too)."""
        rows = await self._db.fetchall(
            f"SELECT {_ALERT_COLUMNS} FROM crisis_alerts WHERE claimed_by_user_id IS NULL AND created_at >= ? "
            "AND (reposts < ? OR alert_message_ids = '[]') ORDER BY id",
            (to_db(since), max_reposts),
        )
        return [self._alert(r) for r in rows]

    async def add_alert_message(self, alert_id: int, message_id: int, *, repost: bool, now: datetime) -> None:
        """Remember a posted alert message; a re-post also counts and is audited."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT guild_id, subject_user_id, alert_message_ids, reposts FROM crisis_alerts WHERE id = ?",
                (alert_id,),
            )
            if row is None:
                return
            ids = [*json.loads(row["alert_message_ids"]), message_id]
            await tx.execute(
                "UPDATE crisis_alerts SET alert_message_ids = ?, reposts = reposts + ? WHERE id = ?",
                (json.dumps(ids), int(repost), alert_id),
            )
            if repost:
                await tx.execute(
                    "INSERT INTO crisis_audit (guild_id, alert_id, action, subject_user_id, detail, at) "
                    "VALUES (?, ?, 'repost', ?, ?, ?)",
                    (row["guild_id"], alert_id, row["subject_user_id"], str(row["reposts"] + 1), to_db(now)),
                )

    async def claim(self, alert_id: int, user_id: int, *, now: datetime) -> ClaimResult:
        """Claim an unclaimed alert for ``user_id``; the first click wins, even under concurrent clicks."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE crisis_alerts SET claimed_by_user_id = ?, claimed_at = ? WHERE id = ? AND claimed_by_user_id IS NULL",
                (user_id, to_db(now), alert_id),
            )
            row = await tx.fetchone(f"SELECT {_ALERT_COLUMNS} FROM crisis_alerts WHERE id = ?", (alert_id,))
            if changed and row is not None:
                await tx.execute(
                    "INSERT INTO crisis_audit (guild_id, alert_id, action, actor_user_id, subject_user_id, at) "
                    "VALUES (?, ?, 'claim', ?, ?, ?)",
                    (row["guild_id"], alert_id, user_id, row["subject_user_id"], to_db(now)),
                )
        return ClaimResult(bool(changed), self._alert(row) if row is not None else None)

    async def audit(self, guild_id: int, *, alert_id: int | None = None) -> list[AuditEntry]:
        """The server's audit trail (or one alert's), oldest first."""
        rows = await self._db.fetchall(
            "SELECT alert_id, action, actor_user_id, subject_user_id, detail, at FROM crisis_audit "
            "WHERE guild_id = ? AND (CAST(? AS BIGINT) IS NULL OR alert_id = ?) ORDER BY id",
            (guild_id, alert_id, alert_id),
        )
        return [_audit_entry(r) for r in rows]

    async def audit_page(
        self, guild_id: int, *, since: datetime, member_id: int | None, limit: int, offset: int
    ) -> tuple[list[AuditEntry], int]:
        """One page of the server's audit trail since ``since``, newest first, and how many entries match.

        With ``member_id``: only entries the member did or that were about them."""
        where = "guild_id = ? AND at >= ? AND (CAST(? AS BIGINT) IS NULL OR actor_user_id = ? OR subject_user_id = ?)"
        params = (guild_id, to_db(since), member_id, member_id, member_id)
        total = await self._db.fetchval(f"SELECT count(*) FROM crisis_audit WHERE {where}", params)
        rows = await self._db.fetchall(
            "SELECT alert_id, action, actor_user_id, subject_user_id, detail, at FROM crisis_audit "
            f"WHERE {where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_audit_entry(r) for r in rows], int(total or 0)

    async def forget_helper(self, user_id: int, guild_id: int | None) -> None:
        """Before a member's data is erased: drop their id from rows that belong to others.

        An alert they claimed stays with the member it was about, a term they added keeps
        protecting the server, and the audit of both stays; only the helper's id goes.
        """
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE crisis_alerts SET claimed_by_user_id = NULL WHERE claimed_by_user_id = ? "
                "AND subject_user_id != ? AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?)",
                (user_id, user_id, guild_id, guild_id),
            )
            await tx.execute(
                "UPDATE crisis_terms SET added_by_user_id = NULL WHERE added_by_user_id = ? "
                "AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?)",
                (user_id, guild_id, guild_id),
            )
            # The audit trail of alerts about other members (and of term changes) stays; only the
            # helper's id goes, so erasing a moderator doesn't erase someone else's history.
            await tx.execute(
                "UPDATE crisis_audit SET actor_user_id = NULL WHERE actor_user_id = ? "
                "AND (subject_user_id IS NULL OR subject_user_id != ?) AND (CAST(? AS BIGINT) IS NULL OR guild_id = ?)",
                (user_id, user_id, guild_id, guild_id),
            )

    @staticmethod
    def _alert(r: Row) -> Alert:
        return from_row(
            Alert,
            r,
            categories=_categories(r["categories"]),
            alert_message_ids=tuple(json.loads(r["alert_message_ids"])),
        )
