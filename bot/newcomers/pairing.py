"""A buddy now, not next round: members in their first 30 days are paired with a mentor within a day.

A request opens when the member chooses the buddy part; an attempt runs at once on a durable timer
(``newcomer-pair``). The mentor is a buddy member who offered (``/buddy mentor on``), steady or mentor by
their own description, and the matcher's rules hold: never someone on either one's do-not-pair list, never
a recent pair or a mentor they asked to change from, nobody paused, skipping or unreachable, and among the
rest the best :func:`bot.matching.compatibility` (interests, time zone, pathway). No mentor has more than
the server's ``newcomer_mentor_cap`` at once. When none is free the member is told honestly, once, and the
request waits: every time a mentor frees up (or offers), waiting requests are tried again in the order
they were made. A pair sits out the normal rounds together until either asks to change.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar, Protocol

from bot.buddies.profiles import build_candidates, eligibility
from bot.i18n import N_
from bot.matching import Candidate, compatibility
from bot.timezones import utc_offset_minutes

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.store import Store
    from bot.store.newcomer_pairs import NewcomerPair
    from bot.timers import Timer, TimerService

__all__ = ["ENDED_TEXT", "NO_MENTOR_TEXT", "PAIR_KIND", "BuddyNow", "PairPort", "pick_mentor"]

log = logging.getLogger(__name__)

PAIR_KIND = "newcomer-pair"

# Notes are English, marked for the catalogue; the port writes each in its reader's language.
NO_MENTOR_TEXT = N_(
    "I haven't been able to introduce you to a buddy yet: everyone who offered to be a buddy for people "
    "starting out has their hands full right now. I haven't forgotten you. You're in line, and I'll "
    "introduce you as soon as one is free.\n"
    "Meanwhile, `/room list` shows rooms you can drop into (listening is fine), and `/resources show` lists "
    "people you can reach any time."
)
ENDED_TEXT = N_("Your first-30-days buddy pairing has ended. No reason is shared, and none is needed. Thank you.")
NEXT_BUDDY_TEXT = N_(
    "Your first-30-days buddy pairing has ended; that happens and it isn't about you. "
    "I'll introduce you to someone else as soon as a buddy is free."
)
PERIOD_DONE_TEXT = N_(
    "A member you've been walking alongside has finished their first 30 days, so that pairing comes to its "
    "natural end. Thank you for being there for them."
)


class PairPort(Protocol):
    """The Discord side of pairing."""

    def in_server(self, guild_id: int, user_id: int) -> bool: ...
    async def introduce(self, guild_id: int, pair_id: int, newcomer_id: int, mentor_id: int) -> None: ...
    async def tell(self, user_id: int, text: str) -> bool:
        """Send ``text`` (English, marked for the catalogue) privately, in the member's own language."""
        ...

    async def close_thread(self, thread_id: int, newcomer_id: int) -> None:
        """Close the pair's thread with a neutral line, in the newcomer's language."""
        ...


def pick_mentor(
    newcomer: Candidate, mentors: list[Candidate], *, forbidden: set[int], load: dict[int, int], cap: int
) -> int | None:
    """The best free mentor for ``newcomer``, or None. Ties go to the least loaded, then the lowest id."""
    free = [m for m in mentors if m.user_id != newcomer.user_id and m.user_id not in forbidden]
    free = [m for m in free if load.get(m.user_id, 0) < cap]
    if not free:
        return None
    best = max(free, key=lambda m: (compatibility(newcomer, m), -load.get(m.user_id, 0), -m.user_id))
    return best.user_id


