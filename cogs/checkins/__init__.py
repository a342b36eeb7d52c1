"""Check-ins, reminders, the weekly reflection and the recovery date.

Commands: ``/checkin today|remind set|remind off|pause|history|weekly`` and
``/recovery set|show|slip|celebrate``. Timers: ``checkin-reminder``, ``checkin-weekly`` and
``recovery-milestone`` (durable, via ``bot.timers``). Buttons on old messages keep working after
a restart because they are DynamicItems registered here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.checkins import Milestone
from bot.checkins.reminders import CheckinScheduler
from bot.messaging import send_dm
from cogs.checkins._checkin_cog import CheckinCog, reminder_already_sent, send_reminder_dm
from cogs.checkins._recovery_cog import RecoveryCog, send_milestone

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["build_scheduler", "setup"]


def build_scheduler(bot: KindredBot) -> CheckinScheduler:
    """The timer logic wired to Discord senders."""

    async def reminder(user_id: int, guild_id: int | None) -> int | bool:
        return await send_reminder_dm(bot, user_id, guild_id)

    async def weekly(user_id: int, text: str) -> bool:
        return await send_dm(bot, user_id, content=text) is not None

    async def milestone(user_id: int, reached: Milestone, guild_id: int | None) -> bool:
        return await send_milestone(bot, user_id, reached, guild_id)

    async def already_sent(user_id: int, after: int | None) -> bool | None:
        return await reminder_already_sent(bot, user_id, after)

    return CheckinScheduler(
        bot.store,
        bot.timers,
        bot.clock,
        send_reminder=reminder,
        send_weekly=weekly,
        send_milestone=milestone,
        already_sent=already_sent,
    )


async def setup(bot: KindredBot) -> None:
    """Add both cogs; ``CheckinCog.cog_load`` registers the timers and persistent buttons."""
    scheduler = build_scheduler(bot)
    await bot.add_cog(CheckinCog(bot, scheduler))
    await bot.add_cog(RecoveryCog(bot, scheduler))
