"""What the crisis service's parts share: tracked background tasks, bounded store calls and the member's region.

Why bounded: the database is one connection behind one lock, so a long transaction elsewhere (or a
disk that stalls) makes every store call wait. Nothing a member in a hard moment needs may wait on
that: each store call on the member's path gets :data:`DB_TIMEOUT` and then the flow carries on with
the shipped data.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    import discord

    from bot.crisis import Level
    from bot.host import Host

__all__ = [
    "CONSENT_WAIT",
    "DB_TIMEOUT",
    "REPOST_KIND",
    "CareWork",
    "CrisisButtons",
    "NamedServer",
    "Source",
    "bounded",
    "claim_custom_id",
    "repost_key",
]

log = logging.getLogger(__name__)

REPOST_KIND = "crisis-repost"
# Well inside Discord's 3-second interaction deadline, and short enough that a DM isn't noticeably late.
DB_TIMEOUT = 1.5
# How long "Talk to someone here" waits for the team alert before telling the member it's on its way
# (the button has already been answered with a "thinking" state, so this may exceed 3 seconds).
CONSENT_WAIT = 10.0
T = TypeVar("T")


def repost_key(alert_id: int) -> str:
    """The dedupe key of an alert's pending re-post timer."""
    return f"crisis-repost:{alert_id}"


def claim_custom_id(alert_id: int) -> str:
    """The custom id of an alert's claim button (also how a posted copy of the alert is recognised)."""
    return f"crisis:claim:{alert_id}"


async def bounded(call: Callable[[], Awaitable[T]], timeout: float) -> T:  # noqa: ASYNC109
    """Await ``call()`` for at most ``timeout`` seconds (raises :class:`TimeoutError` after that)."""
    return await asyncio.wait_for(call(), timeout)


@dataclass(frozen=True, slots=True)
class Source:
    """Where scanned text came from. ``message`` is None for text that never was a message (check-in notes)."""

    user_id: int
    guild_id: int | None
    channel_id: int | None
    message: discord.Message | None = None
    kind: str = "message"  # "message", "dm", "checkin_note" or "other"


class NamedServer(Protocol):
    """A server as a talk button needs it: a cached ``discord.Guild``, or one read from the database."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class CrisisButtons:
    """The buttons the service attaches to what it sends, built by the crisis cog (views live beside it)."""

    answer: Callable[[Sequence[NamedServer], Level], discord.ui.View]
    """The buttons under a member's private answer, given the servers they could ask and the level."""
    claim: Callable[[int], discord.ui.View]
    """The claim button under a crisis-team alert, given the alert's id."""


class CareWork:
    """Background tasks and store calls that never stop the crisis flow (one per service, shared by its parts)."""

    def __init__(self, bot: Host) -> None:
        self.bot = bot
        self.db_timeout = DB_TIMEOUT
        self.consent_wait = CONSENT_WAIT
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run follow-up work in a tracked task whose failure is logged, never raised."""

        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("crisis follow-up %s failed", name)

        task = asyncio.get_running_loop().create_task(guarded(), name=f"crisis:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_idle(self) -> None:
        """Wait until no follow-up work is running (tests and shutdown use this)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Cancel and await every follow-up task (cog unload)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    async def attempt(self, what: str, call: Callable[[], Awaitable[T]], default: T, *, patient: bool = False) -> T:
        """A store call that must not stop or stall the flow: on failure or after :attr:`db_timeout`, log it
        and carry on with ``default``. ``patient`` waits as long as it takes (team alerts need the database
        anyway, so waiting beats dropping them)."""
        try:
            return await (call() if patient else bounded(call, self.db_timeout))
        except TimeoutError:
            log.warning("crisis: %s took over %.1fs; carrying on without it", what, self.db_timeout)
            return default
        except Exception:
            log.exception("crisis: %s failed; carrying on without it", what)
            return default

    def write_later(self, what: str, call: Callable[[], Awaitable[object]]) -> None:
        """A store write the member must not wait for: it runs in the background and a failure is logged."""

        async def write() -> None:
            try:
                await call()
            except Exception:
                log.exception("crisis: %s failed", what)

        self.spawn(write(), what)

    async def locale_for(self, user_id: int) -> str | None:
        """The Discord language the member last used (``None``: English, also when the database is down or slow)."""
        return await self.attempt(
            "reading the member's language", lambda: self.bot.store.prefs.locale_of(user_id), None
        )

    async def region_for(self, user_id: int, guild_id: int | None) -> str:
        """The member's own region, else the server's, else "other" (also when the database is down or slow)."""
        prefs = await self.attempt("reading member prefs", lambda: self.bot.store.prefs.get(user_id), None)
        if prefs is not None and prefs.region:
            return prefs.region
        if guild_id is not None:
            config = await self.attempt("reading server config", lambda: self.bot.store.config.get(guild_id), None)
            if config is not None:
                return config.region
        return "other"
