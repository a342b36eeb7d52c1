"""``/resources show|region|mute|unmute``: crisis contacts for anyone, and a member's own support settings.

Discord can't make ``/resources`` both a command and a group, so "show the contacts" is ``/resources show``.
Showing contacts never needs the database: if it is down, the shipped hotlines for the worldwide
directory are shown rather than nothing.

When neither the member nor the server has chosen a region, the member's Discord language may suggest
one. It is offered, never saved: ``/resources show`` says what it guessed and how to choose, and the
``/resources region`` autocomplete lists the suggestion first.
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
from bot.i18n import N_, _, country_name
from bot.regions import describe_regions, regions_for_locale, require_region, search_regions
from bot.resources import REGION_NAMES, contacts_for, render_contacts

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Resources", "contacts_message", "locale_hint"]

log = logging.getLogger(__name__)

GUESSED = N_("guessed from your Discord language")
_FOOTER = N_("`/resources region` changes your region; `/resources mute` stops automatic support messages.")


def contacts_message(region: str, *, whose: str, hint: str = "") -> str:
    """The /resources answer: short, warm, the region's contacts with the substance-use line.

    ``hint`` is a line about a region suggested by the member's language, shown above the footer.
    """
    contacts = contacts_for(region)
    footer = "-# " + _(_FOOTER)
    if whose == GUESSED:
        footer = "-# " + _(
            "Not in {region}? Pick your country with `/resources region`; "
            "nothing is saved until you do. `/resources mute` stops automatic support messages."
        ).format(region=country_name(contacts.region, contacts.region_name))
    if contacts.region == "other":
        heading = _("**People you can reach right now** ({whose}):").format(whose=_(whose))
    else:
        heading = _("**People you can reach right now in {region}** ({whose}):").format(
            region=country_name(contacts.region, contacts.region_name), whose=_(whose)
        )
    return (
        f"{heading}\n"
        f"{render_contacts(contacts, substance=True)}\n\n"
        + _("You matter, and reaching out is a strong thing to do. You can also talk to someone here.")
        + "\n"
        + (f"{hint}\n" if hint else "")
        + footer
    )


def locale_hint(codes: tuple[str, ...]) -> str:
    """A line offering the countries a language suggests when it doesn't point to just one."""
    return _(
        "Your Discord language suggests {regions}. Pick yours with `/resources region` to see lines you can call there."
    ).format(regions=describe_regions(codes))


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
        return "other", N_("worldwide")

    async def _stored_region(self, user_id: int, guild_id: int | None) -> tuple[str, str]:
        """The member's own region, else the server's, else the worldwide directory (may raise)."""
        prefs = await self.bot.store.prefs.get(user_id)
        if prefs.region:
            return prefs.region, N_("your region")
        if guild_id is not None:
            return (await self.bot.store.config.get(guild_id)).region, N_("this server's region")
        return "other", N_("worldwide")

    async def _set_muted(self, user_id: int, muted: bool) -> bool:
        """Save the choice, or say specifically that it couldn't be saved (never a silent or generic failure)."""
        try:
            changed = await bounded(
                lambda: self.bot.store.crisis.set_muted(user_id, muted, now=self.bot.clock.now()), self.db_timeout
            )
        except Exception:
            log.exception("could not save the automatic-messages choice of %s", user_id)
            raise KindredError(
                _(
                    "I couldn't save that just now, so nothing changed. Please try again in a few minutes. "
                    "`/resources show` works any time."
                )
            ) from None
        crisis = self.bot.features.crisis
        if crisis is not None:
            crisis.note_muted(user_id, muted)
        return changed

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Crisis lines you can reach right now, for your region (only you see this)."""
        region, whose = await self._region(interaction.user.id, interaction.guild_id)
        hint = ""
        if region == "other" and whose != "your region":
            # Nobody chose a country (or the choice couldn't be read): the member's language may suggest
            # one. A member who picked "Somewhere else" themselves is taken at their word.
            # One country is shown as a labelled guess; several are named for the member to pick from.
            suggested = regions_for_locale(interaction.locale)
            if len(suggested) == 1:
                region, whose = suggested[0], GUESSED
            elif suggested:
                hint = locale_hint(suggested)
        await reply_ephemeral(interaction, contacts_message(region, whose=whose, hint=hint))

    @app_commands.command(name="region")
    async def region(self, interaction: discord.Interaction[KindredBot], region: str) -> None:
        """Choose which country's crisis lines Kindred shows you (everywhere, in every server).

        Args:
            region: Where you live: start typing your country, then pick it from the list
        """
        code = require_region(region)
        await self.bot.store.prefs.set_region(interaction.user.id, code, now=self.bot.clock.now())
        await reply_ephemeral(interaction, _("Saved.") + " " + contacts_message(code, whose=N_("your region")))

    @region.autocomplete("region")
    async def _region_autocomplete(
        self, interaction: discord.Interaction[KindredBot], current: str
    ) -> list[Choice[str]]:
        """Countries matching what was typed; the member's current region, else their language's, first."""
        suggested: tuple[str, ...] = ()
        note = ""
        try:
            prefs = await bounded(lambda: self.bot.store.prefs.get(interaction.user.id), self.db_timeout)
        except Exception:
            # The list must still appear when the database is slow or down; only the ordering is lost.
            log.warning("reading the region of %s for autocomplete failed", interaction.user.id, exc_info=True)
            prefs = None
        if prefs is not None and prefs.region in REGION_NAMES:
            suggested, note = (prefs.region,), _("your current choice")
        else:
            suggested, note = regions_for_locale(interaction.locale), _("suggested from your Discord language")
        return [Choice(name=c.label, value=c.code) for c in search_regions(current, suggested=suggested, note=note)]

    @app_commands.command(name="mute")
    async def mute(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Stop automatic support messages to you (the server's crisis team may still be alerted)."""
        changed = await self._set_muted(interaction.user.id, True)
        head = _("Done.") if changed else _("They're already off.")
        body = _(
            "I won't send you automatic support messages when I notice hard words, in any server. "
            "The server's crisis team may still be told, under its own settings. "
            "`/resources show` is always here, and `/resources unmute` turns the messages back on."
        )
        await reply_ephemeral(interaction, f"{head} {body}")

    @app_commands.command(name="unmute")
    async def unmute(self, interaction: discord.Interaction[KindredBot]) -> None:
        """Turn Kindred's automatic support messages back on for you."""
        changed = await self._set_muted(interaction.user.id, False)
        head = _("Done, they're back on.") if changed else _("They're already on.")
        body = _("If I notice you might be going through something hard, I'll message you privately.")
        await reply_ephemeral(interaction, f"{head} {body}")
