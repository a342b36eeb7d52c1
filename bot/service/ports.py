"""What the service board needs from Discord, as a typed protocol the Discord side implements.

The board decides what happens and when; these calls do the Discord part (the card, DMs, the
public thank-you) and report back plain ids and flags.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.service._models import Opportunity

__all__ = ["CardNotPosted", "Reply", "ServiceDiscord"]

# Answers the member who acted, privately; the flag adds the "Stop reminders" button for the opportunity.
Reply = Callable[[str, bool], Awaitable[None]]


class CardNotPosted(Exception):
    """Discord refused the board card (the cause is chained)."""


class ServiceDiscord(Protocol):
    """The Discord-facing steps of the service board."""

    def has_guild(self, guild_id: int) -> bool:
        """Whether the bot is still in the server."""
        ...

    async def post_card(self, opp: Opportunity, channel_id: int | None) -> tuple[int, int, str]:
        """Post the card: ``(channel id, message id, link)``.

        Raises :class:`~bot.errors.KindredError` when there is no board, :class:`CardNotPosted` when Discord refuses.
        """
        ...

    async def refresh_card(self, opp: Opportunity) -> None:
        """Redraw the card after sign-ups or details change; failures are logged."""
        ...

    async def dm(self, user_id: int, content: str, *, stop_button_for: int | None = None) -> None:
        """A DM, with the "Stop reminders" button for that opportunity if asked."""
        ...

    async def thank_in_public(self, opp: Opportunity, served: list[int]) -> None:
        """A short thank-you on the board naming the helpers; only they are pinged."""
        ...
