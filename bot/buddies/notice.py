"""The hard-moment link: tell a member's buddy, with the member's consent, that they could use a check-in."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.buddies.text import hard_moment_dm
from bot.i18n import _, using_locale
from bot.messaging import NO_PINGS, send_dm

if TYPE_CHECKING:
    from bot.host import Host

__all__ = ["notify_partners_of_hard_moment"]

log = logging.getLogger(__name__)


async def notify_partners_of_hard_moment(bot: Host, guild_id: int, user_id: int) -> int:
    """DM the member's current buddy (or buddies) "X could use a check-in from you".

    Only when the member opted in with ``/buddy notify on``; the buddy never sees the check-in
    itself. Returns how many buddies were reached (0 without consent, without a buddy, or when
    every DM failed).
    """
    store = bot.store.buddies
    if not await store.hard_moment_opt_in(guild_id, user_id):
        return 0
    partners = await store.current_partners(guild_id, user_id)
    if not partners:
        return 0
    guild = bot.get_guild(guild_id)
    member = guild.get_member(user_id) if guild is not None else None
    # Escaped so a display name can't restyle the message; NO_PINGS below stops any mention.
    reached = 0
    for partner in partners:
        # The partner reads it in the language they last used with Kindred, not the member's.
        with using_locale(await bot.store.prefs.locale_of(partner)):
            name = discord.utils.escape_markdown(member.display_name) if member is not None else _("Your buddy")
            content = hard_moment_dm(name)
        if await send_dm(bot, partner, content=content, allowed_mentions=NO_PINGS) is not None:
            reached += 1
        else:
            log.info("a hard-moment notice to a buddy could not be delivered")
    return reached
