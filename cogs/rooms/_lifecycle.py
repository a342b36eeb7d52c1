"""A room's life after scheduling: RSVPs, reminders, start, completion, repeats, edits and cancels.

Every step is driven by a durable timer or a gateway event and re-reads the room from the
database first, so a restart anywhere in between only delays a step, never repeats or loses it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import discord

from bot.clock import discord_ts
from bot.errors import KindredError
from bot.messaging import send_dm
from bot.rooms import (
    EMPTY_GRACE,
    Completion,
    attendance_line,
    completion_decision,
    count_attendees,
    next_weekly,
    reminder_still_timely,
)
from bot.store.rooms import ACTIVE, CANCELLED, COMPLETED, SCHEDULED, Room
from bot.timers import Timer
from cogs.rooms._render import event_description, reminder_text
from cogs.rooms._service import RoomKeeper
from cogs.rooms._views import reminder_view

__all__ = ["RoomRunner"]

log = logging.getLogger(__name__)

NEXT_RETRY = timedelta(minutes=30)
# Tries at creating next week's room before the host is told to schedule it again (six hours of retries):
# a room Discord keeps refusing must not be retried every half hour forever.
NEXT_MAX_ATTEMPTS = 12


class RoomRunner(RoomKeeper):
    """The keeper plus everything that happens to a room over time."""

    # -- buttons ------------------------------------------------------------------------------
    async def answer(self, interaction: discord.Interaction, room_id: int, going: bool) -> None:
        """RSVP / Can't make it."""
        room = await self.bot.store.rooms.get(room_id)
        if room is None:
            raise KindredError("I can't find that room any more.")
        closed = self.describe_state(room)
        if closed:
            raise KindredError(closed)
        await self.bot.store.rooms.rsvp(room.id, interaction.user.id, going=going, source="button", now=self.now)
        if going:
            text = (
                f"You're in for **{room.title}**, {discord_ts(room.start_at, 'F')}. I'll DM you a reminder "
                "a day before and 15 minutes before; each reminder has a button to stop them."
            )
        else:
            text = f"Thanks for letting us know. No reminders for **{room.title}**; maybe next time."
        await interaction.response.send_message(text, ephemeral=True)

    async def mute(self, interaction: discord.Interaction, room_id: int) -> None:
        """ "No more reminders for this room"."""
        room = await self.bot.store.rooms.get(room_id)
        if room is None:
            raise KindredError("I can't find that room any more.")
        await self.bot.store.rooms.set_reminders(room.id, interaction.user.id, False)
        await interaction.response.send_message(
            f"Done: no more reminders for **{room.title}**. You're still welcome to drop in.", ephemeral=True
        )

    # -- native "Interested" ------------------------------------------------------------------
    async def event_interest(self, event: discord.ScheduledEvent, user: discord.abc.User, interested: bool) -> None:
        """Native "Interested" counts as an RSVP; removing it drops only an RSVP that came from it."""
        room = await self.bot.store.rooms.by_event(event.id)
        if room is None or not room.is_open or user.bot:
            return
        if interested:
            await self.bot.store.rooms.add_event_interest(room.id, user.id, now=self.now)
        else:
            await self.bot.store.rooms.drop_event_interest(room.id, user.id)

    async def sync_event_interest(self, room: Room) -> None:
        """Catch "Interested" marks made while the bot was offline (the gateway doesn't replay them)."""
        event = await self.scheduled_event(room)
        if event is None:
            return
        try:
            async for user in event.users():
                if not user.bot:
                    await self.bot.store.rooms.add_event_interest(room.id, user.id, now=self.now)
        except discord.HTTPException:
            log.warning("room %s: could not read who is interested; using what we saw live", room.id, exc_info=True)

    # -- timers -------------------------------------------------------------------------------
    async def _room_for(self, timer: Timer) -> Room | None:
        room = await self.bot.store.rooms.get(int(timer.payload["room_id"]))
        if room is None or not room.is_open:
            return None
        return room

    async def on_open(self, timer: Timer) -> None:
        """15 minutes before: create the temporary voice channel."""
        room = await self._room_for(timer)
        if room is not None and room.status == SCHEDULED:
            await self.open_temp_channel(room)

    async def on_remind(self, timer: Timer) -> None:
        """24 hours / 15 minutes before: DM everyone coming who hasn't turned reminders off."""
        room = await self._room_for(timer)
        if room is None or room.status != SCHEDULED:
            return
        lead = str(timer.payload.get("lead", "15m"))
        if not reminder_still_timely(lead, room.start_at, self.now):
            # Fired late (the bot was down): a shorter reminder is due too, or the room has begun.
            log.info("room %s: skipping the late %s reminder", room.id, lead)
            return
        guild = self.bot.get_guild(room.guild_id)
        if guild is None:
            return  # the bot is no longer in the server: the room can't happen there
        await self.sync_event_interest(room)
        for user_id in await self.bot.store.rooms.going(room.id, wants_reminders=True):
            if guild.get_member(user_id) is None:
                continue  # they left the server; an RSVP is no consent to DMs after that
            if not await self.bot.store.prefs.is_reachable(user_id):
                continue
            await send_dm(self.bot, user_id, content=reminder_text(room, lead), view=reminder_view(room.id))

    async def on_start(self, timer: Timer) -> None:
        """Start time: mark the event active and note who is already there."""
        room = await self._room_for(timer)
        if room is None or room.status != SCHEDULED:
            return
        await self.set_event_status(room, discord.EventStatus.active)
        await self.bot.store.rooms.set_status(room.id, ACTIVE, only_from=(SCHEDULED,))
        present = self.occupants(room)
        for user_id in present:
            await self.bot.store.rooms.record_attendance(room.id, user_id, now=self.now)
        await self.bot.store.rooms.set_empty_since(room.id, None if present else self.now)

    async def on_check(self, timer: Timer) -> None:
        """End time, and every later look: complete the room or decide when to look again."""
        room = await self._room_for(timer)
        if room is None:
            return
        decision = completion_decision(
            now=self.now, end=room.end_at, occupants=len(self.occupants(room)), empty_since=room.empty_since
        )
        if decision.outcome is Completion.COMPLETE:
            await self.complete(room)
        elif decision.check_again_at is not None:
            await self._schedule_check(room, decision.check_again_at)

    async def on_cleanup(self, timer: Timer) -> None:
        """A finished room's temporary channel, once it empties."""
        room = await self.bot.store.rooms.get(int(timer.payload["room_id"]))
        if room is not None:
            await self.cleanup_temp_channel(room)

    async def on_next(self, timer: Timer) -> None:
        """Retry creating a weekly room's next occurrence after a failure."""
        room = await self.bot.store.rooms.get(int(timer.payload["room_id"]))
        if room is not None:
            await self.spawn_next(room, attempt=int(timer.payload.get("attempt", 2)))

    async def _schedule_check(self, room: Room, when: datetime) -> None:
        await self.bot.timers.schedule(
            "room:check", when, guild_id=room.guild_id, payload={"room_id": room.id}, dedupe_key=f"room:{room.id}:check"
        )

    # -- voice --------------------------------------------------------------------------------
    async def voice_moved(self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState) -> None:
        """Attendance and emptiness come from voice states; the bot itself never joins voice."""
        if member.bot or before.channel == after.channel:
            return
        rooms = self.bot.store.rooms
        if after.channel is not None:
            for room in await rooms.open_in_channel(member.guild.id, after.channel.id):
                if self.opens_soon(room, self.now):
                    await rooms.record_attendance(room.id, member.id, now=self.now)
                    await rooms.set_empty_since(room.id, None)
        if before.channel is not None and not [m for m in before.channel.members if not m.bot]:
            for room in await rooms.open_in_channel(member.guild.id, before.channel.id):
                if room.status == ACTIVE:
                    await rooms.set_empty_since(room.id, self.now)
                    if self.now >= room.end_at:
                        await self._schedule_check(room, self.now + EMPTY_GRACE)
            finished = await rooms.closed_with_temp_channel(member.guild.id, before.channel.id)
            if finished is not None:
                await self.cleanup_temp_channel(finished)

    # -- completion and repeats -----------------------------------------------------------------
    async def complete(self, room: Room) -> None:
        """Finish a room: complete the event, tell the host how many came, tidy up, repeat if weekly."""
        if not await self.bot.store.rooms.set_status(room.id, COMPLETED):
            return  # already finished by another path
        await self.bot.timers.cancel_prefix(f"room:{room.id}:")
        if room.status == SCHEDULED:
            # Discord only completes an active event; a room whose start step never ran goes through it.
            await self.set_event_status(room, discord.EventStatus.active)
        await self.set_event_status(room, discord.EventStatus.completed)
        room = await self._reload(room)
        came = count_attendees(await self.bot.store.rooms.attendees(room.id), exclude=[room.host_user_id])
        await send_dm(self.bot, room.host_user_id, content=attendance_line(room.title, came))
        await self.refresh_announcement(room)
        await self.cleanup_temp_channel(room)
        await self.spawn_next(room)

    async def spawn_next(self, room: Room, *, attempt: int = 1) -> Room | None:
        """Create a weekly series' next occurrence (once), at the same local time a week on.

        An unexpected failure is retried every :data:`NEXT_RETRY`, up to :data:`NEXT_MAX_ATTEMPTS` tries in all;
        then the host is told, as when Discord refuses outright.
        """
        series = await self.bot.store.rooms.series(room.series_id)
        if series is None or not series.active or series.recurrence != "weekly":
            return None
        if await self.bot.store.rooms.later_in_series(series.id, room.start_at) is not None:
            return None
        guild = self.bot.get_guild(room.guild_id)
        if guild is None:
            return None
        start = next_weekly(room.start_at, ZoneInfo(series.timezone), after=self.now)
        try:
            created, warnings = await self.create_occurrence(
                guild, series, start, fallback_channel_id=room.announce_channel_id
            )
        except KindredError as exc:
            log.warning("room series %s: next occurrence refused: %s", series.id, exc.message)
            await send_dm(
                self.bot,
                series.host_user_id,
                content=f"I couldn't set up next week's **{series.title}**: {exc.message}",
            )
            return None
        except Exception:
            if attempt >= NEXT_MAX_ATTEMPTS:
                log.exception("room series %s: next occurrence failed %d times; giving up", series.id, attempt)
                await send_dm(
                    self.bot,
                    series.host_user_id,
                    content=(
                        f"I couldn't set up next week's **{series.title}**: Discord kept failing for hours. "
                        "You can schedule it again with `/room schedule`."
                    ),
                )
                return None
            log.exception("room series %s: next occurrence failed (try %d); retrying later", series.id, attempt)
            await self.bot.timers.schedule(
                "room:next",
                self.now + NEXT_RETRY,
                guild_id=room.guild_id,
                payload={"room_id": room.id, "attempt": attempt + 1},
                dedupe_key=f"room-series:{series.id}:next",
            )
            return None
        for warning in warnings:
            log.warning("room %s: %s", created.id, warning)
        return created

    # -- host changes -------------------------------------------------------------------------
    async def cancel(self, room: Room, *, whole_series: bool, notice: str | None = None) -> int:
        """Cancel one occurrence (or stop the series too); returns how many members were told."""
        if whole_series:
            await self.bot.store.rooms.end_series(room.series_id)
        if room.status != SCHEDULED:
            return 0  # an active room runs to its end; ending the series is all that's left to do
        if not await self.bot.store.rooms.set_status(room.id, CANCELLED, only_from=(SCHEDULED,)):
            return 0
        await self.bot.timers.cancel_prefix(f"room:{room.id}:")
        await self.delete_event(room)
        room = await self._reload(room)
        await self.refresh_announcement(room)
        await self.cleanup_temp_channel(room)
        message = notice or (
            f"**{room.title}** on {discord_ts(room.start_at, 'F')} has been cancelled by its host. "
            "Sorry for the change; `/room list` shows other rooms coming up."
        )
        told = await self.tell_going(room, message)
        if not whole_series:
            # Skipping one week must not end a weekly series: occurrences are otherwise only
            # spawned when one completes, and a cancelled one never does.
            await self.spawn_next(room)
        return told

    async def edit(
        self, room: Room, *, title: str, description: str | None, start: datetime, duration: int
    ) -> tuple[Room, int]:
        """Apply a host's edit everywhere; returns the room and how many members were told."""
        end = start + timedelta(minutes=duration)
        guild = self.bot.get_guild(room.guild_id)
        host = guild.get_member(room.host_user_id) if guild is not None else None
        text = event_description(title, room.interest_name, description, host.display_name if host else "a member")
        event = await self.scheduled_event(room)
        if event is not None:
            try:
                await event.edit(name=title, description=text, start_time=start, end_time=end)
            except discord.Forbidden as exc:
                raise KindredError(
                    "I couldn't update the room's event: I'm missing the **Manage Events** permission."
                ) from exc
        before = room
        rooms = self.bot.store.rooms
        room = await rooms.update_details(
            room.id, title=title, description=description, start_at=start, end_at=end, duration_minutes=duration
        )
        await rooms.update_series_details(
            room.series_id, title=title, description=description, duration_minutes=duration
        )
        await self.bot.timers.cancel_prefix(f"room:{room.id}:")
        await self.schedule_timers(room)
        await self.refresh_announcement(room)
        changes = []
        if before.start_at != room.start_at:
            changes.append(f"it's now {discord_ts(room.start_at, 'F')}")
        if before.duration_minutes != room.duration_minutes:
            changes.append(f"it runs {room.duration_minutes} minutes")
        if before.title != room.title:
            changes.append(f"it's now called **{room.title}**")
        if before.description != room.description:
            changes.append("the description changed")
        if not changes:
            return room, 0
        told = await self.tell_going(
            room, f"A room you RSVP'd to, **{before.title}**, has changed: {'; '.join(changes)}."
        )
        return room, told
