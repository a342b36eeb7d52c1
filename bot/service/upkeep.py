"""The service board's machinery: the card on the board, reminder and end timers, and repeats.

:class:`BoardKeeper` is shared by everything members do (through :class:`~bot.service.board.ServiceBoard`)
and by the timers, so each step is written once. The Discord side is passed in as a
:class:`~bot.service.ports.ServiceDiscord`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.clock import to_db
from bot.errors import KindredError
from bot.i18n import N_, _, using_locale
from bot.service._models import Opportunity, Recurrence, Status
from bot.service._render import next_not_posted_notice, reminder_text, when_echo
from bot.service._schedule import next_start, reminder_still_useful, reminder_times
from bot.service.ports import CardNotPosted, ServiceDiscord
from bot.timers import Timer
from bot.timezones import resolve_timezone

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.store import Store
    from bot.timers import TimerService

__all__ = ["END_KIND", "NO_BOARD", "REMIND_KIND", "SERIES_LOOKBACK", "BoardKeeper", "remind_key"]

log = logging.getLogger(__name__)

REMIND_KIND = "service-remind"
END_KIND = "service-end"
NO_BOARD = N_(
    "There's no service board set up yet, so I have nowhere to post this. "
    "A moderator can choose one with `/config service-board`."
)
# A repeating series whose newest occurrence ended more than this long ago stopped on purpose (the bot
# left the server, or the occurrence never reached the board): it is not restarted.
SERIES_LOOKBACK = timedelta(days=8)  # longer than the longest gap a restart leaves the chain to pick up


def remind_key(opp_id: int, user_id: int, lead: str) -> str:
    """Timer key for one member's reminder; the trailing colon keeps #1 from matching #12."""
    return f"service-remind:{opp_id}:{user_id}:{lead}"


