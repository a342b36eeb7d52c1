"""Buttons and selects for buddy pairing.

The DM buttons ("Skip this round", "Did you connect?") are :class:`discord.ui.DynamicItem`s whose
custom ids carry everything they need, so they keep working on old messages after a restart.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.buddies import text
from bot.errors import KindredError, KindView
from bot.i18n import N_, _, ngettext
from bot.messaging import NO_PINGS
from cogs._buttons import PersistentButton

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = [
    "AvoidListView",
    "ConnectButton",
    "SkipRoundButton",
    "connect_view",
    "skip_view",
]

log = logging.getLogger(__name__)

# English labels, marked for the catalogue; translated when a button is built or an answer shown.
_CONNECT_LABELS = {"yes": N_("Yes"), "not_yet": N_("Not yet"), "no": N_("Not this time")}


def _bot(interaction: discord.Interaction[Any]) -> KindredBot:
    return cast("KindredBot", interaction.client)


class SkipRoundButton(PersistentButton, template=r"buddy:skip:(?P<guild_id>\d+):(?P<ts>\d+)"):
    """In the day-before nudge: sit out the coming round only."""

    def __init__(self, guild_id: int, ts: int) -> None:
        super().__init__(f"buddy:skip:{guild_id}:{ts}", _(text.SKIP_LABEL), discord.ButtonStyle.secondary)
        self.guild_id = guild_id
        self.ts = ts

    async def press(self, interaction: discord.Interaction[Any]) -> None:
        """Record the skip for that one round."""
        bot = _bot(interaction)
        round_at = datetime.fromtimestamp(self.ts, tz=UTC)
        if round_at <= bot.clock.now():
            raise KindredError(_("That round has already started, so there's nothing to skip. See you next time."))
        if not await bot.store.buddies.skip_round(self.guild_id, interaction.user.id, round_at, now=bot.clock.now()):
            raise KindredError(_("You're not in buddy pairing in that server any more, so there's nothing to skip."))
        await interaction.response.edit_message(
            content=_("You're sitting this round out. No problem at all: you'll be back in the one after."),
            view=None,
        )


class ConnectButton(PersistentButton, template=r"buddy:connect:(?P<group_id>\d+):(?P<answer>yes|not_yet|no)"):
    """One answer to the halfway "Did you connect?"."""

    def __init__(self, group_id: int, answer: str) -> None:
        style = discord.ButtonStyle.success if answer == "yes" else discord.ButtonStyle.secondary
        super().__init__(f"buddy:connect:{group_id}:{answer}", _(_CONNECT_LABELS[answer]), style)
        self.group_id = group_id
        self.answer = answer

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> ConnectButton:
        """The button from its custom id."""
        return cls(int(match["group_id"]), match["answer"])

    async def press(self, interaction: discord.Interaction[Any]) -> None:
        """Save the answer and thank the member."""
        bot = _bot(interaction)
        if not await bot.store.buddies.rounds.record_connect(
            self.group_id, interaction.user.id, self.answer, now=bot.clock.now()
        ):
            raise KindredError(_("I couldn't find that buddy round for you any more. Thanks all the same!"))
        await interaction.response.edit_message(
            content=f"{text.connect_prompt()}\n\n**{_(_CONNECT_LABELS[self.answer])}.** "
            f"{text.connect_answer_reply(self.answer)}",
            view=None,
        )


def skip_view(guild_id: int, round_at: datetime) -> discord.ui.View:
    """The nudge's view: one persistent "Skip this round" button."""
    view = discord.ui.View(timeout=None)
    view.add_item(SkipRoundButton(guild_id, int(round_at.timestamp())))
    return view


def connect_view(group_id: int) -> discord.ui.View:
    """The halfway question's three persistent answers."""
    view = discord.ui.View(timeout=None)
    for answer in ("yes", "not_yet", "no"):
        view.add_item(ConnectButton(group_id, answer))
    return view


class AvoidListView(KindView):
    """The member's own do-not-pair list, with a select to take people off it."""

    def __init__(self, owner_id: int, guild_id: int, entries: list[tuple[int, str]]) -> None:
        super().__init__(timeout=600)
        self.owner_id = owner_id
        self.guild_id = guild_id
        options = [discord.SelectOption(label=name[:100], value=str(uid)) for uid, name in entries[:25]]
        self.remove: discord.ui.Select[AvoidListView] = discord.ui.Select(
            placeholder=_("Take someone off your list…"), min_values=1, max_values=len(options), options=options
        )
        self.remove.callback = self._remove  # type: ignore[method-assign]
        self.add_item(self.remove)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Only the list's owner can change it."""
        return await super().interaction_check(interaction) and interaction.user.id == self.owner_id

    async def _remove(self, interaction: discord.Interaction[Any]) -> None:
        """Remove the chosen members from the list."""
        bot = _bot(interaction)
        for value in self.remove.values:
            await bot.store.buddies.unavoid(self.guild_id, self.owner_id, int(value))
        self.stop()
        await interaction.response.edit_message(
            content=ngettext(
                "Done: taken {n} off your do-not-pair list. Nobody is told.",
                "Done: taken {n} off your do-not-pair list. Nobody is told.",
                len(self.remove.values),
            ).format(n=len(self.remove.values)),
            view=None,
            allowed_mentions=NO_PINGS,
        )
