"""``/about`` and ``/help``: what the bot offers and where to start."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import KindredError
from bot.help import compact_fields, feature_names, fits, help_fields, visible_entries
from bot.i18n import N_, _
from bot.text import echo

if TYPE_CHECKING:
    from bot.client import KindredBot

ABOUT = N_(
    "**Kindred** is here to make connection easy and routine, for anyone recovering from anything.\n\n"
    "• **Daily check-ins**: notice how you are in thirty seconds. Private unless you choose to share.\n"
    "• **Recovery date**: track your journey; a slip starts a new stretch and keeps everything you've built.\n"
    "• **Buddies**: opt in to be paired with a peer who shares your interests and time zone.\n"
    "• **Service**: sign up to help others as a greeter, listener or meeting host.\n"
    "• **Rooms**: voice gatherings around what you love, from meditation to jam bands.\n"
    "• **Resources**: `/resources show` lists crisis contacts for your region, any time.\n\n"
    "**Where to start:** try `/checkin today`, then `/buddy join`. `/help` lists every command, "
    "and `/privacy show` explains exactly what is stored and who can see it."
)


class Meta(commands.Cog):
    """About and help."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction) -> None:
        """What Kindred offers and where to start."""
        embed = discord.Embed(title=_("About Kindred"), description=_(ABOUT), colour=discord.Colour.teal())
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction, feature: str | None = None) -> None:
        """Every command you can use, grouped by feature, one line each.

        Args:
            feature: Show one line about each command of this feature
        """
        entries = visible_entries(self.bot.tree.get_commands(), interaction.permissions)
        embed = discord.Embed(title=_("Kindred commands"), colour=discord.Colour.teal())
        footer = _("Everything personal is answered privately. /privacy show explains what is stored.")
        if feature:
            chosen = [e for e in entries if e.group.casefold() == feature.strip().casefold()]
            if not chosen:
                raise KindredError(
                    _("I don't have a feature called {feature}. Try one of: {features}.").format(
                        feature=echo(feature), features=", ".join(feature_names(entries))
                    )
                )
            fields = help_fields(chosen)
        else:
            fields = help_fields(entries)
            if not fits(fields):
                # Too long for one message: list the names, and offer the details one feature at a time.
                fields = compact_fields(entries)
                footer = _("Use /help feature:<name> for one line about each command.") + " " + footer
        for heading, text in fields:
            embed.add_field(name=heading, value=text, inline=False)
        embed.set_footer(text=footer)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @help.autocomplete("feature")
    async def _feature_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        entries = visible_entries(self.bot.tree.get_commands(), interaction.permissions)
        return [
            app_commands.Choice(name=name, value=name)
            for name in feature_names(entries)
            if current.casefold() in name.casefold()
        ][:25]


async def setup(bot: KindredBot) -> None:
    """Load the cog."""
    await bot.add_cog(Meta(bot))
