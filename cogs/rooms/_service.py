"""RoomKeeper: everything rooms do on Discord (events, channels, announcements, notices).

The rules come from :mod:`bot.rooms`; rows from ``store.rooms``. The keeper is shared by the
commands, the buttons and the timer handlers, so each Discord step is written once.

How a room without a voice channel works: Discord refuses a *voice* scheduled event without a
channel, and a channel created days ahead clutters the server. So such a room starts life as an
*external* event whose location says a voice room opens 15 minutes before; at that point (the
``room:open`` timer) we create the temporary channel and switch the event to a voice event in it.
The event id never changes, so "Interested" members and RSVPs carry over. If the start is less
than 15 minutes away, the channel is created at once and the event is a voice event from the start.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import KindredError, permission_names
from bot.messaging import NO_PINGS, send_dm
from bot.rooms import OPEN_LEAD, channel_open_at, reminders_due
from bot.store.core import Interest
from bot.store.rooms import CANCELLED, COMPLETED, SCHEDULED, Room, RoomSeries
from cogs.rooms._render import announcement_embed, event_description, temp_location
from cogs.rooms._views import rsvp_view

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["RoomKeeper", "check_can_host"]

log = logging.getLogger(__name__)

CLEANUP_RETRY = timedelta(minutes=10)


def _missing(perms: discord.Permissions, needed: tuple[str, ...]) -> list[str]:
    return [p for p in needed if not getattr(perms, p)]


def manage_events_error() -> KindredError:
    """The error when Discord (or our check) says the bot lacks Manage Events."""
    return KindredError(
        "I'm missing the **Manage Events** permission, so I can't create the room's event. "
        "A moderator can grant it to my role in Server Settings → Roles, then try again."
    )


def check_can_host(
    guild: discord.Guild, voice_channel: discord.VoiceChannel | None, category: discord.CategoryChannel | None
) -> None:
    """Refuse, with the permission's name, anything Discord would refuse: before any call is made."""
    me = guild.me
    if not me.guild_permissions.manage_events:
        raise manage_events_error()
    if voice_channel is not None:
        missing = _missing(voice_channel.permissions_for(me), ("view_channel", "connect", "manage_events"))
        if missing:
            raise KindredError(
                f"I can't host a room in {voice_channel.mention}: I'm missing **{permission_names(missing)}** there. "
                "Pick another voice channel, leave it empty for a temporary one, or ask a moderator to adjust it."
            )
        return
    perms = category.permissions_for(me) if category is not None else me.guild_permissions
    missing = _missing(perms, ("manage_channels", "view_channel", "connect"))
    if missing:
        where = f"the **{category.name}** category" if category is not None else "this server"
        raise KindredError(
            f"I can't create a temporary voice room in {where}: I'm missing **{permission_names(missing)}**. "
            "Pick an existing voice channel instead, or ask a moderator to grant it."
        )


