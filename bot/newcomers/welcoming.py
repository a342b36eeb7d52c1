"""The service welcome, with consent: volunteers on the welcome rota hear that someone would like a hello.

Only a member who chose the welcome part, and said how, is ever mentioned to a volunteer: by DM (any
volunteer on a running newcomer-welcome shift may write to them) or in their buddy thread (the first
volunteer who answers is added to it and says hello; the others hear it's taken care of). When nobody is on
shift, or the buddy thread doesn't exist yet, the member is told honestly once and a durable timer
(``newcomer-welcome``) tries again every few hours for a week, then says kindly that no one came.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar, Protocol

from bot.clock import from_db, to_db
from bot.errors import KindredError
from bot.i18n import N_, _
from bot.service import Kind

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.store import Store
    from bot.store.newcomers import SupportRecord
    from bot.timers import Timer, TimerService

__all__ = ["HOWS", "WELCOME_KIND", "WelcomePort", "WelcomeRota"]

log = logging.getLogger(__name__)

WELCOME_KIND = "newcomer-welcome"
HOWS = ("dm", "thread")
RETRY = timedelta(hours=6)
KEEP_TRYING = timedelta(days=7)

# Notes to the member are English, marked for the catalogue; the port writes them in the member's language.
ASKED_TEXT = {
    "dm": N_("I've let the volunteers on the welcome rota know you'd welcome a hello by DM. Reply only if you like."),
    "thread": N_("I've let the volunteers on the welcome rota know. One of them will say hello in your buddy thread."),
}
WAITING_TEXT = {
    "dm": N_("Nobody is on the welcome rota at this moment. I'll let the next volunteers on shift know, this week."),
    "thread": N_(
        "I'll ask a volunteer to say hello in your buddy thread as soon as both are ready: your buddy thread and "
        "someone on the welcome rota. It may take a little while."
    ),
}
MISSED_TEXT = N_(
    "I'm sorry: no volunteer on the welcome rota was free this week to say hello. That's about timing, not "
    "about you. `/room list` shows rooms where you'll find friendly people, and `/buddy status` your buddy."
)


class WelcomePort(Protocol):
    """The Discord side: private notes, and the thread hello."""

    async def tell(self, user_id: int, text: str) -> bool:
        """Send ``text`` (English, marked for the catalogue) privately, in the member's own language."""
        ...

    async def ask_volunteer(self, volunteer_id: int, guild_id: int, newcomer_id: int, how: str) -> bool: ...
    async def greet_in_thread(self, thread_id: int, volunteer_id: int, newcomer_id: int) -> bool: ...


