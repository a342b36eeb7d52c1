"""The confirmation step before ``/privacy delete`` erases anything."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.errors import KindView

if TYPE_CHECKING:
    from bot.client import KindredBot

__all__ = ["ConfirmErase"]

EraseCallback = Callable[[discord.Interaction["KindredBot"]], Awaitable[None]]


class ConfirmErase(KindView):
    """Two buttons: erase everything, or keep it. Only the member who asked can press them."""

    def __init__(self, user_id: int, on_confirm: EraseCallback) -> None:
        super().__init__(timeout=300)
        self.user_id = user_id
        self._on_confirm = on_confirm

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Nobody but the member themselves can confirm their erasure."""
        return interaction.user.id == self.user_id

    @discord.ui.button(label="Erase everything", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[KindredBot], button: discord.ui.Button[ConfirmErase]
    ) -> None:
        """Erase the member's data."""
        self.stop()
        await self._on_confirm(interaction)

    @discord.ui.button(label="Keep my data", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[KindredBot], button: discord.ui.Button[ConfirmErase]
    ) -> None:
        """Change nothing."""
        self.stop()
        await interaction.response.edit_message(content="Nothing was erased. Your data is as it was.", view=None)
