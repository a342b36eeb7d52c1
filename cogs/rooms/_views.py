"""Buttons for rooms. RSVP and reminder buttons are DynamicItems, so old messages work after a restart."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import KindView, run_guarded

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.rooms.service import RoomService

__all__ = ["ConfirmView", "MuteButton", "RsvpButton", "reminder_view", "rsvp_view"]

log = logging.getLogger(__name__)


def _rooms(interaction: discord.Interaction) -> RoomService:
    bot: KindredBot = interaction.client  # type: ignore[assignment]  # our client is always a KindredBot
    rooms = bot.features.rooms
    if rooms is None:
        raise RuntimeError("rooms feature not loaded")
    return rooms


async def _answer(interaction: discord.Interaction, room_id: int, going: bool) -> None:
    text = await _rooms(interaction).answer(room_id, interaction.user.id, going)
    await interaction.response.send_message(text, ephemeral=True)


async def _mute(interaction: discord.Interaction, room_id: int) -> None:
    text = await _rooms(interaction).mute(room_id, interaction.user.id)
    await interaction.response.send_message(text, ephemeral=True)


class RsvpButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"room:rsvp:(?P<room_id>\d+):(?P<answer>yes|no)"
):
    """**RSVP** / **Can't make it** on an announcement or notice DM."""

    def __init__(self, room_id: int, answer: str) -> None:
        going = answer == "yes"
        super().__init__(
            discord.ui.Button(
                label="RSVP" if going else "Can't make it",
                style=discord.ButtonStyle.success if going else discord.ButtonStyle.secondary,
                custom_id=f"room:rsvp:{room_id}:{answer}",
            )
        )
        self.room_id = room_id
        self.going = going

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RsvpButton:
        """Rebuild the button from its custom id (this is what survives restarts)."""
        return cls(int(match["room_id"]), match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the answer and confirm privately."""
        await run_guarded(interaction, lambda: _answer(interaction, self.room_id, self.going))


class MuteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"room:mute:(?P<room_id>\d+)"):
    """ "No more reminders for this room" on a reminder DM."""

    def __init__(self, room_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="No more reminders for this room",
                style=discord.ButtonStyle.secondary,
                custom_id=f"room:mute:{room_id}",
            )
        )
        self.room_id = room_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> MuteButton:
        """Rebuild the button from its custom id."""
        return cls(int(match["room_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Turn this member's reminders for the room off."""
        await run_guarded(interaction, lambda: _mute(interaction, self.room_id))


def rsvp_view(room_id: int) -> discord.ui.View:
    """The RSVP / Can't make it row for an announcement or notice."""
    view = discord.ui.View(timeout=None)
    view.add_item(RsvpButton(room_id, "yes"))
    view.add_item(RsvpButton(room_id, "no"))
    return view


def reminder_view(room_id: int) -> discord.ui.View:
    """The opt-out button on a reminder DM."""
    view = discord.ui.View(timeout=None)
    view.add_item(MuteButton(room_id))
    return view


class ConfirmView(KindView):
    """Confirm or keep, for a host about to cancel. Only the host can press it."""

    def __init__(self, user_id: int, confirm_label: str, on_confirm: Callable[[discord.Interaction], Awaitable[None]]):
        super().__init__(timeout=300)
        self._user_id = user_id
        self._on_confirm = on_confirm
        self.confirm.label = confirm_label

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the member who asked may answer."""
        return interaction.user.id == self._user_id

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        """Go ahead."""
        self.stop()
        await self._on_confirm(interaction)

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        """Change of mind: nothing happens."""
        self.stop()
        await interaction.response.edit_message(content="Nothing changed; the room is still on.", view=None)
