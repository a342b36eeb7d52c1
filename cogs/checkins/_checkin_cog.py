"""``/checkin``: the daily check-in, reminders, pause, history and the weekly reflection.

Command structure (Discord can't have a top-level command that is also a group, and a group
can't hold a subcommand and a subgroup of the same name):

- ``/checkin today mood craving [note] [triggers] [share] [include_note]``: the check-in itself
- ``/checkin remind set time timezone [weekdays]`` and ``/checkin remind off``
- ``/checkin pause days`` (0 resumes)
- ``/checkin history [days]`` (7-90, with a PNG chart)
- ``/checkin weekly setting:on|off``
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import time, timedelta
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.checkins import (
    TRIGGERS,
    format_weekdays,
    parse_triggers,
    parse_weekdays,
    summarise,
    trigger_names,
    validate_checkin,
)
from bot.checkins import (
    streak as count_streak,
)
from bot.checkins._history import days_text
from bot.checkins.chains import reconcile_checkins
from bot.checkins.chart import render_history_png
from bot.checkins.reminders import CheckinScheduler
from bot.clock import discord_ts
from bot.errors import KindredError
from bot.i18n import N_, SHIPPED_LOCALES, _, format_date_long, gettext_for
from bot.timeparse import parse_clock_time
from bot.timezones import resolve_timezone
from cogs._when import timezone_autocomplete
from cogs.checkins._flow import record_checkin
from cogs.checkins._views import BuddyNoticeButton, CheckinNowButton, MoreDetailButton, mood_choices, send_answer

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["CheckinCog"]

log = logging.getLogger(__name__)


DEFAULT_WEEKLY_TIME = time(19, 0)
_WEEKDAY_SUGGESTIONS = ("every day", "weekdays", "weekends", "mon,wed,fri", "tue,thu", "sat,sun")
DYNAMIC_ITEMS = (CheckinNowButton, MoreDetailButton, BuddyNoticeButton)
MOOD_CHOICES = [app_commands.Choice(name=name, value=value) for name, value in mood_choices()]
SHARE_CHOICES = [
    app_commands.Choice(name="no", value="no"),
    app_commands.Choice(name="anonymously", value="anonymously"),
    app_commands.Choice(name="with my name", value="with my name"),
]
ONOFF_CHOICES = [app_commands.Choice(name="on", value="on"), app_commands.Choice(name="off", value="off")]


def trigger_suggestions(current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete that allows several triggers: ``"stress, lon"`` suggests ``"stress, loneliness"``."""
    head, _, partial = current.rpartition(",")
    chosen = [t.strip().casefold() for t in head.split(",") if t.strip()]
    prefix = ", ".join(chosen) + (", " if chosen else "")
    word = partial.strip().casefold()
    options = [prefix + t for t in TRIGGERS if t.startswith(word) and t not in chosen]
    return [app_commands.Choice(name=o[:100], value=o[:100]) for o in options[:25]]


