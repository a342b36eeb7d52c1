"""Bringing a room into being, changing it, and tidying up after it: the occurrence, its timers, its channel, its notices.

How a room without a voice channel works: Discord refuses a *voice* scheduled event without a
channel, and a channel created days ahead clutters the server. So such a room starts life as an
*external* event whose location says a voice room opens 15 minutes before; at that point (the
``room:open`` timer) the temporary channel is created and the event switched to a voice event in it.
The event id never changes, so "Interested" members and RSVPs carry over. If the start is less
than 15 minutes away, the channel is created at once and the event is a voice event from the start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock import discord_ts
from bot.errors import KindredError
from bot.i18n import _, using_locale
from bot.repeats import Repeat, check_repeat, describe_repeat
from bot.rooms.ports import RoomDiscord
from bot.rooms.schedule import channel_open_at, reminders_due
from bot.store.rooms import Room, RoomDetails, RoomSeries

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.store import Store
    from bot.store.core import Interest
    from bot.timers import TimerService

__all__ = ["CLEANUP_RETRY", "RoomMaker"]

log = logging.getLogger(__name__)

CLEANUP_RETRY = timedelta(minutes=10)


class RoomMaker:
    """Creates occurrences and their temporary channels, applies hosts' edits, and tells the people concerned."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, discord: RoomDiscord) -> None:
        self.store, self.timers, self.clock, self.discord = store, timers, clock, discord

    @property
    def now(self) -> datetime:
        """The bot's clock."""
        return self.clock.now()

    async def dm(self, user_id: int, render: Callable[[], str]) -> bool:
        """DM a member the text ``render`` writes, in the language they last used with Kindred; whether it arrived.

        A room's notices reach people other than whoever acted (or arrive from a timer), so each recipient's own
        language is looked up rather than the one of the moment.
        """
        with using_locale(await self.store.prefs.locale_of(user_id)):
            return await self.discord.dm(user_id, render())

    async def reload(self, room: Room) -> Room:
        """The room as the database has it now."""
        fresh = await self.store.rooms.get(room.id)
        assert fresh is not None
        return fresh

    async def interest_by_id(self, guild_id: int, interest_id: int | None) -> Interest | None:
        """The catalogue entry behind a room (it may have been removed since)."""
        if interest_id is None:
            return None
        for interest in await self.store.interests.catalogue(guild_id, now=self.now):
            if interest.id == interest_id:
                return interest
        return None

    # -- creating a series and its occurrences --------------------------------------------------
    async def schedule(
        self,
        details: RoomDetails,
        *,
        zone: ZoneInfo,
        recurrence: str,
        start: datetime,
        fallback_channel_id: int | None,
    ) -> tuple[Room, list[str]]:
        """Record the series and create its first room; nothing is left behind if that fails."""
        series = await self.store.rooms.create_series(details, timezone=zone.key, recurrence=recurrence, now=self.now)
        try:
            return await self.create_occurrence(
                details.guild_id, series, start, fallback_channel_id=fallback_channel_id
            )
        except BaseException:
            await self.store.rooms.end_series(series.id)
            raise

    async def create_occurrence(
        self, guild_id: int, series: RoomSeries, start: datetime, *, fallback_channel_id: int | None
    ) -> tuple[Room, list[str]]:
        """Native event (+ temporary channel if due), row, announcement, timers and notices.

        Returns the room and plain-words warnings for the host (e.g. the announcement failed).
        """
        end = start + timedelta(minutes=series.duration_minutes)
        open_now = series.voice_channel_id is None and channel_open_at(start, self.now) <= self.now
        event_id, temp_id = await self.discord.create_event(guild_id, series, start, end, open_now=open_now)
        rooms = self.store.rooms
        room = await rooms.create_room(series, start_at=start, end_at=end, now=self.now)
        await rooms.set_event(room.id, event_id)
        if temp_id is not None:
            await rooms.set_temp_channel(room.id, temp_id)
        # The host is coming to their own room: they get the reminders too.
        await rooms.rsvp(room.id, series.host_user_id, going=True, source="button", now=self.now)
        room = await self.reload(room)
        await self.schedule_timers(room)
        warnings = await self._announce(room, fallback_channel_id)
        await self._notify_followers(room)
        return await self.reload(room), warnings

    async def schedule_timers(self, room: Room) -> None:
        """Every timer a scheduled room needs, keyed by room so edits and cancels replace them.

        The channel-opening timer is scheduled before the reminders: both can fall due together
        (15 minutes before), and timers due at the same instant run in creation order, so the
        15-minute reminder can already point at the new channel.
        """
        timers, key = self.timers, f"room:{room.id}"
        payload: dict[str, Any] = {"room_id": room.id}
        if room.voice_channel_id is None and room.temp_channel_id is None:
            due = channel_open_at(room.start_at, self.now)
            await timers.schedule("room:open", due, guild_id=room.guild_id, payload=payload, dedupe_key=f"{key}:open")
        for reminder in reminders_due(room.start_at, self.now):
            await timers.schedule(
                "room:remind",
                reminder.due_at,
                guild_id=room.guild_id,
                payload={**payload, "lead": reminder.lead},
                dedupe_key=f"{key}:remind:{reminder.lead}",
            )
        await timers.schedule(
            "room:start", room.start_at, guild_id=room.guild_id, payload=payload, dedupe_key=f"{key}:start"
        )
        await timers.schedule("room:end", room.end_at, guild_id=room.guild_id, payload=payload, dedupe_key=f"{key}:end")

    async def _announce(self, room: Room, fallback_channel_id: int | None) -> list[str]:
        config = await self.store.config.get(room.guild_id)
        channel_id = config.rooms_channel_id or fallback_channel_id
        interest = await self.interest_by_id(room.guild_id, room.interest_id)
        posted = await self.discord.announce(room, channel_id, interest.role_id if interest is not None else None)
        if isinstance(posted, str):
            return [posted]
        await self.store.rooms.set_announcement(room.id, *posted)
        return []

    async def _notify_followers(self, room: Room) -> None:
        """Followers hear through the interest's role if it has one, otherwise by DM if they opted in."""
        interest = await self.interest_by_id(room.guild_id, room.interest_id)
        if interest is None or (interest.role_id and self.discord.has_role(room.guild_id, interest.role_id)):
            return
        for user_id in await self.store.interests.followers(interest.id, notify_only=True):
            if user_id == room.host_user_id or not self.discord.is_member(room.guild_id, user_id):
                continue
            if not await self.store.prefs.is_reachable(user_id):
                continue  # they were told once; we don't keep knocking on a closed door
            with using_locale(await self.store.prefs.locale_of(user_id)):
                await self.discord.dm_new_room(user_id, room)

    # -- temporary channels ---------------------------------------------------------------------
    async def open_temp_channel(self, room: Room) -> Room:
        """Create the room's temporary channel and move the native event into it."""
        if not self.discord.has_guild(room.guild_id) or room.temp_channel_id is not None:
            return room
        if room.voice_channel_id is not None:
            return room
        try:
            # A refusal is told to the host, so it is written in their language.
            with using_locale(await self.store.prefs.locale_of(room.host_user_id)):
                channel_id = await self.discord.create_temp_channel(room)
        except KindredError as exc:
            log.warning("room %s: %s", room.id, exc.message)
            problem = exc.message
            await self.dm(
                room.host_user_id, lambda: _("About **{title}**: {problem}").format(title=room.title, problem=problem)
            )
            return room
        await self.store.rooms.set_temp_channel(room.id, channel_id)
        room = await self.reload(room)
        await self.discord.move_event_into(room, channel_id)
        await self.discord.refresh_announcement(room)
        return room

    async def cleanup_temp_channel(self, room: Room) -> None:
        """Remove a finished room's temporary channel once nobody is in it (else look again later)."""
        if room.temp_channel_id is None or room.is_open:
            return
        if not self.discord.temp_channel_exists(room):
            await self.store.rooms.set_temp_channel(room.id, None)
            return
        if self.discord.occupants(room):
            await self.timers.schedule(
                "room:cleanup",
                self.now + CLEANUP_RETRY,
                guild_id=room.guild_id,
                payload={"room_id": room.id},
                dedupe_key=f"room:{room.id}:cleanup",
            )
            return
        await self.discord.delete_temp_channel(room)
        await self.store.rooms.set_temp_channel(room.id, None)

    # -- notices ----------------------------------------------------------------------------------
    async def tell_going(self, room: Room, render: Callable[[], str]) -> int:
        """DM everyone coming (not the host) about a change, each in their own language; returns how many were
        reached."""
        told = 0
        for user_id in await self.store.rooms.going(room.id):
            if user_id == room.host_user_id or not self.discord.is_member(room.guild_id, user_id):
                continue  # the host knows; someone who left the server isn't contacted any more
            if await self.dm(user_id, render):
                told += 1
        return told

    async def edit(
        self,
        room: Room,
        *,
        title: str,
        description: str | None,
        start: datetime,
        duration: int,
        recurrence: str | None = None,
    ) -> tuple[Room, int]:
        """Apply a host's edit everywhere; returns the room and how many members were told.

        ``recurrence`` ``None`` keeps the series' repeat; a monthly repeat follows the (new) start's weekday.
        """
        series = await self.store.rooms.series(room.series_id)
        zone = ZoneInfo(series.timezone) if series is not None else None
        repeat = Repeat(recurrence or series.recurrence) if series is not None else Repeat.NONE
        if zone is not None:
            check_repeat(start, zone, repeat)
        end = start + timedelta(minutes=duration)
        await self.discord.edit_event(room, title=title, description=description, start=start, end=end)
        before = room
        rooms = self.store.rooms
        room = await rooms.update_details(
            room.id, title=title, description=description, start_at=start, end_at=end, duration_minutes=duration
        )
        await rooms.update_series_details(
            room.series_id, title=title, description=description, duration_minutes=duration, recurrence=recurrence
        )
        await self.timers.cancel_prefix(f"room:{room.id}:")
        await self.schedule_timers(room)
        await self.discord.refresh_announcement(room)
        changed = (
            before.start_at != room.start_at,
            before.duration_minutes != room.duration_minutes,
            before.title != room.title,
            before.description != room.description,
            series is not None and recurrence not in (None, series.recurrence),
        )
        if not any(changed):
            return room, 0

        def notice() -> str:
            """What changed, in the current locale (each member's own)."""
            rule = describe_repeat(start, zone, repeat) if zone is not None else ""
            lines = (
                _("it's now {when}").format(when=discord_ts(room.start_at, "F")),
                _("it runs {minutes} minutes").format(minutes=room.duration_minutes),
                _("it's now called **{title}**").format(title=room.title),
                _("the description changed"),
                _("it now repeats {rule}").format(rule=rule) if rule else _("it no longer repeats after this one"),
            )
            return _("A room you RSVP'd to, **{title}**, has changed: {changes}.").format(
                title=before.title, changes="; ".join(line for line, on in zip(lines, changed, strict=True) if on)
            )

        told = await self.tell_going(room, notice)
        return room, told