class BuddyNow:
    """First-30-days pairing for every server."""

    kind: ClassVar[str] = PAIR_KIND
    """The timer kind whose attempts :meth:`handle_attempt` takes (routed by ``FirstDays``)."""

    def __init__(self, store: Store, timers: TimerService, clock: Clock, port: PairPort) -> None:
        self._store, self._timers, self._clock, self._port = store, timers, clock, port

    # -- requests -------------------------------------------------------------------------------
    async def request(self, guild_id: int, user_id: int) -> NewcomerPair:
        """Open the member's request (once) and try to pair it now."""
        pair = await self._store.newcomer_pairs.request(guild_id, user_id, now=self._clock.now())
        if pair.status == "waiting":
            await self._attempt_soon(pair)
        return pair

    async def _attempt_soon(self, pair: NewcomerPair) -> None:
        await self._timers.schedule(
            PAIR_KIND,
            self._clock.now(),
            guild_id=pair.guild_id,
            user_id=pair.user_id,
            payload={"pair": pair.id},
            dedupe_key=f"{PAIR_KIND}:{pair.id}",
        )

    async def free_up(self, guild_id: int) -> int:
        """A mentor may be free: try every waiting request again, first asked first; returns how many."""
        waiting = await self._store.newcomer_pairs.waiting(guild_id)
        for pair in waiting:
            await self._attempt_soon(pair)
        return len(waiting)

    async def reconcile(self) -> int:
        """Daily and at start-up: waiting requests get another try (a mentor may have freed up meanwhile)."""
        taken = await self._timers.active_keys(f"{PAIR_KIND}:")
        added = 0
        for guild_id in await self._store.newcomer_pairs.guilds_waiting():
            for pair in await self._store.newcomer_pairs.waiting(guild_id):
                if f"{PAIR_KIND}:{pair.id}" not in taken:
                    await self._attempt_soon(pair)
                    added += 1
        return added

    # -- the attempt ----------------------------------------------------------------------------
    async def handle_attempt(self, timer: Timer) -> None:
        """Pair one waiting request with the best free mentor, or tell the member honestly (once)."""
        pair = await self._store.newcomer_pairs.get(int(timer.payload["pair"]))
        if pair is None or pair.status != "waiting":
            return  # paired, ended or erased meanwhile
        mentor = await self.choose(pair)
        if mentor is None:
            if not pair.told_waiting:
                await self._store.newcomer_pairs.mark_told_waiting(pair.id)
                await self._port.tell(pair.user_id, NO_MENTOR_TEXT)
            log.info("first-30-days buddy request %s waits: no mentor free in guild %s", pair.id, pair.guild_id)
            return
        if not await self._store.newcomer_pairs.pair(pair.id, mentor, now=self._clock.now()):
            return
        await self._port.introduce(pair.guild_id, pair.id, pair.user_id, mentor)

    async def choose(self, pair: NewcomerPair) -> int | None:
        """The mentor this request would get now, under every rule, or None."""
        store, guild_id, user_id = self._store, pair.guild_id, pair.user_id
        config = await store.config.get(guild_id)
        now = self._clock.now()
        forbidden = set(await store.newcomer_pairs.past_mentors(guild_id, user_id))
        for a, b in await store.buddies.avoid_pairs(guild_id):
            if user_id in (a, b):
                forbidden.add(b if a == user_id else a)
        for recent in await store.buddies.rounds.recent_pairs(guild_id, config.pairing_repeat_window):
            if user_id in recent:
                forbidden |= set(recent) - {user_id}
        offered = set(await store.newcomer_pairs.mentor_ids(guild_id))
        profiles = [
            p
            for p in await store.buddies.profiles(guild_id)
            if p.user_id in offered
            and eligibility(p, round_at=now, in_server=self._port.in_server(guild_id, p.user_id)).ok
        ]
        zone = await store.member_zone(user_id, guild_id)
        newcomer = Candidate(
            user_id=user_id,
            interests=frozenset(await store.interests.of_member(guild_id, user_id)),
            utc_offset_minutes=utc_offset_minutes(zone, now),
            experience="new",
            wants="mentor",
        )
        return pick_mentor(
            newcomer,
            build_candidates(profiles, round_at=now),
            forbidden=forbidden,
            load=await store.newcomer_pairs.mentor_load(guild_id),
            cap=config.newcomer_mentor_cap,
        )

    # -- ending ---------------------------------------------------------------------------------
    async def change(self, pair_id: int, by_user_id: int) -> bool:
        """Either member asks to change: the pair ends, the other is told neutrally, and a member still in
        their first 30 days gets the next free buddy. False if it was already over or not theirs."""
        pair = await self._store.newcomer_pairs.get(pair_id)
        if pair is None or by_user_id not in (pair.user_id, pair.mentor_user_id):
            return False
        ended = await self._store.newcomer_pairs.end(pair_id, now=self._clock.now())
        if ended is None:
            return False
        if ended.thread_id is not None:
            await self._port.close_thread(ended.thread_id, ended.user_id)
        if by_user_id == ended.user_id:
            if ended.mentor_user_id is not None:
                await self._port.tell(ended.mentor_user_id, ENDED_TEXT)
        else:
            await self._port.tell(ended.user_id, NEXT_BUDDY_TEXT)
        support = await self._store.newcomers.get(ended.user_id)
        if support is not None and support.on and "buddy" in support.parts:
            await self.request(ended.guild_id, ended.user_id)
        await self.free_up(ended.guild_id)
        return True

    async def end_for_newcomer(self, user_id: int, *, period_done: bool = False) -> None:
        """The member's support ended, was turned off or dropped the buddy part: close their requests."""
        for pair in await self._store.newcomer_pairs.open_of(user_id):
            if pair.user_id != user_id:
                continue
            ended = await self._store.newcomer_pairs.end(pair.id, now=self._clock.now())
            if ended is not None and ended.mentor_user_id is not None:
                if ended.thread_id is not None and not period_done:
                    await self._port.close_thread(ended.thread_id, ended.user_id)
                await self._port.tell(ended.mentor_user_id, PERIOD_DONE_TEXT if period_done else ENDED_TEXT)
                await self.free_up(ended.guild_id)

    async def before_erase(self, user_id: int, guild_id: int | None) -> None:
        """Before a member's data is erased, or when they leave the server: end their pairs either way,
        telling the other neutrally (and putting a member in their first 30 days back in line)."""
        for pair in await self._store.newcomer_pairs.open_of(user_id):
            if guild_id is not None and pair.guild_id != guild_id:
                continue
            ended = await self._store.newcomer_pairs.end(pair.id, now=self._clock.now())
            if ended is None:
                continue
            if ended.thread_id is not None:
                await self._port.close_thread(ended.thread_id, ended.user_id)
            other = ended.mentor_user_id if ended.user_id == user_id else ended.user_id
            if other is not None:
                await self._port.tell(other, ENDED_TEXT if other == ended.mentor_user_id else NEXT_BUDDY_TEXT)
                support = await self._store.newcomers.get(other)
                if other == ended.user_id and support is not None and support.on and "buddy" in support.parts:
                    await self.request(ended.guild_id, other)
            await self.free_up(ended.guild_id)
