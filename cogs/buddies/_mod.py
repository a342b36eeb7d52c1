"""Moderator commands in ``/buddy``: a dry-run preview and running a round now.

Manage Server is asked for in the client (``default_permissions`` on the commands) and again here at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.confirm import ConfirmView
from bot.errors import reply_ephemeral
from bot.messaging import NO_PINGS
from bot.text import fit_lines

from ._shared import require_manage_guild

if TYPE_CHECKING:
    from bot.buddies.rounds import BuddyRounds

__all__ = ["confirm_round_now", "preview_round"]


async def preview_round(rounds: BuddyRounds, interaction: discord.Interaction[Any]) -> None:
    """A dry run of the next round for a moderator. Nothing is sent or saved."""
    assert interaction.guild_id is not None
    require_manage_guild(interaction)
    await interaction.response.defer(ephemeral=True, thinking=True)
    plan = await rounds.plan(interaction.guild_id, rounds.bot.clock.now())
    groups = plan.result.groups
    trios = sum(1 for g in groups if len(g.user_ids) > 2)
    lines = [
        f"**Dry run:** {plan.eligible} members would take part: {_count(len(groups) - trios, 'pair')}"
        + (" and one group of three." if trios else "."),
    ]
    lines.append(f"**Sitting out** (paused, skipping, or unreachable by DM): {plan.sitting_out}.")
    if plan.result.unmatched:
        lines.append("**Not paired** (they'd be told kindly and go first next round):")
        # A message holds 2,000 characters; a long list ends with "…and N more" instead of failing.
        budget = 2000 - len("\n".join(lines)) - 1
        lines.append(fit_lines([f"• <@{u}>" for u in plan.result.unmatched], budget))
    else:
        lines.append("Everyone taking part would get a buddy.")
    await interaction.followup.send("\n".join(lines), ephemeral=True, allowed_mentions=NO_PINGS)


async def confirm_round_now(rounds: BuddyRounds, interaction: discord.Interaction[Any]) -> None:
    """Ask a moderator to confirm, then run a buddy round now."""
    assert interaction.guild_id is not None
    require_manage_guild(interaction)
    guild_id = interaction.guild_id

    async def confirmed(inner: discord.Interaction[Any]) -> None:
        await inner.response.edit_message(content="Running a round now…", view=None)
        report = await rounds.run_round(guild_id, scheduled_for=None)
        if report is None:
            await inner.followup.send("That round already ran.", ephemeral=True)
            return
        dm_note = f" {report.by_dm} were introduced by DM (see the mod log)." if report.by_dm else ""
        await inner.followup.send(
            f"Round done: {_count(report.groups, 'group')} introduced, {len(report.unmatched)} not paired "
            f"(told kindly, first in line next time).{dm_note}",
            ephemeral=True,
        )

    await reply_ephemeral(
        interaction,
        "Run a buddy round now? Current pairings end and everyone taking part gets a new buddy.",
        view=ConfirmView(interaction.user.id, "Run the round", confirmed),
    )


def _count(n: int, noun: str) -> str:
    """'1 pair', '3 pairs'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
