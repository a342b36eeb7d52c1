"""Onboarding: when Kindred joins a server, it posts a short setup checklist.

The checklist goes to the server's system channel; if there is none, or the bot can't post there,
it goes to the owner by DM instead. Either way it is written in the server's language (its community
locale), since the moderators who set Kindred up read it together; English when that isn't shipped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.config_ops import detection_languages_text
from bot.i18n import N_, _, using_locale
from bot.messaging import NO_PINGS, send_dm

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["CHECKLIST", "Onboarding", "checklist_for"]

log = logging.getLogger(__name__)

CHECKLIST = N_(
    "Thanks for adding **Kindred**, a companion for recovery peer support. "
    "A moderator with **Manage Server** can set it up in a few minutes:\n"
    "1. `/config region` and `/config timezone`: which crisis hotlines to show, and the server's time.\n"
    "2. `/config crisis-channel`, `/config crisis-role` and `/config alert-policy`: who is told about hard moments.\n"
    "3. `/config share-channel`: where check-ins members choose to share appear.\n"
    "4. `/config buddy-channel` and `/config pairing`: buddy pairing, in private threads.\n"
    "5. `/config service-board` and `/config service-posters`: service opportunities.\n"
    "6. `/config rooms-channel` and `/config rooms-category`: voice rooms around shared interests.\n"
    "7. `/config modlog` and `/config retention`: a log of setting changes, and how long a departed "
    "member's data is kept.\n"
    "`/config show` lists every setting. Everything works with defaults until you change it. "
    "Members can start with `/about`, and `/privacy show` explains what Kindred stores."
)


def checklist_for(guild_name: str, *, by_dm: bool, locale: object = None) -> str:
    """The checklist in the server's language ``locale``, with a line saying which server it's about when it
    arrives by DM, and which languages crisis detection reads (said plainly when the server's is not one of them)."""
    with using_locale(locale):
        text = _(CHECKLIST) + "\n" + detection_languages_text(locale)
        if by_dm:
            lead = _(
                "I've just joined **{server}**, but I couldn't post in its system channel, "
                "so here's the setup checklist."
            )
            return lead.format(server=guild_name) + "\n\n" + text
    return text


class Onboarding(commands.Cog):
    """Greets a new server with the setup checklist."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Post the checklist in the system channel, or DM it to the owner."""
        if await self._post_in_system_channel(guild):
            return
        if guild.owner_id is None:
            log.warning("joined guild %s with no system channel I can use and no known owner", guild.id)
            return
        sent = await send_dm(
            self.bot, guild.owner_id, content=checklist_for(guild.name, by_dm=True, locale=guild.preferred_locale)
        )
        if sent is None:
            log.warning("couldn't deliver the setup checklist for guild %s anywhere", guild.id)

    async def _post_in_system_channel(self, guild: discord.Guild) -> bool:
        channel = guild.system_channel
        if channel is None:
            return False
        perms = channel.permissions_for(guild.me)
        if not (perms.view_channel and perms.send_messages):
            log.info("can't post the checklist in the system channel of guild %s", guild.id)
            return False
        try:
            text = checklist_for(guild.name, by_dm=False, locale=guild.preferred_locale)
            await channel.send(text, allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            log.warning("posting the checklist in guild %s failed; trying the owner", guild.id, exc_info=True)
            return False
        return True
