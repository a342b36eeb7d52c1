"""What the ``/buddy`` commands share: the caller's profile, the moderator gate and member names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.buddies.profiles import BuddyProfile
from bot.errors import KindredError
from bot.i18n import N_, _
from bot.moderation import require_moderator

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["NOT_JOINED", "active_profile", "member_name", "require_manage_guild"]

NOT_JOINED = N_("You haven't joined buddy pairing here yet. `/buddy join` opts you in.")


async def active_profile(bot: KindredBot, interaction: discord.Interaction[Any]) -> BuddyProfile:
    """The caller's active pairing profile, or a kind error telling them how to join."""
    assert interaction.guild_id is not None
    profile = await bot.store.buddies.get(interaction.guild_id, interaction.user.id)
    if profile is None or profile.status != "active":
        raise KindredError(_(NOT_JOINED))
    return profile


def require_manage_guild(interaction: discord.Interaction[Any]) -> None:
    """The runtime half of the moderator gate (admins can override the client-side default)."""
    require_moderator(interaction)


def member_name(guild: discord.Guild, user_id: int) -> str:
    """The member's display name, or a neutral stand-in when they are no longer cached."""
    member = guild.get_member(user_id)
    return member.display_name if member is not None else _("Member {id}").format(id=user_id)
