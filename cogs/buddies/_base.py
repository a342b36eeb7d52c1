"""What every part of the ``/buddy`` command group shares: the bot, the rounds, and a few guards.

The group's commands live in several mixin classes (member commands in ``_cog``, the do-not-pair
list in ``_avoid``, moderator commands in ``_mod``) composed into one :class:`GroupCog`. discord.py
collects app commands from every class in the cog's MRO, so the split changes nothing in Discord.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.buddies.profiles import BuddyProfile
from bot.errors import KindredError
from bot.moderation import require_moderator

if TYPE_CHECKING:
    from bot.client import KindredBot

    from ._rounds import BuddyRounds

__all__ = ["NOT_JOINED", "BuddyCommandBase"]

if TYPE_CHECKING:
    # Type checkers want an app command's owner to be a Cog or Group; at run time the mixins stay
    # plain classes and only the composed GroupCog is a cog.
    _Mixin = commands.Cog
else:
    _Mixin = object

NOT_JOINED = "You haven't joined buddy pairing here yet. `/buddy join` opts you in."


class BuddyCommandBase(_Mixin):
    """Shared state and guards for the ``/buddy`` mixins (not a cog by itself)."""

    bot: KindredBot
    rounds: BuddyRounds

    async def _profile(self, interaction: discord.Interaction[Any]) -> BuddyProfile:
        """The caller's active pairing profile, or a kind error telling them how to join."""
        assert interaction.guild_id is not None
        profile = await self.bot.store.buddies.get(interaction.guild_id, interaction.user.id)
        if profile is None or profile.status != "active":
            raise KindredError(NOT_JOINED)
        return profile

    @staticmethod
    def _require_manage_guild(interaction: discord.Interaction[Any]) -> None:
        """The runtime half of the moderator gate (admins can override the client-side default)."""
        require_moderator(interaction)

    @staticmethod
    def _name(guild: discord.Guild, user_id: int) -> str:
        member = guild.get_member(user_id)
        return member.display_name if member is not None else f"Member {user_id}"
