"""Buttons and selects for service opportunities.

The board buttons and the reminder opt-out are :class:`discord.ui.DynamicItem` subclasses whose
custom ids carry the opportunity id, so a click on a months-old message still routes here after
any number of restarts. Their callbacks catch every error themselves: discord.py only logs what a
dynamic item raises, and a member must never be left with a silent "interaction failed".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.errors import KindView, reply_ephemeral, run_guarded
from bot.service import Card, Opportunity, board_card
from bot.service.ports import Reply

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.service.board import ServiceBoard

__all__ = [
    "CancelConfirmView",
    "CompleteView",
    "StopRemindersButton",
    "VolunteerButton",
    "WithdrawButton",
    "board_view",
    "card_embed",
    "complete_answer",
    "private_reply",
    "reminder_view",
]

log = logging.getLogger(__name__)


def card_embed(card: Card) -> discord.Embed:
    """The board card as a Discord embed."""
    colour = discord.Colour.green() if card.open else discord.Colour.light_grey()
    embed = discord.Embed(title=card.title, description=card.description, colour=colour)
    for name, value in card.fields:
        embed.add_field(name=name, value=value, inline=name != "Volunteers")
    embed.set_footer(text=card.footer)
    return embed


def board_view(opp: Opportunity) -> discord.ui.View:
    """Volunteer/Withdraw buttons for a card; disabled once the opportunity has closed."""
    closed = not board_card(opp).open
    view = discord.ui.View(timeout=None)
    view.add_item(VolunteerButton(opp.id, disabled=closed))
    view.add_item(WithdrawButton(opp.id, disabled=closed))
    return view


def reminder_view(opp_id: int) -> discord.ui.View:
    """The one-click opt-out attached to reminders and the join confirmation."""
    view = discord.ui.View(timeout=None)
    view.add_item(StopRemindersButton(opp_id))
    return view


def _board(interaction: discord.Interaction) -> ServiceBoard:
    board = cast("KindredBot", interaction.client).features.service
    if board is None:
        raise RuntimeError("service feature not loaded")
    return board


def private_reply(interaction: discord.Interaction, opp_id: int) -> Reply:
    """Answers the member privately, with the opportunity's "Stop reminders" button when asked."""

    async def reply(text: str, stop_button: bool) -> None:
        await reply_ephemeral(interaction, text, view=reminder_view(opp_id) if stop_button else None)

    return reply


def complete_answer(interaction: discord.Interaction) -> Callable[[str], Awaitable[None]]:
    """Answers a completion: in place of the private "who came?" message, or as a new private reply."""

    async def answer(text: str) -> None:
        if interaction.response.is_done():
            await reply_ephemeral(interaction, text)
        elif interaction.message is not None and interaction.message.flags.ephemeral:
            await interaction.response.edit_message(content=text, view=None)
        else:
            await reply_ephemeral(interaction, text)

    return answer


class VolunteerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"service:vol:(?P<opp_id>\d+)"):
    """Take a slot (or a waitlist place) on the opportunity named in the custom id."""

    def __init__(self, opp_id: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Volunteer",
                style=discord.ButtonStyle.success,
                custom_id=f"service:vol:{opp_id}",
                disabled=disabled,
            )
        )
        self.opp_id = opp_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VolunteerButton:
        """Rebuild from a click, e.g. after a restart."""
        return cls(int(match["opp_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Sign the clicking member up."""
        await run_guarded(
            interaction,
            lambda: _board(interaction).join(
                self.opp_id, interaction.guild_id, interaction.user.id, private_reply(interaction, self.opp_id)
            ),
        )


class WithdrawButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"service:wd:(?P<opp_id>\d+)"):
    """Give up a slot or waitlist place."""

    def __init__(self, opp_id: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Withdraw",
                style=discord.ButtonStyle.secondary,
                custom_id=f"service:wd:{opp_id}",
                disabled=disabled,
            )
        )
        self.opp_id = opp_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WithdrawButton:
        """Rebuild from a click, e.g. after a restart."""
        return cls(int(match["opp_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Withdraw the clicking member."""
        await run_guarded(
            interaction,
            lambda: _board(interaction).withdraw(
                self.opp_id, interaction.guild_id, interaction.user.id, private_reply(interaction, self.opp_id)
            ),
        )


class StopRemindersButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"service:mute:(?P<opp_id>\d+)"):
    """Turn reminders off for one opportunity, for whoever clicks (works in DMs)."""

    def __init__(self, opp_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Stop reminders for this",
                style=discord.ButtonStyle.secondary,
                custom_id=f"service:mute:{opp_id}",
            )
        )
        self.opp_id = opp_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StopRemindersButton:
        """Rebuild from a click, e.g. after a restart."""
        return cls(int(match["opp_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the opt-out and drop the pending reminders."""
        await run_guarded(
            interaction,
            lambda: _board(interaction).stop_reminders(
                self.opp_id, interaction.user.id, private_reply(interaction, self.opp_id)
            ),
        )


class CompleteView(KindView):
    """Who showed up? Volunteers are pre-selected; the organiser unticks anyone who couldn't come."""

    def __init__(self, opp: Opportunity, names: dict[int, str], *, thank_publicly: bool, author_id: int) -> None:
        super().__init__(timeout=900)
        self.opp = opp
        self.thank_publicly = thank_publicly
        self.author_id = author_id
        self.chosen: dict[int, set[int]] = {}
        volunteers = list(opp.volunteers)
        # A select holds at most 25 options; 50 slots need two.
        for index, start in enumerate(range(0, len(volunteers), 25)):
            chunk = volunteers[start : start + 25]
            self.chosen[index] = set(chunk)
            self.add_item(_WhoCameSelect(self, opp.id, index, [(uid, names.get(uid, str(uid))) for uid in chunk]))
        done: discord.ui.Button[CompleteView] = discord.ui.Button(
            label="Confirm and send thank-yous", style=discord.ButtonStyle.success
        )
        done.callback = self._confirm  # type: ignore[method-assign]
        self.add_item(done)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the organiser who opened this can use it."""
        return interaction.user.id == self.author_id

    async def _confirm(self, interaction: discord.Interaction) -> None:
        served = [uid for uid in self.opp.volunteers if any(uid in s for s in self.chosen.values())]
        self.stop()
        await _board(interaction).complete(
            self.opp.id, served, thank_publicly=self.thank_publicly, answer=complete_answer(interaction)
        )


class _WhoCameSelect(discord.ui.Select[CompleteView]):
    """Up to 25 volunteers, all ticked to start with."""

    def __init__(self, parent: CompleteView, opp_id: int, index: int, people: list[tuple[int, str]]) -> None:
        super().__init__(
            placeholder="Who showed up?",
            min_values=0,
            max_values=len(people),
            custom_id=f"service:complete:{opp_id}:{index}",
            options=[discord.SelectOption(label=name[:100], value=str(uid), default=True) for uid, name in people],
        )
        self.owner = parent
        self.index = index

    async def callback(self, interaction: discord.Interaction) -> None:
        """Remember the choice; nothing is saved until the organiser confirms."""
        self.owner.chosen[self.index] = {int(v) for v in self.values}
        await interaction.response.defer()


class CancelConfirmView(KindView):
    """A confirmation before cancelling: destructive steps are never one click."""

    def __init__(self, opp_id: int, reason: str | None, *, author_id: int) -> None:
        super().__init__(timeout=300)
        self.opp_id = opp_id
        self.reason = reason
        self.author_id = author_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the person who asked can confirm."""
        return interaction.user.id == self.author_id

    @discord.ui.button(label="Yes, cancel it", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[CancelConfirmView]) -> None:
        """Cancel and tell the volunteers."""
        self.stop()
        await _board(interaction).cancel(self.opp_id, self.reason, interaction.user.id, _edit_answer(interaction))

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: discord.Interaction, button: discord.ui.Button[CancelConfirmView]) -> None:
        """Leave it as it is."""
        self.stop()
        await interaction.response.edit_message(content="Okay, nothing changed.", view=None)


def _edit_answer(interaction: discord.Interaction) -> Callable[[str], Awaitable[None]]:
    async def answer(text: str) -> None:
        await interaction.response.edit_message(content=text, view=None)

    return answer
