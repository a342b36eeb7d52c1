"""The Discord side of the service board: the card, DMs and the public thank-you.

Implements :class:`bot.service.ports.ServiceDiscord` for :class:`bot.service.board.ServiceBoard`,
which decides what happens and when. The card, its buttons and the public thank-you are read by the whole
server, so they are written in the server's language (:func:`cogs._gatherings.server_locale`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.errors import KindredError
from bot.i18n import _, using_locale
from bot.messaging import NO_PINGS, send_dm
from bot.service import Opportunity, board_card, public_thanks
from bot.service.ports import CardNotPosted
from bot.service.upkeep import NO_BOARD
from cogs._gatherings import GatheringSteps, server_locale
from cogs.service._views import board_view, card_embed, reminder_view

if TYPE_CHECKING:
    pass

__all__ = ["DiscordService"]

log = logging.getLogger(__name__)


class DiscordService(GatheringSteps):
    """Service board steps on Discord, through the bot's gateway cache and REST client."""

    async def post_card(self, opp: Opportunity, channel_id: int | None) -> tuple[int, int, str]:
        """Post the card: ``(channel id, message id, link)``; no board is a :class:`KindredError`."""
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise KindredError(_(NO_BOARD))
        embed, view = self._card(opp)
        try:
            message = await channel.send(embed=embed, view=view, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            raise CardNotPosted(f"Discord refused the card of opportunity {opp.id}") from exc
        return channel.id, message.id, message.jump_url

    async def refresh_card(self, opp: Opportunity) -> None:
        """Redraw the card after sign-ups or details change. Failures are logged, not raised."""
        if opp.channel_id is None or opp.message_id is None:
            return
        message = self.bot.get_partial_messageable(opp.channel_id).get_partial_message(opp.message_id)
        embed, view = self._card(opp)
        try:
            await message.edit(embed=embed, view=view)
        except discord.HTTPException:
            log.exception("could not refresh the card for opportunity %s", opp.id)

    def _card(self, opp: Opportunity) -> tuple[discord.Embed, discord.ui.View]:
        """The card and its buttons, in the server's language."""
        with using_locale(server_locale(self.bot.get_guild(opp.guild_id))):
            return card_embed(board_card(opp)), board_view(opp)

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
        with using_locale(server_locale(self.bot.get_guild(opp.guild_id))):
            text = public_thanks(opp, served)
        try:
            await self.bot.get_partial_messageable(opp.channel_id).send(text, allowed_mentions=mentions)
        except discord.HTTPException:
            log.exception("could not post the public thank-you for %s", opp.id)
