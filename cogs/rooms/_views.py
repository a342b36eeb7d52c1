"""Buttons for rooms. RSVP and reminder buttons are one DynamicItem, so old messages work after a restart."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, ClassVar

import discord

from bot.i18n import N_
from cogs._gatherings import FacedButton

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.rooms.service import RoomService

__all__ = ["RoomButton", "reminder_view", "rsvp_view"]

log = logging.getLogger(__name__)


def _rooms(interaction: discord.Interaction) -> RoomService:
    bot: KindredBot = interaction.client  # type: ignore[assignment]  # our client is always a KindredBot
    rooms = bot.features.rooms
    if rooms is None:
        raise RuntimeError("rooms feature not loaded")
    return rooms


class RoomButton(FacedButton, template=r"room:(?:rsvp:(?P<room_id>\d+):(?P<answer>yes|no)|mute:(?P<mute_id>\d+))"):
    """**RSVP** / **Can't make it** on an announcement or notice, or "No more reminders" on a reminder DM."""

    # What each press does: (label, style) by the custom id's answer ("yes"/"no" RSVPs, "mute" the opt-out).
    FACES: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "yes": (N_("RSVP"), discord.ButtonStyle.success),
        "no": (N_("Can't make it"), discord.ButtonStyle.secondary),
        "mute": (N_("No more reminders for this room"), discord.ButtonStyle.secondary),
    }

    def __init__(self, room_id: int, answer: str) -> None:
        custom_id = f"room:mute:{room_id}" if answer == "mute" else f"room:rsvp:{room_id}:{answer}"
        super().__init__(custom_id, answer)
        self.room_id = room_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> RoomButton:
        """The button from its custom id (this is what survives restarts)."""
        if match["mute_id"] is not None:
            return cls(int(match["mute_id"]), "mute")
        return cls(int(match["room_id"]), match["answer"])

    async def press(self, interaction: discord.Interaction) -> None:
        """Record the answer (or the opt-out) and confirm privately."""
        rooms, user_id = _rooms(interaction), interaction.user.id
        if self.action == "mute":
            text = await rooms.mute(self.room_id, user_id)
        else:
            text = await rooms.answer(self.room_id, user_id, self.action == "yes")
        await interaction.response.send_message(text, ephemeral=True)


def rsvp_view(room_id: int) -> discord.ui.View:
    """The RSVP / Can't make it row for an announcement or notice."""
    view = discord.ui.View(timeout=None)
    view.add_item(RoomButton(room_id, "yes"))
    view.add_item(RoomButton(room_id, "no"))
    return view


def reminder_view(room_id: int) -> discord.ui.View:
    """The opt-out button on a reminder DM."""
    view = discord.ui.View(timeout=None)
    view.add_item(RoomButton(room_id, "mute"))
    return view
