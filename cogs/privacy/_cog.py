"""``/privacy``: see, export and erase everything Kindred holds about you.

Every answer is in the member's Discord language. What each kind of data is, and who sees it, comes from the
privacy registry (the data file ``bot/data/privacy.toml``, read by :mod:`bot.privacy`) and is shown translated
where its feature marked it for the catalogue, else in English. Retention for members and servers that left is
the ``Retention`` cog's (:mod:`cogs.privacy._retention`).
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.confirm import ConfirmView
from bot.errors import reply_ephemeral
from bot.i18n import N_, _, ngettext
from bot.privacy_ops import (
    MemberSummary,
    count_member_rows,
    erase_member,
    export_member,
    run_erase_hooks,
)

if TYPE_CHECKING:
    from bot.client import KindredBot

CRISIS_NOTE = N_(
    "Kindred's crisis detection reads messages in channels it can see, so it can offer support and, "
    "if the server has turned it on, let the crisis team know."
)
DELETE_PROMPT = N_(
    "This erases **everything** Kindred holds about you, in every server: check-ins, dates, buddy "
    "preferences and history, service sign-ups, RSVPs, interests and settings. Buddies or hosts "
    "affected are told only that plans changed, never why. It can't be undone.\n\n"
    "Want a copy first? Use `/privacy export`."
)


FIELD_LIMIT = 1024  # Discord: characters in one embed field's value
EMBED_LIMIT = 6000  # Discord: characters across a message's embeds
MAX_FIELDS = 25
FOOTER = N_(
    "/privacy export sends you a copy. /privacy delete erases it all. "
    "If you leave a server, its data is erased after the server's retention period."
)


def _fields(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Lines packed into as many fields as they need, never cutting one off mid-sentence."""
    fields: list[tuple[str, str]] = []
    chunk = ""
    more = _("{heading} (continued)").format(heading=name)
    for line in lines:
        line = line if len(line) <= FIELD_LIMIT else line[: FIELD_LIMIT - 1] + "…"
        if chunk and len(chunk) + 1 + len(line) > FIELD_LIMIT:
            fields.append((name if not fields else more, chunk))
            chunk = line
        else:
            chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        fields.append((name if not fields else more, chunk))
    return fields


def _stored(summary: MemberSummary) -> str:
    # The registry's words are translated where their feature marked them for the catalogue, else English.
    return ngettext(
        "• {what} ({count} stored). Seen by: {who}.", "• {what} ({count} stored). Seen by: {who}.", summary.count
    ).format(what=_(summary.what), count=summary.count, who=_(summary.who_sees))


def render_summary(summaries: list[MemberSummary]) -> discord.Embed:
    """The plain-words answer to /privacy show, in the current locale: every kind of data, whole, within
    Discord's limits."""
    held = [s for s in summaries if s.count]
    empty = [s for s in summaries if not s.count]
    title, footer, stored_now = _("What Kindred stores about you"), _(FOOTER), _("Stored now")
    embed = discord.Embed(title=title, colour=discord.Colour.teal())
    fields = _fields(stored_now, [_stored(s) for s in held]) if held else [(stored_now, _("Nothing at the moment."))]
    fields.append((_("Crisis detection"), _(CRISIS_NOTE)))
    # What you *don't* have stored matters less than what you do: if Discord's limits leave no room
    # for all of it, say so plainly rather than cut a sentence in half.
    used = len(title) + len(footer) + sum(len(n) + len(v) for n, v in fields)
    spare = _fields(
        _("Kept only if you use the feature"),
        [_("• {what}. Seen by: {who}.").format(what=_(s.what), who=_(s.who_sees)) for s in empty],
    )
    fitting: list[tuple[str, str]] = []
    for name, value in spare:
        if len(fields) + len(fitting) >= MAX_FIELDS or used + len(name) + len(value) > EMBED_LIMIT - 200:
            fitting.append((_("More"), _("A few other kinds, kept only if you use the feature that needs them.")))
            break
        fitting.append((name, value))
        used += len(name) + len(value)
    for name, value in [*fields[:-1], *fitting, fields[-1]]:
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=footer)
    return embed


class Privacy(commands.GroupCog, group_name="privacy", group_description="See, export or erase your data"):
    """The ``/privacy`` commands: see, export or erase your data. Every answer is ephemeral: nobody else sees what
    is stored about you."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[KindredBot]) -> None:
        """See, in plain words, what Kindred stores about you and who can see each kind."""
        summaries = await count_member_rows(self.bot.db, interaction.user.id)
        await reply_ephemeral(interaction, embed=render_summary(summaries))

    @app_commands.command(name="export")
    async def export(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Get a JSON file of everything Kindred holds about you, across every feature."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await export_member(self.bot.db, interaction.user.id, now=self.bot.clock.now())
        payload = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
        file = discord.File(io.BytesIO(payload), filename="kindred-my-data.json")
        rows = sum(len(t["rows"]) for t in data["tables"].values())
        await interaction.followup.send(
            ngettext(
                "Here is everything Kindred holds about you ({count} item). Only you can see this message.",
                "Here is everything Kindred holds about you ({count} items). Only you can see this message.",
                rows,
            ).format(count=rows),
            file=file,
            ephemeral=True,
        )

    @app_commands.command(name="delete")
    async def delete(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Erase everything Kindred holds about you (asks you to confirm first)."""
        view = ConfirmView(
            interaction.user.id,
            _("Erase everything"),
            self._erase_confirmed,
            keep_label=_("Keep my data"),
            kept_text=_("Nothing was erased. Your data is as it was."),
        )
        await reply_ephemeral(interaction, _(DELETE_PROMPT), view=view)

    async def _erase_confirmed(self, interaction: discord.Interaction[KindredBot]) -> None:
        await interaction.response.defer()
        user_id = interaction.user.id
        # Features tell buddies and hosts first (neutrally), while the rows they need still exist.
        await run_erase_hooks(self.bot.erase_hooks, user_id, None)
        report = await erase_member(self.bot.db, user_id)
        await interaction.edit_original_response(
            content=ngettext(
                "Done. I erased everything I held about you ({count} item). "
                "If you use Kindred again, it starts fresh. Take care of yourself.",
                "Done. I erased everything I held about you ({count} items). "
                "If you use Kindred again, it starts fresh. Take care of yourself.",
                report.total,
            ).format(count=report.total),
            view=None,
        )
