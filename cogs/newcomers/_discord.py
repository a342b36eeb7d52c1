"""The Discord side of first-30-days support: the DMs, each with its persistent buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.messaging import NO_PINGS, send_dm
from cogs.checkins._views import CheckinNowButton
from cogs.newcomers._views import end_view

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["DiscordNewcomers"]


class DiscordNewcomers:
    """Implements :class:`bot.newcomers.service.NewcomerPort` with private DMs that ping no one."""

    def __init__(self, bot: KindredBot) -> None:
        self._bot = bot

    async def send_prompt(self, user_id: int, guild_id: int | None, text: str) -> bool:
        """A check-in prompt with the same "Check in now" button the daily reminder has."""
        view = discord.ui.View(timeout=None)
        view.add_item(CheckinNowButton(guild_id))
        return await send_dm(self._bot, user_id, content=text, view=view, allowed_mentions=NO_PINGS) is not None

    async def send_note(self, user_id: int, text: str) -> bool:
        """A milestone note."""
        return await send_dm(self._bot, user_id, content=text, allowed_mentions=NO_PINGS) is not None

    async def send_end(self, user_id: int, text: str, *, offer_reminder: bool) -> bool:
        """The day-30 reflection, with a button to keep a daily reminder when they have none."""
        kwargs: dict[str, object] = {"view": end_view(user_id)} if offer_reminder else {}
        return await send_dm(self._bot, user_id, content=text, allowed_mentions=NO_PINGS, **kwargs) is not None
