"""Rebuilding check-in chains from the facts: daily reminders, weekly reflections, milestone notices.

Each chain normally schedules its next link inside the handler of the current one; this puts back a
link lost to a crash (or to a handler that failed) without ever repeating an occurrence that already
fired. The next link is computed after the latest fired timer of the chain, and never earlier than
the lateness limit, so a link lost during a long outage does not send a stale reminder.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.checkins._schedule import LATE_LIMIT
from bot.checkins.reminders import MILESTONE_KIND, REMINDER_KIND, WEEKLY_KIND, milestone_key, reminder_key, weekly_key

if TYPE_CHECKING:
    from bot.checkins.reminders import CheckinScheduler
    from bot.clock import Clock
    from bot.store import Store
    from bot.timers import TimerService

__all__ = ["reconcile_checkins"]


async def reconcile_checkins(scheduler: CheckinScheduler, store: Store, timers: TimerService, clock: Clock) -> int:
    """Give every member exactly one pending link per chain they have turned on; returns how many were added."""
    now = clock.now()
    floor = now - LATE_LIMIT
    taken: set[str] = set()
    for kind in (REMINDER_KIND, WEEKLY_KIND, MILESTONE_KIND):
        taken |= await timers.active_keys(f"{kind}:")
    daily_fired = await timers.last_fired(REMINDER_KIND)
    weekly_fired = await timers.last_fired(WEEKLY_KIND)
    added = 0
    for settings in await store.checkins.reminders_in_use():
        user_id = settings.user_id
        if not await store.prefs.is_reachable(user_id):
            continue  # a closed DM ends the chains on purpose, until the member turns them on again
        if settings.enabled and reminder_key(user_id) not in taken:
            await scheduler.schedule_reminder(settings, after=max(daily_fired.get(user_id, floor), floor))
            added += 1
        if settings.weekly and weekly_key(user_id) not in taken:
            await scheduler.schedule_weekly(settings, after=max(weekly_fired.get(user_id, floor), floor))
            added += 1
    milestone_fired = await timers.last_fired(MILESTONE_KIND)
    for user_id in await store.checkins.recovery_user_ids():
        if milestone_key(user_id) in taken:
            continue
        state = await store.checkins.get_recovery(user_id)
        if state is None:  # erased meanwhile
            continue
        zone = await scheduler.member_zone(user_id, state.celebrate_guild_id)
        # From yesterday on: a milestone due today that was lost still goes out (it may be a day
        # late); one that already fired is past its own date and is not repeated.
        after = now.astimezone(zone).date() - timedelta(days=1)
        fired = milestone_fired.get(user_id)
        if fired is not None:
            after = max(after, fired.astimezone(zone).date())
        await scheduler.schedule_milestone(user_id, state, zone, after=after)
        added += 1
    return added
