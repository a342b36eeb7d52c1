"""``/resources show|region|mute|unmute``: crisis contacts for anyone, and a member's own support settings.

Discord can't make ``/resources`` both a command and a group, so "show the contacts" is ``/resources show``.
Showing contacts never needs the database: if it is down, the shipped hotlines for the worldwide
directory are shown rather than nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.crisis_care.work import DB_TIMEOUT, bounded
from bot.errors import KindredError, reply_ephemeral
from bot.guild_config import REGIONS
from bot.resources import REGION_NAMES, contacts_for, render_contacts

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Resources", "contacts_message"]

log = logging.getLogger(__name__)

REGION_CHOICES = [Choice(name="Somewhere else" if r == "other" else REGION_NAMES.get(r, r), value=r) for r in REGIONS]


def contacts_message(region: str, *, whose: str) -> str:
    """The /resources answer: short, warm, the region's contacts with the substance-use line."""
    contacts = contacts_for(region)
    place = "" if contacts.region == "other" else f" in {contacts.region_name}"
    return (
        f"**People you can reach right now{place}** ({whose}):\n"
        f"{render_contacts(contacts, substance=True)}\n\n"
        "You matter, and reaching out is a strong thing to do. You can also talk to someone here.\n"
        "-# `/resources region` changes your region; `/resources mute` stops automatic support messages."
    )


class Resources(
    commands.GroupCog,
    group_name="resources",
    group_description="Crisis lines you can reach now (show), your region, and automatic support messages",
):
    """Crisis contacts for everyone, and each member's own choices about them."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.db_timeout = DB_TIMEOUT
        super().__init__()

    async def _region(self, user_id: int, guild_id: int | None) -> tuple[str, str]:
        """(region, whose) — the member's own, else the server's, else the worldwide directory.

        Bounded by :attr:`db_timeout`: someone looking for a crisis line must get one inside Discord's
        3-second deadline even when the database is slow.
        """
        try:
            return await bounded(lambda: self._stored_region(user_id, guild_id), self.db_timeout)
        except TimeoutError:
            log.warning(
                "reading the region for %s took over %.1fs; showing the worldwide directory", user_id, self.db_timeout
            )
        except Exception:
            # Contacts must show even when the database is down.
            log.exception("could not read the region for %s; showing the worldwide directory", user_id)
        return "other", "worldwide"

    async def _stored_region(self, user_id: int, guild_id: int | None) -> tuple[str, str]:
        """The member's own region, else the server's, else the worldwide directory (may raise)."""
        prefs = await self.bot.store.prefs.get(user_id)
        if prefs.region:
            return prefs.region, "your region"
        if guild_id is not None:
            return (await self.bot.store.config.get(guild_id)).region, "this server's region"
        return "other", "worldwide"

    async def _set_muted(self, user_id: int, muted: bool) -> bool:
        """Save the choice, or say specifically that it couldn't be saved (never a silent or generic failure)."""
        try:
            changed = await bounded(
                lambda: self.bot.store.crisis.set_muted(user_id, muted, now=self.bot.clock.now()), self.db_timeout
            )
        except Exception:
            log.exception("could not save the automatic-messages choice of %s", user_id)
            raise KindredError(
                "I couldn't save that just now, so nothing changed. Please try again in a few minutes. "
                "`/resources show` works any time."
            ) from None
        crisis = self.bot.features.crisis
        if crisis is not None:
            crisis.note_muted(user_id, muted)
        return changed

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Crisis lines you can reach right now, for your region (only you see this)."""
        region, whose = await self._region(interaction.user.id, interaction.guild_id)
        await reply_ephemeral(interaction, contacts_message(region, whose=whose))

    @app_commands.command(name="region")
    @app_commands.describe(region="Where you live, so /resources show lists lines you can call or text")
    @app_commands.choices(region=REGION_CHOICES)
    async def region(self, interaction: discord.Interaction[KindredBot], region: str) -> None:
        """Choose which country's crisis lines Kindred shows you (everywhere, in every server)."""
        if region not in REGIONS:
            raise KindredError(f"Pick a region from the list: {', '.join(REGIONS)}.")
        await self.bot.store.prefs.set_region(interaction.user.id, region, now=self.bot.clock.now())
        await reply_ephemeral(interaction, "Saved. " + contacts_message(region, whose="your region"))

    @app_commands.command(name="mute")
    async def mute(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Stop automatic support messages to you (the server's crisis team may still be alerted)."""
        changed = await self._set_muted(interaction.user.id, True)
        head = "Done." if changed else "They're already off."
        await reply_ephemeral(
            interaction,
            f"{head} I won't send you automatic support messages when I notice hard words, in any server. "
            "The server's crisis team may still be told, under its own settings. "
            "`/resources show` is always here, and `/resources unmute` turns the messages back on.",
        )

    @app_commands.command(name="unmute")
    async def unmute(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Turn Kindred's automatic support messages back on for you."""
        changed = await self._set_muted(interaction.user.id, False)
        head = "Done, they're back on." if changed else "They're already on."
        await reply_ephemeral(
            interaction, f"{head} If I notice you might be going through something hard, I'll message you privately."
        )
