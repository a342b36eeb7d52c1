"""What the room service needs from Discord, as a typed protocol the Discord side implements.

The service decides *what* happens and *when*; these calls do the Discord part (events, channels,
the announcement, DMs) and report back plain ids and flags. Every call that can fail on Discord
logs its failure and carries on unless its docstring says it raises.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from bot.store.rooms import Room, RoomSeries

__all__ = ["EventStatus", "RoomDiscord"]

EventStatus = Literal["active", "completed"]


class RoomDiscord(Protocol):
    """The Discord-facing steps of a room's life."""

    def has_guild(self, guild_id: int) -> bool:
        """Whether the bot is still in the server."""
        ...

    def is_member(self, guild_id: int, user_id: int) -> bool:
        """Whether the user is (still) a member of the server."""
        ...

    def has_role(self, guild_id: int, role_id: int) -> bool:
        """Whether the role still exists in the server."""
        ...

    def occupants(self, room: Room) -> list[int]:
        """People (not bots) in the room's voice channel right now."""
        ...

    def temp_channel_exists(self, room: Room) -> bool:
        """Whether the room's temporary channel is still there."""
        ...

    async def create_event(
        self, guild_id: int, series: RoomSeries, start: datetime, end: datetime, *, open_now: bool
    ) -> tuple[int, int | None]:
        """Create the native event (and the temporary channel when ``open_now``): ``(event id, temp channel id)``.

        Raises :class:`~bot.errors.KindredError` with the reason when Discord refuses.
        """
        ...

    async def create_temp_channel(self, room: Room) -> int:
        """Create the room's temporary voice channel; raises :class:`~bot.errors.KindredError` if refused."""
        ...

    async def move_event_into(self, room: Room, channel_id: int) -> None:
        """Turn the native event into a voice event in the channel."""
        ...

    async def edit_event(
        self, room: Room, *, title: str, description: str | None, start: datetime, end: datetime
    ) -> None:
        """Change the native event; raises :class:`~bot.errors.KindredError` if the bot may not."""
        ...

    async def mark_event(self, room: Room, status: EventStatus) -> None:
        """Move the native event to ``status`` if it still exists and can make that move."""
        ...

    async def delete_event(self, room: Room) -> None:
        """Remove the native event (a cancelled room)."""
        ...

    async def delete_temp_channel(self, room: Room) -> None:
        """Remove the room's temporary channel."""
        ...

    async def interested_users(self, room: Room) -> list[int]:
        """Who marked the native event "Interested" (as far as Discord could tell us)."""
        ...

    async def announce(self, room: Room, channel_id: int | None, role_id: int | None) -> tuple[int, int] | str:
        """Post the announcement (pinging only ``role_id``): ``(channel id, message id)``, or a warning for the host."""
        ...

    async def refresh_announcement(self, room: Room) -> None:
        """Redraw the announcement; finished rooms lose their buttons."""
        ...

    async def dm(self, user_id: int, content: str) -> bool:
        """A plain DM; whether it was delivered."""
        ...

    async def dm_reminder(self, user_id: int, room: Room, lead: str) -> None:
        """The reminder DM for one lead time, with its opt-out button."""
        ...

    async def dm_new_room(self, user_id: int, room: Room) -> None:
        """Tell a follower of the interest about a new room, with the RSVP buttons."""
        ...
