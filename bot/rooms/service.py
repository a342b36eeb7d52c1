"""RoomService: a room's whole life, from scheduling through RSVPs, reminders and start to completion and repeats.

Every step is driven by a command, a button, a durable timer or a gateway event, and re-reads the
room from the database first, so a restart anywhere in between only delays a step, never repeats
or loses it. The Discord side is passed in as a :class:`~bot.rooms.ports.RoomDiscord`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock import discord_ts
from bot.errors import KindredError, permission_names
from bot.i18n import _, ngettext, using_locale
from bot.rooms.lifecycle import (
    EMPTY_GRACE,
    Completion,
    attendance_line,
    completion_decision,
    count_attendees,
    describe_state,
    opens_soon,
)
from bot.rooms.making import RoomMaker
from bot.rooms.ports import RoomDiscord
from bot.rooms.schedule import next_room_start, reminder_still_timely
from bot.rooms.upkeep import reconcile_rooms
from bot.store.rooms import ACTIVE, CANCELLED, COMPLETED, SCHEDULED, Room, RoomSeries
from bot.text import is_row_id
from bot.timers import Timer, TimerHandler

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.store import Store
    from bot.timers import TimerService

__all__ = ["NEXT_MAX_ATTEMPTS", "NEXT_RETRY", "RoomService"]

log = logging.getLogger(__name__)

NEXT_RETRY = timedelta(minutes=30)
# Tries at creating a series' next room before the host is told to schedule it again (six hours of retries):
# a room Discord keeps refusing must not be retried every half hour forever.
NEXT_MAX_ATTEMPTS = 12


class RoomService:
    """Schedules, runs and winds down rooms; commands, buttons, timers and listeners all come here."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, discord: RoomDiscord) -> None:
        self.store, self.timers, self.clock, self.discord = store, timers, clock, discord
        self.maker = RoomMaker(store, timers, clock, discord)
        self.schedule = self.maker.schedule
        self.edit = self.maker.edit

    @property
    def now(self) -> datetime:
        """The bot's clock."""
        return self.clock.now()

    def timer_handlers(self) -> dict[str, TimerHandler]:
        """The timer kinds rooms run on, and their handlers."""
        return {
            "room:open": self.on_open,
            "room:remind": self.on_remind,
            "room:start": self.on_start,
            "room:end": self.on_check,
            "room:check": self.on_check,
            "room:cleanup": self.on_cleanup,
            "room:next": self.on_next,
        }

    async def reconcile(self) -> int:
        """Add every missing structural room timer; returns how many were added."""
        return await reconcile_rooms(self.store, self.timers, self.now)

    # -- commands -----------------------------------------------------------------------------
    async def hosted_room(
        self, guild_id: int, user_id: int, value: str, *, manages_events: bool, scheduled_only: bool
    ) -> Room:
        """The open room a command names, if this member may change it; else a specific error."""
        # Autocomplete sends an id; anything else (or a number beyond SQLite's range) is just "not found".
        raw = value.strip()
        room = await self.store.rooms.get(int(raw)) if is_row_id(raw) else None
        if room is None or room.guild_id != guild_id:
            raise KindredError(_("I couldn't find that room. Pick one of yours from the list as you type."))
        if room.host_user_id != user_id and not manages_events:
            raise KindredError(
                _("Only the room's host (or someone with **{permission}**) can change it.").format(
                    permission=permission_names(["manage_events"])
                )
            )
        if not room.is_open:
            raise KindredError(describe_state(room) or _("That room has finished."))
        if scheduled_only and room.status != SCHEDULED:
            raise KindredError(
                _("**{title}** has already started, so it can't be changed now.").format(title=room.title)
            )
        return room

    async def confirm_cancel(self, room_id: int, *, whole: bool) -> str:
        """A host confirmed a cancel: do it if the room is still there to cancel; returns the answer."""
        fresh = await self.store.rooms.get(room_id)
        if fresh is None or not fresh.is_open:
            return _("That room has already finished.")
        if fresh.status != SCHEDULED:
            # The host hesitated past the start: a running room isn't pulled from under people.
            if whole:
                await self.cancel(fresh, whole_series=True)
                return _("**{title}** has already started, so it runs to its end; the series ends with it.").format(
                    title=fresh.title
                )
            return _("**{title}** has already started, so it can't be cancelled now. Nothing changed.").format(
                title=fresh.title
            )
        told = await self.cancel(fresh, whole_series=whole)
        if told == 0:
            text = (
                _("Cancelled this room and the rest of its series; nobody needed telling.")
                if whole
                else _("Cancelled this room; nobody needed telling.")
            )
        elif whole:
            text = ngettext(
                "Cancelled this room and the rest of its series; I've let {count} member know.",
                "Cancelled this room and the rest of its series; I've let {count} members know.",
                told,
            ).format(count=told)
        else:
            text = ngettext(
                "Cancelled this room; I've let {count} member know.",
                "Cancelled this room; I've let {count} members know.",
                told,
            ).format(count=told)
        series = await self.store.rooms.series(fresh.series_id)
        if not whole and series is not None and series.active and series.recurrence != "none":
            nxt = await self.store.rooms.later_in_series(series.id, fresh.start_at)
            if nxt is not None:
                text += " " + _("The series carries on: the next one is {when}.").format(
                    when=discord_ts(nxt.start_at, "F")
                )
            else:
                text += " " + _("The series carries on.")
        return text

    async def before_erase(self, user_id: int, guild_id: int | None) -> None:
        """A host's data is about to be erased: their upcoming rooms are cancelled, neutrally."""
        for room in await self.store.rooms.hosted_anywhere(user_id, guild_id):

            def notice(room: Room = room) -> str:
                return _("**{title}** on {when} won't go ahead after all. Sorry for the change.").format(
                    title=room.title, when=discord_ts(room.start_at, "F")
                )

            await self.cancel(room, whole_series=True, notice=notice)

    # -- buttons ------------------------------------------------------------------------------
    async def answer(self, room_id: int, user_id: int, going: bool) -> str:
        """RSVP / Can't make it; returns the private answer."""
        room = await self.store.rooms.get(room_id)
        if room is None:
            raise KindredError(_("I can't find that room any more."))
        closed = describe_state(room)
        if closed:
            raise KindredError(closed)
        await self.store.rooms.rsvp(room.id, user_id, going=going, source="button", now=self.now)
        if going:
            return _(
                "You're in for **{title}**, {when}. I'll DM you a reminder a day before and 15 minutes before; "
                "each reminder has a button to stop them."
            ).format(title=room.title, when=discord_ts(room.start_at, "F"))
        return _("Thanks for letting us know. No reminders for **{title}**; maybe next time.").format(title=room.title)

    async def mute(self, room_id: int, user_id: int) -> str:
        """ "No more reminders for this room"; returns the private answer."""
        room = await self.store.rooms.get(room_id)
        if room is None:
            raise KindredError(_("I can't find that room any more."))
        await self.store.rooms.set_reminders(room.id, user_id, False)
        return _("Done: no more reminders for **{title}**. You're still welcome to drop in.").format(title=room.title)

    # -- native "Interested" ------------------------------------------------------------------
    async def event_interest(self, event_id: int, user_id: int, interested: bool) -> None:
        """Native "Interested" counts as an RSVP; removing it drops only an RSVP that came from it."""
        room = await self.store.rooms.by_event(event_id)
        if room is None or not room.is_open:
            return
        if interested:
            await self.store.rooms.add_event_interest(room.id, user_id, now=self.now)
        else:
            await self.store.rooms.drop_event_interest(room.id, user_id)

    async def sync_event_interest(self, room: Room) -> None:
        """Catch "Interested" marks made while the bot was offline (the gateway doesn't replay them)."""
        for user_id in await self.discord.interested_users(room):
            await self.store.rooms.add_event_interest(room.id, user_id, now=self.now)

    # -- timers -------------------------------------------------------------------------------
    async def _room_for(self, timer: Timer) -> Room | None:
        room = await self.store.rooms.get(int(timer.payload["room_id"]))
        if room is None or not room.is_open:
            return None
        return room

    async def on_open(self, timer: Timer) -> None:
        """15 minutes before: create the temporary voice channel."""
        room = await self._room_for(timer)
        if room is not None and room.status == SCHEDULED:
            await self.maker.open_temp_channel(room)

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
        if not self.discord.has_guild(room.guild_id):
            return  # the bot is no longer in the server: the room can't happen there
        await self.sync_event_interest(room)
        for user_id in await self.store.rooms.going(room.id, wants_reminders=True):
            if not self.discord.is_member(room.guild_id, user_id):
                continue  # they left the server; an RSVP is no consent to DMs after that
            if not await self.store.prefs.is_reachable(user_id):
                continue
            # A timer carries no language: the one the member last used a command in, else English.
            with using_locale(await self.store.prefs.locale_of(user_id)):
                await self.discord.dm_reminder(user_id, room, lead)

    async def on_start(self, timer: Timer) -> None:
        """Start time: mark the event active and note who is already there."""
        room = await self._room_for(timer)
        if room is None or room.status != SCHEDULED:
            return
        await self.discord.mark_event(room, "active")
        await self.store.rooms.set_status(room.id, ACTIVE, only_from=(SCHEDULED,))
        present = self.discord.occupants(room)
        for user_id in present:
            await self.store.rooms.record_attendance(room.id, user_id, now=self.now)
        await self.store.rooms.set_empty_since(room.id, None if present else self.now)

    async def on_check(self, timer: Timer) -> None:
        """End time, and every later look: complete the room or decide when to look again."""
        room = await self._room_for(timer)
        if room is None:
            return
        decision = completion_decision(
            now=self.now, end=room.end_at, occupants=len(self.discord.occupants(room)), empty_since=room.empty_since
        )
        if decision.outcome is Completion.COMPLETE:
            await self.complete(room)
        elif decision.check_again_at is not None:
            await self._schedule_check(room, decision.check_again_at)

    async def on_cleanup(self, timer: Timer) -> None:
        """A finished room's temporary channel, once it empties."""
        room = await self.store.rooms.get(int(timer.payload["room_id"]))
        if room is not None:
            await self.maker.cleanup_temp_channel(room)

    async def on_next(self, timer: Timer) -> None:
        """Retry creating a series' next room after a failure."""
        room = await self.store.rooms.get(int(timer.payload["room_id"]))
        if room is not None:
            await self.spawn_next(room, attempt=int(timer.payload.get("attempt", 2)))

    async def _schedule_check(self, room: Room, when: datetime) -> None:
        await self.timers.schedule(
            "room:check", when, guild_id=room.guild_id, payload={"room_id": room.id}, dedupe_key=f"room:{room.id}:check"
        )

    # -- voice --------------------------------------------------------------------------------
    async def voice_moved(
        self, guild_id: int, user_id: int, *, joined: int | None, left: int | None, left_empty: bool
    ) -> None:
        """Attendance and emptiness come from a member's voice moves; the bot itself never joins voice."""
        rooms = self.store.rooms
        if joined is not None:
            for room in await rooms.open_in_channel(guild_id, joined):
                if opens_soon(room, self.now):
                    await rooms.record_attendance(room.id, user_id, now=self.now)
                    await rooms.set_empty_since(room.id, None)
        if left is not None and left_empty:
            for room in await rooms.open_in_channel(guild_id, left):
                if room.status == ACTIVE:
                    await rooms.set_empty_since(room.id, self.now)
                    if self.now >= room.end_at:
                        await self._schedule_check(room, self.now + EMPTY_GRACE)
            finished = await rooms.closed_with_temp_channel(guild_id, left)
            if finished is not None:
                await self.maker.cleanup_temp_channel(finished)

    # -- completion and repeats -----------------------------------------------------------------
    async def complete(self, room: Room) -> None:
        """Finish a room: complete the event, tell the host how many came, tidy up, repeat if it repeats."""
        if not await self.store.rooms.set_status(room.id, COMPLETED):
            return  # already finished by another path
        await self.timers.cancel_prefix(f"room:{room.id}:")
        if room.status == SCHEDULED:
            # Discord only completes an active event; a room whose start step never ran goes through it.
            await self.discord.mark_event(room, "active")
        await self.discord.mark_event(room, "completed")
        room = await self.maker.reload(room)
        came = count_attendees(await self.store.rooms.attendees(room.id), exclude=[room.host_user_id])
        await self.maker.dm(room.host_user_id, lambda: attendance_line(room.title, came))
        await self.discord.refresh_announcement(room)
        await self.maker.cleanup_temp_channel(room)
        await self.spawn_next(room)

    async def spawn_next(self, room: Room, *, attempt: int = 1) -> Room | None:
        """Create a series' next occurrence (once), by its repeat rule, at the same local time.

        An unexpected failure is retried every :data:`NEXT_RETRY`, up to :data:`NEXT_MAX_ATTEMPTS` tries in all;
        then the host is told, as when Discord refuses outright.
        """
        series = await self.store.rooms.series(room.series_id)
        if series is None or not series.active or series.recurrence == "none":
            return None
        if await self.store.rooms.later_in_series(series.id, room.start_at) is not None:
            return None
        if not self.discord.has_guild(room.guild_id):
            return None
        start = next_room_start(room.start_at, ZoneInfo(series.timezone), series.recurrence, after=self.now)
        try:
            # A refusal is told to the host, so it is written in their language.
            with using_locale(await self.store.prefs.locale_of(series.host_user_id)):
                created, warnings = await self.maker.create_occurrence(
                    room.guild_id, series, start, fallback_channel_id=room.announce_channel_id
                )
        except KindredError as exc:
            log.warning("room series %s: next occurrence refused: %s", series.id, exc.message)
            problem = exc.message
            await self.maker.dm(
                series.host_user_id,
                lambda: _("I couldn't set up the next **{title}**: {problem}").format(
                    title=series.title, problem=problem
                ),
            )
            return None
        except Exception:
            await self._next_failed(room, series, attempt)
            return None
        for warning in warnings:
            log.warning("room %s: %s", created.id, warning)
        return created

    async def _next_failed(self, room: Room, series: RoomSeries, attempt: int) -> None:
        if attempt >= NEXT_MAX_ATTEMPTS:
            log.exception("room series %s: next occurrence failed %d times; giving up", series.id, attempt)
            await self.maker.dm(
                series.host_user_id,
                lambda: _(
                    "I couldn't set up the next **{title}**: Discord kept failing for hours. "
                    "You can schedule it again with `/room schedule`."
                ).format(title=series.title),
            )
            return
        log.exception("room series %s: next occurrence failed (try %d); retrying later", series.id, attempt)
        await self.timers.schedule(
            "room:next",
            self.now + NEXT_RETRY,
            guild_id=room.guild_id,
            payload={"room_id": room.id, "attempt": attempt + 1},
            dedupe_key=f"room-series:{series.id}:next",
        )

    # -- host changes -------------------------------------------------------------------------
    async def cancel(self, room: Room, *, whole_series: bool, notice: Callable[[], str] | None = None) -> int:
        """Cancel one occurrence (or stop the series too); returns how many members were told."""
        if whole_series:
            await self.store.rooms.end_series(room.series_id)
        if room.status != SCHEDULED:
            return 0  # an active room runs to its end; ending the series is all that's left to do
        if not await self.store.rooms.set_status(room.id, CANCELLED, only_from=(SCHEDULED,)):
            return 0
        await self.timers.cancel_prefix(f"room:{room.id}:")
        await self.discord.delete_event(room)
        room = await self.maker.reload(room)
        await self.discord.refresh_announcement(room)
        await self.maker.cleanup_temp_channel(room)

        def cancelled() -> str:
            return _(
                "**{title}** on {when} has been cancelled by its host. "
                "Sorry for the change; `/room list` shows other rooms coming up."
            ).format(title=room.title, when=discord_ts(room.start_at, "F"))

        told = await self.maker.tell_going(room, notice or cancelled)
        if not whole_series:
            # Skipping one occurrence must not end a series: occurrences are otherwise only
            # spawned when one completes, and a cancelled one never does.
            await self.spawn_next(room)
        return told
