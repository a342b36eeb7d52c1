"""``/buddy avoid`` and ``/buddy unavoid``: the confidential do-not-pair list, shown only to its owner.

Nobody is ever told they are on someone's list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.errors import KindredError, reply_ephemeral
from bot.i18n import _
from bot.text import fit_lines

from ._shared import member_name
from ._views import AvoidListView

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["add_or_show_avoid", "remove_avoid"]


async def add_or_show_avoid(
    bot: KindredBot, interaction: discord.Interaction[Any], member: discord.Member | None
) -> None:
    """Put ``member`` on the caller's do-not-pair list; with no member, show the list with a way to edit it."""
    assert interaction.guild_id is not None and interaction.guild is not None
    store, me = bot.store.buddies, interaction.user.id
    if member is None:
        listed = await store.avoid_list(interaction.guild_id, me)
        if not listed:
            await reply_ephemeral(
                interaction, _("Your do-not-pair list is empty. `/buddy avoid member:` adds someone.")
            )
            return
        entries = [(uid, member_name(interaction.guild, uid)) for uid in listed]
        body = fit_lines([f"• <@{uid}>" for uid, _ in entries], 1500)
        await reply_ephemeral(
            interaction,
            _(
                "**Your do-not-pair list** (only you can see it):\n{list}\n\nPick below to take someone off, "
                "or use `/buddy unavoid`."
            ).format(list=body),
            view=AvoidListView(me, interaction.guild_id, entries),
        )
        return
    if member.id == me:
        raise KindredError(_("You can't avoid yourself, but it's good you're thinking about who feels right."))
    if member.bot:
        raise KindredError(_("Bots are never paired, so there's no need to avoid one."))
    added = await store.avoid(interaction.guild_id, me, member.id, now=bot.clock.now())
    partners = await store.current_partners(interaction.guild_id, me)
    lines = [
        _("Done.") if added else _("They were already on your list."),
        _("You'll never be paired with {member}. Nobody is told.").format(member=member.mention),
    ]
    if member.id in partners:
        lines.append(_("They're your buddy this round; `/buddy end` closes that kindly."))
    await reply_ephemeral(interaction, " ".join(lines))


async def remove_avoid(bot: KindredBot, interaction: discord.Interaction[Any], member: discord.Member) -> None:
    """Take ``member`` off the caller's do-not-pair list."""
    assert interaction.guild_id is not None
    if not await bot.store.buddies.unavoid(interaction.guild_id, interaction.user.id, member.id):
        raise KindredError(_("{member} isn't on your do-not-pair list.").format(member=member.mention))
    await reply_ephemeral(
        interaction, _("Done: {member} is off your do-not-pair list. Nobody is told.").format(member=member.mention)
    )
