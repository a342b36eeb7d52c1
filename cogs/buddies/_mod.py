"""Moderator commands in ``/buddy``: a dry-run preview and running a round now."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.errors import reply_ephemeral
from bot.messaging import NO_PINGS

from ._base import BuddyCommandBase
from ._views import ConfirmView

__all__ = ["ModeratorCommands"]


class ModeratorCommands(BuddyCommandBase):
    """``/buddy preview`` and ``/buddy pair-now``: Manage Server in the client and again at run time."""

    @app_commands.command(name="preview")
    @app_commands.default_permissions(manage_guild=True)
    async def preview(self, interaction: discord.Interaction[Any]) -> None:
        """Moderators: a dry run of the next round. Nothing is sent or saved."""
        assert interaction.guild_id is not None
        self._require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        plan = await self.rounds.plan(interaction.guild_id, self.bot.clock.now())
        groups = plan.result.groups
        trios = sum(1 for g in groups if len(g.user_ids) > 2)
        lines = [
            f"**Dry run:** {plan.eligible} members would take part: {len(groups) - trios} pairs"
            + (" and one group of three." if trios else "."),
        ]
        if plan.result.unmatched:
            names = ", ".join(f"<@{u}>" for u in plan.result.unmatched)
            lines.append(f"**Not paired:** {names}. They'd be told kindly and go first next round.")
        else:
            lines.append("Everyone taking part would get a buddy.")
        lines.append(f"**Sitting out** (paused, skipping, or unreachable by DM): {plan.sitting_out}.")
        await interaction.followup.send("\n".join(lines), ephemeral=True, allowed_mentions=NO_PINGS)

    @app_commands.command(name="pair-now")
    @app_commands.default_permissions(manage_guild=True)
    async def pair_now(self, interaction: discord.Interaction[Any]) -> None:
        """Moderators: run a buddy round right now. Current pairings end and new ones are introduced."""
        assert interaction.guild_id is not None
        self._require_manage_guild(interaction)
        guild_id = interaction.guild_id

        async def confirmed(inner: discord.Interaction[Any]) -> None:
            await inner.response.edit_message(content="Running a round now…", view=None)
            report = await self.rounds.run_round(guild_id, scheduled_for=None)
            if report is None:
                await inner.followup.send("That round already ran.", ephemeral=True)
                return
            dm_note = f" {report.by_dm} were introduced by DM (see the mod log)." if report.by_dm else ""
            await inner.followup.send(
                f"Round done: {report.groups} groups introduced, {len(report.unmatched)} not paired "
                f"(told kindly, first in line next time).{dm_note}",
                ephemeral=True,
            )

        await reply_ephemeral(
            interaction,
            "Run a buddy round now? Current pairings end and everyone taking part gets a new buddy.",
            view=ConfirmView(interaction.user.id, "Run the round", confirmed),
        )
