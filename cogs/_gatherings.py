"""What the two gathering features, rooms and service opportunities, share on the Discord side: how their cogs
plug their timers, buttons and service in and out, their Discord steps' shared checks, their persistent
buttons' faces, and the language of what the whole server reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import discord

from bot.i18n import _
from cogs._buttons import PersistentButton
from cogs._hooks import HookedCog, Hooks, TimerRoute

if TYPE_CHECKING:
    from bot.client import KindredBot
    from bot.timers import TimerHandler

__all__ = [
    "FacedButton",
    "GatheringCog",
    "GatheringService",
    "GatheringSteps",
    "gathering_hooks",
    "server_locale",
]


class GatheringService(Protocol):
    """A feature's service as its cog hands it to the bot: timers, an erase hook and a reconciler."""

    def timer_handlers(self) -> dict[str, TimerHandler]:
        """The timer kinds the feature runs on, and their handlers."""
        ...

    async def before_erase(self, user_id: int, guild_id: int | None) -> None:
        """Let go of a member's places and posts before their data is erased."""
        ...

    async def reconcile(self) -> int:
        """Put back every timer the feature's rows say should exist; how many were added."""
        ...


def gathering_hooks(
    name: str,
    service: GatheringService,
    button: type[discord.ui.DynamicItem[Any]],
    *,
    retried: Callable[[str], bool],
) -> Hooks:
    """The hooks of a gathering feature: each of its timer kinds (retried after an interruption when ``retried``
    says the step is safe to run twice), its persistent button, its erase hook and its reconciler."""
    return Hooks(
        name,
        timers=[
            TimerRoute(kind, handler, retry_interrupted=retried(kind))
            for kind, handler in service.timer_handlers().items()
        ],
        buttons=[button],
        erase=service.before_erase,
        reconcile=service.reconcile,
    )


class GatheringCog(HookedCog):
    """What a gathering feature's cog does when it loads and unloads: its hooks go in (and come out again, so a
    reload duplicates nothing), and its service is published on ``bot.features`` (and taken off).

    Mixed in before ``commands.GroupCog``; the cog sets ``bot`` and ``hooks`` and says where its service goes.
    """

    def publish(self, loaded: bool) -> None:
        """Put the feature's service on ``bot.features`` (``loaded``), or take it off."""
        raise NotImplementedError

    async def cog_load(self) -> None:
        """Timers, persistent buttons, the erase hook and the reconciler, then the service on ``bot.features``."""
        await super().cog_load()
        self.publish(True)

    async def cog_unload(self) -> None:
        """Undo :meth:`cog_load`."""
        await super().cog_unload()
        self.publish(False)


class GatheringSteps:
    """What a gathering feature's Discord steps share: the bot they work through, and whether it is still in a
    server."""

    def __init__(self, bot: KindredBot) -> None:
        self.bot = bot

    def has_guild(self, guild_id: int) -> bool:
        """Whether the bot is still in the server; :class:`bot.shards.NotOwned` for another process's server."""
        self.bot.ownership.require(guild_id)  # only an owned server missing from the cache was removed
        return self.bot.get_guild(guild_id) is not None


class FacedButton(PersistentButton, template=r"(?!)"):
    """A persistent button whose face (label and style) follows from the action in its custom id.

    A subclass lists its faces in :attr:`FACES`, labels in English, marked with ``N_``; the label is written in
    the current locale when the button is built (the reader's: a member's, or the server's on a shared message).
    """

    FACES: ClassVar[dict[str, tuple[str, discord.ButtonStyle]]] = {}

    def __init__(self, custom_id: str, action: str, *, disabled: bool = False) -> None:
        label, style = self.FACES[action]
        super().__init__(custom_id, _(label), style, disabled=disabled)
        self.action = action


def server_locale(guild: discord.Guild | None) -> str | None:
    """The language of a message the whole server reads (an announcement, a board card): the server's own
    (Discord's "primary language" setting), English when it has none Kindred speaks."""
    return guild.preferred_locale.value if guild is not None else None
