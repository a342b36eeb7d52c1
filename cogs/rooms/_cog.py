"""``/room schedule|list|cancel|edit`` and the listeners that keep rooms in step with Discord."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import discord_ts
from bot.confirm import ConfirmView
from bot.errors import KindredError
from bot.i18n import N_, _, format_day_short, ngettext
from bot.interests import interest_suggestions, unknown_interest
from bot.messaging import NO_PINGS
from bot.rate_limits import Action, enforce
from bot.repeats import Repeat, check_repeat, describe_repeat
from bot.rooms import DURATION_MAX, DURATION_MIN, OPEN_LEAD, validate_duration, validate_text
from bot.rooms.service import RoomService
from bot.store.rooms import Room, RoomDetails
from cogs._gatherings import GatheringCog, gathering_hooks
from cogs._when import new_repeat_option, read_when, start_options
from cogs.rooms._discord import DiscordRooms, category_for, check_can_host
from cogs.rooms._render import event_url, list_line
from cogs.rooms._views import RoomButton

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["Rooms"]

log = logging.getLogger(__name__)

MY_INTERESTS = "@mine"  # the /room list filter value meaning "the interests I follow"
MY_INTERESTS_LABEL = N_("My interests")


def _my_interests_typed() -> set[str]:
    """What a member may type for "My interests": the English words, or those of their language."""
    return {"my interests", _(MY_INTERESTS_LABEL).casefold()}


@app_commands.guild_only()
class Rooms(GatheringCog, commands.GroupCog, group_name="room"):
    """Voice gatherings around shared interests, as Discord events."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot
        self.rooms = RoomService(bot.store, bot.timers, bot.clock, DiscordRooms(bot))
        # Every step but the reminder DMs re-reads the room and changes it conditionally, so it can run
        # again safely; a reminder is never repeated (a miss is kinder than a duplicate).
        self.hooks = gathering_hooks("rooms", self.rooms, RoomButton, retried=lambda kind: kind != "room:remind")
        super().__init__()

    def publish(self, loaded: bool) -> None:
        """The room service on ``bot.features`` while the cog is loaded."""
        self.bot.features.rooms = self.rooms if loaded else None

    # -- /room schedule -------------------------------------------------------------------------
    @app_commands.command(name="schedule")
    @app_commands.describe(duration=f"How long, in minutes ({DURATION_MIN}–{DURATION_MAX})")
    @start_options
    async def schedule(
        self,
        interaction: discord.Interaction,
        interest: str,
        title: str,
        when: str,
        duration: int,
        voice_channel: discord.VoiceChannel | None = None,
        recurring: app_commands.Choice[str] | None = None,
        description: str | None = None,
        newcomer_friendly: bool = False,
    ) -> None:
        """Schedule a voice room as a Discord event, announced to everyone who follows the interest.

        Args:
            interest: What the room gathers around (from this server's interests)
            title: A short title, like 'Sunday meditation sit'
            voice_channel: An existing voice channel; leave empty for a temporary one that opens 15 minutes before
            description: What to expect (optional)
            newcomer_friendly: Mark it as a good first room: members in their first 30 days who asked hear about it
        """
        guild = interaction.guild
        assert guild is not None
        # Acknowledge first: parsing the time and creating the event can outlast Discord's 3 seconds
        # on a busy bot, and a late answer is "interaction failed" for the member.
        await interaction.response.defer(ephemeral=True, thinking=True)
        store, now = self.bot.store, self.bot.clock.now()
        found = await store.interests.find(guild.id, interest, now=now)
        if found is None:
            raise unknown_interest(interest)
        validate_duration(duration)
        title, description = validate_text(title, description)
        zone = await self.bot.store.member_zone(interaction.user.id, guild.id)
        start = await read_when(when, zone, now)
        check_can_host(guild, voice_channel, await category_for(self.bot, guild))
        recurrence = recurring.value if recurring else Repeat.NONE.value
        check_repeat(start, zone, Repeat(recurrence))
        limit = await enforce(
            store.limits,
            Action.ROOM_SCHEDULE,
            guild.id,
            interaction.user.id,
            now=now,
            moderator=interaction.permissions.manage_guild,
        )
        try:
            details = RoomDetails(
                guild_id=guild.id,
                host_user_id=interaction.user.id,
                interest_id=found.id,
                interest_name=found.name,
                title=title,
                description=description,
                duration_minutes=duration,
                voice_channel_id=voice_channel.id if voice_channel else None,
            )
            room, warnings = await self.rooms.schedule(
                details,
                zone=zone,
                recurrence=recurrence,
                start=start,
                fallback_channel_id=interaction.channel_id,
            )
        except BaseException:
            await store.limits.give_back(limit)
            raise
        if newcomer_friendly:
            await store.newcomer_rooms.mark(room.series_id, guild.id, now=now)
        rule = describe_repeat(room.start_at, zone, Repeat(recurrence))
        when = f"{discord_ts(room.start_at, 'F')} ({discord_ts(room.start_at, 'R')})"
        scheduled = (
            _("Scheduled **{title}** for {when}, {minutes} minutes, repeating {rule}.")
            if rule
            else _("Scheduled **{title}** for {when}, {minutes} minutes.")
        )
        lines = [scheduled.format(title=room.title, when=when, minutes=room.duration_minutes, rule=rule)]
        if room.channel_id:
            lines.append(_("It meets in {channel}.").format(channel=f"<#{room.channel_id}>"))
        else:
            lines.append(
                _("A temporary voice room opens {minutes} minutes before and is removed after.").format(
                    minutes=int(OPEN_LEAD.total_seconds() // 60)
                )
            )
        lines.append(_("You'll get the reminders too, and a private note afterwards on how many came."))
        if newcomer_friendly:
            lines.append(_("Marked newcomer-friendly: members in their first 30 days who asked will hear about it."))
        if link := event_url(room):
            lines.append(link)
        lines.extend(warnings)
        await interaction.followup.send("\n".join(lines), ephemeral=True, allowed_mentions=NO_PINGS)

    async def _catalogue_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The server's interests matching what the member typed."""
        return await interest_suggestions(self.bot.store.interests, interaction, current, now=self.bot.clock.now())

    @schedule.autocomplete("interest")
    async def _interest_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._catalogue_choices(interaction, current)

    # -- /room list -------------------------------------------------------------------------------
    @app_commands.command(name="list")
    async def list_(self, interaction: discord.Interaction, interest: str | None = None) -> None:
        """Upcoming rooms, soonest first (only you see this).

        Args:
            interest: Only this interest, or 'My interests' for the ones you follow
        """
        guild = interaction.guild
        assert guild is not None
        store, now = self.bot.store, self.bot.clock.now()
        interest_ids: list[int] | None = None
        heading = _("Upcoming rooms")
        if interest is not None and interest.strip():
            if interest == MY_INTERESTS or interest.strip().casefold() in _my_interests_typed():
                names = await store.interests.of_member(guild.id, interaction.user.id)
                catalogue = await store.interests.catalogue(guild.id, now=now)
                interest_ids = [i.id for i in catalogue if i.name in set(names)]
                heading = _("Upcoming rooms for your interests")
            else:
                found = await store.interests.find(guild.id, interest, now=now)
                if found is None:
                    raise unknown_interest(interest)
                interest_ids, heading = [found.id], _("Upcoming {interest} rooms").format(interest=found.name)
        rooms = await store.rooms.upcoming(guild.id, now=now, interest_ids=interest_ids)
        lines = []
        for room in rooms:
            answer = await store.rooms.rsvp_of(room.id, interaction.user.id)
            lines.append(list_line(room, going=bool(answer and answer[0]), now=now))
        embed = discord.Embed(title=heading, colour=discord.Colour.teal())
        embed.description = (
            "\n".join(lines)[:4000] if lines else _("Nothing scheduled yet. Why not start one with `/room schedule`?")
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @list_.autocomplete("interest")
    async def _list_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The server's interests, led by "My interests" when what the member typed fits it."""
        choices = await self._catalogue_choices(interaction, current)
        if interaction.guild is None:
            return choices
        typed = current.strip().casefold()
        if not typed or any(words.startswith(typed) for words in _my_interests_typed()):
            choices = [app_commands.Choice(name=_(MY_INTERESTS_LABEL), value=MY_INTERESTS), *choices[:24]]
        return choices

    # -- /room cancel and /room edit ----------------------------------------------------------------
    async def _hosted_room(self, interaction: discord.Interaction, value: str, *, scheduled_only: bool) -> Room:
        assert interaction.guild is not None
        return await self.rooms.hosted_room(
            interaction.guild.id,
            interaction.user.id,
            value,
            manages_events=interaction.permissions.manage_events,
            scheduled_only=scheduled_only,
        )

    async def _room_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        zone = await self.bot.store.member_zone(interaction.user.id, interaction.guild.id)
        query = current.strip().casefold()
        choices = []
        for room in await self.bot.store.rooms.hosted_open(interaction.guild.id, interaction.user.id):
            local = room.start_at.astimezone(zone)
            label = f"{room.title} · {format_day_short(local.date())} {local:%H:%M}"
            if query in label.casefold():
                choices.append(app_commands.Choice(name=label[:100], value=str(room.id)))
        return choices[:25]

    @app_commands.command(name="cancel")
    @app_commands.choices(
        scope=[
            app_commands.Choice(name="just this one (a repeating series carries on)", value="one"),
            app_commands.Choice(name="the whole series (no more after this)", value="series"),
        ]
    )
    @app_commands.autocomplete(room=_room_autocomplete)
    async def cancel(
        self, interaction: discord.Interaction, room: str, scope: app_commands.Choice[str] | None = None
    ) -> None:
        """Cancel a room you host; everyone who RSVP'd is told.

        Args:
            room: One of the rooms you host
            scope: Just this one, or the rest of its series too
        """
        whole = scope is not None and scope.value == "series"
        found = await self._hosted_room(interaction, room, scheduled_only=not whole)

        async def confirmed(press: discord.Interaction) -> None:
            # Deleting the event, redrawing the announcement and DMing everyone who RSVP'd can
            # take longer than Discord's 3 seconds: acknowledge the press first.
            await press.response.defer()
            text = await self.rooms.confirm_cancel(found.id, whole=whole)
            await press.edit_original_response(content=text, view=None, allowed_mentions=NO_PINGS)

        view = ConfirmView(
            interaction.user.id,
            _("Cancel it"),
            confirmed,
            keep_label=_("Keep it"),
            kept_text=_("Nothing changed; the room is still on."),
        )
        question = (
            _("Cancel this room and the rest of its series: **{title}**, {when}? Everyone who RSVP'd will get a DM.")
            if whole
            else _("Cancel this room: **{title}**, {when}? Everyone who RSVP'd will get a DM.")
        )
        await interaction.response.send_message(
            question.format(title=found.title, when=discord_ts(found.start_at, "F")),
            view=view,
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @app_commands.command(name="edit")
    @app_commands.describe(duration=f"New length in minutes ({DURATION_MIN}–{DURATION_MAX})")
    @new_repeat_option
    @app_commands.autocomplete(room=_room_autocomplete)
    async def edit(
        self,
        interaction: discord.Interaction,
        room: str,
        title: str | None = None,
        when: str | None = None,
        duration: int | None = None,
        description: str | None = None,
        repeats: app_commands.Choice[str] | None = None,
    ) -> None:
        """Change a room you host; everyone who RSVP'd is told what changed.

        Args:
            room: One of the rooms you host
            title: New title
            when: New start, in your time zone: 'tomorrow 7pm', 'fri 19:00'
            description: New description
        """
        await interaction.response.defer(ephemeral=True, thinking=True)
        found = await self._hosted_room(interaction, room, scheduled_only=True)
        if title is None and when is None and duration is None and description is None and repeats is None:
            raise KindredError(_("Tell me what to change: a new title, time, length, description or repeat."))
        new_duration = validate_duration(duration) if duration is not None else found.duration_minutes
        new_title, new_description = validate_text(
            title if title is not None else found.title,
            description if description is not None else found.description,
        )
        start = found.start_at
        if when is not None:
            assert interaction.guild is not None
            zone = await self.bot.store.member_zone(interaction.user.id, interaction.guild.id)
            start = await read_when(when, zone, self.bot.clock.now())
        updated, told = await self.rooms.edit(
            found,
            title=new_title,
            description=new_description,
            start=start,
            duration=new_duration,
            recurrence=repeats.value if repeats is not None else None,
        )
        series = await self.bot.store.rooms.series(updated.series_id)
        rule = ""
        if series is not None and series.active:
            rule = describe_repeat(updated.start_at, ZoneInfo(series.timezone), Repeat(series.recurrence))
        text = (
            _("Updated **{title}**: {when}, {minutes} minutes, repeating {rule}.")
            if rule
            else _("Updated **{title}**: {when}, {minutes} minutes.")
        ).format(
            title=updated.title, when=discord_ts(updated.start_at, "F"), minutes=updated.duration_minutes, rule=rule
        )
        if told:
            text += " " + ngettext(
                "I've let {count} member who RSVP'd know.", "I've let {count} members who RSVP'd know.", told
            ).format(count=told)
        await interaction.followup.send(
            text,
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    # -- listeners ------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_scheduled_event_user_add(self, event: discord.ScheduledEvent, user: discord.User) -> None:
        """Native "Interested" is an RSVP."""
        if not user.bot:
            await self.rooms.event_interest(event.id, user.id, True)

    @commands.Cog.listener()
    async def on_scheduled_event_user_remove(self, event: discord.ScheduledEvent, user: discord.User) -> None:
        """Un-marking "Interested" withdraws an RSVP that came from it."""
        if not user.bot:
            await self.rooms.event_interest(event.id, user.id, False)

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """Attendance and empty-room tracking; the bot itself never joins voice."""
        if member.bot or before.channel == after.channel:
            return
        left_empty = before.channel is not None and not [m for m in before.channel.members if not m.bot]
        await self.rooms.voice_moved(
            member.guild.id,
            member.id,
            joined=after.channel.id if after.channel is not None else None,
            left=before.channel.id if before.channel is not None else None,
            left_empty=left_empty,
        )
