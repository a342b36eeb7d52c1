"""ServiceBoard: what happens when someone posts, joins, leaves, edits, cancels or completes an opportunity.

The rules live in the rest of :mod:`bot.service` and the store; this class sequences them with
the Discord side effects (the board card, DMs, timers, through :class:`~bot.service.upkeep.BoardKeeper`)
and answers the member through the ``reply`` they pass in.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot.clock import discord_ts
from bot.errors import KindredError, permission_names
from bot.i18n import _
from bot.repeats import check_repeat, describe_repeat
from bot.service._models import JoinOutcome, Kind, NewOpportunity, Opportunity, Recurrence, SignupStatus, Status
from bot.service._render import (
    cancel_notice,
    change_notice,
    describe_changes,
    join_text,
    newcomer_notice,
    thank_you_dm,
    when_echo,
)
from bot.service._schedule import next_start
from bot.service.ports import CardNotPosted, Reply, ServiceDiscord
from bot.service.upkeep import END_KIND, REMIND_KIND, BoardKeeper
from bot.timers import TimerHandler
from bot.timezones import resolve_timezone

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.rate_limits import Verdict
    from bot.store import Store
    from bot.timers import TimerService

__all__ = ["ServiceBoard"]

log = logging.getLogger(__name__)


class ServiceBoard:
    """Service opportunities: posting, signing up, reminders and gratitude, for commands, buttons and timers."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, discord: ServiceDiscord) -> None:
        self.store, self.clock, self.discord = store, clock, discord
        self.keeper = BoardKeeper(store, timers, clock, discord)

    def timer_handlers(self) -> dict[str, TimerHandler]:
        """The timer kinds the board runs on, and their handlers."""
        return {REMIND_KIND: self.keeper.on_reminder, END_KIND: self.keeper.on_end}

    async def reconcile(self) -> int:
        """Add every missing end timer; returns how many were added."""
        return await self.keeper.reconcile()

    # -- checks ----------------------------------------------------------------------------
    async def load(self, opp_id: int, guild_id: int | None = None) -> Opportunity:
        """The opportunity, or a specific error if it doesn't exist (here)."""
        opp = await self.store.service.get(opp_id)
        if opp is None or (guild_id is not None and opp.guild_id != guild_id):
            raise KindredError(
                _("I couldn't find service opportunity #{id}. `/service list` shows open ones.").format(id=opp_id)
            )
        return opp

    async def load_managed(self, opp_id: int, guild_id: int | None, user_id: int, *, moderator: bool) -> Opportunity:
        """The opportunity, if the member posted it or is a moderator (Manage Server)."""
        opp = await self.load(opp_id, guild_id)
        if opp.poster_user_id != user_id and not moderator:
            raise KindredError(
                _(
                    "Only the person who posted this opportunity, or a moderator with **{permission}**, can change it."
                ).format(permission=permission_names(["manage_guild"]))
            )
        return opp

    # -- posting and editing ---------------------------------------------------------------
    async def post(self, new: NewOpportunity, limit: Verdict) -> tuple[Opportunity, str]:
        """Record and post a new opportunity; returns it and its card's link. A failed post leaves nothing behind."""
        opp = await self.store.service.create(new, now=self.clock.now())
        try:
            link = await self.keeper.post_card(opp)
        except (KindredError, CardNotPosted) as exc:
            await self.store.limits.give_back(limit)
            await self.store.service.close(opp.id, Status.CANCELLED, now=self.clock.now(), end_series=True)
            if isinstance(exc, KindredError):
                raise
            log.exception("could not post opportunity %s on the board", opp.id)
            raise KindredError(
                _(
                    "I couldn't post on the service board: I may be missing permission to send messages there. "
                    "A moderator can check my role's permissions for that channel."
                )
            ) from exc
        return opp, link

    async def edit(
        self,
        opp: Opportunity,
        *,
        title: str,
        description: str,
        starts_at: datetime,
        duration: timedelta,
        slots: int,
        recurrence: Recurrence | None = None,
        by_user: int,
        reply: Reply,
    ) -> None:
        """Apply an edit: move timers, answer the editor, tell everyone signed up, promote, redraw the card.

        ``recurrence`` ``None`` keeps the repeat; a monthly repeat follows the (new) start's weekday.
        """
        edited = replace(
            opp,
            title=title,
            description=description,
            starts_at=starts_at,
            duration=duration,
            slots=slots,
            recurrence=recurrence or opp.recurrence,
        )
        check_repeat(starts_at, resolve_timezone(opp.zone), edited.recurrence)
        old, new, promoted = await self.store.service.update(edited, now=self.clock.now())
        if not describe_changes(old, new):
            await reply(_("That's the same as before, so nothing changed."), False)
            return
        if old.ends_at != new.ends_at:
            await self.keeper.schedule_end(new)
        if old.starts_at != new.starts_at:
            for user_id in new.volunteers:
                if user_id not in promoted:
                    await self.keeper.schedule_reminders(new, user_id)
        rule = describe_repeat(new.starts_at, resolve_timezone(new.zone), new.recurrence)
        updated = (
            _(
                "Updated **{title}** (#{id}), now {when}, repeating {rule}. I'm letting the volunteers know what changed."
            )
            if rule
            else _("Updated **{title}** (#{id}), now {when}. I'm letting the volunteers know what changed.")
        )
        await reply(updated.format(title=new.title, id=new.id, when=when_echo(new.starts_at), rule=rule), False)
        for user_id in (*old.volunteers, *old.waitlist):
            if user_id != by_user:
                await self.keeper.dm(user_id, lambda: change_notice(old, new))
        await self.keeper.promoted(new, promoted)
        await self.keeper.refresh_card(new.id)

    # -- signing up ------------------------------------------------------------------------
    async def join(self, opp_id: int, guild_id: int | None, user_id: int, reply: Reply) -> None:
        """Volunteer (or join the waitlist) and answer privately."""
        opp = await self.load(opp_id, guild_id)
        result = await self.store.service.join(opp_id, user_id, now=self.clock.now())
        if result.outcome is JoinOutcome.VOLUNTEERED:
            leads = await self.keeper.schedule_reminders(opp, user_id)
            await reply(join_text(opp, leads), bool(leads))
        elif result.outcome is JoinOutcome.WAITLISTED:
            await reply(
                _(
                    "**{title}** is full right now, so you're number {position} on the waitlist. "
                    "If a place opens up it's yours automatically, and I'll DM you."
                ).format(title=opp.title, position=result.position),
                False,
            )
        elif result.outcome is JoinOutcome.ALREADY_VOLUNTEER:
            await reply(_("You're already signed up for **{title}**. Thank you!").format(title=opp.title), False)
            return
        else:
            await reply(
                _("You're already on the waitlist for **{title}** (number {position}).").format(
                    title=opp.title, position=result.position
                ),
                False,
            )
            return
        await self.keeper.refresh_card(opp_id)

    async def withdraw(self, opp_id: int, guild_id: int | None, user_id: int, reply: Reply) -> None:
        """Withdraw, promote whoever was first in line, and answer privately."""
        opp = await self.load(opp_id, guild_id)
        result = await self.store.service.withdraw(opp_id, user_id, now=self.clock.now())
        if result.was is None:
            raise KindredError(
                _("You aren't signed up for **{title}**, so there's nothing to withdraw from.").format(title=opp.title)
            )
        await self.keeper.cancel_reminders(opp_id, user_id)
        left = (
            _("You've left the waitlist for **{title}**. Thanks for letting us know; that's a kindness too.")
            if result.was is SignupStatus.WAITLIST
            else _("You've left **{title}**. Thanks for letting us know; that's a kindness too.")
        )
        await reply(left.format(title=opp.title), False)
        await self.keeper.promoted(opp, list(result.promoted))
        await self.keeper.refresh_card(opp_id)

    async def stop_reminders(self, opp_id: int, user_id: int, reply: Reply) -> None:
        """Turn reminders off for one opportunity; they stay signed up."""
        opp = await self.load(opp_id)
        if not await self.store.service.set_reminders(opp_id, user_id, on=False):
            raise KindredError(
                _("You're not signed up for **{title}** any more, so there are no reminders to stop.").format(
                    title=opp.title
                )
            )
        await self.keeper.cancel_reminders(opp_id, user_id)
        await reply(
            _("Okay, no more reminders for **{title}**. You're still signed up; thank you.").format(title=opp.title),
            False,
        )

    # -- after -----------------------------------------------------------------------------
    async def cancel(
        self,
        opp_id: int,
        reason: str | None,
        by_user: int,
        answer: Callable[[str], Awaitable[None]],
        *,
        whole_series: bool = False,
    ) -> None:
        """Cancel (after confirmation): tell everyone who signed up, kindly, and close the card.

        Cancelling one occurrence of a repeating series keeps the series: its next occurrence is made
        straight away (and, should a restart cut that off, by the end timer the reconciler puts back).
        ``whole_series`` makes this the last one.
        """
        before = await self.store.service.get(opp_id)
        closed = await self.store.service.close(opp_id, Status.CANCELLED, now=self.clock.now(), end_series=whole_series)
        if before is None or closed is None:
            raise KindredError(_("#{id} isn't open any more, so there's nothing to cancel.").format(id=opp_id))
        await self.keeper.cancel_all_timers(opp_id)
        repeats = before.recurrence is not Recurrence.NONE
        text = _("**{title}** is cancelled, and I'm letting everyone who signed up know.").format(title=closed.title)
        if repeats and whole_series:
            text += " " + _("The series ends with it: nothing more will be posted.")
        elif repeats:
            # Worked out before posting it: the answer must reach Discord within its 3 seconds.
            zone = resolve_timezone(closed.zone)
            upcoming = next_start(closed.starts_at, zone, closed.recurrence, self.clock.now())
            text += " " + _("The series carries on: the next one is {when}.").format(when=discord_ts(upcoming, "F"))
        await answer(text)
        if repeats and not whole_series:
            await self.keeper.spawn_next(closed)
        for user_id in (*closed.volunteers, *closed.waitlist):
            if user_id != by_user:
                await self.keeper.dm(user_id, lambda: cancel_notice(closed, reason))
        await self.keeper.refresh_card(opp_id)

    async def complete(
        self, opp_id: int, served: list[int], *, thank_publicly: bool, answer: Callable[[str], Awaitable[None]]
    ) -> None:
        """Record who served, thank each one personally, and optionally thank them in public."""
        done = await self.store.service.complete(opp_id, served, now=self.clock.now())
        if done is None:
            raise KindredError(_("#{id} was already completed or cancelled.").format(id=opp_id))
        served = [uid for uid in served if uid in done.volunteers]
        await self.keeper.cancel_all_timers(opp_id)
        text = _("**{title}** is marked complete.").format(title=done.title)
        if served:
            text += " " + _("I've sent each person who helped a personal thank-you.")
        await answer(text)
        for user_id in served:
            await self.keeper.dm(user_id, lambda: thank_you_dm(done))
        if thank_publicly and served and done.channel_id is not None:
            await self.discord.thank_in_public(done, served)
        await self.keeper.refresh_card(opp_id)
        await self.keeper.spawn_next(done)

    # -- erasure and departures ------------------------------------------------------------
    async def before_erase(self, user_id: int, guild_id: int | None) -> None:
        """Before a member's data is erased: free their places and close their posts, neutrally.

        Without this, erasing sign-up rows would leave a free slot nobody on the waitlist is given,
        and erasing a poster's opportunities would leave volunteers expecting an event that's gone.
        """
        now = self.clock.now()
        signed, posted = await self.store.service.open_involving(user_id, guild_id)
        await self.keeper.free_places(user_id, signed)
        for opp_id in posted:
            closed = await self.store.service.close(opp_id, Status.CANCELLED, now=now, end_series=True)
            if closed is None:
                continue
            await self.keeper.cancel_all_timers(opp_id)
            for volunteer in (*closed.volunteers, *closed.waitlist):
                await self.keeper.dm(volunteer, partial(cancel_notice, closed, None))
            await self.keeper.refresh_card(opp_id)

    async def member_left(self, guild_id: int, user_id: int) -> None:
        """Someone left the server: their places pass on, and no reminders follow them out.

        Their own posts stay up, so volunteers aren't left guessing; a moderator can cancel them.
        """
        signed, _ = await self.store.service.open_involving(user_id, guild_id)
        await self.keeper.free_places(user_id, signed)

    async def welcome(self, guild_id: int, guild_name: str, member_id: int) -> None:
        """If a newcomer-welcome shift is running, tell its volunteers privately, by DM; nothing is posted."""
        told: set[int] = {member_id}
        for opp in await self.store.service.running(guild_id, Kind.NEWCOMER_WELCOME, now=self.clock.now()):
            for volunteer in opp.volunteers:
                if volunteer not in told:
                    told.add(volunteer)
                    await self.keeper.dm(volunteer, lambda: newcomer_notice(guild_name, member_id))
