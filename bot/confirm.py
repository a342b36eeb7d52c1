"""Confirm-or-keep buttons before something that can't be undone or that another member will notice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.errors import KindView
from bot.i18n import _

__all__ = ["ConfirmView"]

OnConfirm = Callable[[discord.Interaction[Any]], Awaitable[None]]


class ConfirmView(KindView):
    """Two buttons, a red confirm and a grey keep; only the member who asked can press them.

    ``on_confirm`` does the work and answers the click; keeping changes nothing and says so with
    ``kept_text``. Left out, the keep button's words are the defaults in the current locale (the view is
    built in the member's interaction, so it speaks their language).
    """

    def __init__(
        self,
        owner_id: int,
        confirm_label: str,
        on_confirm: OnConfirm,
        *,
        keep_label: str | None = None,
        kept_text: str | None = None,
    ) -> None:
        super().__init__(timeout=300)
        self.owner_id = owner_id
        self._on_confirm = on_confirm
        self._kept_text = _("Okay, nothing changed.") if kept_text is None else kept_text
        self.confirm.label = confirm_label
        self.keep.label = _("Keep things as they are") if keep_label is None else keep_label

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Only the member who asked may answer."""
        return await super().interaction_check(interaction) and interaction.user.id == self.owner_id

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        """Go ahead."""
        self.stop()
        await self._on_confirm(interaction)

    @discord.ui.button(label="Keep", style=discord.ButtonStyle.secondary)
    async def keep(self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]) -> None:
        """Change nothing."""
        self.stop()
        await interaction.response.edit_message(content=self._kept_text, view=None)
