"""Buttons and selects for service opportunities.

The board buttons and the reminder opt-out are one :class:`discord.ui.DynamicItem` whose custom
ids carry the action and the opportunity id, so a click on a months-old message still routes here
after any number of restarts. Its callback catches every error itself: discord.py only logs what a
dynamic item raises, and a member must never be left with a silent "interaction failed".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, cast

import discord

from bot.confirm import ConfirmView
from bot.errors import KindView, reply_ephemeral
from bot.i18n import N_, _
from bot.service import Card, Opportunity, board_card
from bot.service.ports import Reply
from cogs._gatherings import FacedButton

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.service.board import ServiceBoard

__all__ = [
    "CompleteView",
    "OpportunityButton",
    "board_view",
    "cancel_confirm_view",
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
        embed.add_field(name=name, value=value, inline=name != card.wide)
    embed.set_footer(text=card.footer)
    return embed


def board_view(opp: Opportunity) -> discord.ui.View:
    """Volunteer/Withdraw buttons for a card; disabled once the opportunity has closed."""
    closed = not board_card(opp).open
    view = discord.ui.View(timeout=None)
    view.add_item(OpportunityButton("vol", opp.id, disabled=closed))
    view.add_item(OpportunityButton("wd", opp.id, disabled=closed))
    return view


def reminder_view(opp_id: int) -> discord.ui.View:
    """The one-click opt-out attached to reminders and the join confirmation."""
    view = discord.ui.View(timeout=None)
    view.add_item(OpportunityButton("mute", opp_id))
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


class OpportunityButton(FacedButton, template=r"service:(?P<action>vol|wd|mute):(?P<opp_id>\d+)"):
    """**Volunteer** / **Withdraw** on a card, or "Stop reminders" (works in DMs), for the opportunity in the custom id."""

    # Each button's face, by the action its custom id carries.
    FACES: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {
        "vol": (N_("Volunteer"), discord.ButtonStyle.success),
        "wd": (N_("Withdraw"), discord.ButtonStyle.secondary),
        "mute": (N_("Stop reminders for this"), discord.ButtonStyle.secondary),
    }

    def __init__(self, action: str, opp_id: int, *, disabled: bool = False) -> None:
        super().__init__(f"service:{action}:{opp_id}", action, disabled=disabled)
        self.opp_id = opp_id

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> OpportunityButton:
        """The button from a click's custom id, e.g. after a restart."""
        return cls(match["action"], int(match["opp_id"]))

    async def press(self, interaction: discord.Interaction) -> None:
        """Sign the clicking member up, withdraw them, or record their opt-out from reminders."""
        board, reply, user_id = _board(interaction), private_reply(interaction, self.opp_id), interaction.user.id
        if self.action == "vol":
            await board.join(self.opp_id, interaction.guild_id, user_id, reply)
        elif self.action == "wd":
            await board.withdraw(self.opp_id, interaction.guild_id, user_id, reply)
        else:
            await board.stop_reminders(self.opp_id, user_id, reply)


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
            label=_("Confirm and send thank-yous"), style=discord.ButtonStyle.success
        )
        done.callback = self._confirm  # type: ignore[method-assign]
        self.add_item(done)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the organiser who opened this can use it."""
        return await super().interaction_check(interaction) and interaction.user.id == self.author_id

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
            placeholder=_("Who showed up?"),
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


def cancel_confirm_view(opp_id: int, reason: str | None, *, author_id: int, whole_series: bool = False) -> ConfirmView:
    """A confirmation before cancelling: destructive steps are never one click."""

    async def cancel(press: discord.Interaction) -> None:
        # Cancel and tell the volunteers, answering in place of the question.
        await _board(press).cancel(opp_id, reason, press.user.id, _edit_answer(press), whole_series=whole_series)

    return ConfirmView(
        author_id, _("Yes, cancel it"), cancel, keep_label=_("Keep it"), kept_text=_("Okay, nothing changed.")
    )


def _edit_answer(interaction: discord.Interaction) -> Callable[[str], Awaitable[None]]:
    async def answer(text: str) -> None:
        await interaction.response.edit_message(content=text, view=None)

    return answer
