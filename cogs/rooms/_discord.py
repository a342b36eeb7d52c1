"""The Discord side of rooms: native events, temporary channels, the announcement and DMs.

Implements :class:`bot.rooms.ports.RoomDiscord` for :class:`bot.rooms.service.RoomService`, which
decides what happens and when; each call here is one Discord step, logged and survived when it fails.

What the whole server reads (the announcement, its buttons, the native event's description and location) is
written in the server's language (:func:`cogs._gatherings.server_locale`), whoever's action or timer led to it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import KindredError, permission_names
from bot.i18n import _, using_locale
from bot.messaging import NO_PINGS, send_dm
from bot.rooms.ports import EventStatus
from bot.store.rooms import Room, RoomSeries
from cogs._gatherings import GatheringSteps, server_locale
from cogs.rooms._render import announcement_embed, event_description, reminder_text, temp_location
from cogs.rooms._views import reminder_view, rsvp_view

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["DiscordRooms", "category_for", "check_can_host"]

log = logging.getLogger(__name__)


def _missing(perms: discord.Permissions, needed: tuple[str, ...]) -> list[str]:
    return [p for p in needed if not getattr(perms, p)]


def manage_events_error() -> KindredError:
    """The error when Discord (or our check) says the bot lacks Manage Events."""
    return KindredError(
        _(
            "I'm missing the **{permission}** permission, so I can't create the room's event. "
            "A moderator can grant it to my role in Server Settings → Roles, then try again."
        ).format(permission=permission_names(["manage_events"]))
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
                _(
                    "I can't host a room in {channel}: I'm missing **{permissions}** there. "
                    "Pick another voice channel, leave it empty for a temporary one, or ask a moderator to adjust it."
                ).format(channel=voice_channel.mention, permissions=permission_names(missing))
            )
        return
    perms = category.permissions_for(me) if category is not None else me.guild_permissions
    missing = _missing(perms, ("manage_channels", "view_channel", "connect"))
    if missing:
        where = (
            _("the **{category}** category").format(category=category.name)
            if category is not None
            else _("this server")
        )
        raise KindredError(
            _(
                "I can't create a temporary voice room in {where}: I'm missing **{permissions}**. "
                "Pick an existing voice channel instead, or ask a moderator to grant it."
            ).format(where=where, permissions=permission_names(missing))
        )


async def category_for(bot: KindredBot, guild: discord.Guild) -> discord.CategoryChannel | None:
    """The configured rooms category, if it still exists."""
    config = await bot.store.config.get(guild.id)
    channel = guild.get_channel(config.rooms_category_id) if config.rooms_category_id else None
    return channel if isinstance(channel, discord.CategoryChannel) else None


class DiscordRooms(GatheringSteps):
    """Room steps on Discord, through the bot's gateway cache and REST client."""

    # -- what the gateway tells us ------------------------------------------------------------
    def is_member(self, guild_id: int, user_id: int) -> bool:
        """Whether the user is (still) a member of the server."""
        guild = self.bot.get_guild(guild_id)
        return guild is not None and guild.get_member(user_id) is not None

    def has_role(self, guild_id: int, role_id: int) -> bool:
        """Whether the role still exists in the server."""
        guild = self.bot.get_guild(guild_id)
        return guild is not None and guild.get_role(role_id) is not None

    def occupants(self, room: Room) -> list[int]:
        """People (not bots) in the room's voice channel right now, from the gateway's voice states."""
        guild = self.bot.get_guild(room.guild_id)
        channel = guild.get_channel(room.channel_id) if guild is not None and room.channel_id else None
        if not isinstance(channel, discord.VoiceChannel):
            return []
        return [m.id for m in channel.members if not m.bot]

    def _temp_channel(self, room: Room) -> discord.abc.GuildChannel | None:
        guild = self.bot.get_guild(room.guild_id)
        return guild.get_channel(room.temp_channel_id) if guild is not None and room.temp_channel_id else None

    def temp_channel_exists(self, room: Room) -> bool:
        """Whether the room's temporary channel is still there."""
        return self._temp_channel(room) is not None

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

    async def interested_users(self, room: Room) -> list[int]:
        """Who marked the event "Interested"; on a failure, those read so far."""
        event = await self.scheduled_event(room)
        found: list[int] = []
        if event is None:
            return found
        try:
            async for user in event.users():
                if not user.bot:
                    found.append(user.id)
        except discord.HTTPException:
            log.warning("room %s: could not read who is interested; using what we saw live", room.id, exc_info=True)
        return found

    # -- events ---------------------------------------------------------------------------------
    def _host_name(self, guild: discord.Guild | None, user_id: int) -> str:
        host = guild.get_member(user_id) if guild is not None else None
        return host.display_name if host is not None else _("a member")

    async def create_event(
        self, guild_id: int, series: RoomSeries, start: datetime, end: datetime, *, open_now: bool
    ) -> tuple[int, int | None]:
        """Create the native event (and the temporary channel when ``open_now``): ``(event id, temp channel id)``."""
        guild = self.bot.get_guild(guild_id)
        assert guild is not None  # the service checks the bot is in the server first
        category = await category_for(self.bot, guild)
        with using_locale(server_locale(guild)):
            host_name = self._host_name(guild, series.host_user_id)
            description = event_description(series.title, series.interest_name, series.description, host_name)
            location = temp_location(category.name if category else None)
        voice: discord.VoiceChannel | None = None
        temp: discord.VoiceChannel | None = None
        if series.voice_channel_id is not None:
            found = guild.get_channel(series.voice_channel_id)
            if not isinstance(found, discord.VoiceChannel):
                raise KindredError(_("The voice channel for this room no longer exists. Please schedule it again."))
            voice = found
        elif open_now:
            temp = await self._new_temp_channel(guild, series.title, category)
            voice = temp
        # A voice event needs its channel; without one yet (a temporary room opens later), an external
        # event names where it will be.
        where: dict[str, Any] = (
            {"channel": voice, "entity_type": discord.EntityType.voice}
            if voice is not None
            else {
                "entity_type": discord.EntityType.external,
                "location": location,
            }
        )
        try:
            event = await guild.create_scheduled_event(
                name=series.title,
                description=description,
                start_time=start,
                end_time=end,
                privacy_level=discord.PrivacyLevel.guild_only,
                reason=f"Room scheduled by {host_name}",
                **where,
            )
        except discord.Forbidden as exc:
            await _delete_channel(temp)
            if exc.code == 50013:
                raise manage_events_error() from exc
            raise
        except BaseException:
            await _delete_channel(temp)
            raise
        return event.id, temp.id if temp is not None else None

    async def edit_event(
        self, room: Room, *, title: str, description: str | None, start: datetime, end: datetime
    ) -> None:
        """Change the native event; a missing permission is the host's error to read."""
        guild = self.bot.get_guild(room.guild_id)
        with using_locale(server_locale(guild)):
            text = event_description(title, room.interest_name, description, self._host_name(guild, room.host_user_id))
        event = await self.scheduled_event(room)
        if event is None:
            return
        try:
            await event.edit(name=title, description=text, start_time=start, end_time=end)
        except discord.Forbidden as exc:
            raise KindredError(
                _("I couldn't update the room's event: I'm missing the **{permission}** permission.").format(
                    permission=permission_names(["manage_events"])
                )
            ) from exc

    async def mark_event(self, room: Room, status: EventStatus) -> None:
        """Move the native event to ``status`` if it still exists and can make that move."""
        wanted = discord.EventStatus.active if status == "active" else discord.EventStatus.completed
        event = await self.scheduled_event(room)
        if event is None:
            log.info("room %s: its event is gone; nothing to mark %s", room.id, wanted.name)
            return
        if event.status is wanted:
            return
        try:
            await event.edit(status=wanted)
        except discord.HTTPException:
            log.exception("room %s: could not mark event %s %s", room.id, room.event_id, wanted.name)

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

    async def move_event_into(self, room: Room, channel_id: int) -> None:
        """Turn the native event into a voice event in the channel."""
        event = await self.scheduled_event(room)
        if event is None:
            return
        try:
            await event.edit(channel=discord.Object(channel_id), entity_type=discord.EntityType.voice)
        except discord.HTTPException:
            log.exception("room %s: could not move event %s into its channel", room.id, room.event_id)

    # -- temporary channels ---------------------------------------------------------------------
    async def _new_temp_channel(
        self, guild: discord.Guild, title: str, category: discord.CategoryChannel | None
    ) -> discord.VoiceChannel:
        try:
            return await guild.create_voice_channel(name=title[:100], category=category, reason="Temporary room")
        except discord.Forbidden as exc:
            raise KindredError(
                _(
                    "I couldn't create the temporary voice room: I'm missing **{permission}** there. "
                    "Pick an existing voice channel, or ask a moderator to grant it."
                ).format(permission=permission_names(["manage_channels"]))
            ) from exc

    async def create_temp_channel(self, room: Room) -> int:
        """Create the room's temporary voice channel; refused creation is a :class:`KindredError`."""
        guild = self.bot.get_guild(room.guild_id)
        assert guild is not None  # the service checks the bot is in the server first
        channel = await self._new_temp_channel(guild, room.title, await category_for(self.bot, guild))
        return channel.id

    async def delete_temp_channel(self, room: Room) -> None:
        """Remove the room's temporary channel."""
        await _delete_channel(self._temp_channel(room))

    # -- the announcement and DMs ---------------------------------------------------------------
    async def announce(self, room: Room, channel_id: int | None, role_id: int | None) -> tuple[int, int] | str:
        """Post the announcement, pinging only the interest's role: ``(channel id, message id)`` or a warning."""
        guild = self.bot.get_guild(room.guild_id)
        channel = guild.get_channel(channel_id) if guild is not None and channel_id else None
        if guild is None or not isinstance(channel, discord.TextChannel):
            return _("I couldn't post an announcement: a moderator can choose one with `/config rooms-channel`.")
        role = guild.get_role(role_id) if role_id else None
        with using_locale(server_locale(guild)):
            if role is not None:
                # Ping the interest's own role and nothing else; the title and description sit in
                # the embed, where no mention can fire.
                content = _("{role}: a new **{interest}** room.").format(role=role.mention, interest=room.interest_name)
                mentions = discord.AllowedMentions(everyone=False, users=False, roles=[role], replied_user=False)
            else:
                content, mentions = _("A new **{interest}** room.").format(interest=room.interest_name), NO_PINGS
            embed, view = announcement_embed(room), rsvp_view(room.id)
        try:
            message = await channel.send(content, embed=embed, view=view, allowed_mentions=mentions)
        except discord.HTTPException:
            log.exception("could not announce room %s in channel %s", room.id, channel.id)
            return _("I couldn't post the announcement in {channel}; a moderator can check my permissions.").format(
                channel=channel.mention
            )
        return channel.id, message.id

    async def refresh_announcement(self, room: Room) -> None:
        """Redraw the announcement; finished rooms lose their buttons."""
        if room.announce_channel_id is None or room.announce_message_id is None:
            return
        channel = self.bot.get_channel(room.announce_channel_id)
        if not isinstance(channel, discord.TextChannel):
            return
        with using_locale(server_locale(channel.guild)):
            embed, view = announcement_embed(room), rsvp_view(room.id) if room.is_open else None
        try:
            await channel.get_partial_message(room.announce_message_id).edit(
                embed=embed, view=view, allowed_mentions=NO_PINGS
            )
        except discord.HTTPException:
            log.warning("could not update the announcement of room %s", room.id, exc_info=True)

    async def dm(self, user_id: int, content: str) -> bool:
        """A plain DM; whether it was delivered."""
        return await send_dm(self.bot, user_id, content=content) is not None

    async def dm_reminder(self, user_id: int, room: Room, lead: str) -> None:
        """The reminder DM for one lead time, with its opt-out button (in the current locale: the recipient's)."""
        await send_dm(self.bot, user_id, content=reminder_text(room, lead), view=reminder_view(room.id))

    async def dm_new_room(self, user_id: int, room: Room) -> None:
        """Tell a follower of the interest about a new room, with the RSVP buttons (in the recipient's locale)."""
        guild = self.bot.get_guild(room.guild_id)
        name = discord.utils.escape_markdown(guild.name) if guild is not None else _("the server")
        await send_dm(
            self.bot,
            user_id,
            content=_("A new **{interest}** room in {server}. You asked to hear about these.").format(
                interest=room.interest_name, server=name
            ),
            embed=announcement_embed(room),
            view=rsvp_view(room.id),
        )


async def _delete_channel(channel: discord.abc.GuildChannel | None) -> None:
    if channel is None:
        return
    try:
        await channel.delete(reason="Temporary room finished")
    except discord.NotFound:
        pass
    except discord.HTTPException:
        log.exception("could not delete temporary channel %s", channel.id)
