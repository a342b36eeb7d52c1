"""``/recovery support on|off|status`` and the private offer after a recent recovery date.

The ``support`` subgroup joins the ``/recovery`` group of ``cogs.checkins`` while this extension is
loaded. The offer answers the ``recovery_date_set`` event, and a slip (``recovery_slip``) gets a kind
private note that the support stays on; both are dispatched by the recovery cog, so neither feature
imports the other.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import KindredError
from bot.events import ConfigChange
from bot.i18n import N_, _, using_locale
from bot.newcomers.rules import ALL_PARTS
from bot.newcomers.text import off_text, offer_text
from bot.timeparse import parse_clock_time
from cogs.newcomers._views import DYNAMIC_ITEMS, offer_view, on_reply

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.newcomers.service import FirstDays

__all__ = ["Newcomers", "SupportGroup"]

log = logging.getLogger(__name__)

ONOFF = [app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]


def _service(interaction: discord.Interaction) -> FirstDays:
    service = cast("KindredBot", interaction.client).features.newcomers
    if service is None:
        raise KindredError(_("First-30-days support is unavailable for a moment. Please try again shortly."))
    return service


class SupportGroup(app_commands.Group):
    """``/recovery support``: private extra support for the first 30 days."""

    def __init__(self) -> None:
        super().__init__(name="support", description="Private extra support for your first 30 days")

    @app_commands.command(name="on")
    @app_commands.rename(at="time")
    async def on(
        self,
        interaction: discord.Interaction,
        buddy: bool = True,
        checkins: bool = True,
        milestones: bool = True,
        rooms: bool = True,
        welcome: bool = True,
        at: str | None = None,
    ) -> None:
        """Turn on first-30-days support, or change its parts or time. Only you can see it.

        Args:
            buddy: A buddy within a day, not next round: a steady member who offered (default: yes)
            checkins: A gentle check-in prompt: daily for the first week, then every other day (default: yes)
            milestones: A private note at 24 hours, 3 days, 1 week and 2 weeks (default: yes)
            rooms: Once a week, the next rooms marked newcomer-friendly, in your time zone (default: yes)
            welcome: A hello from a volunteer on the welcome rota, by DM or in your buddy thread (default: yes)
            at: The time for check-in prompts, your local time, like 08:30 or 7pm (default: 19:00)
        """
        wanted = (
            ("buddy", buddy),
            ("checkins", checkins),
            ("milestones", milestones),
            ("rooms", rooms),
            ("welcome", welcome),
        )
        parts = frozenset(p for p, yes in wanted if yes)
        if not parts:
            raise KindredError(
                _(
                    "Choose at least one part (a buddy, check-ins, milestones, rooms or a welcome), "
                    "or use `/recovery support off` to stop it."
                )
            )
        chosen = parse_clock_time(at) if at else None
        service = _service(interaction)
        text = await service.turn_on(interaction.user.id, interaction.guild_id, parts & ALL_PARTS, chosen)
        reply = await on_reply(service, interaction.user.id, text)
        if reply["view"] is None:
            del reply["view"]
        await interaction.response.send_message(**reply, ephemeral=True)

    @app_commands.command(name="off")
    async def off(self, interaction: discord.Interaction) -> None:
        """Stop first-30-days support at once. Nothing else changes."""
        was_on = await _service(interaction).turn_off(interaction.user.id)
        text = off_text() if was_on else _("First-30-days support isn't on, so there was nothing to stop.")
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """See whether your first-30-days support is on, which day it is and what it includes."""
        text = await _service(interaction).status(interaction.user.id, interaction.guild_id)
        await interaction.response.send_message(text, ephemeral=True)


MENTOR_ON = N_(
    "Thank you. You've offered to be a buddy for members in their first 30 days. When one asks, I may "
    "introduce you in a private thread (never more than this server's limit at once). Either of you can "
    "change buddy any time, and `/buddy mentor setting:off` stops new introductions."
)
MENTOR_OFF = N_(
    "No new first-30-days introductions will come to you. Buddies you have now stay, unless either of you changes."
)


@app_commands.command(name="mentor")
@app_commands.choices(setting=ONOFF)
async def mentor_command(interaction: discord.Interaction, setting: str) -> None:
    """Offer to be a buddy for members in their first 30 days (steady or mentor experience).

    Args:
        setting: on: you may be introduced to someone starting out; off: no new introductions
    """
    service = _service(interaction)
    bot = cast("KindredBot", interaction.client)
    if interaction.guild_id is None:
        raise KindredError(_("Run this inside the server where you'd like to be a buddy."))
    guild_id, user_id = interaction.guild_id, interaction.user.id
    profile = await bot.store.buddies.get(guild_id, user_id)
    on = setting == "on"
    if profile is None or profile.status != "active":
        raise KindredError(_("Join buddy pairing first with `/buddy join`; then you can offer this."))
    if on and profile.experience not in ("steady", "mentor"):
        raise KindredError(
            _(
                "This is for members who describe themselves as steady or a mentor. "
                "`/buddy prefs experience:` changes that when it feels right."
            )
        )
    await bot.store.newcomer_pairs.set_mentor(guild_id, user_id, on, now=bot.clock.now())
    if on:
        await service.buddies.free_up(guild_id)
    await interaction.response.send_message(_(MENTOR_ON if on else MENTOR_OFF), ephemeral=True)


class Newcomers(commands.Cog):
    """Publishes the service, its timers and buttons, and the ``/recovery support`` commands."""

    def __init__(self, bot: KindredBot, service: FirstDays) -> None:
        self.bot = bot
        self.service = service
        self.group = SupportGroup()
        self.mentor: app_commands.Command[Any, ..., None] = mentor_command

    async def cog_load(self) -> None:
        """Publish the service, route its timers, rebuild its chains, make old buttons answer again."""
        self.bot.features.newcomers = self.service
        self.service.register()
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.chains.register("newcomers", self.service.reconcile)
        self._attach("recovery", self.group)
        self._attach("buddy", self.mentor)
        self.bot.chains.register("newcomer-buddies", self.service.buddies.reconcile)
        self.bot.erase_hooks["newcomers"] = self.service.buddies.before_erase

    def _attach(self, parent: str, command: app_commands.Group | app_commands.Command[Any, ..., None]) -> None:
        group = self.bot.tree.get_command(parent)
        if isinstance(group, app_commands.Group):
            group.add_command(command, override=True)
        else:
            log.warning("/%s isn't loaded, so /%s %s is unavailable", parent, parent, command.name)

    async def cog_unload(self) -> None:
        """Undo :meth:`cog_load`; pending timers wait in the table."""
        self.service.unregister()
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.chains.unregister("newcomers")
        for parent, name in (("recovery", self.group.name), ("buddy", self.mentor.name)):
            group = self.bot.tree.get_command(parent)
            if isinstance(group, app_commands.Group):
                group.remove_command(name)
        self.bot.chains.unregister("newcomer-buddies")
        self.bot.erase_hooks.pop("newcomers", None)
        if self.bot.features.newcomers is self.service:
            self.bot.features.newcomers = None

    @commands.Cog.listener()
    async def on_recovery_date_set(self, interaction: discord.Interaction, chosen: date) -> None:
        """A recent recovery date brings the private offer, once (a decision already made is respected)."""
        user_id = interaction.user.id
        try:
            if await self.service.offer_after_recovery_date(user_id, interaction.guild_id, chosen):
                # An event handler runs in its own task: the member's language is set again from the interaction.
                with using_locale(interaction.locale):
                    offer, view = offer_text(), offer_view(user_id, interaction.guild_id)
                await interaction.followup.send(offer, view=view, ephemeral=True)
        except Exception:
            log.exception("couldn't offer first-30-days support to %s", user_id)

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """Someone left the server: their first-30-days pairs end, and whoever remains is told kindly."""
        try:
            await self.service.buddies.before_erase(payload.user.id, payload.guild_id)
        except Exception:
            log.exception("couldn't end the first-30-days pairs of %s in %s", payload.user.id, payload.guild_id)

    @commands.Cog.listener()
    async def on_guild_config_changed(self, change: ConfigChange) -> None:
        """A higher mentor limit may free a mentor for someone waiting."""
        if change.key == "newcomer_mentor_cap":
            await self.service.buddies.free_up(change.guild_id)

    @commands.Cog.listener()
    async def on_recovery_slip(self, interaction: discord.Interaction) -> None:
        """A slip during the period: a kind private note that the support stays on."""
        try:
            with using_locale(interaction.locale):
                note = await self.service.on_slip(interaction.user.id)
            if note is not None:
                await interaction.followup.send(note, ephemeral=True)
        except Exception:
            log.exception("couldn't tell %s that their support stays on after a slip", interaction.user.id)
