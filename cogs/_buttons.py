"""Persistent buttons: the custom id carries what a click needs, so a button on an old message still works
after any number of restarts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.errors import run_guarded

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["PersistentButton"]


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """What every persistent button shares; a subclass gives its ``template`` and :meth:`press` (and
    :meth:`rebuild` when the default does not fit).

    discord.py rebuilds the button from the clicked custom id through :meth:`from_custom_id`, and hands what a
    dynamic item raises to a throwaway view that only logs it. So :meth:`press` runs through
    :func:`bot.errors.run_guarded`: a member never meets a bare "interaction failed". (This base's own template
    never matches: only subclasses are registered.)
    """

    def __init__(
        self,
        custom_id: str,
        label: str,
        style: discord.ButtonStyle,
        *,
        emoji: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=custom_id, emoji=emoji, disabled=disabled)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """discord.py's hook for a click: the button again, from its custom id."""
        return cls.rebuild(match)

    @classmethod
    def rebuild(cls, match: re.Match[str]) -> Self:
        """The button again, from the parts of its custom id (the template's groups).

        By default the groups are whole numbers passed to the constructor in the template's order; a button
        whose id carries text, or parts the constructor takes otherwise, overrides this.
        """
        build: Callable[..., Self] = cls  # the subclass's own constructor, not this base's
        return build(*(int(part) for part in match.groups()))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run :meth:`press`, answering any failure kindly."""
        await run_guarded(interaction, lambda: self.press(interaction))

    async def press(self, interaction: discord.Interaction[Any]) -> None:
        """What a click does."""
        raise NotImplementedError
