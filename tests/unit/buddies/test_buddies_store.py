"""BuddyRepo on a real SQLite file: profiles, avoid lists, rounds recorded once, ending, connect answers."""

from __future__ import annotations

from datetime import timedelta

from bot.buddies.lifecycle import QuietOutcome
from bot.clock import FakeClock
from bot.privacy import registered_tables
from bot.store import Store
from bot.store.buddy_rounds import PAUSED, UNMATCHED, Notice

G = 100


async def joined(store: Store, clock: FakeClock, *users: int) -> None:
    for u in users:
        await store.buddies.join(G, u, pathway="any", experience="steady", wants="either", now=clock.now())


async def test_join_reports_first_time_and_rejoin_clears_pauses(store: Store, clock: FakeClock) -> None:
    assert await store.buddies.join(G, 1, pathway="smart", experience="new", wants="mentor", now=clock.now())
    await store.buddies.pause(G, 1, clock.now() + timedelta(weeks=2), now=clock.now())
    assert not await store.buddies.join(G, 1, pathway="smart", experience="new", wants="mentor", now=clock.now())
    profile = await store.buddies.get(G, 1)
    assert profile is not None and profile.paused_until is None and profile.pathway == "smart"


async def test_profiles_include_interests_timezone_and_reachability(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2)
    music = await store.interests.find(G, "music", now=clock.now())
    assert music is not None
    await store.interests.follow(music.id, 1)
    await store.prefs.set_timezone(1, "Europe/London", now=clock.now())
    await store.prefs.mark_dm_closed(2, now=clock.now())
    p1, p2 = await store.buddies.profiles(G)
    assert p1.interests == frozenset({"music"}) and p1.timezone == "Europe/London" and p1.reachable
    assert not p2.reachable


async def test_left_members_are_not_in_profiles_and_keep_prefs(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1)
    assert await store.buddies.leave(G, 1, now=clock.now())
    assert not await store.buddies.leave(G, 1, now=clock.now())
    assert await store.buddies.profiles(G) == []
    assert await store.buddies.guilds_with_members() == []


async def test_avoid_list_is_per_owner(store: Store, clock: FakeClock) -> None:
    assert await store.buddies.avoid(G, 1, 2, now=clock.now())
    assert not await store.buddies.avoid(G, 1, 2, now=clock.now())
    assert await store.buddies.avoid_list(G, 1) == [2]
    assert await store.buddies.avoid_list(G, 2) == []
    assert await store.buddies.avoid_pairs(G) == [(1, 2)]
    assert await store.buddies.unavoid(G, 1, 2)
    assert await store.buddies.avoid_list(G, 1) == []


async def record(store: Store, clock: FakeClock, groups: list[tuple[int, ...]], unmatched: tuple[int, ...] = ()):  # type: ignore[no-untyped-def]
    return await store.buddies.rounds.record_round(
        G,
        scheduled_for=clock.now(),
        ran_at=clock.now(),
        ends_at=clock.now() + timedelta(days=7),
        seed=1,
        groups=[("you both like music", g) for g in groups],
        unmatched=unmatched,
        quiet=QuietOutcome(),
    )


async def test_scheduled_round_is_recorded_once(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2, 3)
    first = await record(store, clock, [(1, 2)], unmatched=(3,))
    assert first is not None
    assert await record(store, clock, [(1, 2)]) is None
    assert await store.buddies.rounds.scheduled_round(G, clock.now()) is not None
    assert await store.buddies.current_partners(G, 1) == [2]
    p3 = await store.buddies.get(G, 3)
    assert p3 is not None and p3.priority