class WelcomeRota:
    """Asks the welcome rota to greet members in their first 30 days who said yes."""

    kind: ClassVar[str] = WELCOME_KIND
    """The timer kind whose attempts :meth:`handle_attempt` takes (routed by ``FirstDays``)."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, port: WelcomePort) -> None:
        self._store, self._timers, self._clock, self._port = store, timers, clock, port

    def wants_choice(self, record: SupportRecord) -> bool:
        """Whether the member chose the welcome part and hasn't said how yet."""
        return record.on and "welcome" in record.parts and record.welcome_how is None

    async def choose(self, user_id: int, how: str) -> str:
        """The member's choice of how to be welcomed; asks the rota at once."""
        record = await self._store.newcomers.get(user_id)
        if record is None or not record.on or "welcome" not in record.parts or record.guild_id is None:
            raise KindredError(
                _("The welcome is part of first-30-days support: `/recovery support on` in your server.")
            )
        if how not in HOWS:
            raise KindredError(_("Pick a DM from a volunteer, or a hello in your buddy thread."))
        if how == "thread" and "buddy" not in record.parts:
            raise KindredError(
                _("A hello in your buddy thread needs the buddy part. Choose a DM, or turn the buddy on.")
            )
        now = self._clock.now()
        await self._store.newcomers.set_welcome(user_id, how, "waiting", now=now)
        await self._timers.schedule(
            WELCOME_KIND,
            now,
            guild_id=record.guild_id,
            user_id=user_id,
            payload={"since": to_db(now), "told": False},
            dedupe_key=f"{WELCOME_KIND}:{user_id}",
        )
        if how == "dm":
            return _("Thank you. A volunteer on the welcome rota will be asked to say hello by DM.")
        return _("Thank you. A volunteer on the welcome rota will be asked to say hello in your buddy thread.")

    async def cancel(self, user_id: int) -> None:
        """Forget a pending attempt (support off, or the welcome part dropped)."""
        await self._timers.cancel(dedupe_key=f"{WELCOME_KIND}:{user_id}")

    async def _volunteers(self, guild_id: int, exclude: int) -> list[int]:
        found: list[int] = []
        for opp in await self._store.service.running(guild_id, Kind.NEWCOMER_WELCOME, now=self._clock.now()):
            found.extend(v for v in opp.volunteers if v != exclude and v not in found)
        return found

    async def _thread(self, guild_id: int, user_id: int) -> int | None:
        pair = await self._store.newcomer_pairs.open_request(guild_id, user_id)
        return pair.thread_id if pair is not None and pair.status == "paired" else None

    async def handle_attempt(self, timer: Timer) -> None:
        """Ask the volunteers on shift, or wait and try again, or (after a week) say kindly that none came."""
        assert timer.user_id is not None
        user_id, now = timer.user_id, self._clock.now()
        record = await self._store.newcomers.get(user_id)
        if record is None or not record.on or "welcome" not in record.parts or record.guild_id is None:
            return
        if record.welcome_status != "waiting" or record.welcome_how not in HOWS:
            return
        how, guild_id = record.welcome_how, record.guild_id
        volunteers = await self._volunteers(guild_id, user_id)
        ready = bool(volunteers) and (how == "dm" or await self._thread(guild_id, user_id) is not None)
        if ready:
            await self._store.newcomers.set_welcome(user_id, how, "asked", now=now)
            for volunteer in volunteers:
                await self._port.ask_volunteer(volunteer, guild_id, user_id, how)
            await self._port.tell(user_id, ASKED_TEXT[how])
            return
        since = from_db(str(timer.payload["since"]))
        if now - since >= KEEP_TRYING:
            await self._store.newcomers.set_welcome(user_id, how, "missed", now=now)
            await self._port.tell(user_id, MISSED_TEXT)
            return
        if not timer.payload.get("told"):
            await self._port.tell(user_id, WAITING_TEXT[how])
        await self._timers.schedule(
            WELCOME_KIND,
            now + RETRY,
            guild_id=guild_id,
            user_id=user_id,
            payload={"since": timer.payload["since"], "told": True},
            dedupe_key=f"{WELCOME_KIND}:{user_id}",
        )

    async def greet(self, newcomer_id: int, guild_id: int, volunteer_id: int) -> str:
        """A volunteer answers "I'll say hello": the first one is added to the buddy thread."""
        if volunteer_id not in await self._volunteers(guild_id, newcomer_id):
            raise KindredError(_("This is for volunteers on a running welcome shift. Thank you for wanting to help!"))
        thread_id = await self._thread(guild_id, newcomer_id)
        record = await self._store.newcomers.get(newcomer_id)
        if thread_id is None or record is None or not record.on:
            raise KindredError(_("That welcome isn't needed any more. Thank you all the same."))
        if not await self._store.newcomers.claim_welcome(newcomer_id, now=self._clock.now()):
            return _("Someone on the rota already said hello. Thank you for offering!")
        if not await self._port.greet_in_thread(thread_id, volunteer_id, newcomer_id):
            await self._store.newcomers.set_welcome(newcomer_id, "thread", "asked", now=self._clock.now())
            raise KindredError(_("I couldn't add you to their thread just now. Please try again in a moment."))
        return _("You're in their buddy thread now, with a short hello posted. Thank you for being of service.")
