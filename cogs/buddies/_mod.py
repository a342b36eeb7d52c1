"""Moderator commands in ``/buddy``: a dry-run preview and running a round now.

Manage Server is asked for in the client (``default_permissions`` on the commands) and again here at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.confirm import ConfirmView
from bot.errors import reply_ephemeral
from bot.i18n import _, ngettext
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
    pairs = ngettext("{n} pair", "{n} pairs", len(groups) - trios).format(n=len(groups) - trios)
    dry_run = (
        _("**Dry run:** {members} members would take part: {pairs} and one group of three.")
        if trios
        else _("**Dry run:** {members} members would take part: {pairs}.")
    )
    lines = [dry_run.format(members=plan.eligible, pairs=pairs)]
    lines.append(_("**Sitting out** (paused, skipping, or unreachable by DM): {n}.").format(n=plan.sitting_out))
    if plan.result.unmatched:
        lines.append(_("**Not paired** (they'd be told kindly and go first next round):"))
        # A message holds 2,000 characters; a long list ends with "…and N more" instead of failing.
        budget = 2000 - len("\n".join(lines)) - 1
        lines.append(fit_lines([f"• <@{u}>" for u in plan.result.unmatched], budget))
    else:
        lines.append(_("Everyone taking part would get a buddy."))
    await interaction.followup.send("\n".join(lines), ephemeral=True, allowed_mentions=NO_PINGS)


async def confirm_round_now(rounds: BuddyRounds, interaction: discord.Interaction[Any]) -> None:
    """Ask a moderator to confirm, then run a buddy round now."""
    assert interaction.guild_id is not None
    require_manage_guild(interaction)
    guild_id = interaction.guild_id

    async def confirmed(inner: discord.Interaction[Any]) -> None:
        await inner.response.edit_message(content=_("Running a round now…"), view=None)
        report = await rounds.run_round(guild_id, scheduled_for=None)
        if report is None:
            await inner.followup.send(_("That round already ran."), ephemeral=True)
            return
        groups = ngettext("{n} group", "{n} groups", report.groups).format(n=report.groups)
        done = _(
            "Round done: {groups} introduced, {unmatched} not paired (told kindly, first in line next time)."
        ).format(groups=groups, unmatched=len(report.unmatched))
        if report.by_dm:
            done += " " + _("{n} were introduced by DM (see the mod log).").format(n=report.by_dm)
        await inner.followup.send(done, ephemeral=True)

    await reply_ephemeral(
        interaction,
        _("Run a buddy round now? Current pairings end and everyone taking part gets a new buddy."),
        view=ConfirmView(interaction.user.id, _("Run the round"), confirmed),
    )
