"""Service series as derived state: every open opportunity, and every weekly series due its next week, has its end timer."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from cogs.service._actions import END_KIND

if TYPE_CHECKING:
    from cogs.service._actions import ServiceActions

__all__ = ["reconcile_service"]

# A weekly series whose newest occurrence ended more than this long ago stopped on purpose (the bot
# left the server, or the occurrence never reached the board): it is not restarted.
SERIES_LOOKBACK = timedelta(days=8)


async def reconcile_service(actions: ServiceActions) -> int:
    """Add every missing end timer; returns how many were added.

    The end timer closes an occurrence and makes next week's, so a crash between the two (or an end
    timer lost before it fired) would otherwise end a weekly series silently.
    """
    bot = actions.bot
    taken = await bot.timers.active_keys(f"{END_KIND}:")
    added = 0
    for opp in await actions.store.needing_end_timer(since=bot.clock.now() - SERIES_LOOKBACK):
        if f"{END_KIND}:{opp.id}" not in taken:
            await actions.schedule_end(opp)
            added += 1
    return added