@app_commands.guild_only()
class CheckinCog(
    commands.GroupCog, group_name="checkin", group_description="Daily check-ins: private unless you share"
):
    """Check-ins and reminders."""

    remind = app_commands.Group(name="remind", description="Your daily check-in reminder")

    def __init__(self, bot: KindredBot, scheduler: CheckinScheduler) -> None:
        self.bot = bot
        self.scheduler = scheduler
        super().__init__()

    async def cog_load(self) -> None:
        """Publish the scheduler, route this feature's timers here and make old buttons work again (after a
        restart too)."""
        self.bot.features.checkins = self.scheduler
        self.scheduler.register()
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.chains.register("checkins", self._reconcile)

    async def cog_unload(self) -> None:
        """Undo :meth:`cog_load`, so a reload never duplicates anything; pending timers wait."""
        self.scheduler.unregister()
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        self.bot.chains.unregister("checkins")
        if self.bot.features.checkins is self.scheduler:
            self.bot.features.checkins = None

    async def _reconcile(self) -> int:
        return await reconcile_checkins(self.scheduler, self.bot.store, self.bot.timers, self.bot.clock)

    # -- the check-in -----------------------------------------------------------------------
    @app_commands.command(name="today")
    @app_commands.choices(mood=MOOD_CHOICES)
    @app_commands.choices(share=SHARE_CHOICES)
    async def today(
        self,
        interaction: discord.Interaction,
        mood: int,
        craving: app_commands.Range[int, 0, 10],
        note: app_commands.Range[str, None, 1000] | None = None,
        triggers: str | None = None,
        share: str = "no",
        include_note: bool = False,
    ) -> None:
        """Check in: how you are and how strong any craving is. Private unless you share.

        Args:
            mood: How are you, from 1 (really struggling) to 5 (doing well)?
            craving: Craving right now, 0 (none) to 10 (overwhelming)
            note: Anything you'd like to note, just for you (up to 1,000 characters)
            triggers: Anything around you today; pick one or several (comma-separated)
            share: Post a short summary in the check-in channel?
            include_note: Include your note in the shared summary (default: no)
        """
        draft = validate_checkin(mood, craving, note, parse_triggers(triggers))
        mode: Literal["no", "anonymously", "with my name"] = (
            "anonymously" if share == "anonymously" else "with my name" if share == "with my name" else "no"
        )
        answer = await record_checkin(
            interaction, self.bot, interaction.guild_id, draft, share=mode, include_note=include_note
        )
        await send_answer(interaction, answer)

    @today.autocomplete("triggers")
    async def _triggers_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return trigger_suggestions(current)

    # -- reminders --------------------------------------------------------------------------
    @remind.command(name="set")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def remind_set(
        self, interaction: discord.Interaction, time: str, timezone: str, weekdays: str | None = None
    ) -> None:
        """Get a gentle DM at your chosen time with a button to check in.

        Args:
            time: Local time of day, HH:MM (24-hour), e.g. 19:00
            timezone: Your time zone; start typing a city, e.g. Europe/London
            weekdays: Which days: every day (default), weekdays, weekends, or e.g. mon,wed,fri
        """
        at = parse_clock_time(time)
        zone = resolve_timezone(timezone)
        days = parse_weekdays(weekdays)
        user_id, now = interaction.user.id, self.bot.clock.now()
        store = self.bot.store
        # Running this again is how a member says "my DMs are open now": try again.
        await store.prefs.clear_dm_closed(user_id)
        await store.prefs.set_timezone(user_id, zone.key, now=now)
        settings = await store.checkins.set_reminder(user_id, interaction.guild_id, at, zone.key, days, now=now)
        due = await self.scheduler.schedule_reminder(settings)
        if settings.weekly:
            await self.scheduler.schedule_weekly(settings)
        await interaction.response.send_message(
            _(
                "Your reminder is set for **{time}** ({zone}), {days}. The next one is {when} ({relative}).\n"
                "If you've already checked in that day, I won't send it. `/checkin pause` takes a break; "
                "`/checkin remind off` stops it. Please keep DMs from this server open so I can reach you."
            ).format(
                time=f"{at:%H:%M}",
                zone=zone.key,
                days=format_weekdays(days),
                when=discord_ts(due, "F"),
                relative=discord_ts(due, "R"),
            ),
            ephemeral=True,
        )

    @remind_set.autocomplete("weekdays")
    async def _weekdays_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        options = [s for s in _WEEKDAY_SUGGESTIONS if s.startswith(current.strip().casefold())]
        if current.strip() and current.strip() not in options:
            options.insert(0, current.strip())
        return [app_commands.Choice(name=o[:100], value=o[:100]) for o in options[:25]]

    @remind.command(name="off")
    async def remind_off(self, interaction: discord.Interaction) -> None:
        """Stop the daily reminder (your check-ins and settings are kept)."""
        was_on = await self.bot.store.checkins.disable_reminder(interaction.user.id, now=self.bot.clock.now())
        await self.scheduler.cancel_reminder(interaction.user.id)
        text = (
            _("Your daily reminder is off. `/checkin remind set` turns it back on whenever you like.")
            if was_on
            else _("You don't have a daily reminder on, so there's nothing to stop.")
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="pause")
    async def pause(self, interaction: discord.Interaction, days: app_commands.Range[int, 0, 60]) -> None:
        """Take a break from reminders for a few days; they restart on their own.

        Args:
            days: How many days to skip, starting today (0 resumes reminders now)
        """
        user_id, now = interaction.user.id, self.bot.clock.now()
        store = self.bot.store
        settings = await store.checkins.get_reminder(user_id)
        if settings is None or (not settings.enabled and not settings.weekly):
            raise KindredError(_("You don't have a reminder to pause. `/checkin remind set` sets one up."))
        today = now.astimezone(settings.plan().zone).date()
        until = today + timedelta(days=days) if days else None
        await store.checkins.set_paused_until(user_id, until, now=now)
        settings = await store.checkins.get_reminder(user_id)
        assert settings is not None
        due = await self.scheduler.schedule_reminder(settings) if settings.enabled else None
        if until is None:
            text = _("Reminders are back on.")
        else:
            text = _("Reminders are paused. They start again on **{day}**. Take the time you need.").format(
                day=format_date_long(until)
            )
        if due is not None:
            text += " " + _("The next one is {when}.").format(when=discord_ts(due, "F"))
        await interaction.response.send_message(text, ephemeral=True)

    # -- history ----------------------------------------------------------------------------
    @app_commands.command(name="history")
    async def history(self, interaction: discord.Interaction, days: app_commands.Range[int, 7, 90] = 14) -> None:
        """Your mood and craving over time, with a chart, your streak and a gentle observation.

        Args:
            days: How many days to look back (7-90)
        """
        user_id = interaction.user.id
        today = await self.scheduler.local_today(user_id, interaction.guild_id)
        start = today - timedelta(days=days - 1)
        entries = await self.bot.store.checkins.entries_since(user_id, start)
        if not entries:
            raise KindredError(
                _(
                    "There are no check-ins in the last {days} days yet. `/checkin today` takes thirty seconds: "
                    "pick a mood and a craving level. After a few days, your chart and patterns show up here."
                ).format(days=days)
            )
        # Acknowledge before the slow part: drawing the chart (and matplotlib's first-use font cache)
        # can take longer than Discord's 3-second deadline on a busy host.
        await interaction.response.defer(ephemeral=True, thinking=True)
        # The streak may reach back further than the window.
        all_days = await self.bot.store.checkins.checkin_days(user_id, today - timedelta(days=400))
        summary = summarise(entries, today)
        current_streak = count_streak(all_days, today)
        png = await asyncio.to_thread(render_history_png, summary.days, start, today)
        triggers = ", ".join(f"{trigger_names((name,))} ({n})" for name, n in summary.top_triggers) or _("none noted")
        embed = discord.Embed(title=_("Your last {days} days").format(days=days), colour=discord.Colour.teal())
        embed.add_field(
            name=_("Check-ins"),
            value=_("{count} on {days}").format(count=len(entries), days=days_text(len(summary.days))),
        )
        embed.add_field(name=_("Current streak"), value=days_text(current_streak))
        embed.add_field(name=_("Most noted"), value=triggers, inline=False)
        embed.add_field(name=_("Something to notice"), value=summary.observation, inline=False)
        embed.set_image(url="attachment://checkins.png")
        embed.set_footer(text=_("Only you can see this."))
        await interaction.edit_original_response(
            embed=embed, attachments=[discord.File(io.BytesIO(png), filename="checkins.png")]
        )

    # -- weekly reflection ------------------------------------------------------------------
    @app_commands.command(name="weekly")
    @app_commands.choices(setting=ONOFF_CHOICES)
    async def weekly(self, interaction: discord.Interaction, setting: str) -> None:
        """Turn the weekly reflection DM on or off (sent Sundays at your reminder time).

        Args:
            setting: on: a short summary of your week by DM on Sundays; off: stop it
        """
        user_id, now = interaction.user.id, self.bot.clock.now()
        on = setting == "on"
        zone = await self.scheduler.member_zone(user_id, interaction.guild_id)
        settings = await self.bot.store.checkins.set_weekly(
            user_id, interaction.guild_id, on, default_time=DEFAULT_WEEKLY_TIME, timezone=zone.key, now=now
        )
        if not on:
            await self.scheduler.cancel_weekly(user_id)
            await interaction.response.send_message(_("The weekly reflection is off."), ephemeral=True)
            return
        await self.bot.store.prefs.clear_dm_closed(user_id)
        due = await self.scheduler.schedule_weekly(settings)
        await interaction.response.send_message(
            _(
                "The weekly reflection is on: Sundays at **{time}** ({zone}), first on {when}. "
                "It uses your reminder time; `/checkin remind set` changes it."
            ).format(time=f"{settings.local_time:%H:%M}", zone=settings.timezone, when=discord_ts(due, "F")),
            ephemeral=True,
        )


