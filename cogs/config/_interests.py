"""``/config interests``: the server's interest catalogue, optionally linked to roles.

A mixin for the ``Config`` group cog, so these commands share its Manage Server check.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.config_ops import check_interest_name
from bot.confirm import ConfirmView
from bot.errors import KindredError, reply_ephemeral
from bot.i18n import _, pgettext
from bot.messaging import NO_PINGS
from bot.moderation import moderated_guild
from bot.text import ECHO_LIMIT, clamp
from cogs.config._validate import require_manager, validated_role

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.guild_config import GuildConfig

__all__ = ["InterestCommands"]

log = logging.getLogger(__name__)


class InterestCommands(commands.Cog):
    """Add, remove and list interests. Mixed into the ``Config`` cog (never loaded on its own)."""

    bot: KindredBot
    interests = app_commands.Group(name="interests", description="The interests members can follow (moderators)")

    async def post_modlog(self, guild: discord.Guild, config: GuildConfig, text: str) -> None:
        """Provided by the cog this is mixed into."""
        raise NotImplementedError

    async def _log(self, interaction: discord.Interaction[KindredBot], text: str) -> None:
        assert interaction.guild is not None
        config = await self.bot.store.config.get(interaction.guild.id)
        await self.post_modlog(interaction.guild, config, f"{interaction.user.mention} {text}")

    @interests.command(name="add")
    async def interests_add(
        self, interaction: discord.Interaction[KindredBot], name: str, role: discord.Role | None = None
    ) -> None:
        """Add an interest members can follow, or change the role linked to one.

        Args:
            name: The interest, e.g. meditation or jam bands
            role: A role for this interest; followers can be given it (optional)
        """
        guild = require_manager(interaction)
        cleaned = check_interest_name(name)
        role_id = None
        if role is not None:
            role_id = validated_role("interest", role)
            if not guild.me.guild_permissions.manage_roles:
                raise KindredError(
                    _("To link a role I need the **Manage Roles** permission. Grant it, then try again.")
                )
            if role >= guild.me.top_role:
                raise KindredError(
                    _(
                        "I can't give members **{role}** because it sits above my highest role. "
                        "Drag my role above it in Server Settings → Roles, then try again."
                    ).format(role=role.name)
                )
        now = self.bot.clock.now()
        existed = await self.bot.store.interests.find(guild.id, cleaned, now=now)
        interest = await self.bot.store.interests.add(guild.id, cleaned, role_id, now=now)
        if role_id:
            done = (
                _("**{interest}** updated, linked to {role}. Members can follow it now.")
                if existed
                else _("**{interest}** added, linked to {role}. Members can follow it now.")
            )
        else:
            done = (
                _("**{interest}** updated. Members can follow it now.")
                if existed
                else _("**{interest}** added. Members can follow it now.")
            )
        await reply_ephemeral(interaction, done.format(interest=interest.name, role=f"<@&{role_id}>"))
        # The mod-log is a moderators' record, kept in English.
        linked = f" linked to <@&{role_id}>" if role_id else ""
        await self._log(interaction, f"{'updated' if existed else 'added'} the interest **{interest.name}**{linked}.")

    @interests.command(name="remove")
    async def interests_remove(self, interaction: discord.Interaction[KindredBot], name: str) -> None:
        """Remove an interest from the catalogue (asks you to confirm first).

        Args:
            name: The interest to remove
        """
        guild = require_manager(interaction)
        interest = await self.bot.store.interests.find(guild.id, name, now=self.bot.clock.now())
        if interest is None:
            raise KindredError(
                _("There's no interest called **{name}**. `/config interests list` shows them.").format(
                    name=discord.utils.escape_markdown(clamp(name.strip(), ECHO_LIMIT))
                )
            )
        name = interest.name

        async def remove(clicked: discord.Interaction[KindredBot]) -> None:
            await self.remove_confirmed(clicked, name)

        view = ConfirmView(
            interaction.user.id,
            _("Remove"),
            remove,
            # Spanish and French need the pronoun's gender: an interest is masculine, a room or opportunity not.
            keep_label=pgettext("keep an interest", "Keep it"),
            kept_text=_("Kept **{interest}**.").format(interest=name),
        )
        await reply_ephemeral(
            interaction,
            _("Remove **{interest}**? Members who follow it will stop following it. This can't be undone.").format(
                interest=name
            ),
            view=view,
        )

    @interests_remove.autocomplete("name")
    async def _interest_autocomplete(
        self, interaction: discord.Interaction[KindredBot], current: str
    ) -> list[Choice[str]]:
        guild = moderated_guild(interaction)
        if guild is None:
            return []
        catalogue = await self.bot.store.interests.catalogue(guild.id, now=self.bot.clock.now())
        needle = current.strip().casefold()
        return [Choice(name=i.name, value=i.name) for i in catalogue if needle in i.name.casefold()][:25]

    @interests.command(name="list")
    async def interests_list(self, interaction: discord.Interaction[KindredBot]) -> None:
        """See the server's interests and any linked roles."""
        guild = require_manager(interaction)
        catalogue = await self.bot.store.interests.catalogue(guild.id, now=self.bot.clock.now())
        if not catalogue:
            await reply_ephemeral(interaction, _("There are no interests yet. Add one with `/config interests add`."))
            return
        lines = [f"• {i.name}" + (f" (<@&{i.role_id}>)" if i.role_id else "") for i in catalogue]
        embed = discord.Embed(title=_("Interests"), description="\n".join(lines)[:4000], colour=discord.Colour.teal())
        await reply_ephemeral(interaction, embed=embed)

    async def remove_confirmed(self, interaction: discord.Interaction[KindredBot], name: str) -> None:
        """Called by the confirm button."""
        guild = require_manager(interaction)
        removed = await self.bot.store.interests.remove(guild.id, name)
        text = (_("**{interest}** is removed.") if removed else _("**{interest}** was already gone.")).format(
            interest=name
        )
        await interaction.response.edit_message(content=text, view=None, allowed_mentions=NO_PINGS)
        if removed:
            await self._log(interaction, f"removed the interest **{name}**.")
