"""The private welcome DM to new members, when the server turned it on (``/config welcome``)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.i18n import using_locale
from bot.messaging import NO_PINGS, send_dm
from bot.welcome import welcome_text
from cogs._gatherings import server_locale
from cogs.newcomers._views import welcome_view

if TYPE_CHECKING:
    from bot.client import KindredBot

log = logging.getLogger(__name__)

# A slow database must not keep a newcomer waiting long; past this, they get no welcome (logged).
CONFIG_TIMEOUT = 5.0


class Welcome(commands.Cog):
    """Sends the welcome DM; posts nothing public, ever."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        """DM the newcomer a short welcome if their server wants it. Closed DMs: nothing, nowhere."""
        if member.bot:
            return
        try:
            config = await asyncio.wait_for(self.bot.store.config.get(member.guild.id), CONFIG_TIMEOUT)
        except Exception:
            log.exception("welcome: could not read the settings of guild %s; no welcome sent", member.guild.id)
            return
        if not config.welcome_dm:
            return
        name = discord.utils.escape_markdown(member.guild.name)
        extra: dict[str, Any] = {}
        # A newcomer has no language on record yet: the server's own (English when Kindred doesn't speak it).
        with using_locale(server_locale(member.guild)):
            text = welcome_text(name)
            if self.bot.features.newcomers is not None:
                # The member's answer (this button) brings the first-30-days offer; nobody is assumed to be new.
                extra["view"] = welcome_view(member.guild.id)
        await send_dm(self.bot, member.id, content=text, allowed_mentions=NO_PINGS, **extra)


async def setup(bot: KindredBot) -> None:
    """Load the welcome feature."""
    await bot.add_cog(Welcome(bot))
