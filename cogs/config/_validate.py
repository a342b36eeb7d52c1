"""Option transformers and checks shared by the ``/config`` commands, and the commands every channel or
number setting shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import discord
from discord import app_commands

from bot.config_ops import (
    CHANNEL_KINDS,
    check_bot_permissions,
    check_channel_type,
    check_int_range,
    check_role,
    label,
)
from bot.errors import KindredError
from bot.i18n import N_, _
from bot.moderation import require_moderator

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = [
    "CHANNEL_COMMANDS",
    "ChannelCommand",
    "ChannelFor",
    "channel_setting",
    "number_setting",
    "require_manager",
    "validated_channel",
    "validated_role",
]

NOT_A_MODERATOR = N_(
    "Only moderators with the **Manage Server** permission can change Kindred's settings. "
    "If you think you should have it, ask a server admin."
)
OUTSIDE_A_SERVER = N_("Settings belong to a server, so please run this inside the server you'd like to set up.")


def require_manager(interaction: discord.Interaction[KindredBot]) -> discord.Guild:
    """The server, if the member may manage it; otherwise a kind refusal.

    The client hides ``/config`` from members without Manage Server, but server admins can
    override that per command, so the rule is enforced here on every run.
    """
    return require_moderator(interaction, refusal=_(NOT_A_MODERATOR), outside=_(OUTSIDE_A_SERVER))


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
                _(
                    "I can't see that channel, so I can't use it for **{setting}**. "
                    "Check that my role can view it, then try again."
                ).format(setting=label(self.key))
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


class ChannelCommand(NamedTuple):
    """What the ``/config`` command of one channel setting says: its description, its picker's, the picker's name."""

    description: str
    option_help: str
    option: str = "channel"


# Keyed by setting, like CHANNEL_KINDS and REQUIRED_PERMISSIONS.
CHANNEL_COMMANDS: dict[str, ChannelCommand] = {
    "crisis_alert_channel_id": ChannelCommand(
        "Choose where crisis alerts for the team are posted.",
        "A private channel only the crisis team can read",
    ),
    "checkin_share_channel_id": ChannelCommand(
        "Choose where members' shared check-ins and celebrations are posted.",
        "Where check-ins and celebrations members choose to share appear",
    ),
    "buddy_channel_id": ChannelCommand(
        "Choose the channel where private buddy threads are created.",
        "A text channel; each buddy pair gets a private thread in it",
    ),
    "service_board_channel_id": ChannelCommand(
        "Choose the channel where service opportunities are posted.",
        "Where service opportunities are posted",
    ),
    "rooms_channel_id": ChannelCommand(
        "Choose where voice rooms are announced.",
        "Where voice rooms are announced",
    ),
    "rooms_category_id": ChannelCommand(
        "Choose the category where temporary voice rooms are created.",
        "The category temporary voice rooms are created in",
        "category",
    ),
    "modlog_channel_id": ChannelCommand(
        "Choose where changes to these settings are logged.",
        "A moderators-only channel for the log of settings changes",
    ),
}


def channel_setting(name: str, key: str) -> app_commands.Command[Any, ..., None]:
    """The ``/config <name>`` command that sets the channel setting ``key``, worded as :data:`CHANNEL_COMMANDS` says.

    Every channel setting is the same command: a picker showing only the kinds ``key`` accepts, re-checked,
    then saved (by the cog's ``apply_channel``) once the bot has what the feature needs there.
    """

    async def save(cog: Any, interaction: discord.Interaction[KindredBot], value: Any) -> None:
        await cog.apply_channel(interaction, key, value)

    kind = app_commands.Transform[discord.abc.GuildChannel, ChannelFor(key)]
    words = CHANNEL_COMMANDS[key]
    return _setting_command(name, words.description, words.option, words.option_help, kind, save)


def number_setting(
    name: str, key: str, description: str, option: str, option_help: str, low: int, high: int
) -> app_commands.Command[Any, ..., None]:
    """The ``/config <name>`` command that sets the whole-number setting ``key`` to a value in ``low..high``."""

    async def save(cog: Any, interaction: discord.Interaction[KindredBot], value: Any) -> None:
        # The client enforces the range too, but a value can arrive from elsewhere (an old client).
        await cog.apply(interaction, {key: check_int_range(key, value, low, high)})

    return _setting_command(name, description, option, option_help, app_commands.Range[int, low, high], save)


def _setting_command(
    name: str, description: str, option: str, option_help: str, kind: Any, save: Any
) -> app_commands.Command[Any, ..., None]:
    async def setter(cog: Any, interaction: discord.Interaction[KindredBot], value: Any) -> None:
        await save(cog, interaction, value)

    # discord.py reads an option's type from the callback's annotation, and whether the callback takes the cog
    # from its qualified name ("Class.method"): a built function states both itself.
    setter.__annotations__["value"] = kind
    setter.__qualname__ = f"Config.{name}"
    described = app_commands.rename(value=option)(app_commands.describe(value=option_help)(setter))
    return app_commands.command(name=name, description=description)(described)