class BoardKeeper:
    """Keeps each opportunity's card, reminders and end timer in step with the database."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, discord: ServiceDiscord) -> None:
        self.store, self.timers, self.clock, self.discord = store, timers, clock, discord

    async def dm(self, user_id: int, render: Callable[[], str], *, stop_button_for: int | None = None) -> None:
        """DM a member the text ``render`` writes, in the language they last used with Kindred.

        Notices and reminders reach people other than whoever acted (or arrive from a timer), so each recipient's
        own language is looked up rather than the one of the moment; the "Stop reminders" button follows it too.
        """
        with using_locale(await self.store.prefs.locale_of(user_id)):
            await self.discord.dm(user_id, render(), stop_button_for=stop_button_for)

    # -- the board card --------------------------------------------------------------------
    async def post_card(self, opp: Opportunity) -> str:
        """Post a new card on the board (the configured one, else where the series was); returns its link."""
        config = await self.store.config.get(opp.guild_id)
        channel_id = config.service_board_channel_id or opp.channel_id
        posted_in, message_id, link = await self.discord.post_card(opp, channel_id)
        await self.store.service.set_message(opp.id, posted_in, message_id)
        await self.schedule_end(opp)
        return link

    async def refresh_card(self, opp_id: int) -> None:
        """Redraw the card after sign-ups or details change. Failures are logged, not raised."""
        opp = await self.store.service.get(opp_id)
        if opp is None or opp.channel_id is None or opp.message_id is None:
            return
        await self.discord.refresh_card(opp)

    # -- timers ----------------------------------------------------------------------------
    async def schedule_reminders(self, opp: Opportunity, user_id: int) -> list[str]:
        """Set (or move) the 24 h and 1 h reminders; leads already past are dropped. Returns those set."""
        due = {r.lead: r.due_at for r in reminder_times(opp.starts_at, self.clock.now())}
        for lead in ("24h", "1h"):
            key = remind_key(opp.id, user_id, lead)
            if lead in due:
                payload = {"opp_id": opp.id, "lead": lead, "starts_at": to_db(opp.starts_at)}
                await self.timers.schedule(
                    REMIND_KIND, due[lead], guild_id=opp.guild_id, user_id=user_id, payload=payload, dedupe_key=key
                )
            else:
                await self.timers.cancel(dedupe_key=key)
        return list(due)

    async def cancel_reminders(self, opp_id: int, user_id: int | None = None) -> None:
        """Drop pending reminders for one member, or for everyone on the opportunity."""
        suffix = f"{user_id}:" if user_id is not None else ""
        await self.timers.cancel_prefix(f"service-remind:{opp_id}:{suffix}")

    async def cancel_all_timers(self, opp_id: int) -> None:
        """Drop every reminder and the end timer of a closed opportunity."""
        await self.cancel_reminders(opp_id)
        await self.timers.cancel(dedupe_key=f"service-end:{opp_id}")

    async def schedule_end(self, opp: Opportunity) -> None:
        """The timer that closes the opportunity when it ends (and makes its series' next one)."""
        await self.timers.schedule(
            END_KIND, opp.ends_at, guild_id=opp.guild_id, payload={"opp_id": opp.id}, dedupe_key=f"service-end:{opp.id}"
        )

    async def on_reminder(self, timer: Timer) -> None:
        """Send one reminder, unless it was cancelled, moved, or the member opted out."""
        opp = await self.store.service.get(int(timer.payload["opp_id"]))
        user_id = timer.user_id
        if opp is None or user_id is None or opp.status is not Status.OPEN:
            return
        if timer.payload.get("starts_at") != to_db(opp.starts_at):
            return  # the time was edited; the rescheduled reminder will come instead
        now, lead = self.clock.now(), str(timer.payload["lead"])
        if not reminder_still_useful(lead, opp.starts_at, now):
            log.info("reminder %s for %s came too late to help; not sent", lead, opp.id)
            return
        if not self.discord.has_guild(opp.guild_id):
            return  # the bot was removed from that server: its board and card are gone
        if not await self.store.service.wants_reminder(opp.id, user_id):
            return
        await self.dm(user_id, lambda: reminder_text(opp, lead, now), stop_button_for=opp.id)

    async def on_end(self, timer: Timer) -> None:
        """The end time passed: close it if nobody completed it, and start the series' next one."""
        opp = await self.store.service.get(int(timer.payload["opp_id"]))
        if opp is None:
            return
        closed = await self.store.service.close(opp.id, Status.PASSED, now=self.clock.now())
        if closed is not None and self.discord.has_guild(opp.guild_id):
            await self.refresh_card(opp.id)
        # PASSED too: a run cut off after closing it must still make the next one on its retry. CANCELLED
        # too: one occurrence cancelled on its own (a series-ending cancel no longer repeats) whose
        # next one a restart cut off is made here, from the end timer the reconciler put back.
        if opp.status in (Status.OPEN, Status.COMPLETED, Status.PASSED, Status.CANCELLED):
            await self.spawn_next(opp)

    async def spawn_next(self, opp: Opportunity) -> Opportunity | None:
        """Create and post the series' next occurrence, by its repeat rule (once only).

        A series stops rather than repeat for ever where nobody can see it: when the bot is no
        longer in the server, or after an occurrence that never made it onto the board.
        """
        if opp.recurrence is Recurrence.NONE:
            return None
        if not self.discord.has_guild(opp.guild_id):
            log.info("not repeating %s: the bot is no longer in server %s", opp.id, opp.guild_id)
            return None
        if opp.message_id is None:
            log.info("not repeating %s: it was never posted on the board", opp.id)
            return None
        starts_at = next_start(opp.starts_at, resolve_timezone(opp.zone), opp.recurrence, self.clock.now())
        nxt = await self.store.service.spawn_next(opp.id, starts_at, now=self.clock.now())
        if nxt is None:
            return None
        try:
            await self.post_card(nxt)
        except (KindredError, CardNotPosted):
            # Kept as open so nothing is lost (it shows in /service list); the poster is told, and the
            # series ends after it, since further occurrences would land nowhere too.
            log.exception("could not post the next occurrence %s of %s", nxt.id, opp.id)
            await self.schedule_end(nxt)
            await self.dm(nxt.poster_user_id, lambda: next_not_posted_notice(nxt))
        return nxt

    async def reconcile(self) -> int:
        """Add every missing end timer; returns how many were added.

        The end timer closes an occurrence and makes next week's, so a crash between the two (or an end
        timer lost before it fired) would otherwise end a repeating series silently.
        """
        taken = await self.timers.active_keys(f"{END_KIND}:")
        added = 0
        for opp in await self.store.service.needing_end_timer(since=self.clock.now() - SERIES_LOOKBACK):
            if f"{END_KIND}:{opp.id}" not in taken:
                await self.schedule_end(opp)
                added += 1
        return added

    # -- the waitlist ----------------------------------------------------------------------
    async def promoted(self, opp: Opportunity, user_ids: list[int]) -> None:
        """Tell members who moved up from the waitlist, and set their reminders."""
        for user_id in user_ids:
            await self.schedule_reminders(opp, user_id)
            await self.dm(
                user_id,
                lambda: _(
                    "Good news: a place opened up on **{title}**, {when}, and it's yours. "
                    "If you can't make it now, `/service withdraw {id}` passes it on."
                ).format(title=opp.title, when=when_echo(opp.starts_at), id=opp.id),
                stop_button_for=opp.id,
            )

    async def free_places(self, user_id: int, opp_ids: list[int]) -> None:
        """Take a member off these opportunities; each freed slot goes to the first person waiting."""
        now = self.clock.now()
        for opp_id in opp_ids:
            result = await self.store.service.withdraw(opp_id, user_id, now=now)
            await self.cancel_reminders(opp_id, user_id)
            opp = await self.store.service.get(opp_id)
            if opp is not None:
                await self.promoted(opp, list(result.promoted))
            await self.refresh_card(opp_id)
