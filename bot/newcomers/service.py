"""First-30-days support: the offer, the member's choices, and the closer rhythm on durable timers.

Three timer chains per member, each one pending link at a time (dedupe keys), rebuilt from the facts at
start-up and daily by :meth:`FirstDays.reconcile`:

- ``newcomer-prompt``: a check-in prompt on days 1-7, then every other day, at the member's own time;
  skipped when they already checked in that day, when they have their own daily reminder, or when it
  would arrive more than two hours late;
- ``newcomer-milestone``: a note at 24 hours, 3 days, 1 week and 2 weeks (skipped on a day the recovery
  date's own milestone congratulates them, so no one gets two);
- ``newcomer-end``: the day-30 reflection, after which the support ends by itself.

None of these kinds is repeated after a crash cut its handler off: for a DM, a logged miss is kinder than
a duplicate, and the reconciler puts back the next link from the last one that fired. A closed DM pauses
the prompts and notes (logged) until the member uses ``/recovery support`` again; the period still ends.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.checkins._recovery import milestone_on
from bot.checkins._schedule import LATE_LIMIT, should_send_late
from bot.newcomers.rules import ALL_PARTS, end_due, is_recent, next_milestone, next_prompt, period_start
from bot.newcomers.text import SLIP_NOTE, end_text, milestone_text, on_text, prompt_text, status_text
from bot.timers import Timer

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.newcomers.pairing import BuddyNow
    from bot.store import Store
    from bot.store.newcomers import SupportRecord
    from bot.timers import TimerService

__all__ = ["END_KIND", "KINDS", "MILESTONE_KIND", "PROMPT_KIND", "FirstDays", "NewcomerPort", "support_key"]

log = logging.getLogger(__name__)

PROMPT_KIND = "newcomer-prompt"
MILESTONE_KIND = "newcomer-milestone"
END_KIND = "newcomer-end"
KINDS = (PROMPT_KIND, MILESTONE_KIND, END_KIND)
DEFAULT_TIME = time(19, 0)
NOTE_LATE_LIMIT = timedelta(hours=24)  # a congratulation a few hours late is still welcome


def support_key(kind: str, user_id: int) -> str:
    """The dedupe key of a member's pending link of one chain."""
    return f"{kind}:{user_id}"


class NewcomerPort(Protocol):
    """The Discord side: DMs with their buttons. Each returns whether the DM was delivered."""

    async def send_prompt(self, user_id: int, guild_id: int | None, text: str) -> bool: ...
    async def send_note(self, user_id: int, text: str) -> bool: ...
    async def send_end(self, user_id: int, text: str, *, offer_reminder: bool) -> bool: ...


