"""First-30-days support: the offer, the member's choices, and the status; the rhythm is :mod:`.rhythm`.

Offered privately after a recent recovery date or when a member answers the welcome DM, never assumed.
The member takes all of it, some parts, or none; ``/recovery support on|off|status`` changes it later.
"""

from __future__ import annotations

import logging
from datetime import date, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.newcomers.rhythm import KINDS, Rhythm
from bot.newcomers.rules import ALL_PARTS, is_recent, period_start
from bot.newcomers.text import on_text, slip_text, status_text

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.newcomers.pairing import BuddyNow
    from bot.newcomers.rhythm import NewcomerPort
    from bot.newcomers.welcoming import WelcomeRota
    from bot.store import Store
    from bot.timers import TimerService

__all__ = ["DEFAULT_TIME", "KINDS", "FirstDays"]

log = logging.getLogger(__name__)

DEFAULT_TIME = time(19, 0)


class FirstDays:
    """The first-30-days support service (``bot.features.newcomers``)."""

    def __init__(
        self,
        store: Store,
        timers: TimerService,
        clock: Clock,
        port: NewcomerPort,
        buddies: BuddyNow,
        welcome: WelcomeRota,
    ) -> None:
        self._store, self._timers, self._clock, self._port = store, timers, clock, port
        self.buddies = buddies
        """First-30-days pairing."""
        self.welcome = welcome
        """The service welcome."""
        self.rhythm = Rhythm(store, timers, clock, port, buddies)
        """The prompts, notes, room suggestions and the day-30 end."""

    def register(self) -> None:
        """Route this feature's timer kinds here (from ``cog_load``)."""
        self.rhythm.register()
        for part in self._parts():
            self._timers.register(part.kind, part.handle_attempt)

    def unregister(self) -> None:
        """Stop routing (from ``cog_unload``); pending timers wait in the table."""
        self.rhythm.unregister()
        for part in self._parts():
            self._timers.unregister(part.kind)

    def _parts(self) -> list[BuddyNow | WelcomeRota]:
        """The parts that route one timer kind each."""
        return [self.buddies, self.welcome]

    async def _let_go(self, user_id: int) -> None:
        """Support off or declined: no more buddy search, welcome or rhythm."""
        await self.rhythm.cancel(user_id)
        await self.buddies.end_for_newcomer(user_id)
        await self.welcome.cancel(user_id)

    async def needs_welcome_choice(self, user_id: int) -> bool:
        """Whether to ask the member how they'd like to be welcomed."""
        record = await self._store.newcomers.get(user_id)
        return record is not None and self.welcome.wants_choice(record)

    # -- the offer and the member's choices ---------------------------------------------------
    async def offer_after_recovery_date(self, user_id: int, guild_id: int | None, recovery_date: date) -> bool:
        """Whether to offer the support now: the date is recent and the member hasn't decided yet."""
        today = await self._today(user_id, guild_id)
        if not is_recent(recovery_date, today):
            return False
        record = await self._store.newcomers.get(user_id)
        if record is not None and record.status == "ended" and record.start_on is not None:
            # A new start after a finished period is the first days again: offer once more, never assume.
            return recovery_date > record.start_on and await self._store.newcomers.offer_again(
                user_id, guild_id, now=self._clock.now()
            )
        return await self._offer(user_id, guild_id)

    async def offer_on_request(self, user_id: int, guild_id: int | None) -> bool:
        """The member asked about it (from the welcome DM): offer unless the support is already on."""
        record = await self._store.newcomers.get(user_id)
        if record is not None and record.on:
            return False
        await self._store.newcomers.record_offer(user_id, guild_id, now=self._clock.now())
        return True

    async def _offer(self, user_id: int, guild_id: int | None) -> bool:
        record = await self._store.newcomers.get(user_id)
        if record is not None and record.status != "offered":
            return False  # they decided already; /recovery support changes it
        await self._store.newcomers.record_offer(user_id, guild_id, now=self._clock.now())
        return True

    async def turn_on(
        self, user_id: int, guild_id: int | None, parts: frozenset[str] = ALL_PARTS, at: time | None = None
    ) -> str:
        """Start the support (or change its parts or time); returns the private confirmation."""
        parts = parts & ALL_PARTS
        current = await self._store.newcomers.get(user_id)
        guild_id = guild_id or (current.guild_id if current is not None else None)
        buddy_needs_server = bool(parts & {"buddy", "welcome"}) and guild_id is None
        parts = parts - ({"buddy", "welcome"} if guild_id is None else set())
        zone = await self._store.member_zone(user_id, guild_id)
        today = self._clock.now().astimezone(zone).date()
        if current is not None and current.on and current.start_on is not None:
            start = current.start_on  # changing parts or time keeps the period where it is
        else:
            recovery = await self._store.checkins.get_recovery(user_id)
            start = period_start(recovery.record.stretch_start if recovery else None, today)
        at = at or (current.checkin_time if current is not None else DEFAULT_TIME)
        now = self._clock.now()
        # Saying yes is using the feature: DMs closed earlier are worth trying again.
        await self._store.prefs.clear_dm_closed(user_id)
        record = await self._store.newcomers.turn_on(
            user_id, guild_id, parts, start_on=start, checkin_time=at, timezone=zone.key, now=now
        )
        await self.rhythm.cancel(user_id)
        await self.rhythm.schedule_all(record, after=now)
        if "buddy" in parts and guild_id is not None:
            await self.buddies.request(guild_id, user_id)
        elif "buddy" not in parts:
            await self.buddies.end_for_newcomer(user_id)
        if "welcome" not in parts:
            await self.welcome.cancel(user_id)
        reminders = await self.rhythm.own_reminder(user_id)
        return on_text(parts, start, at.strftime("%H:%M"), reminders, buddy_needs_server=buddy_needs_server)

    async def decline(self, user_id: int, guild_id: int | None) -> None:
        """The member said no thanks to the offer."""
        await self._store.newcomers.record_offer(user_id, guild_id, now=self._clock.now())
        await self._store.newcomers.set_status(user_id, "declined", now=self._clock.now())
        await self._let_go(user_id)

    async def turn_off(self, user_id: int) -> bool:
        """Stop at once; False when the support wasn't on."""
        record = await self._store.newcomers.get(user_id)
        await self.rhythm.cancel(user_id)
        if record is None or not record.on:
            return False
        await self._store.newcomers.set_status(user_id, "off", now=self._clock.now())
        await self._let_go(user_id)
        return True

    async def status(self, user_id: int, guild_id: int | None) -> str:
        """The private status answer."""
        record = await self._store.newcomers.get(user_id)
        if record is None:
            return status_text("none", frozenset(), None, date.min, "")
        today = self._clock.now().astimezone(ZoneInfo(record.timezone)).date()
        return status_text(record.status, record.parts, record.start_on, today, record.checkin_time.strftime("%H:%M"))

    async def on_slip(self, user_id: int) -> str | None:
        """A slip during the period: the support stays on, and the member is told so kindly."""
        record = await self._store.newcomers.get(user_id)
        if record is None or not record.on:
            return None
        await self._store.newcomers.bump(user_id, "slips")
        return slip_text()

    async def count_on(self, guild_id: int) -> int:
        """How many members of the server have it on (a number for moderators, never names)."""
        return await self._store.newcomers.count_on(guild_id)

    # -- helpers ------------------------------------------------------------------------------
    async def _today(self, user_id: int, guild_id: int | None) -> date:
        return self._clock.now().astimezone(await self._store.member_zone(user_id, guild_id)).date()

    async def reconcile(self) -> int:
        """Rebuild the rhythm's chains (see :meth:`Rhythm.reconcile`)."""
        return await self.rhythm.reconcile()
