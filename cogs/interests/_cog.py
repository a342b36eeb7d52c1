"""Members' own interests: add, remove, list, and whether to be told about new rooms."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import KindredError
from bot.i18n import _
from bot.interests import interest_suggestions, unknown_interest
from bot.messaging import NO_PINGS
from bot.store.core import Interest

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Interests"]

log = logging.getLogger(__name__)


@app_commands.guild_only()
class Interests(commands.GroupCog, group_name="interests"):
    """Follow the interests you'd like to gather around."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        super().__init__()

    async def _suggest(
        self, interaction: discord.Interaction, current: str, *, followed: bool
    ) -> list[app_commands.Choice[str]]:
        return await interest_suggestions(
            self.bot.store.interests, interaction, current, now=self.bot.clock.now(), followed=followed
        )

    async def _find(self, guild_id: int, name: str) -> Interest:
        found = await self.bot.store.interests.find(guild_id, name, now=self.bot.clock.now())
        if found is None:
            raise unknown_interest(name)
        return found

    @app_commands.command(name="add")
    async def add(self, interaction: discord.Interaction, interest: str) -> None:
        """Follow an interest: rooms for it show up in /room list, and pairing uses it.

        Args:
            interest: One of this server's interests
        """
        assert interaction.guild is not None
        store = self.bot.store.interests
        found = await self._find(interaction.guild.id, interest)
        already = await store.of_member(interaction.guild.id, interaction.user.id)
        notify_on = await _notify_is_on(self.bot, interaction.guild.id, interaction.user.id)
        await store.follow(found.id, interaction.user.id)
        if notify_on:
            # Room notices are one switch per member: a newly followed interest follows it.
            await store.set_notify(interaction.guild.id, interaction.user.id, True)
        text = (
            _("You already follow **{interest}**.") if found.name in already else _("You now follow **{interest}**.")
        ).format(interest=found.name)
        if not notify_on:
            text += " " + _("Want a DM when someone schedules a room for it? Use `/interests notify on`.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @add.autocomplete("interest")
    async def _add_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """The server's interests the member doesn't follow yet."""
        return await self._suggest(interaction, current, followed=False)

    @app_commands.command(name="remove")
    async def remove(self, interaction: discord.Interaction, interest: str) -> None:
        """Stop following an interest.

        Args:
            interest: An interest you follow
        """
        assert interaction.guild is not None
        found = await self._find(interaction.guild.id, interest)
        if await self.bot.store.interests.unfollow(found.id, interaction.user.id):
            text = _("You no longer follow **{interest}**.").format(interest=found.name)
        else:
            text = _("You weren't following **{interest}**, so nothing changed.").format(interest=found.name)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)

    @remove.autocomplete("interest")
    async def _remove_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The interests the member follows."""
        return await self._suggest(interaction, current, followed=True)

    @app_commands.command(name="list")
    async def list_(self, interaction: discord.Interaction) -> None:
        """The interests you follow, and the others this server offers."""
        assert interaction.guild is not None
        store = self.bot.store.interests
        catalogue = await store.catalogue(interaction.guild.id, now=self.bot.clock.now())
        mine = await store.of_member(interaction.guild.id, interaction.user.id)
        notify_on = await _notify_is_on(self.bot, interaction.guild.id, interaction.user.id)
        others = [i.name for i in catalogue if i.name not in set(mine)]
        embed = discord.Embed(title=_("Interests"), colour=discord.Colour.teal())
        embed.add_field(
            name=_("You follow"),
            value=", ".join(mine)[:1024] if mine else _("Nothing yet. `/interests add` to pick some."),
            inline=False,
        )
        if others:
            embed.add_field(name=_("Also here"), value=", ".join(others)[:1024], inline=False)
        embed.set_footer(
            text=(
                _("Room notices by DM: on. /interests notify off to stop.")
                if notify_on
                else _("Room notices by DM: off. /interests notify on to get them.")
            )
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="notify")
    @app_commands.choices(
        setting=[app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]
    )
    async def notify(self, interaction: discord.Interaction, setting: app_commands.Choice[str]) -> None:
        """Choose whether you get a DM when a room is scheduled for an interest you follow.

        Args:
            setting: on: DM me when a room is scheduled for an interest I follow; off: don't
        """
        assert interaction.guild is not None
        on = setting.value == "on"
        changed = await self.bot.store.interests.set_notify(interaction.guild.id, interaction.user.id, on)
        if on and changed == 0:
            raise KindredError(_("You don't follow any interests here yet. Add one with `/interests add` first."))
        if on:
            text = _(
                "Room notices are on: I'll DM you when someone schedules a room for an interest you follow. "
                "(If an interest has its own role, the announcement pings that role instead.)"
            )
        else:
            text = _("Room notices are off. You'll still see rooms in the rooms channel and in `/room list`.")
        await interaction.response.send_message(text, ephemeral=True)


async def _notify_is_on(bot: KindredBot, guild_id: int, user_id: int) -> bool:
    """True if the member has room notices on for the interests they follow here."""
    return await bot.store.rooms.notices_on(guild_id, user_id)
