"""What a feature's cog plugs into the bot, attached in ``cog_load`` and detached in ``cog_unload``.

One description serves both, so unloading (or reloading) a cog undoes exactly what loading did: no
timer kind, persistent button, erase hook or chain reconciler is left behind or registered twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.timers import BULK

if TYPE_CHECKING:
    from bot.chains import Reconciler
    from bot.client import KindredBot
    from bot.privacy_ops import EraseHook
    from bot.timers import TimerHandler

__all__ = ["HookedCog", "Hooks", "TimerRoute"]


@dataclass(frozen=True)
class TimerRoute:
    """Timers of ``kind`` run ``handler``; ``retry_interrupted`` and ``lane`` as in ``TimerService.register``."""

    kind: str
    handler: TimerHandler
    retry_interrupted: bool = False
    lane: str = BULK


@dataclass(frozen=True)
class Hooks:
    """A cog's timers, persistent buttons, erase hook and chain reconciler, under the feature's ``name``."""

    name: str
    timers: Sequence[TimerRoute] = ()
    buttons: Sequence[type[discord.ui.DynamicItem[Any]]] = ()
    erase: EraseHook | None = None
    reconcile: Reconciler | None = None

    def attach(self, bot: KindredBot) -> None:
        """Register everything with the bot (from ``cog_load``)."""
        for route in self.timers:
            bot.timers.register(route.kind, route.handler, retry_interrupted=route.retry_interrupted, lane=route.lane)
        if self.buttons:
            bot.add_dynamic_items(*self.buttons)
        if self.erase is not None:
            bot.erase_hooks[self.name] = self.erase
        if self.reconcile is not None:
            bot.chains.register(self.name, self.reconcile)

    def detach(self, bot: KindredBot) -> None:
        """Undo :meth:`attach` (from ``cog_unload``); pending timers wait in the database."""
        for route in self.timers:
            bot.timers.unregister(route.kind)
        if self.buttons:
            bot.remove_dynamic_items(*self.buttons)
        if self.erase is not None:
            bot.erase_hooks.pop(self.name, None)
        if self.reconcile is not None:
            bot.chains.unregister(self.name)


class HookedCog:
    """A cog whose :class:`Hooks` go in when it loads and come out when it unloads.

    Mixed in before ``commands.Cog`` (or ``GroupCog``); the cog sets ``bot`` and ``hooks`` in ``__init__``.
    """

    bot: KindredBot
    hooks: Hooks

    async def cog_load(self) -> None:
        """Register the cog's timers, buttons, erase hook and reconciler."""
        self.hooks.attach(self.bot)

    async def cog_unload(self) -> None:
        """Undo :meth:`cog_load`; pending timers wait in the database until the cog returns."""
        self.hooks.detach(self.bot)
