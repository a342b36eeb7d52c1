"""The closer rhythm of first-30-days support, on durable timers.

Four timer chains per member, each one pending link at a time (dedupe keys), rebuilt from the facts at
start-up and daily by :meth:`Rhythm.reconcile`:

- ``newcomer-prompt``: a check-in prompt on days 1-7, then every other day, at the member's own time;
  skipped when they already checked in that day, when they have their own daily reminder, or when it
  would arrive more than two hours late;
- ``newcomer-milestone``: a note at 24 hours, 3 days, 1 week and 2 weeks (skipped on a day the recovery
  date's own milestone congratulates them, so no one gets two);
- ``newcomer-rooms``: once a week, the next newcomer-friendly rooms of their server;
- ``newcomer-end``: the day-30 reflection, after which the support ends by itself.

None of these kinds is repeated after a crash cut its handler off: for a DM, a logged miss is kinder than
a duplicate, and the reconciler puts back the next link from the last one that fired. A closed DM pauses
the prompts and notes (logged) until the member uses ``/recovery support on`` again; the period still ends.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.checkins._recovery import milestone_on
from bot.checkins._schedule import LATE_LIMIT, should_send_late
from bot.i18n import using_locale
from bot.newcomers.rules import Due, end_due, next_milestone, next_prompt, next_rooms_note
from bot.newcomers.text import end_text, milestone_text, prompt_text
from bot.timers import Timer

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.newcomers.pairing import BuddyNow
    from bot.store import Store
    from bot.store.newcomers import SupportRecord
    from bot.store.room_models import Room
    from bot.timers import TimerService

__all__ = [
    "END_KIND",
    "KINDS",
    "MILESTONE_KIND",
    "PROMPT_KIND",
    "ROOMS_KIND",
    "NewcomerPort",
    "Rhythm",
    "support_key",
]

log = logging.getLogger(__name__)

PROMPT_KIND = "newcomer-prompt"
MILESTONE_KIND = "newcomer-milestone"
ROOMS_KIND = "newcomer-rooms"
END_KIND = "newcomer-end"
KINDS = (PROMPT_KIND, MILESTONE_KIND, ROOMS_KIND, END_KIND)
NOTE_LATE_LIMIT = timedelta(hours=24)  # a congratulation (or a weekly note) a few hours late is still welcome
ROOMS_AHEAD = timedelta(days=7)


def support_key(kind: str, user_id: int) -> str:
    """The dedupe key of a member's pending link of one chain."""
    return f"{kind}:{user_id}"


class NewcomerPort(Protocol):
    """The Discord side: DMs with their buttons. Each returns whether the DM was delivered."""

    async def send_prompt(self, user_id: int, guild_id: int | None, text: str) -> bool: ...
    async def send_note(self, user_id: int, text: str) -> bool: ...
    async def send_rooms(self, user_id: int, rooms: list[Room], zone: ZoneInfo) -> bool: ...
    async def send_end(self, user_id: int, text: str, *, offer_reminder: bool) -> bool: ...


@dataclass(frozen=True, slots=True)
class _Link:
    """A due link of one member's chain, as its handler sees it."""

    record: SupportRecord
    now: datetime
    late: timedelta  # how long after its due time the link runs
    local_day: date  # the member's own calendar day it was due on


