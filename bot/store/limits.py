"""Repository for the action log behind the limits in :mod:`bot.rate_limits`."""

from __future__ import annotations

from datetime import datetime

from bot.clock import from_db, to_db
from bot.rate_limits import ActionLimits, Limit, Scope, Verdict
from bot.store.repo import Repo

__all__ = ["LimitRepo"]


class LimitRepo(Repo):
    """Counts and records actions atomically, so two quick requests (or two processes) can't both slip under a limit."""

    async def take(self, limits: ActionLimits, guild_id: int, user_id: int, *, now: datetime) -> Verdict:
        """Record the action if both the member and the server are under their limits; otherwise say which isn't."""
        action = limits.action.value
        async with self._db.transaction() as tx:
            # Rows past the longest window can never count again.
            await tx.execute(
                "DELETE FROM action_log WHERE action = ? AND guild_id = ? AND at < ?",
                (action, guild_id, to_db(now - limits.longest_window)),
            )
            checks: tuple[tuple[Scope, Limit, str, tuple[int, ...]], ...] = (
                ("member", limits.member, " AND user_id = ?", (user_id,)),
                ("server", limits.server, "", ()),
            )
            for scope, limit, extra, params in checks:
                rows = await tx.fetchall(
                    "SELECT at FROM action_log WHERE action = ? AND guild_id = ? AND at >= ?"
                    + extra
                    + " ORDER BY at DESC LIMIT ?",
                    (action, guild_id, to_db(now - limit.window), *params, limit.count),
                )
                if len(rows) >= limit.count:
                    # The oldest of the last `count` leaving the window frees a place.
                    retry_at = from_db(rows[-1]["at"]) + limit.window
                    return Verdict(False, scope, retry_at)
            entry_id = await tx.insert(
                "INSERT INTO action_log (action, guild_id, user_id, at) VALUES (?, ?, ?, ?)",
                (action, guild_id, user_id, to_db(now)),
            )
        return Verdict(True, entry_id=entry_id)

    async def give_back(self, verdict: Verdict) -> None:
        """Forget an action that didn't happen after all (its post failed), so it doesn't count."""
        if verdict.entry_id is not None:
            await self._db.execute("DELETE FROM action_log WHERE id = ?", (verdict.entry_id,))