class FirstDays:
    """The first-30-days support service (``bot.features.newcomers``)."""

    def __init__(
        self, store: Store, timers: TimerService, clock: Clock, port: NewcomerPort, buddies: BuddyNow | None = None
    ) -> None:
        self._store = store
        self._timers = timers
        self._clock = clock
        self._port = port
        self.buddies = buddies
        """First-30-days pairing (None when the buddy part isn't wired up, as in unit tests)."""

    def register(self) -> None:
        """Route this feature's timer kinds here (from ``cog_load``)."""
        self._timers.register(PROMPT_KIND, self.handle_prompt)
        self._timers.register(MILESTONE_KIND, self.handle_milestone)
        self._timers.register(END_KIND, self.handle_end)

    def unregister(self) -> None:
        """Stop routing (from ``cog_unload``); pending timers wait in the table."""
        for kind in KINDS:
            self._timers.unregister(kind)

    # -- the offer and the member's choices ---------------------------------------------------
    async def offer_after_recovery_date(self, user_id: int, guild_id: int | None, recovery_date: date) -> bool:
        """Whether to offer the support now: the date is recent and the member hasn't decided yet."""
        today = await self._today(user_id, guild_id)
        if not is_recent(recovery_date, today):
            return False
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
        buddy_needs_server = "buddy" in parts and (guild_id is None or self.buddies is None)
        if buddy_needs_server:
            parts = parts - {"buddy"}
        zone = await self._store.member_zone(user_id, guild_id)
        today = self._clock.now().astimezone(zone).date()
        current = await self._store.newcomers.get(user_id)
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
        await self._cancel_chains(user_id)
        await self._schedule_all(record, after=now)
        if self.buddies is not None:
            if "buddy" in parts and guild_id is not None:
                await self.buddies.request(guild_id, user_id)
            elif "buddy" not in parts:
                await self.buddies.end_for_newcomer(user_id)
        reminders = await self._own_reminder(user_id)
        return on_text(parts, start, at.strftime("%H:%M"), reminders, buddy_needs_server=buddy_needs_server)

    async def decline(self, user_id: int, guild_id: int | None) -> None:
        """The member said no thanks to the offer."""
        await self._store.newcomers.record_offer(user_id, guild_id, now=self._clock.now())
        await self._store.newcomers.set_status(user_id, "declined", now=self._clock.now())
        await self._cancel_chains(user_id)
        if self.buddies is not None:
            await self.buddies.end_for_newcomer(user_id)

    async def turn_off(self, user_id: int) -> bool:
        """Stop at once; False when the support wasn't on."""
        record = await self._store.newcomers.get(user_id)
        await self._cancel_chains(user_id)
        if record is None or not record.on:
            return False
        await self._store.newcomers.set_status(user_id, "off", now=self._clock.now())
        if self.buddies is not None:
            await self.buddies.end_for_newcomer(user_id)
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
        return SLIP_NOTE

    async def count_on(self, guild_id: int) -> int:
        """How many members of the server have it on (a number for moderators, never names)."""
        return await self._store.newcomers.count_on(guild_id)

    # -- scheduling -----------------------------------------------------------------------------
    async def _today(self, user_id: int, guild_id: int | None) -> date:
        return self._clock.now().astimezone(await self._store.member_zone(user_id, guild_id)).date()

    async def _own_reminder(self, user_id: int) -> bool:
        settings = await self._store.checkins.get_reminder(user_id)
        return settings is not None and settings.enabled

    async def _cancel_chains(self, user_id: int) -> None:
        for kind in KINDS:
            await self._timers.cancel(dedupe_key=support_key(kind, user_id))

    async def _schedule_all(self, record: SupportRecord, *, after: datetime) -> None:
        await self._schedule_end(record)
        if "checkins" in record.parts:
            await self._schedule_prompt(record, after=after)
        if "milestones" in record.parts:
            await self._schedule_milestone(record, after=after)

    def _payload(self, record: SupportRecord, what: str) -> dict[str, object]:
        assert record.start_on is not None
        return {"start": record.start_on.isoformat(), "what": what}

    async def _schedule_end(self, record: SupportRecord) -> None:
        assert record.start_on is not None
        due = end_due(record.start_on, record.checkin_time, ZoneInfo(record.timezone))
        await self._timers.schedule(
            END_KIND,
            due,
            guild_id=record.guild_id,
            user_id=record.user_id,
            payload=self._payload(record, "end"),
            dedupe_key=support_key(END_KIND, record.user_id),
        )

    async def _schedule_prompt(self, record: SupportRecord, *, after: datetime) -> bool:
        assert record.start_on is not None
        due = next_prompt(record.start_on, record.checkin_time, ZoneInfo(record.timezone), after)
        if due is None:
            return False
        await self._timers.schedule(
            PROMPT_KIND,
            due.at,
            guild_id=record.guild_id,
            user_id=record.user_id,
            payload=self._payload(record, due.what),
            dedupe_key=support_key(PROMPT_KIND, record.user_id),
        )
        return True

    async def _schedule_milestone(self, record: SupportRecord, *, after: datetime) -> bool:
        assert record.start_on is not None
        due = next_milestone(record.start_on, ZoneInfo(record.timezone), after)
        if due is None:
            return False
        await self._timers.schedule(
            MILESTONE_KIND,
            due.at,
            guild_id=record.guild_id,
            user_id=record.user_id,
            payload=self._payload(record, due.what),
            dedupe_key=support_key(MILESTONE_KIND, record.user_id),
        )
        return True

    async def reconcile(self) -> int:
        """Give every member whose support is on exactly the links they need; returns how many were added."""
        now = self._clock.now()
        taken: set[str] = set()
        for kind in KINDS:
            taken |= await self._timers.active_keys(f"{kind}:")
        prompts_fired = await self._timers.last_fired(PROMPT_KIND)
        notes_fired = await self._timers.last_fired(MILESTONE_KIND)
        added = 0
        for record in await self._store.newcomers.running():
            user_id = record.user_id
            if record.start_on is None:
                continue
            if support_key(END_KIND, user_id) not in taken:
                await self._schedule_end(record)
                added += 1
            if not await self._store.prefs.is_reachable(user_id):
                continue  # closed DMs pause the rhythm on purpose, until the member comes back
            if "checkins" in record.parts and support_key(PROMPT_KIND, user_id) not in taken:
                floor = now - LATE_LIMIT
                added += await self._schedule_prompt(record, after=max(prompts_fired.get(user_id, floor), floor))
            if "milestones" in record.parts and support_key(MILESTONE_KIND, user_id) not in taken:
                floor = now - NOTE_LATE_LIMIT
                added += await self._schedule_milestone(record, after=max(notes_fired.get(user_id, floor), floor))
        return added

    # -- timer handlers -------------------------------------------------------------------------
    async def _current(self, timer: Timer) -> SupportRecord | None:
        """The member's running support this timer belongs to, or None (off, ended, or a later period)."""
        assert timer.user_id is not None
        record = await self._store.newcomers.get(timer.user_id)
        if record is None or not record.on or record.start_on is None:
            return None
        if record.start_on.isoformat() != timer.payload.get("start"):
            return None
        return record

    async def _delivered(self, sent: bool, user_id: int, what: str) -> bool | None:
        """True when delivered; None when DMs are closed (the chain pauses); False for any other failure."""
        if sent:
            return True
        if not await self._store.prefs.is_reachable(user_id):
            log.info("first-30-days %s for %s not delivered: DMs closed; pausing until they come back", what, user_id)
            return None
        log.warning("first-30-days %s for %s not delivered; keeping the next one", what, user_id)
        return False

    async def handle_prompt(self, timer: Timer) -> None:
        """Send (or skip) one check-in prompt, then schedule the next."""
        record = await self._current(timer)
        if record is None or "checkins" not in record.parts:
            return
        user_id = record.user_id
        if not await self._store.prefs.is_reachable(user_id):
            return
        now = self._clock.now()
        local_day = timer.due_at.astimezone(ZoneInfo(record.timezone)).date()
        if not should_send_late(timer.lateness(now)):
            log.info("first-30-days prompt for %s skipped: %s late", user_id, timer.lateness(now))
        elif await self._own_reminder(user_id):
            pass  # their own daily reminder already invites them; never two
        elif await self._store.checkins.checked_in_on(user_id, local_day):
            pass
        else:
            sent = await self._port.send_prompt(user_id, record.guild_id, prompt_text(int(timer.payload["what"])))
            outcome = await self._delivered(sent, user_id, "prompt")
            if outcome is None:
                return
            if outcome:
                await self._store.newcomers.bump(user_id, "prompts_sent")
        # Read again: the member may have turned it off while the DM was on its way.
        record = await self._current(timer)
        if record is not None and "checkins" in record.parts:
            await self._schedule_prompt(record, after=max(timer.due_at, now))

    async def handle_milestone(self, timer: Timer) -> None:
        """Send one milestone note (unless the recovery date's own congratulation covers the day)."""
        record = await self._current(timer)
        if record is None or "milestones" not in record.parts:
            return
        user_id = record.user_id
        if not await self._store.prefs.is_reachable(user_id):
            return
        now = self._clock.now()
        local_day = timer.due_at.astimezone(ZoneInfo(record.timezone)).date()
        recovery = await self._store.checkins.get_recovery(user_id)
        if timer.lateness(now) >= NOTE_LATE_LIMIT:
            log.info("first-30-days note for %s skipped: %s late", user_id, timer.lateness(now))
        elif recovery is not None and milestone_on(recovery.record.stretch_start, local_day) is not None:
            pass  # the recovery milestone congratulates them today; one note is enough
        else:
            sent = await self._port.send_note(user_id, milestone_text(str(timer.payload["what"])))
            outcome = await self._delivered(sent, user_id, "note")
            if outcome is None:
                return
            if outcome:
                await self._store.newcomers.bump(user_id, "notes_sent")
        record = await self._current(timer)
        if record is not None and "milestones" in record.parts:
            await self._schedule_milestone(record, after=max(timer.due_at, now))

    async def handle_end(self, timer: Timer) -> None:
        """Day 30: end the support, then send the private reflection with an invitation to keep any part.

        The support is marked ended before the DM goes, so a restart can never send the reflection twice.
        """
        record = await self._current(timer)
        if record is None:
            return
        user_id = record.user_id
        assert record.start_on is not None
        await self._store.newcomers.set_status(user_id, "ended", now=self._clock.now())
        await self._cancel_chains(user_id)
        if self.buddies is not None:
            await self.buddies.end_for_newcomer(user_id, period_done=True)
        checkins = len(await self._store.checkins.entries_since(user_id, record.start_on))
        own = await self._own_reminder(user_id)
        text = end_text(checkins, record.prompts_sent, record.notes_sent, record.parts, own)
        if not await self._store.prefs.is_reachable(user_id):
            log.info("first-30-days reflection for %s not sent: DMs closed; the support ended quietly", user_id)
            return
        sent = await self._port.send_end(user_id, text, offer_reminder=not own)
        if not sent:
            log.info("first-30-days reflection for %s not delivered; the support ended all the same", user_id)