class Rhythm:
    """Schedules and handles the first-30-days timer chains."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, port: NewcomerPort, buddies: BuddyNow) -> None:
        self._store, self._timers, self._clock, self._port, self._buddies = store, timers, clock, port, buddies

    def register(self) -> None:
        """Route the chains' timer kinds here."""
        self._timers.register(PROMPT_KIND, self.handle_prompt)
        self._timers.register(MILESTONE_KIND, self.handle_milestone)
        self._timers.register(ROOMS_KIND, self.handle_rooms)
        self._timers.register(END_KIND, self.handle_end)

    def unregister(self) -> None:
        """Stop routing; pending timers wait in the table."""
        for kind in KINDS:
            self._timers.unregister(kind)

    async def own_reminder(self, user_id: int) -> bool:
        """Whether the member has their own daily check-in reminder on."""
        settings = await self._store.checkins.get_reminder(user_id)
        return settings is not None and settings.enabled

    async def cancel(self, user_id: int) -> None:
        """Forget every pending link of the member's chains."""
        for kind in KINDS:
            await self._timers.cancel(dedupe_key=support_key(kind, user_id))

    # -- scheduling -----------------------------------------------------------------------------
    def _next(self, kind: str, record: SupportRecord, after: datetime) -> Due | None:
        assert record.start_on is not None
        zone, start = ZoneInfo(record.timezone), record.start_on
        if kind == PROMPT_KIND:
            return next_prompt(start, record.checkin_time, zone, after)
        if kind == MILESTONE_KIND:
            return next_milestone(start, zone, after)
        if kind == ROOMS_KIND:
            return next_rooms_note(start, record.checkin_time, zone, after)
        return Due("end", end_due(start, record.checkin_time, zone))

    async def schedule(self, kind: str, record: SupportRecord, *, after: datetime) -> bool:
        """Schedule the chain's next link after ``after``; False when the period has none left."""
        due = self._next(kind, record, after)
        if due is None:
            return False
        assert record.start_on is not None
        await self._timers.schedule(
            kind,
            due.at,
            guild_id=record.guild_id,
            user_id=record.user_id,
            payload={"start": record.start_on.isoformat(), "what": due.what},
            dedupe_key=support_key(kind, record.user_id),
        )
        return True

    def _chains(self, record: SupportRecord) -> list[str]:
        wanted = {PROMPT_KIND: "checkins", MILESTONE_KIND: "milestones", ROOMS_KIND: "rooms"}
        chains = [kind for kind, part in wanted.items() if part in record.parts]
        if ROOMS_KIND in chains and record.guild_id is None:
            chains.remove(ROOMS_KIND)  # rooms belong to a server
        return chains

    async def schedule_all(self, record: SupportRecord, *, after: datetime) -> None:
        """Every chain the member chose, plus the end."""
        await self.schedule(END_KIND, record, after=after)
        for kind in self._chains(record):
            await self.schedule(kind, record, after=after)

    async def reconcile(self) -> int:
        """Give every member whose support is on exactly the links they need; returns how many were added."""
        now = self._clock.now()
        taken: set[str] = set()
        for kind in KINDS:
            taken |= await self._timers.active_keys(f"{kind}:")
        fired = {kind: await self._timers.last_fired(kind) for kind in KINDS}
        added = 0
        for record in await self._store.newcomers.running():
            user_id = record.user_id
            if record.start_on is None:
                continue
            if support_key(END_KIND, user_id) not in taken:
                added += await self.schedule(END_KIND, record, after=now)
            if not await self._store.prefs.is_reachable(user_id):
                continue  # closed DMs pause the rhythm on purpose, until the member comes back
            for kind in self._chains(record):
                if support_key(kind, user_id) in taken:
                    continue
                floor = now - (LATE_LIMIT if kind == PROMPT_KIND else NOTE_LATE_LIMIT)
                added += await self.schedule(kind, record, after=max(fired[kind].get(user_id, floor), floor))
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

    async def _due_link(self, timer: Timer, part: str) -> _Link | None:
        """The link this timer runs, when the support still includes ``part`` and DMs reach the member."""
        record = await self._current(timer)
        if record is None or part not in record.parts:
            return None
        if not await self._store.prefs.is_reachable(record.user_id):
            return None
        now = self._clock.now()
        local_day = timer.due_at.astimezone(ZoneInfo(record.timezone)).date()
        return _Link(record, now, timer.lateness(now), local_day)

    async def _goes_on(self, sent: bool, user_id: int, what: str, counter: str | None = None) -> bool:
        """Whether the chain goes on after a send: yes when delivered (counted in ``counter``) or lost for another
        reason; no when DMs are closed (the chain pauses until the member comes back)."""
        if sent:
            if counter is not None:
                await self._store.newcomers.bump(user_id, counter)
            return True
        if not await self._store.prefs.is_reachable(user_id):
            log.info("first-30-days %s for %s not delivered: DMs closed; pausing until they come back", what, user_id)
            return False
        log.warning("first-30-days %s for %s not delivered; keeping the next one", what, user_id)
        return True

    async def handle_prompt(self, timer: Timer) -> None:
        """Send (or skip) one check-in prompt, then schedule the next."""
        link = await self._due_link(timer, "checkins")
        if link is None:
            return
        user_id = link.record.user_id
        if not should_send_late(link.late):
            log.info("first-30-days prompt for %s skipped: %s late", user_id, link.late)
        elif await self.own_reminder(user_id):
            pass  # their own daily reminder already invites them; never two
        elif await self._store.checkins.checked_in_on(user_id, link.local_day):
            pass
        else:
            # A timer carries no language: the one the member last used a command in, else English.
            with using_locale(await self._store.prefs.locale_of(user_id)):
                text = prompt_text(int(timer.payload["what"]))
                sent = await self._port.send_prompt(user_id, link.record.guild_id, text)
            if not await self._goes_on(sent, user_id, "prompt", "prompts_sent"):
                return
        await self._next_link(timer, PROMPT_KIND, "checkins", link.now)

    async def _next_link(self, timer: Timer, kind: str, part: str, now: datetime) -> None:
        # Read again: the member may have turned it off (or dropped the part) while the DM was on its way.
        record = await self._current(timer)
        if record is not None and part in record.parts:
            await self.schedule(kind, record, after=max(timer.due_at, now))

    async def handle_milestone(self, timer: Timer) -> None:
        """Send one milestone note (unless the recovery date's own congratulation covers the day)."""
        link = await self._due_link(timer, "milestones")
        if link is None:
            return
        user_id = link.record.user_id
        recovery = await self._store.checkins.get_recovery(user_id)
        if link.late >= NOTE_LATE_LIMIT:
            log.info("first-30-days note for %s skipped: %s late", user_id, link.late)
        elif recovery is not None and milestone_on(recovery.record.stretch_start, link.local_day) is not None:
            pass  # the recovery milestone congratulates them today; one note is enough
        else:
            with using_locale(await self._store.prefs.locale_of(user_id)):
                sent = await self._port.send_note(user_id, milestone_text(str(timer.payload["what"])))
            if not await self._goes_on(sent, user_id, "note", "notes_sent"):
                return
        await self._next_link(timer, MILESTONE_KIND, "milestones", link.now)

    async def handle_rooms(self, timer: Timer) -> None:
        """Once a week: the next newcomer-friendly rooms of the member's server, if any are coming up."""
        link = await self._due_link(timer, "rooms")
        if link is None or link.record.guild_id is None:
            return
        user_id, now = link.record.user_id, link.now
        rooms = await self._store.newcomer_rooms.upcoming(link.record.guild_id, now, now + ROOMS_AHEAD)
        if link.late >= NOTE_LATE_LIMIT:
            log.info("first-30-days rooms note for %s skipped: %s late", user_id, link.late)
        elif not rooms:
            log.info("first-30-days rooms note for %s: no newcomer-friendly rooms this week", user_id)
        else:
            with using_locale(await self._store.prefs.locale_of(user_id)):
                sent = await self._port.send_rooms(user_id, rooms, ZoneInfo(link.record.timezone))
            if not await self._goes_on(sent, user_id, "rooms note"):
                return
        await self._next_link(timer, ROOMS_KIND, "rooms", now)

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
        await self.cancel(user_id)
        await self._buddies.end_for_newcomer(user_id, period_done=True)
        checkins = len(await self._store.checkins.entries_since(user_id, record.start_on))
        own = await self.own_reminder(user_id)
        if not await self._store.prefs.is_reachable(user_id):
            log.info("first-30-days reflection for %s not sent: DMs closed; the support ended quietly", user_id)
            return
        with using_locale(await self._store.prefs.locale_of(user_id)):
            text = end_text(checkins, record.prompts_sent, record.notes_sent, record.parts, own)
            delivered = await self._port.send_end(user_id, text, offer_reminder=not own)
        if not delivered:
            log.info("first-30-days reflection for %s not delivered; the support ended all the same", user_id)
