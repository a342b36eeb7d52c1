"""Durable reminders, weekly reflections and milestone notices, built on :class:`~bot.timers.TimerService`.

Plain typed code with the sending injected, so unit tests and the benchmark drive it without
Discord. Rules:
- every next occurrence is computed from the member's local wall-clock time (never "+24 h");
- a timer handled two hours late or more is skipped, and the next one is scheduled;
- a member who already checked in on that local day gets no reminder;
- a closed DM stops the chain: nothing more is scheduled until the member runs
  ``/checkin remind set`` again; any other delivery failure keeps the next reminder;
- settings are read again after a send, so a ``remind off`` made meanwhile is respected.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.checkins._history import weekly_summary
from bot.checkins._recovery import Milestone, milestones_after
from bot.checkins._schedule import ReminderPlan, local_wall_to_utc, next_occurrence, should_send_late
from bot.clock import Clock
from bot.i18n import using_locale
from bot.timers import Timer, TimerService

if TYPE_CHECKING:
    from bot.store import Store
    from bot.store.checkins import RecoveryState, ReminderSettings

__all__ = [
    "MILESTONE_KIND",
    "REMINDER_KIND",
    "WEEKLY_KIND",
    "CheckinScheduler",
    "Outcome",
    "reminder_key",
]

log = logging.getLogger(__name__)

REMINDER_KIND = "checkin-reminder"
WEEKLY_KIND = "checkin-weekly"
MILESTONE_KIND = "recovery-milestone"
WEEKLY_WEEKDAY = 6  # Sunday: the week's reflection arrives at the end of it
MILESTONE_TIME = time(9, 0)  # a morning congratulation, in the member's own time zone
MILESTONE_LATE_LIMIT = timedelta(hours=24)  # a congratulation a few hours late is still welcome

# Returns the delivered DM's id (or True if it has none to give), False when not delivered.
SendReminder = Callable[[int, int | None], Awaitable[int | bool]]
SendWeekly = Callable[[int, str], Awaitable[bool]]
SendMilestone = Callable[[int, Milestone, int | None], Awaitable[bool]]
# Whether a reminder DM newer than the given message id reached the member (None: can't tell).
AlreadySent = Callable[[int, int | None], Awaitable[bool | None]]


def reminder_key(user_id: int) -> str:
    """The dedupe key of a member's pending daily reminder."""
    return f"{REMINDER_KIND}:{user_id}"


def weekly_key(user_id: int) -> str:
    """The dedupe key of a member's pending weekly reflection."""
    return f"{WEEKLY_KIND}:{user_id}"


def milestone_key(user_id: int) -> str:
    """The dedupe key of a member's next milestone notice."""
    return f"{MILESTONE_KIND}:{user_id}"


class Outcome(enum.Enum):
    """What a reminder timer did (returned for tests and logs)."""

    SENT = "sent"
    CHECKED_IN = "already checked in"
    PAUSED = "paused"
    LATE = "too late"
    OFF = "turned off"
    UNREACHABLE = "dms closed"
    FAILED = "not delivered"


async def _noop_milestone(user_id: int, milestone: Milestone, guild_id: int | None) -> bool:
    return True