async def test_a_recorded_round_remembers_what_it_still_owes_until_sent(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2, 3, 4, 5, 6)
    recorded = await store.buddies.rounds.record_round(
        G,
        scheduled_for=clock.now(),
        ran_at=clock.now(),
        ends_at=clock.now() + timedelta(days=7),
        seed=1,
        groups=[("you both like music", (1, 2)), ("you both like chess", (3, 4))],
        unmatched=(5,),
        quiet=QuietOutcome(counts={6: 3}, to_pause=frozenset({6})),
    )
    assert recorded is not None
    round_id, (first, second) = recorded
    rounds = store.buddies.rounds
    found = await rounds.scheduled_round(G, clock.now())
    assert found is not None and found.id == round_id
    assert [(index, g.id, g.user_ids) for index, g in await rounds.pending_intros(round_id)] == [
        (0, first, (1, 2)),
        (1, second, (3, 4)),
    ]
    await rounds.mark_introduced(first, clock.now())
    [(index, left)] = await rounds.pending_intros(round_id)
    assert (index, left.id, left.reason) == (1, second, "you both like chess")
    assert await rounds.notices_owed(G, round_id) == [Notice(5, UNMATCHED), Notice(6, PAUSED)]
    await rounds.notice_sent(G, 5, round_id)
    assert await rounds.notices_owed(G, round_id) == [Notice(6, PAUSED)]
    # A later round's notice isn't cleared by a late mark for an earlier one.
    await rounds.notice_sent(G, 6, round_id + 1)
    assert await rounds.notices_owed(G, round_id) == [Notice(6, PAUSED)]


async def test_next_round_finishes_previous_pairings_and_remembers_recent_pairs(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2, 3, 4)
    await record(store, clock, [(1, 2), (3, 4)])
    clock.advance(timedelta(days=7))
    await record(store, clock, [(1, 3), (2, 4)])
    assert await store.buddies.current_partners(G, 1) == [3]
    assert await store.buddies.rounds.recent_pairs(G, 1) == {frozenset((1, 3)), frozenset((2, 4))}
    assert len(await store.buddies.rounds.recent_pairs(G, 4)) == 4


async def test_step_away_from_pair_ends_it_and_prioritises_partner(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2)
    recorded = await record(store, clock, [(1, 2)])
    assert recorded is not None
    remaining = await store.buddies.rounds.step_away(recorded[1][0], 1, now=clock.now())
    assert remaining == (2,)
    assert await store.buddies.current_partners(G, 2) == []
    p2 = await store.buddies.get(G, 2)
    assert p2 is not None and p2.priority


async def test_step_away_from_trio_keeps_the_other_two(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2, 3)
    recorded = await record(store, clock, [(1, 2, 3)])
    assert recorded is not None
    assert await store.buddies.rounds.step_away(recorded[1][0], 3, now=clock.now()) == (1, 2)
    assert await store.buddies.current_partners(G, 1) == [2]


async def test_connect_answers_feed_quiet_rounds_but_ended_groups_do_not(store: Store, clock: FakeClock) -> None:
    await joined(store, clock, 1, 2, 3, 4)
    recorded = await record(store, clock, [(1, 2), (3, 4)])
    assert recorded is not None
    round_id, (g12, g34) = recorded
    assert await store.buddies.rounds.record_connect(g12, 1, "yes", now=clock.now())
    assert not await store.buddies.rounds.record_connect(g12, 3, "yes", now=clock.now())
    await store.buddies.rounds.step_away(g34, 3, now=clock.now())
    assert await store.buddies.rounds.quiet_answers(round_id) == {1: "yes", 2: None}


async def test_hard_moment_opt_in_round_trips(store: Store, clock: FakeClock) -> None:
    assert not await store.buddies.set_hard_moment_opt_in(G, 1, True, now=clock.now())
    await joined(store, clock, 1)
    assert not await store.buddies.hard_moment_opt_in(G, 1)
    assert await store.buddies.set_hard_moment_opt_in(G, 1, True, now=clock.now())
    assert await store.buddies.hard_moment_opt_in(G, 1)


async def test_buddy_tables_are_registered_for_privacy_without_exposing_avoiders() -> None:
    tables = {t.table: t for t in registered_tables()}
    assert {"buddy_members", "buddy_avoid", "buddy_group_members"} <= set(tables)
    assert tables["buddy_avoid"].user_columns == ("user_id",)
    assert tables["buddy_avoid"].referenced_columns == ("avoided_user_id",)
