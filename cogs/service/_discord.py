"""The Discord side of the service board: the card, DMs and the public thank-you.

Implements :class:`bot.service.ports.ServiceDiscord` for :class:`bot.service.board.ServiceBoard`,
which decides what happens and when.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.errors import KindredError
from bot.messaging import NO_PINGS, send_dm
from bot.service import Opportunity, board_card, public_thanks
from bot.service.ports import CardNotPosted
from bot.service.upkeep import NO_BOARD
from cogs.service._views import board_view, card_embed, reminder_view

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["DiscordService"]

log = logging.getLogger(__name__)


class DiscordService:
    """Service board steps on Discord, through the bot's gateway cache and REST client."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    def has_guild(self, guild_id: int) -> bool:
        """Whether the bot is still in the server; :class:`bot.shards.NotOwned` for another process's server."""
        self.bot.ownership.require(guild_id)  # only an owned server missing from the cache was removed
        return self.bot.get_guild(guild_id) is not None

    async def post_card(self, opp: Opportunity, channel_id: int | None) -> tuple[int, int, str]:
        """Post the card: ``(channel id, message id, link)``; no board is a :class:`KindredError`."""
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise KindredError(NO_BOARD)
        try:
            message = await channel.send(
                embed=card_embed(board_card(opp)), view=board_view(opp), allowed_mentions=NO_PINGS
            )
        except discord.HTTPException as exc:
            raise CardNotPosted(f"Discord refused the card of opportunity {opp.id}") from exc
        return channel.id, message.id, message.jump_url

    async def refresh_card(self, opp: Opportunity) -> None:
        """Redraw the card after sign-ups or details change. Failures are logged, not raised."""
        if opp.channel_id is None or opp.message_id is None:
            return
        message = self.bot.get_partial_messageable(opp.channel_id).get_partial_message(opp.message_id)
        try:
            await message.edit(embed=card_embed(board_card(opp)), view=board_view(opp))
        except discord.HTTPException:
            log.exception("could not refresh the card for opportunity %s", opp.id)

    async def dm(self, user_id: int, content: str, *, stop_button_for: int | None = None) -> None:
        """A DM, with the "Stop reminders" button for that opportunity if asked."""
        if stop_button_for is None:
            await send_dm(self.bot, user_id, content=content)
        else:
            await send_dm(self.bot, user_id, content=content, view=reminder_view(stop_button_for))

    async def thank_in_public(self, opp: Opportunity, served: list[int]) -> None:
        """A short thank-you on the board naming the helpers; only they are pinged."""
        if opp.channel_id is None:
            return
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, replied_user=False, users=[discord.Object(uid) for uid in served]
        )
        try:
            await self.bot.get_partial_messageable(opp.channel_id).send(
                public_thanks(opp, served), allowed_mentions=mentions
            )
        except discord.HTTPException:
            log.exception("could not post the public thank-you for %s", opp.id)