class CheckinScheduler:
    """Schedules and handles the daily reminder, weekly reflection and milestone timer kinds."""

    def __init__(
        self,
        store: Store,
        timers: TimerService,
        clock: Clock,
        *,
        send_reminder: SendReminder,
        send_weekly: SendWeekly | None = None,
        send_milestone: SendMilestone | None = None,
        already_sent: AlreadySent | None = None,
    ) -> None:
        self._store = store
        self._timers = timers
        self._clock = clock
        self._send_reminder = send_reminder
        self._send_weekly = send_weekly
        self._send_milestone = send_milestone or _noop_milestone
        self._already_sent = already_sent

    def register(self) -> None:
        """Route this feature's timer kinds here (call from ``cog_load``).

        The daily reminder is safe to repeat only when the scheduler can ask Discord whether the DM of
        a cut-off run already went out; without that, a possible miss is kinder than a duplicate.
        """
        self._timers.register(REMINDER_KIND, self.handle_reminder, retry_interrupted=self._already_sent is not None)
        self._timers.register(WEEKLY_KIND, self.handle_weekly)
        self._timers.register(MILESTONE_KIND, self.handle_milestone)

    def unregister(self) -> None:
        """Stop routing (call from ``cog_unload``); pending timers wait in the table."""
        for kind in (REMINDER_KIND, WEEKLY_KIND, MILESTONE_KIND):
            self._timers.unregister(kind)

    # -- time zones -------------------------------------------------------------------------
    async def member_zone(self, user_id: int, guild_id: int | None) -> ZoneInfo:
        """The member's zone (see :meth:`bot.store.Store.member_zone`)."""
        return await self._store.member_zone(user_id, guild_id)

    async def local_today(self, user_id: int, guild_id: int | None) -> date:
        """Today's date where the member is."""
        return self._clock.now().astimezone(await self.member_zone(user_id, guild_id)).date()

    async def _schedule_personal(
        self, kind: str, plan: ReminderPlan, user_id: int, dedupe_key: str, after: datetime | None
    ) -> datetime:
        """Schedule the next ``kind`` timer of ``plan`` after ``after`` (default now), replacing any pending one."""
        due = next_occurrence(plan, after or self._clock.now())
        await self._timers.schedule(
            kind,
            due,
            guild_id=None,  # personal: a server's retention purge must not delete it
            user_id=user_id,
            dedupe_key=dedupe_key,
        )
        return due

    # -- daily reminder ---------------------------------------------------------------------
    async def schedule_reminder(self, settings: ReminderSettings, *, after: datetime | None = None) -> datetime:
        """(Re)schedule the member's next reminder; replaces any pending one."""
        return await self._schedule_personal(
            REMINDER_KIND, settings.plan(), settings.user_id, reminder_key(settings.user_id), after
        )

    async def cancel_reminder(self, user_id: int) -> None:
        """Forget the pending reminder."""
        await self._timers.cancel(dedupe_key=reminder_key(user_id))

    async def handle_reminder(self, timer: Timer) -> None:
        """Timer handler (the outcome is logged)."""
        outcome = await self.decide_and_send(timer)
        log.debug("reminder %s for %s: %s", timer.id, timer.user_id, outcome.value)

    async def decide_and_send(self, timer: Timer) -> Outcome:
        """Send or skip one due reminder, then schedule the next from the intended local time."""
        assert timer.user_id is not None
        user_id = timer.user_id
        settings = await self._store.checkins.get_reminder(user_id)
        if settings is None or not settings.enabled:
            return Outcome.OFF
        if not await self._store.prefs.is_reachable(user_id):
            return Outcome.UNREACHABLE  # stop the chain until /checkin remind set again
        now = self._clock.now()
        plan = settings.plan()
        local_day = timer.due_at.astimezone(plan.zone).date()
        if not plan.fires_on(local_day):
            outcome = Outcome.PAUSED
        elif not should_send_late(timer.lateness(now)):
            outcome = Outcome.LATE
        elif await self._store.checkins.checked_in_on(user_id, local_day):
            outcome = Outcome.CHECKED_IN
        elif timer.attempts and await self._delivered_before(user_id, timer.due_at):
            outcome = Outcome.SENT  # a cut-off run delivered it; only the next link was missing
        else:
            outcome = await self._attempt_send(user_id, settings.guild_id, timer.due_at)
            if outcome is Outcome.UNREACHABLE:
                return outcome  # DMs closed: stop the chain until /checkin remind set again
            # The DM took a while: the member may have turned the reminder off (or changed it) meanwhile,
            # and that choice must not be undone by rescheduling from the settings read before.
            current = await self._store.checkins.get_reminder(user_id)
            if current is None or not current.enabled:
                return outcome
            settings = current
        # From the later of the intended time and now: the next *local* occurrence, so a long
        # outage doesn't replay a string of stale reminders, and DST never shifts the hour.
        await self.schedule_reminder(settings, after=max(timer.due_at, now))
        return outcome

    async def _delivered_before(self, user_id: int, due_at: datetime) -> bool:
        """On a retry: did an earlier, cut-off run already deliver this reminder? Unsure counts as yes."""
        last = await self._store.checkins.last_reminder_dm(user_id)
        if last is not None and last[1] == due_at:
            return True  # delivered and recorded; the run died before finishing
        if self._already_sent is None:
            return True
        # Delivered but not yet recorded shows as a reminder newer than the last one on record.
        found = await self._already_sent(user_id, None if last is None else last[0])
        if found is None:
            log.warning("couldn't tell whether %s already got the reminder; not risking a second", user_id)
            return True
        return found

    async def _attempt_send(self, user_id: int, guild_id: int | None, due_at: datetime) -> Outcome:
        """Hand one reminder to the sender and say what happened."""
        # A timer carries no language: the one the member last used a command in, else English.
        with using_locale(await self._store.prefs.locale_of(user_id)):
            sent = await self._send_reminder(user_id, guild_id)
        if sent:
            if type(sent) is int:
                await self._store.checkins.note_reminder_dm(user_id, sent, due_at)
            return Outcome.SENT
        if not await self._store.prefs.is_reachable(user_id):
            return Outcome.UNREACHABLE
        # Any other failure (a Discord error, rate limit, outage; the sender logged it) is not the
        # member's choice, so it must not end their reminders for good: tomorrow's is kept.
        log.warning("reminder for %s not delivered; keeping the next one", user_id)
        return Outcome.FAILED

    # -- weekly reflection ------------------------------------------------------------------
    def _weekly_plan(self, settings: ReminderSettings) -> ReminderPlan:
        return ReminderPlan(settings.local_time, ZoneInfo(settings.timezone), frozenset({WEEKLY_WEEKDAY}))

    async def schedule_weekly(self, settings: ReminderSettings, *, after: datetime | None = None) -> datetime:
        """(Re)schedule the weekly reflection at the member's reminder time on Sunday."""
        return await self._schedule_personal(
            WEEKLY_KIND, self._weekly_plan(settings), settings.user_id, weekly_key(settings.user_id), after
        )

    async def cancel_weekly(self, user_id: int) -> None:
        """Forget the pending weekly reflection."""
        await self._timers.cancel(dedupe_key=weekly_key(user_id))

    async def handle_weekly(self, timer: Timer) -> None:
        """Send the week's summary (unless paused, late, opted out or unreachable) and schedule the next."""
        assert timer.user_id is not None
        settings = await self._store.checkins.get_reminder(timer.user_id)
        if settings is None or not settings.weekly or self._send_weekly is None:
            return
        if not await self._store.prefs.is_reachable(timer.user_id):
            return
        now = self._clock.now()
        zone = ZoneInfo(settings.timezone)
        local_day = timer.due_at.astimezone(zone).date()
        paused = settings.paused_until is not None and local_day < settings.paused_until
        if not paused and should_send_late(timer.lateness(now)):
            entries = await self._store.checkins.entries_since(timer.user_id, local_day - timedelta(days=6))
            with using_locale(await self._store.prefs.locale_of(timer.user_id)):
                text = weekly_summary(entries).render()
            sent = await self._send_weekly(timer.user_id, text)
            if not sent and not await self._store.prefs.is_reachable(timer.user_id):
                return  # DMs closed: no weekly retrying until the member turns it on again
            if not sent:
                log.warning("weekly reflection for %s not delivered; keeping next week's", timer.user_id)
            # The member may have turned it off while the DM was on its way.
            current = await self._store.checkins.get_reminder(timer.user_id)
            if current is None or not current.weekly:
                return
            settings = current
        await self.schedule_weekly(settings, after=max(timer.due_at, now))

    # -- recovery milestones ----------------------------------------------------------------
    async def schedule_milestone(
        self, user_id: int, state: RecoveryState, zone: ZoneInfo, *, after: date | None = None
    ) -> Milestone:
        """Schedule the notice for the next milestone of the current stretch after ``after`` (default
        today), replacing any other."""
        today = self._clock.now().astimezone(zone).date()
        milestone = milestones_after(state.record.stretch_start, today if after is None else after)[0]
        due = local_wall_to_utc(milestone.on, MILESTONE_TIME, zone)
        await self._timers.schedule(
            MILESTONE_KIND,
            due,
            user_id=user_id,
            payload={
                "stretch_start": state.record.stretch_start.isoformat(),
                "label": milestone.label,
                "on": milestone.on.isoformat(),
                "zone": zone.key,
            },
            dedupe_key=milestone_key(user_id),
        )
        return milestone

    async def handle_milestone(self, timer: Timer) -> None:
        """Congratulate on the milestone day, then schedule the next one."""
        assert timer.user_id is not None
        state = await self._store.checkins.get_recovery(timer.user_id)
        if state is None or state.record.stretch_start.isoformat() != timer.payload.get("stretch_start"):
            return  # the date was changed or a new stretch began; that change scheduled its own notice
        milestone = Milestone(str(timer.payload["label"]), date.fromisoformat(str(timer.payload["on"])))
        zone = ZoneInfo(str(timer.payload.get("zone") or "UTC"))
        if timer.lateness(self._clock.now()) < MILESTONE_LATE_LIMIT:
            guild_id = state.celebrate_guild_id if state.celebrate else None
            await self._send_milestone(timer.user_id, milestone, guild_id)
        else:
            log.info(
                "milestone %s for %s skipped: %s late",
                milestone.label,
                timer.user_id,
                timer.lateness(self._clock.now()),
            )
        nxt = milestones_after(state.record.stretch_start, milestone.on)[0]
        await self._timers.schedule(
            MILESTONE_KIND,
            local_wall_to_utc(nxt.on, MILESTONE_TIME, zone),
            user_id=timer.user_id,
            payload={**timer.payload, "label": nxt.label, "on": nxt.on.isoformat()},
            dedupe_key=milestone_key(timer.user_id),
        )