REMINDER_TEXT = N_("🌱 Time for your check-in. How are you today? It takes thirty seconds, and it's just for you.")


async def send_reminder_dm(bot: KindredBot, user_id: int, guild_id: int | None) -> int | bool:
    """The reminder DM with its persistent button; its message id, or False when it wasn't delivered."""
    from bot.messaging import send_dm

    view = discord.ui.View(timeout=None)
    view.add_item(CheckinNowButton(guild_id))
    message = await send_dm(bot, user_id, content=_(REMINDER_TEXT), view=view)
    return False if message is None else message.id


async def reminder_already_sent(bot: KindredBot, user_id: int, after: int | None) -> bool | None:
    """Whether Discord holds a reminder DM to the member newer than message ``after`` (None if it can't say).

    A run cut off by a crash may have delivered its DM before recording it; the DM channel is the truth.
    """
    every_reminder = {REMINDER_TEXT, *(gettext_for(locale, REMINDER_TEXT) for locale in SHIPPED_LOCALES)}
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        channel = user.dm_channel or await user.create_dm()
        async for message in channel.history(limit=20, after=discord.Object(after) if after else None):
            # In whichever language it went out: the member may have changed theirs since.
            if bot.user is not None and message.author.id == bot.user.id and message.content in every_reminder:
                return True
    except discord.HTTPException:
        log.warning("couldn't read the DM history of %s", user_id, exc_info=True)
        return None
    return False