class RoomKeeper:
    """Creates, runs and winds down rooms."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    @property
    def now(self) -> datetime:
        """The bot's clock."""
        return self.bot.clock.now()

    # -- lookups ------------------------------------------------------------------------------
    async def interest_by_id(self, guild_id: int, interest_id: int | None) -> Interest | None:
        """The catalogue entry behind a room (it may have been removed since)."""
        if interest_id is None:
            return None
        for interest in await self.bot.store.interests.catalogue(guild_id, now=self.now):
            if interest.id == interest_id:
                return interest
        return None

    async def category_for(self, guild: discord.Guild) -> discord.CategoryChannel | None:
        """The configured rooms category, if it still exists."""
        config = await self.bot.store.config.get(guild.id)
        channel = guild.get_channel(config.rooms_category_id) if config.rooms_category_id else None
        return channel if isinstance(channel, discord.CategoryChannel) else None

    async def scheduled_event(self, room: Room) -> discord.ScheduledEvent | None:
        """The native event, from the cache or Discord; ``None`` if it is gone."""
        guild = self.bot.get_guild(room.guild_id)
        if guild is None or room.event_id is None:
            return None
        event = guild.get_scheduled_event(room.event_id)
        if event is not None:
            return event
        try:
            return await guild.fetch_scheduled_event(room.event_id)
        except discord.NotFound:
            return None

    def occupants(self, room: Room) -> list[int]:
        """People (not bots) in the room's voice channel right now, from the gateway's voice states."""
        guild = self.bot.get_guild(room.guild_id)
        channel = guild.get_channel(room.channel_id) if guild is not None and room.channel_id else None
        if not isinstance(channel, discord.VoiceChannel):
            return []
        return [m.id for m in channel.members if not m.bot]

    # -- creating an occurrence -----------------------------------------------------------------
    async def create_occurrence(
        self, guild: discord.Guild, series: RoomSeries, start: datetime, *, fallback_channel_id: int | None
    ) -> tuple[Room, list[str]]:
        """Native event (+ temporary channel if due), row, announcement, timers and notices.

        Returns the room and plain-words warnings for the host (e.g. the announcement failed).
        """
        end = start + timedelta(minutes=series.duration_minutes)
        host = guild.get_member(series.host_user_id)
        host_name = host.display_name if host is not None else "a member"
        description = event_description(series.title, series.interest_name, series.description, host_name)
        voice: discord.VoiceChannel | None = None
        temp: discord.VoiceChannel | None = None
        category = await self.category_for(guild)
        if series.voice_channel_id is not None:
            found = guild.get_channel(series.voice_channel_id)
            if not isinstance(found, discord.VoiceChannel):
                raise KindredError("The voice channel for this room no longer exists. Please schedule it again.")
            voice = found
        elif channel_open_at(start, self.now) <= self.now:
            temp = await self._create_temp_channel(guild, series.title, category)
            voice = temp
        try:
            if voice is not None:
                event = await guild.create_scheduled_event(
                    name=series.title,
                    description=description,
                    start_time=start,
                    end_time=end,
                    channel=voice,
                    entity_type=discord.EntityType.voice,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    reason=f"Room scheduled by {host_name}",
                )
            else:
                event = await guild.create_scheduled_event(
                    name=series.title,
                    description=description,
                    start_time=start,
                    end_time=end,
                    entity_type=discord.EntityType.external,
                    location=temp_location(category.name if category else None),
                    privacy_level=discord.PrivacyLevel.guild_only,
                    reason=f"Room scheduled by {host_name}",
                )
        except discord.Forbidden as exc:
            await self._delete_channel(temp)
            if exc.code == 50013:
                raise manage_events_error() from exc
            raise
        except BaseException:
            await self._delete_channel(temp)
            raise
        room = await self.bot.store.rooms.create_room(series, start_at=start, end_at=end, now=self.now)
        await self.bot.store.rooms.set_event(room.id, event.id)
        if temp is not None:
            await self.bot.store.rooms.set_temp_channel(room.id, temp.id)
        # The host is coming to their own room: they get the reminders too.
        await self.bot.store.rooms.rsvp(room.id, series.host_user_id, going=True, source="button", now=self.now)
        room = await self._reload(room)
        await self.schedule_timers(room)
        warnings = await self._announce(guild, room, fallback_channel_id)
        await self._notify_followers(guild, room)
        return await self._reload(room), warnings

    async def schedule_timers(self, room: Room) -> None:
        """Every timer a scheduled room needs, keyed by room so edits and cancels replace them.

        The channel-opening timer is scheduled before the reminders: both can fall due together
        (15 minutes before), and timers due at the same instant run in creation order, so the
        15-minute reminder can already point at the new channel.
        """
        timers, key = self.bot.timers, f"room:{room.id}"
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

    async def _announce(self, guild: discord.Guild, room: Room, fallback_channel_id: int | None) -> list[str]:
        config = await self.bot.store.config.get(guild.id)
        channel_id = config.rooms_channel_id or fallback_channel_id
        channel = guild.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            return ["I couldn't post an announcement: a moderator can choose one with `/config rooms-channel`."]
        interest = await self.interest_by_id(guild.id, room.interest_id)
        role = guild.get_role(interest.role_id) if interest is not None and interest.role_id else None
        if role is not None:
            # Ping the interest's own role and nothing else; the title and description sit in
            # the embed, where no mention can fire.
            content = f"{role.mention}: a new **{room.interest_name}** room."
            mentions = discord.AllowedMentions(everyone=False, users=False, roles=[role], replied_user=False)
        else:
            content, mentions = f"A new **{room.interest_name}** room.", NO_PINGS
        try:
            message = await channel.send(
                content, embed=announcement_embed(room), view=rsvp_view(room.id), allowed_mentions=mentions
            )
        except discord.HTTPException:
            log.exception("could not announce room %s in channel %s", room.id, channel.id)
            return [f"I couldn't post the announcement in {channel.mention}; a moderator can check my permissions."]
        await self.bot.store.rooms.set_announcement(room.id, channel.id, message.id)
        return []

    async def _notify_followers(self, guild: discord.Guild, room: Room) -> None:
        """Followers hear through the interest's role if it has one, otherwise by DM if they opted in."""
        interest = await self.interest_by_id(guild.id, room.interest_id)
        if interest is None or (interest.role_id and guild.get_role(interest.role_id) is not None):
            return
        for user_id in await self.bot.store.interests.followers(interest.id, notify_only=True):
            if user_id == room.host_user_id or guild.get_member(user_id) is None:
                continue
            if not await self.bot.store.prefs.is_reachable(user_id):
                continue  # they were told once; we don't keep knocking on a closed door
            await send_dm(
                self.bot,
                user_id,
                content=f"A new **{room.interest_name}** room in {guild.name}. You asked to hear about these.",
                embed=announcement_embed(room),
                view=rsvp_view(room.id),
            )

    # -- temporary channels ---------------------------------------------------------------------
    async def _create_temp_channel(
        self, guild: discord.Guild, title: str, category: discord.CategoryChannel | None
    ) -> discord.VoiceChannel:
        try:
            return await guild.create_voice_channel(name=title[:100], category=category, reason="Temporary room")
        except discord.Forbidden as exc:
            raise KindredError(
                "I couldn't create the temporary voice room: I'm missing **Manage Channels** there. "
                "Pick an existing voice channel, or ask a moderator to grant it."
            ) from exc

    async def open_temp_channel(self, room: Room) -> Room:
        """Create the room's temporary channel and move the native event into it."""
        guild = self.bot.get_guild(room.guild_id)
        if guild is None or room.temp_channel_id is not None or room.voice_channel_id is not None:
            return room
        try:
            channel = await self._create_temp_channel(guild, room.title, await self.category_for(guild))
        except KindredError as exc:
            log.warning("room %s: %s", room.id, exc.message)
            await send_dm(self.bot, room.host_user_id, content=f"About **{room.title}**: {exc.message}")
            return room
        await self.bot.store.rooms.set_temp_channel(room.id, channel.id)
        room = await self._reload(room)
        event = await self.scheduled_event(room)
        if event is not None:
            try:
                await event.edit(channel=channel, entity_type=discord.EntityType.voice)
            except discord.HTTPException:
                log.exception("room %s: could not move event %s into its channel", room.id, room.event_id)
        await self.refresh_announcement(room)
        return room

    async def cleanup_temp_channel(self, room: Room) -> None:
        """Remove a finished room's temporary channel once nobody is in it (else look again later)."""
        if room.temp_channel_id is None or room.is_open:
            return
        guild = self.bot.get_guild(room.guild_id)
        channel = guild.get_channel(room.temp_channel_id) if guild is not None else None
        if channel is None:
            await self.bot.store.rooms.set_temp_channel(room.id, None)
            return
        if self.occupants(room):
            await self.bot.timers.schedule(
                "room:cleanup",
                self.now + CLEANUP_RETRY,
                guild_id=room.guild_id,
                payload={"room_id": room.id},
                dedupe_key=f"room:{room.id}:cleanup",
            )
            return
        await self._delete_channel(channel)
        await self.bot.store.rooms.set_temp_channel(room.id, None)

    async def _delete_channel(self, channel: discord.abc.GuildChannel | None) -> None:
        if channel is None:
            return
        try:
            await channel.delete(reason="Temporary room finished")
        except discord.NotFound:
            pass
        except discord.HTTPException:
            log.exception("could not delete temporary channel %s", channel.id)

    # -- shared steps -----------------------------------------------------------------------------
    async def refresh_announcement(self, room: Room) -> None:
        """Redraw the announcement; finished rooms lose their buttons."""
        if room.announce_channel_id is None or room.announce_message_id is None:
            return
        channel = self.bot.get_channel(room.announce_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        view = rsvp_view(room.id) if room.is_open else None
        try:
            await channel.get_partial_message(room.announce_message_id).edit(
                embed=announcement_embed(room), view=view, allowed_mentions=NO_PINGS
            )
        except discord.HTTPException:
            log.warning("could not update the announcement of room %s", room.id, exc_info=True)

    async def tell_going(self, room: Room, content: str) -> int:
        """DM everyone coming (not the host) about a change; returns how many were reached."""
        told = 0
        guild = self.bot.get_guild(room.guild_id)
        for user_id in await self.bot.store.rooms.going(room.id):
            if user_id == room.host_user_id or guild is None or guild.get_member(user_id) is None:
                continue  # the host knows; someone who left the server isn't contacted any more
            if await send_dm(self.bot, user_id, content=content) is not None:
                told += 1
        return told

    async def set_event_status(self, room: Room, status: discord.EventStatus) -> None:
        """Move the native event to ``status`` if it still exists and can make that move."""
        event = await self.scheduled_event(room)
        if event is None:
            log.info("room %s: its event is gone; nothing to mark %s", room.id, status.name)
            return
        if event.status is status:
            return
        try:
            await event.edit(status=status)
        except discord.HTTPException:
            log.exception("room %s: could not mark event %s %s", room.id, room.event_id, status.name)

    async def delete_event(self, room: Room) -> None:
        """Remove the native event (a cancelled room)."""
        event = await self.scheduled_event(room)
        if event is None:
            return
        try:
            await event.delete(reason="Room cancelled by its host")
        except discord.NotFound:
            pass
        except discord.HTTPException:
            log.exception("room %s: could not delete event %s", room.id, room.event_id)

    async def _reload(self, room: Room) -> Room:
        fresh = await self.bot.store.rooms.get(room.id)
        assert fresh is not None
        return fresh

    @staticmethod
    def describe_state(room: Room) -> str | None:
        """Why a button on this room no longer does anything, or ``None`` if it is open."""
        if room.status == CANCELLED:
            return f"**{room.title}** was cancelled, so there's nothing to answer any more."
        if room.status == COMPLETED:
            return f"**{room.title}** has already finished. `/room list` shows what's coming up."
        return None

    @staticmethod
    def opens_soon(room: Room, now: datetime) -> bool:
        """True from the moment the room's channel is meant to be open."""
        return room.status != SCHEDULED or now >= room.start_at - OPEN_LEAD
