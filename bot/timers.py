"""Durable timers: rows in the ``timers`` table, dispatched to handlers by kind.

The database is the truth. APScheduler only wakes :meth:`TimerService.run_due` on an interval, so a
restart loses nothing: the first poll after start-up finds whatever fell due while the bot was down.

Rules that make a stop or crash lose nothing and send nothing twice:
- a timer is claimed (pending -> running, one conditional UPDATE) only just before its handler runs,
  so at any moment at most one timer per lane is ``running``; a stop hands back a claim whose handler
  never started, and a timer that never started is never "interrupted";
- a handler cut off by a crash is run again only when its kind is declared safe to repeat; otherwise
  it is marked ``interrupted`` and logged: for a DM, a possible miss is kinder than a duplicate;
- a handler that raises is retried with exponential backoff, a bounded number of times, when its kind
  is safe to repeat; a permanent failure is logged and counted (:meth:`TimerService.counts`);
- kinds run in lanes, so urgent work (crisis re-posts) never waits behind a wave of bulk reminders.

Several processes may share one database, each owning some shards' servers (:mod:`bot.shards`). A process
claims only timers of the servers it owns and timers of no server (a DM reminder), each claim one atomic
statement, so two processes never take the same timer; the claim records the process's identity, so
start-up recovery settles only what this process owns or was running itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, from_db, to_db
from bot.db import Database, write_wait
from bot.shards import NotOwned, Ownership
from bot.timer_recovery import KEY_IF_FREE, settle_cut_off
from bot.timer_rules import (
    BULK,
    LANES,
    MAX_ATTEMPTS,
    URGENT,
    Timer,
    TimerHandler,
    reminder_still_worth_sending,
    retry_delay,
)
from bot.timer_shards import Skipped, left_out, owned_condition, owned_only

__all__ = [
    "BULK",
    "LANES",
    "MAX_ATTEMPTS",
    "URGENT",
    "Skipped",
    "Timer",
    "TimerHandler",
    "TimerService",
    "reminder_still_worth_sending",
    "retry_delay",
]

log = logging.getLogger(__name__)


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching strings that start with ``prefix`` literally."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# Finished rows are history only; kept this long for operators, then pruned.
KEEP_FINISHED = timedelta(days=28)
_FINISHED = ("done", "failed", "interrupted", "skipped")
SETTLE_WAIT = 120.0  # seconds a finished timer's status write may wait for another process's lock
_COLUMNS = "id, kind, due_at, guild_id, user_id, payload, attempts"


class TimerService:
    """Schedules and dispatches durable timers."""

    BATCH = 500  # the most :meth:`claim_due` hands out at once

    def __init__(self, db: Database, clock: Clock, ownership: Ownership | None = None) -> None:
        self._db = db
        self._clock = clock
        # Which servers' timers this process runs (every server's, unless SHARD_IDS says otherwise).
        self.ownership = ownership or Ownership()
        self._handlers: dict[str, TimerHandler] = {}
        self._repeatable: set[str] = set()
        self._lanes: dict[str, str] = {}
        self._stopping = False
        self._running: set[int] = set()  # timer ids whose handler runs in this process right now

    # -- handlers ---------------------------------------------------------------------------
    def register(self, kind: str, handler: TimerHandler, *, retry_interrupted: bool = False, lane: str = BULK) -> None:
        """Route timers of ``kind`` to ``handler`` (replacing any previous one, so reloads are safe).

        ``retry_interrupted=True`` declares the handler safe to repeat (it can tell whether its work
        was already done): a timer cut off by a crash runs again at start-up, and one that raises is
        retried with backoff, up to :data:`MAX_ATTEMPTS` tries. ``lane`` picks the poll that runs it.
        """
        if lane not in LANES:
            raise ValueError(f"unknown lane {lane!r}")
        self._handlers[kind] = handler
        self._lanes[kind] = lane
        if retry_interrupted:
            self._repeatable.add(kind)
        else:
            self._repeatable.discard(kind)

    def unregister(self, kind: str) -> None:
        """Stop routing ``kind``; its timers wait in the table until a handler returns."""
        self._handlers.pop(kind, None)
        self._lanes.pop(kind, None)
        self._repeatable.discard(kind)

    def kinds(self, lane: str | None = None) -> list[str]:
        """Registered kinds, optionally only one lane's."""
        return sorted(k for k in self._handlers if lane is None or self._lanes.get(k) == lane)

    def owned_only(self) -> AbstractContextManager[Skipped]:
        """Within the block, :meth:`schedule` leaves out timers of servers other processes own, and counts them.

        For rebuilding chains from the facts (:mod:`bot.chains`): each process rebuilds its own servers' chains,
        so two processes never race to add the same missing link.
        """
        return owned_only(self.ownership)

    async def recover_interrupted(self) -> tuple[int, int]:
        """At start-up, settle timers a crash left ``running``; returns (retried, given up).

        Only a handler that had started can be left running (claims are taken one at a time, just
        before the handler). Repeatable kinds go back to pending, counting the crash as a try so a
        handler that kills the process cannot loop for ever. Others become ``interrupted`` and are
        logged: running them twice could send something twice, which is worse than a logged miss.
        Only this process's timers are touched (:func:`bot.timer_shards.settled_here_condition`): never
        another live process's running ones.
        """
        retried, given_up = await settle_cut_off(
            self._db, self.ownership, self._clock.now(), running=self._running, repeatable=self._repeatable
        )
        for timer_id, kind in retried:
            log.info("timer %s (%s) was cut off by a restart; running it again", timer_id, kind)
        for timer_id, kind in given_up:
            log.warning("timer %s (%s) was cut off by a restart and will not run again", timer_id, kind)
        return len(retried), len(given_up)

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
        """Add a timer. With ``dedupe_key``, an existing pending timer for the key is replaced.

        Inside :meth:`owned_only`, a timer of a server another process owns is left out (and 0 returned).
        """
        if left_out(guild_id):
            return 0
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
            "SELECT id, kind, due_at, guild_id, user_id, payload, attempts FROM timers WHERE status = 'pending' "
            "AND (CAST(? AS TEXT) IS NULL OR kind = ?) AND (CAST(? AS TEXT) IS NULL OR dedupe_key = ?) ORDER BY due_at, id",
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

    async def key_used_since(self, dedupe_key: str, since: datetime) -> bool:
        """Whether any timer (in any state) was created for ``dedupe_key`` at or after ``since``."""
        return await self._db.exists(
            "SELECT 1 FROM timers WHERE dedupe_key = ? AND created_at >= ? LIMIT 1", (dedupe_key, to_db(since))
        )

    async def last_fired(self, kind: str) -> dict[int, datetime]:
        """Per member, the due time of the latest ``kind`` timer that left pending (sent, skipped, cut off...).

        Reconcilers rebuild a chain from there, so an occurrence that already fired is never scheduled again.
        """
        rows = await self._db.fetchall(
            "SELECT user_id, max(due_at) AS due FROM timers WHERE kind = ? AND status != 'pending' "
            "AND user_id IS NOT NULL GROUP BY user_id",
            (kind,),
        )
        return {r["user_id"]: from_db(r["due"]) for r in rows}

    # -- dispatch ---------------------------------------------------------------------------
    async def claim_next(self, now: datetime, *, lane: str | None = None, track: bool = True) -> Timer | None:
        """Atomically move the next due timer with a handler (in ``lane``) to running and return it.

        One at a time on purpose: a claim is taken only when its handler is about to run, so a stop
        or crash never strands a batch of claimed-but-unstarted timers. Only timers of servers this
        process owns (and of no server) are claimed, in one statement: PostgreSQL skips a row locked by a
        claim in another process (``FOR UPDATE SKIP LOCKED``), SQLite has one writer at a time, and the
        pending condition makes a row leave pending once, whoever asks.
        """
        kinds = self.kinds(lane)
        if not kinds:
            return None
        placeholders = ",".join("?" for _ in kinds)  # only "?" marks are joined, never values
        owned, owned_params = owned_condition(self.ownership)
        row: Any = None
        try:
            async with self._db.transaction() as tx:
                rows = await tx.fetchall(
                    "UPDATE timers SET status = 'running', fired_at = ?, claimed_by = ? WHERE id = ("
                    f"SELECT id FROM timers WHERE status = 'pending' AND due_at <= ? AND kind IN ({placeholders})"
                    f"{owned} ORDER BY due_at, id LIMIT 1{self._db.skip_locked}) AND status = 'pending' "
                    f"RETURNING {_COLUMNS}",
                    (to_db(now), self.ownership.identity, to_db(now), *kinds, *owned_params),
                )
                row = rows[0] if rows else None
                if row is not None and track:  # ours from the moment the claim commits: the upkeep must not settle it
                    self._running.add(row["id"])
        except asyncio.CancelledError:
            # Cancelled around COMMIT: the claim may have landed, but its handler will never start.
            if row is not None:
                self._running.discard(row["id"])
                await asyncio.shield(self._hand_back(row["id"]))
            raise
        except BaseException:
            if row is not None:
                self._running.discard(row["id"])
            raise
        return None if row is None else self._row(row)

    async def claim_due(self, now: datetime, *, limit: int | None = None, lane: str | None = None) -> list[Timer]:
        """Claim up to ``limit`` due timers, for callers that run the handlers themselves (tools, tests)."""
        claimed: list[Timer] = []
        while len(claimed) < (limit or self.BATCH):
            timer = await self.claim_next(now, lane=lane, track=False)
            if timer is None:
                break
            claimed.append(timer)
        return claimed

    async def _hand_back(self, timer_id: int) -> int:
        return await self._db.execute(
            "UPDATE timers SET status = 'pending', fired_at = NULL, claimed_by = NULL WHERE id = ? AND status = 'running'",
            (timer_id,),
        )

    async def run_due(self, now: datetime | None = None, *, lane: str | None = None) -> int:
        """Fire every due timer (of ``lane``, or all) once; returns how many ran. Safe to call concurrently."""
        now = now or self._clock.now()
        ran = 0
        while not self._stopping:
            timer = await self.claim_next(now, lane=lane)
            if timer is None:
                return ran
            await self._fire(timer)
            ran += 1
        return ran

    def stop(self) -> None:
        """Claim nothing more (shutdown): the handler running now finishes, the rest wait in the table."""
        self._stopping = True

    async def _fire(self, timer: Timer) -> None:
        handler = self._handlers.get(timer.kind)
        try:
            if handler is None:  # unregistered between claim and fire; keep it for later
                await self._hand_back(timer.id)
                return
            try:
                await handler(timer)
            except NotOwned as exc:
                if self.ownership.owns(timer.guild_id):
                    # Ours, yet its work is in another process's server: handing it back would loop here.
                    outcome = self._failed(timer, exc)
                else:
                    # Another process's server's timer (ownership changed after the claim): left to its owner.
                    log.warning("timer %s (%s) handed back: %s", timer.id, timer.kind, exc)
                    outcome = self._hand_back(timer.id)
            except Exception as exc:
                outcome = self._failed(timer, exc)
            else:
                outcome = self._db.execute(
                    "UPDATE timers SET status = 'done', finished_at = ? WHERE id = ? AND status = 'running'",
                    (to_db(self._clock.now()), timer.id),
                )
            # The outcome of work already done must be recorded, even past a long lock by another
            # process: a row left running waits for the next start or the daily upkeep to settle it.
            with write_wait(SETTLE_WAIT):
                await outcome
        finally:
            self._running.discard(timer.id)

    async def _failed(self, timer: Timer, exc: Exception) -> int:
        attempt = timer.attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:500]
        now = self._clock.now()
        if timer.kind in self._repeatable and attempt < MAX_ATTEMPTS:
            retry_at = now + retry_delay(attempt)
            log.warning(
                "timer %s (%s) failed (try %d of %d); retrying at %s",
                timer.id,
                timer.kind,
                attempt,
                MAX_ATTEMPTS,
                retry_at,
                exc_info=exc,
            )
            return await self._db.execute(
                "UPDATE timers SET status = 'pending', due_at = ?, attempts = ?, last_error = ?, claimed_by = NULL, "
                f"{KEY_IF_FREE} WHERE id = ? AND status = 'running'",
                (to_db(retry_at), attempt, error, timer.id),
            )
        log.error("timer %s (%s) failed for good after %d tries", timer.id, timer.kind, attempt, exc_info=exc)
        return await self._db.execute(
            "UPDATE timers SET status = 'failed', attempts = ?, last_error = ?, finished_at = ? "
            "WHERE id = ? AND status = 'running'",
            (attempt, error, to_db(now), timer.id),
        )

    # -- operations -------------------------------------------------------------------------
    async def counts(self) -> dict[tuple[str, str], int]:
        """How many timers there are per (kind, status): permanent failures show as ``"failed"``."""
        rows = await self._db.fetchall("SELECT kind, status, count(*) AS n FROM timers GROUP BY kind, status")
        return {(r["kind"], r["status"]): r["n"] for r in rows}

    async def backlog(self, now: datetime, late_after: timedelta) -> tuple[int, int]:
        """Pending timers this process would run already due, and those due more than ``late_after`` ago (health)."""
        owned, owned_params = owned_condition(self.ownership)
        row = await self._db.fetchone(
            "SELECT count(*) AS due, coalesce(sum(CASE WHEN due_at < ? THEN 1 ELSE 0 END), 0) AS late FROM timers "
            f"WHERE status = 'pending' AND due_at <= ?{owned}",
            (to_db(now - late_after), to_db(now), *owned_params),
        )
        return (int(row["due"]), int(row["late"])) if row is not None else (0, 0)

    async def prune(self, *, keep: timedelta = KEEP_FINISHED) -> int:
        """Delete finished rows older than ``keep``; returns how many went."""
        marks = ",".join("?" for _ in _FINISHED)
        return await self._db.execute(
            f"DELETE FROM timers WHERE status IN ({marks}) AND coalesce(finished_at, fired_at, due_at) < ?",
            (*_FINISHED, to_db(self._clock.now() - keep)),
        )

    @staticmethod
    def _row(row: Any) -> Timer:
        return Timer(
            id=row["id"],
            kind=row["kind"],
            due_at=from_db(row["due_at"]),
            guild_id=row["guild_id"],
            user_id=row["user_id"],
            payload=json.loads(row["payload"]),
            attempts=row["attempts"],
        )
