"""A test-only extension whose commands fail on purpose, to exercise the one error handler."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import KindredError

if TYPE_CHECKING:
    from bot.client import KindredBot


class Minutes(app_commands.Transformer):
    """Turns '45' into 45 and refuses anything else, as real duration options do."""

    async def transform(self, interaction: discord.Interaction, value: str) -> int:
        """Parse whole minutes."""
        if not value.strip().isdigit():
            raise app_commands.TransformerError(value, discord.AppCommandOptionType.string, self)
        return int(value)


class Failing(commands.Cog):
    """Commands that go wrong in the ways real commands can."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    @app_commands.command(name="explode")
    async def explode(self, interaction: discord.Interaction) -> None:
        """Raises an unexpected error."""
        raise RuntimeError("kaboom: internal detail that must never reach a member")

    @app_commands.command(name="refuse")
    async def refuse(self, interaction: discord.Interaction) -> None:
        """Raises a member-fixable error."""
        raise KindredError("That note is too long: please keep it under 1,000 characters.")

    @app_commands.command(name="refuse-note")
    @app_commands.describe(when="When it happens", note="A long note")
    async def refuse_note(self, interaction: discord.Interaction, when: str, note: str) -> None:
        """Refuses a bad time after the member wrote a long note."""
        raise KindredError(f"I couldn't read {when!r} as a time.")

    @app_commands.command(name="breathe")
    @app_commands.checks.cooldown(1, 60)
    async def breathe(self, interaction: discord.Interaction) -> None:
        """Once a minute at most."""
        await interaction.response.send_message("breathing", ephemeral=True)

    @app_commands.command(name="minutes")
    @app_commands.describe(length="Whole minutes")
    async def minutes(self, interaction: discord.Interaction, length: app_commands.Transform[int, Minutes]) -> None:
        """Takes a duration in minutes."""
        await interaction.response.send_message(f"{length} minutes", ephemeral=True)

    @app_commands.command(name="modonly")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def modonly(self, interaction: discord.Interaction) -> None:
        """Needs Manage Server at run time."""
        await interaction.response.send_message("ok", ephemeral=True)

    @app_commands.command(name="dmme")
    async def dmme(self, interaction: discord.Interaction) -> None:
        """DMs the caller, then answers."""
        await interaction.user.send("hello from the bot")
        await interaction.response.send_message("sent", ephemeral=True)

    @app_commands.command(name="announce")
    async def announce(self, interaction: discord.Interaction, text: str) -> None:
        """Posts member text to the channel (echo), through the bot's default allowed mentions."""
        assert isinstance(interaction.channel, discord.TextChannel)
        await interaction.channel.send(text)
        await interaction.response.send_message("posted", ephemeral=True)


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Failing(bot))
