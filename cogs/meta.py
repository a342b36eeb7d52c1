"""``/about`` and ``/help``: what the bot offers and where to start."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.help import help_fields, visible_entries

if TYPE_CHECKING:
    from bot.client import KindredBot

ABOUT = (
    "**Kindred** is here to make connection easy and routine, for anyone recovering from anything.\n\n"
    "• **Daily check-ins**: notice how you are in thirty seconds. Private unless you choose to share.\n"
    "• **Recovery date**: track your journey; a slip starts a new stretch and keeps everything you've built.\n"
    "• **Buddies**: opt in to be paired with a peer who shares your interests and time zone.\n"
    "• **Service**: sign up to help others as a greeter, listener or meeting host.\n"
    "• **Rooms**: voice gatherings around what you love, from meditation to jam bands.\n"
    "• **Resources**: `/resources` shows crisis contacts for your region, any time.\n\n"
    "**Where to start:** try `/checkin`, then `/buddy join`. `/help` lists every command, "
    "and `/privacy show` explains exactly what is stored and who can see it."
)


class Meta(commands.Cog):
    """About and help."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction) -> None:
        """What Kindred offers and where to start."""
        embed = discord.Embed(title="About Kindred", description=ABOUT, colour=discord.Colour.teal())
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """Every command you can use, grouped by feature, one line each."""
        perms = interaction.permissions
        entries = visible_entries(self.bot.tree.get_commands(), perms)
        embed = discord.Embed(title="Kindred commands", colour=discord.Colour.teal())
        for heading, text in help_fields(entries):
            embed.add_field(name=heading, value=text, inline=False)
        embed.set_footer(text="Everything personal is answered privately. /privacy show explains what is stored.")
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Meta(bot))
