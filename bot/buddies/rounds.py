"""The buddy feature's service: round timers, matching, introductions, follow-ups.

Published by the buddy cog as ``bot.features.buddies``. The rules live in :mod:`bot.buddies` and
:mod:`bot.matching`; this module gathers data from the store, calls them, and does the sending (the groups'
introductions in :mod:`bot.buddies.introductions`), with
the buttons it attaches passed in by the cog (:class:`RoundButtons`). A round is recorded (round row, groups, everyone's new
state) in one transaction keyed by its scheduled time, so a restart can neither lose nor repeat it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.buddies import text
from bot.buddies.introductions import Intro, introduce_all, shared_locale
from bot.buddies.lifecycle import rounds_since_paired, settle_quiet_rounds
from bot.buddies.outcomes import EndedPairing, Plan, RoundReport
from bot.buddies.profiles import build_candidates, eligibility
from bot.buddies.schedule import Cadence, connect_at, next_round_at, nudge_at
from bot.clock import from_db, to_db
from bot.i18n import N_, _, using_locale
from bot.matching import match
from bot.messaging import NO_PINGS, send_dm
from bot.store.buddy_rounds import UNMATCHED, GroupInfo

if TYPE_CHECKING:
    from bot.host import Host
    from bot.store.buddy_rounds import RoundInfo
    from bot.timers import Timer

__all__ = ["CONNECT", "NUDGE", "ROUND", "BuddyRounds", "EndedPairing", "Plan", "RoundButtons", "RoundReport"]

log = logging.getLogger(__name__)

ROUND, NUDGE, CONNECT = "buddy-round", "buddy-nudge", "buddy-connect"
# Enough history for the matcher's "not paired recently" preference.
_FRESH_HISTORY = 8
THREAD_CLOSED = N_("This pairing has ended. Thank you both for giving it a go.")


@dataclass(frozen=True, slots=True)
class RoundButtons:
    """The persistent buttons rounds attach to their DMs, built by the buddy cog (views live beside it)."""

    skip: Callable[[int, datetime], discord.ui.View]
    """The nudge's "Skip this round", given the server and the round's time."""
    connect: Callable[[int], discord.ui.View]
    """The halfway "Did you connect?" answers, given the group."""


class BuddyRounds:
    """Round scheduling and running for every server."""

    def __init__(self, bot: Host, buttons: RoundButtons) -> None:
        self.bot = bot
        self.buttons = buttons

    async def _locale(self, user_id: int) -> str | None:
        """The language a timer writes to this member in: the one they last used with Kindred."""
        return await self.bot.store.prefs.locale_of(user_id)

    # -- scheduling --------------------------------------------------------------------------
    async def next_scheduled(self, guild_id: int) -> datetime | None:
        """When the next scheduled round is due, if one is pending."""
        pending = await self.bot.timers.pending(kind=ROUND, dedupe_key=f"{ROUND}:{guild_id}")
        return pending[0].due_at if pending else None

    async def ensure_scheduled(self, guild_id: int) -> datetime:
        """Make sure the server has a pending round timer; returns when the next round runs."""
        due = await self.next_scheduled(guild_id)
        return due if due is not None else await self.reschedule(guild_id)

    async def reconcile(self) -> int:
        """Every server with opted-in members has its round timer; returns how many were missing and added."""
        taken = await self.bot.timers.active_keys(f"{ROUND}:")
        added = 0
        for guild_id in await self.bot.store.buddies.guilds_with_members():
            # Each process rebuilds its own servers' rhythm (another's server isn't in this one's cache).
            if f"{ROUND}:{guild_id}" not in taken and self.bot.timers.ownership.owns(guild_id):
                await self.reschedule(guild_id)
                added += 1
        return added

    async def reschedule(self, guild_id: int) -> datetime:
        """(Re)compute the next round from the server's settings and replace its round and nudge timers."""
        config = await self.bot.store.config.get(guild_id)
        last = await self.bot.store.buddies.rounds.latest_round(guild_id)
        last_at = None if last is None else (last.scheduled_for or last.ran_at)
        now = self.bot.clock.now()
        due = next_round_at(Cadence.from_config(config), after=now, last_round=last_at)
        await self._schedule(guild_id, due)
        return due

    async def _schedule(self, guild_id: int, due: datetime) -> None:
        await self.bot.timers.schedule(
            ROUND, due, guild_id=guild_id, payload={"at": to_db(due)}, dedupe_key=f"{ROUND}:{guild_id}"
        )
        when = nudge_at(due, now=self.bot.clock.now())
        if when is None:
            await self.bot.timers.cancel(dedupe_key=f"{NUDGE}:{guild_id}")
        else:
            await self.bot.timers.schedule(
                NUDGE, when, guild_id=guild_id, payload={"at": to_db(due)}, dedupe_key=f"{NUDGE}:{guild_id}"
            )

    # -- timer handlers ----------------------------------------------------------------------
    async def on_round_timer(self, timer: Timer) -> None:
        """A scheduled round fell due: run it, and always line up the next one."""
        assert timer.guild_id is not None
        scheduled_for = from_db(timer.payload["at"])
        self.bot.timers.ownership.require(timer.guild_id)  # absent from another process's cache isn't removed
        if self.bot.get_guild(timer.guild_id) is None:
            # The bot was removed from the server: let its rhythm stop. Rejoining re-seeds it.
            log.info("buddy round for guild %s skipped: the bot is no longer in that server", timer.guild_id)
            return
        try:
            if await self.bot.store.buddies.active_member_ids(timer.guild_id):
                await self.run_round(timer.guild_id, scheduled_for=scheduled_for)
        finally:
            # Even if this round failed, the server's rhythm continues (unless nobody is opted in).
            if await self.bot.store.buddies.active_member_ids(timer.guild_id):
                await self.ensure_scheduled(timer.guild_id)

    async def on_nudge_timer(self, timer: Timer) -> None:
        """A day before: offer every opted-in member a one-click skip."""
        assert timer.guild_id is not None
        round_at = from_db(timer.payload["at"])
        if await self.next_scheduled(timer.guild_id) != round_at:
            log.info("stale buddy nudge for guild %s ignored", timer.guild_id)
            return
        self.bot.timers.ownership.require(timer.guild_id)
        guild = self.bot.get_guild(timer.guild_id)
        if guild is None:
            log.info("buddy nudge for guild %s skipped: the bot is no longer in that server", timer.guild_id)
            return
        for profile in await self.bot.store.buddies.profiles(timer.guild_id):
            if profile.paused_at(round_at) or not profile.reachable:
                continue
            if guild.get_member(profile.user_id) is None:
                continue  # they left the server: no DMs about it, and they won't be paired anyway
            if profile.skip_round_at is not None and profile.skip_round_at >= round_at:
                continue
            with using_locale(await self._locale(profile.user_id)):
                content, view = text.nudge_dm(round_at), self.buttons.skip(timer.guild_id, round_at)
            await send_dm(self.bot, profile.user_id, content=content, view=view)

    async def on_connect_timer(self, timer: Timer) -> None:
        """Halfway through a round: ask each member still paired whether they connected."""
        round_id = int(timer.payload["round_id"])
        info = await self.bot.store.buddies.rounds.get_round(round_id)
        latest = None if info is None else await self.bot.store.buddies.rounds.latest_round(info.guild_id)
        if info is None or latest is None or latest.id != round_id:
            return  # a newer round already replaced this one
        for group in await self.bot.store.buddies.rounds.round_groups(round_id):
            for user_id in group.user_ids:
                with using_locale(await self._locale(user_id)):
                    content, view = text.connect_prompt(), self.buttons.connect(group.id)
                await send_dm(self.bot, user_id, content=content, view=view)

    # -- planning and running ----------------------------------------------------------------
    async def plan(self, guild_id: int, round_at: datetime) -> Plan:
        """Everything a round would decide, without writing anything (also the moderators' preview)."""
        store = self.bot.store
        config = await store.config.get(guild_id)
        profiles = await store.buddies.profiles(guild_id)
        latest = await store.buddies.rounds.latest_round(guild_id)
        answers = {} if latest is None else await self._connect_answers(latest.id)
        quiet = settle_quiet_rounds(answers, {p.user_id: p.ignored_rounds for p in profiles})
        guild = self.bot.get_guild(guild_id)
        kept = await store.newcomer_pairs.kept_newcomers(guild_id)  # they keep their first-30-days buddy
        eligible = [
            p
            for p in profiles
            if p.user_id not in quiet.to_pause
            and p.user_id not in kept
            and eligibility(
                p, round_at=round_at, in_server=guild is not None and guild.get_member(p.user_id) is not None
            ).ok
        ]
        ids, memberships = await store.buddies.rounds.recent_memberships(guild_id, _FRESH_HISTORY)
        candidates = build_candidates(eligible, round_at=round_at, rounds_since=rounds_since_paired(ids, memberships))
        seed = (guild_id ^ int(round_at.timestamp())) & 0x7FFFFFFF
        avoid = await store.buddies.avoid_pairs(guild_id)
        recent = await store.buddies.rounds.recent_pairs(guild_id, config.pairing_repeat_window)
        # Seconds of CPU in a large server: in a thread, the bot keeps answering everyone meanwhile.
        # (A process would free the interpreter lock too, but copying the round there and back holds
        # it as long as the thread's own longest stretch does: benchmarks/bench_loop_lag.py measures.)
        # The stored reason is English whoever runs the round; each introduction is written in its readers' language.
        with using_locale(None):
            result = await asyncio.to_thread(
                functools.partial(match, candidates, avoid=avoid, recent_pairs=recent, seed=seed)
            )
        return Plan(result, len(eligible), len(profiles) - len(eligible), quiet, seed)

    async def _connect_answers(self, round_id: int) -> dict[int, str | None]:
        """Last round's "Did you connect?" answers, or none at all if the question was never asked.

        A round replaced before its halfway point (``/buddy pair-now``, or rounds run back to back)
        asked nobody anything, so nobody can have ignored it.
        """
        if await self.bot.timers.pending(kind=CONNECT, dedupe_key=f"{CONNECT}:{round_id}"):
            return {}
        return await self.bot.store.buddies.rounds.quiet_answers(round_id)

    async def run_round(self, guild_id: int, *, scheduled_for: datetime | None) -> RoundReport | None:
        """Run a round (scheduled, or now for /buddy pair-now). None if this scheduled round already ran.

        A scheduled round that already ran but was cut off (a restart mid-introductions) is finished instead:
        only the groups and DMs still owed go out.
        """
        store = self.bot.store
        if scheduled_for is not None:
            already = await store.buddies.rounds.scheduled_round(guild_id, scheduled_for)
            if already is not None:
                await self._finish_cut_off(already)
                return None
        now = self.bot.clock.now()
        round_at = scheduled_for or now
        config = await store.config.get(guild_id)
        if scheduled_for is not None:
            ends_at = next_round_at(
                Cadence.from_config(config), after=max(now, scheduled_for), last_round=scheduled_for
            )
        else:
            ends_at = await self.next_scheduled(guild_id) or await self.reschedule(guild_id)
        plan = await self.plan(guild_id, round_at)
        recorded = await store.buddies.rounds.record_round(
            guild_id,
            scheduled_for=scheduled_for,
            ran_at=now,
            ends_at=ends_at,
            seed=plan.seed,
            groups=[(g.reason, g.user_ids) for g in plan.result.groups],
            unmatched=plan.result.unmatched,
            quiet=plan.quiet,
        )
        if recorded is None:
            return None
        round_id, group_ids = recorded
        # Line up what follows before any sending, so a crash mid-introductions loses no timer.
        if scheduled_for is not None:
            await self._schedule(guild_id, ends_at)
        await self._schedule_connect(round_id, round_at, ends_at, guild_id)
        report = RoundReport(round_id, len(group_ids), plan.result.unmatched, paused=tuple(sorted(plan.quiet.to_pause)))
        intros = [
            Intro(
                GroupInfo(group_id, round_id, guild_id, group.reason, None, "active", group.user_ids, ends_at),
                index,
                group.members,
            )
            for index, (group, group_id) in enumerate(zip(plan.result.groups, group_ids, strict=True))
        ]
        report.by_dm = await self._deliver(guild_id, round_id, intros, seed=plan.seed, ends_at=ends_at)
        log.info(
            "buddy round %s in guild %s: %d groups, %d unmatched, %d by DM",
            round_id,
            guild_id,
            report.groups,
            len(report.unmatched),
            report.by_dm,
        )
        return report

    async def _schedule_connect(self, round_id: int, round_at: datetime, ends_at: datetime, guild_id: int) -> None:
        await self.bot.timers.schedule(
            CONNECT,
            connect_at(round_at, ends_at),
            guild_id=guild_id,
            payload={"round_id": round_id},
            dedupe_key=f"{CONNECT}:{round_id}",
        )

    async def _deliver(self, guild_id: int, round_id: int, intros: list[Intro], *, seed: int, ends_at: datetime) -> int:
        """Send what a recorded round owes: its introductions, then the unmatched and paused DMs, each marked
        sent as it goes so a rerun never repeats one. Returns how many groups were introduced by DM."""
        rounds = self.bot.store.buddies.rounds
        config = await self.bot.store.config.get(guild_id)
        by_dm = await introduce_all(self.bot, guild_id, config.buddy_channel_id, intros, seed=seed, ends_at=ends_at)
        for notice in await rounds.notices_owed(guild_id, round_id):
            with using_locale(await self._locale(notice.user_id)):
                content = text.unmatched_dm(ends_at) if notice.kind == UNMATCHED else text.auto_pause_dm()
            await send_dm(self.bot, notice.user_id, content=content)
            await rounds.notice_sent(guild_id, notice.user_id, round_id)
        return by_dm

    async def _finish_cut_off(self, recorded: RoundInfo) -> None:
        """A scheduled round ran before but may have been cut off mid-sending: send only what it still owes."""
        store = self.bot.store
        pending = await store.buddies.rounds.pending_intros(recorded.id)
        owed = await store.buddies.rounds.notices_owed(recorded.guild_id, recorded.id)
        if not pending and not owed:
            log.warning("buddy round %s for guild %s already ran; not repeating it", recorded.id, recorded.guild_id)
            return
        round_at = recorded.scheduled_for or recorded.ran_at
        latest = await store.buddies.rounds.latest_round(recorded.guild_id)
        connect_key = f"{CONNECT}:{recorded.id}"
        if (
            latest is not None
            and latest.id == recorded.id
            and not await self.bot.timers.key_used_since(connect_key, recorded.ran_at)
        ):
            # Cut off before its halfway question was even lined up.
            await self._schedule_connect(recorded.id, round_at, recorded.ends_at, recorded.guild_id)
        profiles = {p.user_id: p for p in await store.buddies.profiles(recorded.guild_id)}
        intros = [
            Intro(
                group,
                index,
                tuple(build_candidates([profiles[u] for u in group.user_ids if u in profiles], round_at=round_at)),
            )
            for index, group in pending
        ]
        log.warning(
            "buddy round %s for guild %s was cut off; finishing it: %d groups and %d DMs still owed",
            recorded.id,
            recorded.guild_id,
            len(intros),
            len(owed),
        )
        await self._deliver(recorded.guild_id, recorded.id, intros, seed=recorded.seed, ends_at=recorded.ends_at)

    # -- ending ------------------------------------------------------------------------------
    async def end_for(self, guild_id: int, user_id: int) -> bool:
        """End the member's current pairing kindly; partners get a neutral DM. False if there was none."""
        ended = await self.end_pairing(guild_id, user_id)
        if ended is None:
            return False
        await self.tell_ended(ended)
        return True

    async def end_pairing(self, guild_id: int, user_id: int) -> EndedPairing | None:
        """The quick, database-only half of ending: the member steps away. None if there was nothing to end.

        Split from :meth:`tell_ended` so ``/buddy end`` can answer within Discord's 3-second deadline
        before the slower DMs and thread tidying.
        """
        store = self.bot.store.buddies.rounds
        group = await store.active_group(guild_id, user_id)
        if group is None:
            return None
        remaining = await store.step_away(group.id, user_id, now=self.bot.clock.now())
        if remaining is None:
            return None  # a racing end (double click, erasure) already did this and tells the partner
        return EndedPairing(guild_id, user_id, group.thread_id, remaining)

    async def tell_ended(self, ended: EndedPairing) -> None:
        """Tell whoever remains, neutrally, and tidy the group's thread."""
        still_grouped = len(ended.remaining) >= 2
        next_round = await self.next_scheduled(ended.guild_id)
        for partner in ended.remaining:
            with using_locale(await self._locale(partner)):
                content = text.end_partner_dm(next_round, still_grouped=still_grouped)
            await send_dm(self.bot, partner, content=content)
        if ended.thread_id is not None:
            with using_locale(await shared_locale(self.bot, (ended.user_id, *ended.remaining))):
                closing = _(THREAD_CLOSED)
            await self._close_thread(ended.thread_id, ended.user_id, still_grouped, closing)

    async def _close_thread(self, thread_id: int, user_id: int, still_grouped: bool, closing: str) -> None:
        try:
            thread = self.bot.get_channel(thread_id) or await self.bot.fetch_channel(thread_id)
            if not isinstance(thread, discord.Thread):
                return
            if still_grouped:
                await thread.remove_user(discord.Object(user_id))
            else:
                await thread.send(closing, allowed_mentions=NO_PINGS)
                await thread.edit(archived=True, locked=True)
        except discord.HTTPException:
            log.exception("could not tidy buddy thread %s after a pairing ended", thread_id)

    async def erase_hook(self, user_id: int, guild_id: int | None) -> None:
        """Before a member's data is erased: end their pairings so partners are told, neutrally."""
        guilds = [guild_id] if guild_id is not None else await self.bot.store.buddies.guilds_of(user_id)
        for gid in guilds:
            await self.end_for(gid, user_id)
