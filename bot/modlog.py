"""The mod-log: one line per change a moderator may need to look back on (settings, crisis terms, alerts).

Lines name moderators and the bot's actions, never what a member wrote. Crisis alert lines never name the
member an alert is about: the mod-log may be read by more moderators than the crisis team.
"""

from __future__ import annotations

import logging
from typing import Protocol

import discord

from bot.messaging import NO_PINGS
from bot.store import Store

__all__ = ["ModlogHost", "post_modlog", "send_modlog"]

log = logging.getLogger(__name__)


class ModlogHost(Protocol):
    """What writing to the mod-log needs of the bot."""

    store: Store

    def get_channel(self, id: int, /) -> object: ...


async def send_modlog(bot: ModlogHost, guild_id: int, channel_id: int | None, text: str) -> None:
    """Write ``text`` to the mod-log channel ``channel_id`` (nothing when unset); failures are logged only."""
    if channel_id is None:
        return
    channel = bot.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel):
        log.warning("mod-log channel %s of guild %s is gone", channel_id, guild_id)
        return
    try:
        await channel.send(text[:2000], allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.exception("could not write to the mod-log of guild %s", guild_id)


async def post_modlog(bot: ModlogHost, guild_id: int, text: str) -> None:
    """Write ``text`` to the server's mod-log, if it has one. Never raises: a record must not break the action."""
    try:
        config = await bot.store.config.get(guild_id)
    except Exception:
        log.exception("could not read the mod-log setting of guild %s", guild_id)
        return
    await send_modlog(bot, guild_id, config.modlog_channel_id, text)
