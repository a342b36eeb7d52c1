"""``/recovery``: the member's recovery date, privately. Uses their words: "recovery date".

- ``/recovery set date`` (autocomplete offers today and recent dates)
- ``/recovery show``
- ``/recovery slip`` (asks first; a new stretch starts today, the journey and total are kept)
- ``/recovery celebrate setting:on|off`` (milestones posted in the share channel, by choice)
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.checkins import (
    Milestone,
    date_suggestions,
    milestone_label,
    milestone_on,
    next_milestone,
    parse_recovery_date,
    set_date,
    slip,
)
from bot.checkins.reminders import CheckinScheduler
from bot.errors import KindredError
from bot.i18n import N_, _, format_day, ngettext, using_locale
from bot.messaging import send_dm
from cogs._buttons import PersistentButton
from cogs.checkins._flow import current_member, post_to_share_channel, safe_text

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.store.checkins import RecoveryState

__all__ = ["RecoveryCog", "send_milestone"]

log = logging.getLogger(__name__)

ONOFF_CHOICES = [app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]
NEXT_STEPS = N_(
    "**If it helps, one small step today:**\n"
    "• Tell your buddy or someone you trust. `/buddy status` shows your buddy.\n"
    "• `/resources show` lists people you can talk to right now.\n"
    "• Join a room today. Being around others who get it helps."
)


def _fmt(day: date) -> str:
    return format_day(day)


def render_show(state: RecoveryState, today: date) -> str:
    """The private ``/recovery show`` answer, in the current locale."""
    record = state.record
    stretch = record.stretch_days(today)
    lines = [_("**Your recovery**")]
    reached = milestone_on(record.stretch_start, today)
    if reached is not None:
        lines.append("🎉 " + _("Today you reach **{milestone}**.").format(milestone=milestone_label(reached.label)))
    stretch_text = ngettext("{n} day", "{n} days", stretch).format(n=stretch)
    lines.append(
        "• "
        + _("Current stretch: **{days}** (since {start})").format(days=stretch_text, start=_fmt(record.stretch_start))
    )
    lines.append("• " + _("Journey started: {day}").format(day=_fmt(record.journey_start)))
    lines.append("• " + _("Total days in recovery: **{days}**").format(days=record.total_days(today)))
    nxt = next_milestone(record.stretch_start, today)
    days_to = (nxt.on - today).days
    lines.append(
        "• "
        + _("Next milestone: **{milestone}** on {day} (in {days})").format(
            milestone=milestone_label(nxt.label),
            day=_fmt(nxt.on),
            days=ngettext("{n} day", "{n} days", days_to).format(n=days_to),
        )
    )
    if state.celebrate:
        lines.append(_("Milestone celebrations in the check-in channel: **on**."))
    else:
        lines.append(_("Milestone celebrations in the check-in channel: **off**."))
    return "\n".join(lines)


SLIP_YES_LABEL = N_("Yes, start a new stretch today")
SLIP_NO_LABEL = N_("Not now")


async def record_slip(bot: KindredBot, scheduler: CheckinScheduler, interaction: discord.Interaction) -> str:
    """Apply the slip and return the encouraging answer."""
    user_id = interaction.user.id
    store = bot.store
    state = await store.checkins.get_recovery(user_id)
    if state is None:
        raise KindredError(_("I couldn't find your recovery date any more. `/recovery set` takes one."))
    today = await scheduler.local_today(user_id, interaction.guild_id)
    record = slip(state.record, today)
    await store.checkins.save_recovery(user_id, record, now=bot.clock.now())
    fresh = await store.checkins.get_recovery(user_id)
    assert fresh is not None
    zone = await scheduler.member_zone(user_id, interaction.guild_id)
    nxt = await scheduler.schedule_milestone(user_id, fresh, zone)
    return (
        _(
            "A new stretch starts today. Being honest with yourself takes courage.\n"
            "Your journey began on **{start}**, and you've lived **{days}** in recovery. "
            "Those days are yours and they count. Your next milestone is **{milestone}**."
        ).format(
            start=_fmt(record.journey_start),
            days=ngettext("{n} day", "{n} days", record.total_days(today)).format(n=record.total_days(today)),
            milestone=milestone_label(nxt.label),
        )
        + "\n\n"
        + _(NEXT_STEPS)
    )


class SlipButton(PersistentButton, template=r"recovery:slip:(?P<answer>yes|no):(?P<user_id>\d+)"):
    """One answer to the gentle slip confirmation.

    A DynamicItem (the member's id and answer in the ``custom_id``) rather than a plain view, so the
    confirmation still works after a restart: someone who just found the courage to say they slipped
    must never meet "This interaction failed".
    """

    def __init__(self, answer: str, user_id: int) -> None:
        yes = answer == "yes"
        super().__init__(
            f"recovery:slip:{'yes' if yes else 'no'}:{user_id}",
            _(SLIP_YES_LABEL) if yes else _(SLIP_NO_LABEL),
            discord.ButtonStyle.primary if yes else discord.ButtonStyle.secondary,
        )
        self.answer = "yes" if yes else "no"
        self.user_id = user_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> SlipButton:
        """The button from its custom id."""
        return cls(str(match["answer"]), int(match["user_id"]))

    async def press(self, interaction: discord.Interaction) -> None:
        """Record the slip (or leave everything as it is) and replace the question with the answer."""
        if interaction.user.id != self.user_id:
            raise KindredError(_("This confirmation belongs to someone else, so nothing has changed."))
        if self.answer == "no":
            text = _("Okay, nothing has changed. I'm glad you're here.")
        else:
            bot = cast("KindredBot", interaction.client)
            scheduler = bot.features.checkins
            if scheduler is None:
                raise KindredError(_("Recovery dates are unavailable for a moment. Please try `/recovery slip` again."))
            text = await record_slip(bot, scheduler, interaction)
        await interaction.response.edit_message(content=text, view=None)
        if self.answer == "yes":
            cast("KindredBot", interaction.client).dispatch("recovery_slip", interaction)


def slip_confirm_view(user_id: int) -> discord.ui.View:
    """The gentle confirmation before a new stretch begins."""
    view = discord.ui.View(timeout=None)
    view.add_item(SlipButton("yes", user_id))
    view.add_item(SlipButton("no", user_id))
    return view


class RecoveryCog(commands.GroupCog, group_name="recovery", group_description="Your recovery date, privately"):
    """The recovery-date counter."""

    def __init__(self, bot: KindredBot, scheduler: CheckinScheduler) -> None:
        self.bot = bot
        self.scheduler = scheduler
        super().__init__()

    async def cog_load(self) -> None:
        """Make slip confirmations sent before a restart answer again."""
        self.bot.add_dynamic_items(SlipButton)

    async def cog_unload(self) -> None:
        """Undo :meth:`cog_load`."""
        self.bot.remove_dynamic_items(SlipButton)

    async def _recorded(self, interaction: discord.Interaction, refusal: str) -> RecoveryState:
        """The member's recovery record, or ``refusal`` (a kind pointer to ``/recovery set``) when there is none."""
        state = await self.bot.store.checkins.get_recovery(interaction.user.id)
        if state is None:
            raise KindredError(refusal)
        return state

    async def _today(self, interaction: discord.Interaction) -> date:
        return await self.scheduler.local_today(interaction.user.id, interaction.guild_id)

    @app_commands.command(name="set")
    async def set_(self, interaction: discord.Interaction, date: str) -> None:
        """Set your recovery date. Only you can see it.

        Args:
            date: The day your recovery began, YYYY-MM-DD (pick today or a recent date as you type)
        """
        today = await self._today(interaction)
        chosen = parse_recovery_date(date, today)
        store = self.bot.store
        user_id = interaction.user.id
        existing = await store.checkins.get_recovery(user_id)
        record = set_date(existing.record if existing else None, chosen)
        await store.checkins.save_recovery(user_id, record, now=self.bot.clock.now())
        state = await store.checkins.get_recovery(user_id)
        assert state is not None
        zone = await self.scheduler.member_zone(user_id, interaction.guild_id)
        await self.scheduler.schedule_milestone(user_id, state, zone)
        await interaction.response.send_message(
            _("Your recovery date is saved: **{day}**.").format(day=_fmt(chosen)) + f"\n\n{render_show(state, today)}",
            ephemeral=True,
        )
        # Other features may follow up privately (a recent date brings the first-30-days offer).
        self.bot.dispatch("recovery_date_set", interaction, chosen)

    @set_.autocomplete("date")
    async def _date_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        today = await self._today(interaction)
        return [app_commands.Choice(name=n, value=v) for n, v in date_suggestions(current, today)]

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """Your current stretch, journey start, total days and next milestone. Only you can see it."""
        state = await self._recorded(
            interaction, _("You haven't set a recovery date yet. `/recovery set` takes one; only you will see it.")
        )
        await interaction.response.send_message(render_show(state, await self._today(interaction)), ephemeral=True)

    @app_commands.command(name="slip")
    async def slip_(self, interaction: discord.Interaction) -> None:
        """Had a slip? Start a new stretch today and keep everything you've built."""
        await self._recorded(
            interaction, _("You haven't set a recovery date yet. `/recovery set` takes one whenever you're ready.")
        )
        await interaction.response.send_message(
            _(
                "Thank you for telling me. A slip is part of many people's recovery, and it doesn't undo the days "
                "you've lived. Shall I start a new stretch today? Your journey start and your total days stay."
            ),
            view=slip_confirm_view(interaction.user.id),
            ephemeral=True,
        )

    @app_commands.command(name="celebrate")
    @app_commands.choices(setting=ONOFF_CHOICES)
    async def celebrate(self, interaction: discord.Interaction, setting: str) -> None:
        """Choose whether your milestones are celebrated in the check-in channel.

        Args:
            setting: on: post your milestones in this server's check-in channel; off: keep them private
        """
        on = setting == "on"
        if on and interaction.guild_id is None:
            raise KindredError(_("Run this inside the server where you'd like your milestones celebrated."))
        changed = await self.bot.store.checkins.set_celebrate(
            interaction.user.id, on, interaction.guild_id, now=self.bot.clock.now()
        )
        if not changed:
            raise KindredError(_("Set your recovery date first with `/recovery set`; then you can choose this."))
        if not on:
            text = _("Milestone celebrations are off. You'll still get a private congratulation by DM.")
        else:
            config = await self.bot.store.config.get(interaction.guild_id or 0)
            text = _(
                "Milestone celebrations are on. On each milestone day I'll post a short celebration with your name "
                "in the check-in channel (never a number of days compared with anyone)."
            )
            if config.checkin_share_channel_id is None:
                text += " " + _(
                    "This server hasn't chosen a check-in channel yet; a moderator can set one with "
                    "`/config share-channel`."
                )
        await interaction.response.send_message(text, ephemeral=True)


async def send_milestone(bot: KindredBot, user_id: int, milestone: Milestone, guild_id: int | None) -> bool:
    """The congratulation DM (in the language the member last used), and the opt-in celebration post."""
    with using_locale(await bot.store.prefs.locale_of(user_id)):
        congratulation = "🎉 " + _(
            "Today you reach **{milestone}** in your recovery. That's worth pausing to feel. Well done."
        ).format(milestone=milestone_label(milestone.label))
    await send_dm(bot, user_id, content=congratulation)
    if guild_id is not None:
        member = await current_member(bot, guild_id, user_id)
        if member is None:
            # They left (or the bot did): never name someone in a server they are no longer part of.
            log.info("milestone celebration for %s not posted: not a member of guild %s", user_id, guild_id)
            return True
        text = safe_text(
            f"🌱 **{discord.utils.escape_markdown(member.display_name)}** is celebrating "
            f"**{milestone.label}** in recovery today. 🎉"
        )
        problem = await post_to_share_channel(bot, guild_id, text)
        if problem is not None:
            log.info("milestone celebration for %s not posted: %s", user_id, problem)
    return True
