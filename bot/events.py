"""Custom bot events that let features talk without importing each other.

Dispatch with ``bot.dispatch("member_text", MemberText(...))``; listen with
``@commands.Cog.listener() async def on_member_text(self, text: MemberText)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ConfigChange", "MemberText"]


@dataclass(frozen=True, slots=True)
class MemberText:
    """Text a member wrote that crisis detection should read (a check-in note, a modal field).

    Channel and DM messages are scanned directly from ``on_message``; this event carries text that
    never appears as a message. ``source`` says where it came from, for logs only.
    """

    user_id: int
    guild_id: int | None
    channel_id: int | None
    text: str
    source: Literal["checkin_note", "other"] = "other"


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """A moderator changed a server setting: dispatched as ``guild_config_changed``."""

    guild_id: int
    key: str
    old: object
    new: object
    moderator_id: int
