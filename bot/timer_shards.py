"""Which timers a process takes when several share one database, each owning some shards' servers.

The SQL conditions the timer service adds to its claims, its start-up recovery and its health count, and the
scope in which rebuilding chains leaves other processes' servers alone. Conditions are ``?`` marks joined
with fixed text, never values; ``(guild_id >> 22) % n`` is Discord's shard rule, read the same by SQLite and
PostgreSQL (64-bit integers; the shift in parentheses, since ``%`` binds tighter than ``>>`` on both).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import to_db
from bot.shards import Ownership

__all__ = ["STALE_CLAIM", "Skipped", "left_out", "owned_condition", "owned_only", "settled_here_condition"]

# A timer of no server left running this long by another process (one stopped for good, or whose identity
# changed with SHARD_IDS) is settled by any process: no handler runs anywhere near this long.
STALE_CLAIM = timedelta(days=1)


@dataclass(slots=True)
class Skipped:
    """Timers left out inside :func:`owned_only`, because other processes own their servers."""

    count: int = 0


_OWNED_ONLY: ContextVar[tuple[Ownership, Skipped] | None] = ContextVar("kindred_timers_owned_only", default=None)


@contextmanager
def owned_only(ownership: Ownership) -> Iterator[Skipped]:
    """Within the block, timers of servers ``ownership`` doesn't cover are left out of scheduling, and counted."""
    skipped = Skipped()
    token = _OWNED_ONLY.set((ownership, skipped))
    try:
        yield skipped
    finally:
        _OWNED_ONLY.reset(token)


def left_out(guild_id: int | None) -> bool:
    """Whether scheduling a timer of ``guild_id`` is left out here (inside :func:`owned_only`, not owned); counts it."""
    scope = _OWNED_ONLY.get()
    if scope is None or scope[0].owns(guild_id):
        return False
    scope[1].count += 1
    return True


def _shard_marks(ownership: Ownership) -> tuple[str, tuple[int, ...]] | None:
    shards = ownership.filter_params()
    if shards is None:
        return None
    count, ids = shards
    return f"(guild_id >> 22) % ? IN ({','.join('?' for _ in ids)})", (count, *ids)


def owned_condition(ownership: Ownership) -> tuple[str, tuple[int, ...]]:
    """`` AND …`` and its parameters: timers of no server, or of ``ownership``'s servers ("" when it owns all)."""
    shards = _shard_marks(ownership)
    if shards is None:
        return "", ()
    sql, params = shards
    return f" AND (guild_id IS NULL OR {sql})", params


def settled_here_condition(ownership: Ownership, now: datetime) -> tuple[str, tuple[Any, ...]]:
    """`` AND …`` and its parameters: the running timers a process settles at start-up.

    Its servers' timers; timers of no server it claimed itself (its identity survives restarts), claimed before
    claims were recorded, or left running for :data:`STALE_CLAIM`. Everything, when it owns every server.
    """
    shards = _shard_marks(ownership)
    if shards is None:
        return "", ()
    sql, params = shards
    return (
        f" AND ((guild_id IS NOT NULL AND {sql}) OR "
        "(guild_id IS NULL AND (claimed_by = ? OR claimed_by IS NULL OR fired_at < ?)))",
        (*params, ownership.identity, to_db(now - STALE_CLAIM)),
    )
