"""Option transformers and checks shared by the ``/config`` commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.config_ops import CHANNEL_KINDS, LABELS, check_bot_permissions, check_channel_type, check_role
from bot.errors import KindredError
from bot.moderation import require_moderator

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["ChannelFor", "require_manager", "validated_channel", "validated_role"]

NOT_A_MODERATOR = (
    "Only moderators with the **Manage Server** permission can change Kindred's settings. "
    "If you think you should have it, ask a server admin."
)


def require_manager(interaction: discord.Interaction[KindredBot]) -> discord.Guild:
    """The server, if the member may manage it; otherwise a kind refusal.

    The client hides ``/config`` from members without Manage Server, but server admins can
    override that per command, so the rule is enforced here on every run.
    """
    return require_moderator(
        interaction,
        refusal=NOT_A_MODERATOR,
        outside="Settings belong to a server, so please run this inside the server you'd like to set up.",
    )


class ChannelFor(app_commands.Transformer):
    """A channel option for one setting: the client shows only the right kinds, and we re-check."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    @property
    def type(self) -> discord.AppCommandOptionType:
        """Discord shows a channel picker."""
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        """Only the channel kinds this setting accepts appear in the picker."""
        return list(CHANNEL_KINDS[self.key])

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> discord.abc.GuildChannel:
        """The cached channel, refused with a specific message if it's the wrong kind."""
        guild = interaction.guild
        channel = guild.get_channel(int(value.id)) if guild is not None else None
        if channel is None:
            raise KindredError(
                f"I can't see that channel, so I can't use it as the {LABELS[self.key].lower()}. "
                "Check that my role can view it, then try again."
            )
        check_channel_type(self.key, channel.type, channel.name)
        return channel


def validated_channel(key: str, channel: discord.abc.GuildChannel) -> int:
    """The channel's id once the bot is sure it has every permission the feature needs there."""
    check_channel_type(key, channel.type, channel.name)
    check_bot_permissions(key, channel.permissions_for(channel.guild.me), channel.name)
    return channel.id


def validated_role(key: str, role: discord.Role) -> int:
    """The role's id unless it is @everyone or an integration's role."""
    check_role(key, is_default=role.is_default(), is_managed=role.managed, name=role.name)
    return role.id
