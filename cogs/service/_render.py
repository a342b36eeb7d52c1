"""How service answers look to the member who asked: their own commitments, open opportunities, id choices."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.clock import discord_ts
from bot.i18n import _
from bot.service import KIND_LABELS, Opportunity, SignupStatus, fit_lines, slots_line
from bot.store.service import HistoryEntry

__all__ = ["id_choices", "mine_embed", "open_list_embed"]

_LISTED = 15  # opportunities shown by /service list; the rest are counted


def mine_embed(upcoming: list[tuple[Opportunity, SignupStatus]], history: list[HistoryEntry]) -> discord.Embed:
    """``/service mine``: the member's own sign-ups and the times they helped, compared with nobody's."""
    embed = discord.Embed(title=_("Your service"), colour=discord.Colour.teal())
    lines = []
    for opp, status in upcoming:
        waiting = " " + _("(on the waitlist)") if status is SignupStatus.WAITLIST else ""
        lines.append(f"• **{opp.title}** (#{opp.id}), {discord_ts(opp.starts_at, 'F')}{waiting}")
    embed.add_field(
        name=_("Coming up"),
        value=fit_lines(lines) or _("Nothing right now. `/service list` shows ways to help."),
        inline=False,
    )
    done = [f"• {h.title}, {discord_ts(h.served_at, 'D')}" for h in history]
    embed.add_field(
        name=_("Times you've helped"),
        value=fit_lines(done) or _("Once an organiser confirms you came, it's saved here for you."),
        inline=False,
    )
    embed.set_footer(text=_("This is yours alone: nobody else sees it, and it's never compared with anyone."))
    return embed


def open_list_embed(opps: list[Opportunity]) -> discord.Embed:
    """``/service list``: open opportunities, soonest first."""
    lines = [
        f"**#{o.id} {o.title}** · {_(KIND_LABELS[o.kind])} · {discord_ts(o.starts_at, 'F')} · {slots_line(o)}"
        for o in opps[:_LISTED]
    ]
    more = "\n" + _("…and {count} more.").format(count=len(opps) - _LISTED) if len(opps) > _LISTED else ""
    embed = discord.Embed(title=_("Ways to help"), description="\n".join(lines) + more, colour=discord.Colour.green())
    embed.set_footer(text=_("Sign up with the buttons on the board, or /service join <number>."))
    return embed


def id_choices(items: list[tuple[int, str]], current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete choices ("#id title") for ``items`` matching what the member typed, 25 at most."""
    needle = current.strip().lstrip("#").casefold()
    found = [(i, t) for i, t in items if not needle or needle in f"{i} {t}".casefold()]
    return [app_commands.Choice(name=f"#{i} {t}"[:100], value=i) for i, t in found[:25]]
