"""Settling timers a crash or a stop left ``running``: the start-up (and daily) half of the timer service.

Kept apart from :mod:`bot.timers` because it is the one place that decides, for work cut off mid-way,
whether running it again or giving it up is kinder; the timer service calls it and logs the outcome.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.clock import to_db
from bot.db import Database
from bot.shards import Ownership
from bot.timer_rules import MAX_ATTEMPTS
from bot.timer_shards import settled_here_condition

__all__ = ["KEY_IF_FREE", "settle_cut_off"]

# Going back to pending must not collide with a successor the handler already scheduled under the same
# key (the unique index allows one pending row per key): the retried row then gives up its key.
KEY_IF_FREE = (
    "dedupe_key = CASE WHEN EXISTS (SELECT 1 FROM timers o WHERE o.dedupe_key = timers.dedupe_key "
    "AND o.status = 'pending' AND o.id != timers.id) THEN NULL ELSE dedupe_key END"
)


async def settle_cut_off(
    db: Database, ownership: Ownership, now: datetime, *, running: Collection[int], repeatable: Collection[str]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Put this process's cut-off timers back to pending or mark them interrupted; returns both as (id, kind).

    ``running`` are the timers whose handlers this process runs right now (left alone); ``repeatable`` the
    kinds safe to run twice, which go back to pending with the crash counted as a try, so a handler that kills
    the process cannot loop for ever. Only timers settled here are touched
    (:func:`bot.timer_shards.settled_here_condition`), never another live process's running ones.
    """
    where, params = settled_here_condition(ownership, now)
    async with db.transaction() as tx:
        # In the same transaction as the updates, so no claim can slip in between. Also called by the
        # daily upkeep: a row whose outcome couldn't be written (a full disk) is left running, while
        # the handlers this process is running right now are left alone.
        rows = [
            r
            for r in await tx.fetchall(f"SELECT id, kind, attempts FROM timers WHERE status = 'running'{where}", params)
            if r["id"] not in running
        ]
        retry = [r for r in rows if r["kind"] in repeatable and r["attempts"] + 1 < MAX_ATTEMPTS]
        retry_ids = {r["id"] for r in retry}
        give_up = [r for r in rows if r["id"] not in retry_ids]
        await tx.executemany(
            "UPDATE timers SET status = 'pending', attempts = attempts + 1, fired_at = NULL, claimed_by = NULL, "
            f"{KEY_IF_FREE} WHERE id = ? AND status = 'running'",
            [(r["id"],) for r in retry],
        )
        await tx.executemany(
            "UPDATE timers SET status = 'interrupted', finished_at = ?, "
            "last_error = 'cut off by a restart' WHERE id = ? AND status = 'running'",
            [(to_db(now), r["id"]) for r in give_up],
        )
    return [(r["id"], r["kind"]) for r in retry], [(r["id"], r["kind"]) for r in give_up]
