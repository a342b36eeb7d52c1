"""Durable timers: rows in the ``timers`` table, dispatched to handlers by kind.

The database is the truth. APScheduler only wakes :meth:`TimerService.run_due` on an interval, so a
restart loses nothing: the first poll after start-up finds whatever fell due while the bot was down.
A timer leaves ``pending`` through one conditional UPDATE, so even two dispatchers racing cannot
fire it twice. If the process dies while a handler runs, the row stays ``running`` and is not
retried: for reminders a possible miss is kinder than a duplicate.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_db, to_db
from bot.db import Database

__all__ = ["Timer", "TimerHandler", "TimerService", "reminder_still_worth_sending"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Timer:
    """One due timer as handed to its handler."""

    id: int
    kind: str
    due_at: datetime
    guild_id: int | None
    user_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)

    def lateness(self, now: datetime) -> timedelta:
        """How late the timer is being handled (zero or more)."""
        return max(now - self.due_at, timedelta(0))


TimerHandler = Callable[[Timer], Awaitable[None]]


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching strings that start with ``prefix`` literally."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def reminder_still_worth_sending(lead: str, leads: Mapping[str, timedelta], start: datetime, now: datetime) -> bool:
    """Whether a reminder ``lead`` before ``start``, firing at ``now``, is still worth sending.

    After an outage several reminders can fall due at once: only the shortest-lead one that is due
    makes sense ("tomorrow" arriving beside "in an hour" is noise), and none once the event started.
    """
    if now >= start or lead not in leads:
        return False
    own = leads[lead]
    return not any(other < own and now >= start - other for other in leads.values())


class TimerService:
    """Schedules and dispatches durable timers."""

    BATCH = 500  # rows claimed per query; keeps one poll bounded however many fall due at once

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._handlers: dict[str, TimerHandler] = {}
        self._retry_interrupted: set[str] = set()

    # -- handlers ---------------------------------------------------------------------------
    def register(self, kind: str, handler: TimerHandler, *, retry_interrupted: bool = False) -> None:
        """Route timers of ``kind`` to ``handler`` (replacing any previous one, so reloads are safe).

        ``retry_interrupted=True`` declares the handler idempotent (it can tell whether its work was
        already done), so a timer cut off by a crash is run again at start-up instead of given up.
        """
        self._handlers[kind] = handler
        if retry_interrupted:
            self._retry_interrupted.add(kind)
        else:
            self._retry_interrupted.discard(kind)

    def unregister(self, kind: str) -> None:
        """Stop routing ``kind``; its timers wait in the table until a handler returns."""
        self._handlers.pop(kind, None)
        self._retry_interrupted.discard(kind)

    async def recover_interrupted(self) -> tuple[int, int]:
        """At start-up, settle timers a crash left ``running``; returns (retried, given up).

        Idempotent kinds go back to pending and run again. Others become ``interrupted`` and are
        logged: running them twice could send something twice, which is worse than a logged miss.
        """
        rows = await self._db.fetchall("SELECT id, kind FROM timers WHERE status = 'running'")
        retry = [(r["id"],) for r in rows if r["kind"] in self._retry_interrupted]
        give_up = [(r["id"],) for r in rows if r["kind"] not in self._retry_interrupted]
        async with self._db.transaction() as tx:
            await tx.executemany("UPDATE timers SET status = 'pending' WHERE id = ? AND status = 'running'", retry)
            await tx.executemany(
                "UPDATE timers SET status = 'interrupted' WHERE id = ? AND status = 'running'", give_up
            )
        for r in rows:
            if r["kind"] in self._retry_interrupted:
                log.info("timer %s (%s) was cut off by a restart; running it again", r["id"], r["kind"])
            else:
                log.warning("timer %s (%s) was cut off by a restart and will not run again", r["id"], r["kind"])
        return len(retry), len(give_up)

    # -- scheduling -------------------------------------------------------------------------
    async def schedule(
        self,
        kind: str,
        due_at: datetime,
        *,
        guild_id: int | None = None,
        user_id: int | None = None,
        payload: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
    ) -> int:
        """Add a timer. With ``dedupe_key``, an existing pending timer for the key is replaced."""
        async with self._db.transaction() as tx:
            if dedupe_key is not None:
                await tx.execute("DELETE FROM timers WHERE dedupe_key = ? AND status = 'pending'", (dedupe_key,))
            return await tx.insert(
                "INSERT INTO timers (kind, due_at, guild_id, user_id, dedupe_key, payload, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    to_db(due_at),
                    guild_id,
                    user_id,
                    dedupe_key,
                    json.dumps(payload or {}),
                    to_db(self._clock.now()),
                ),
            )

    async def cancel(self, *, dedupe_key: str | None = None, timer_id: int | None = None) -> int:
        """Cancel pending timers by key or id; returns how many were removed."""
        if dedupe_key is not None:
            return await self._db.execute(
                "DELETE FROM timers WHERE dedupe_key = ? AND status = 'pending'", (dedupe_key,)
            )
        if timer_id is not None:
            return await self._db.execute("DELETE FROM timers WHERE id = ? AND status = 'pending'", (timer_id,))
        raise ValueError("cancel needs dedupe_key or timer_id")

    async def cancel_prefix(self, prefix: str) -> int:
        """Cancel every pending timer whose dedupe key starts with ``prefix``."""
        return await self._db.execute(
            "DELETE FROM timers WHERE status = 'pending' AND dedupe_key LIKE ? ESCAPE '\\'",
            (_like_prefix(prefix),),
        )

    async def pending(self, *, kind: str | None = None, dedupe_key: str | None = None) -> list[Timer]:
        """Pending timers, soonest first, optionally filtered."""
        rows = await self._db.fetchall(
            "SELECT id, kind, due_at, guild_id, user_id, payload FROM timers WHERE status = 'pending' "
            "AND (? IS NULL OR kind = ?) AND (? IS NULL OR dedupe_key = ?) ORDER BY due_at, id",
            (kind, kind, dedupe_key, dedupe_key),
        )
        return [self._row(r) for r in rows]

    async def active_keys(self, prefix: str) -> set[str]:
        """Dedupe keys starting with ``prefix`` whose timer is pending or running (a crash may have left it
        running; :meth:`recover_interrupted` decides its fate, so it still counts as taken care of)."""
        rows = await self._db.fetchall(
            "SELECT dedupe_key FROM timers WHERE status IN ('pending', 'running') AND dedupe_key LIKE ? ESCAPE '\\'",
            (_like_prefix(prefix),),
        )
        return {r["dedupe_key"] for r in rows}

    # -- dispatch ---------------------------------------------------------------------------
    async def claim_due(self, now: datetime, *, limit: int | None = None) -> list[Timer]:
        """Atomically move due timers with a handler from pending to running and return them."""
        kinds = sorted(self._handlers)
        if not kinds:
            return []
        placeholders = ",".join("?" for _ in kinds)  # only "?" marks are joined, never values
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT id, kind, due_at, guild_id, user_id, payload FROM timers "
                f"WHERE status = 'pending' AND due_at <= ? AND kind IN ({placeholders}) "
                "ORDER BY due_at, id LIMIT ?",
                (to_db(now), *kinds, limit or self.BATCH),
            )
            await tx.executemany(
                "UPDATE timers SET status = 'running', fired_at = ? WHERE id = ? AND status = 'pending'",
                [(to_db(now), r["id"]) for r in rows],
            )
        return [self._row(r) for r in rows]

    async def run_due(self, now: datetime | None = None) -> int:
        """Fire every due timer once; returns how many ran. Safe to call concurrently."""
        now = now or self._clock.now()
        ran = 0
        while True:
            batch = await self.claim_due(now)
            for timer in batch:
                await self._fire(timer)
                ran += 1
            if len(batch) < self.BATCH:
                return ran

    async def _fire(self, timer: Timer) -> None:
        handler = self._handlers.get(timer.kind)
        status = "done"
        try:
            if handler is None:  # unregistered between claim and fire; keep it for later
                status = "pending"
            else:
                await handler(timer)
        except Exception:
            status = "failed"
            log.exception("timer %s (%s) failed", timer.id, timer.kind)
        await self._db.execute("UPDATE timers SET status = ? WHERE id = ?", (status, timer.id))

    @staticmethod
    def _row(row: Any) -> Timer:
        return Timer(
            id=row["id"],
            kind=row["kind"],
            due_at=from_db(row["due_at"]),
            guild_id=row["guild_id"],
            user_id=row["user_id"],
            payload=json.loads(row["payload"]),
        )
