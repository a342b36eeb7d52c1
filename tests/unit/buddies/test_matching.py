"""The buddy matcher's rounds: hard rules as properties, plus worked examples (scores: test_matching_scores.py)."""

from __future__ import annotations

import random
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.matching import Candidate, MatchResult, match
from tests.support.matching import INTERESTS, person

PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# One generated round: members, avoid pairs, recent pairs, excluded ids and the seed.
Case = tuple[list[Candidate], set[frozenset[int]], set[frozenset[int]], set[int], int]


@st.composite
def candidates(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> list[Candidate]:
    """Members with distinct small user ids and random attributes."""
    ids = draw(st.lists(st.integers(1, 60), min_size=min_size, max_size=max_size, unique=True))
    return [
        Candidate(
            user_id=uid,
            interests=frozenset(draw(st.lists(st.sampled_from(INTERESTS), max_size=3))),
            utc_offset_minutes=draw(st.one_of(st.none(), st.integers(-8, 12).map(lambda h: h * 60))),
            pathway=draw(st.sampled_from(("any", "12-step", "smart", "secular"))),
            experience=draw(st.sampled_from(("new", "steady", "mentor"))),
            wants=draw(st.sampled_from(("peer", "mentor", "either"))),
            rounds_since_paired=draw(st.one_of(st.none(), st.integers(0, 6))),
            priority=draw(st.booleans()),
        )
        for uid in ids
    ]


@st.composite
def instances(
    draw: st.DrawFn, max_size: int = 12
) -> tuple[list[Candidate], set[frozenset[int]], set[frozenset[int]], set[int], int]:
    """Members plus avoid pairs, recent pairs, excluded ids and a seed. Dense rules on purpose."""
    members = draw(candidates(max_size=max_size))
    ids = [m.user_id for m in members]
    all_pairs = [frozenset(p) for p in combinations(ids, 2)]
    if all_pairs:
        avoid = set(draw(st.lists(st.sampled_from(all_pairs), max_size=len(all_pairs) // 2)))
        recent = set(draw(st.lists(st.sampled_from(all_pairs), max_size=len(all_pairs) // 2)))
    else:
        avoid, recent = set(), set()
    excluded = set(draw(st.lists(st.sampled_from(ids), max_size=2))) if ids else set()
    return members, avoid, recent, excluded, draw(st.integers(0, 2**32))


def all_group_pairs(result: MatchResult) -> list[frozenset[int]]:
    return [p for g in result.groups for p in g.pairs()]


def best_coverage(ids: list[int], forbidden: set[frozenset[int]]) -> int:
    """Brute force: the most members that pairs plus at most one trio can cover."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(tuple(p) for p in map(frozenset, combinations(ids, 2)) if p not in forbidden)

    def pairs_cover(nodes: list[int]) -> int:
        return 2 * len(nx.max_weight_matching(graph.subgraph(nodes), maxcardinality=True))

    best = pairs_cover(ids)
    for trio in combinations(ids, 3):
        if all(frozenset(p) not in forbidden for p in combinations(trio, 2)):
            best = max(best, 3 + pairs_cover([i for i in ids if i not in trio]))
    return best


# --- hard rules ----------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(instances())
def test_hard_rules_always_hold(case: Case) -> None:
    members, avoid, recent, excluded, seed = case
    result = match(members, avoid=avoid, recent_pairs=recent, seed=seed, excluded=excluded)

    pairs = all_group_pairs(result)
    assert not set(pairs) & avoid, "an avoid pair was grouped"
    assert not set(pairs) & recent, "a recent pair was repeated"

    placed = [uid for g in result.groups for uid in g.user_ids] + list(result.unmatched)
    assert len(placed) == len(set(placed)), "someone appears twice"
    assert sorted(placed) == sorted(m.user_id for m in members if m.user_id not in excluded)
    assert not set(placed) & excluded

    sizes = [len(g.members) for g in result.groups]
    assert all(s in (2, 3) for s in sizes)
    assert sizes.count(3) <= 1
    # A trio only when pairs alone would leave someone out.
    active = len(members) - len(excluded)
    if sizes.count(3):
        assert active % 2 == 1 or result.unmatched


@PROPERTY_SETTINGS
@given(instances(max_size=9))
def test_nobody_left_out_when_a_full_grouping_exists(case: Case) -> None:
    members, avoid, recent, excluded, seed = case
    result = match(members, avoid=avoid, recent_pairs=recent, seed=seed, excluded=excluded)
    ids = [m.user_id for m in members if m.user_id not in excluded]
    grouped = sum(len(g.members) for g in result.groups)
    assert grouped == best_coverage(ids, avoid | recent)


@PROPERTY_SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_same_seed_same_result_whatever_the_input_order(
    case: Case,
    rng: random.Random,
) -> None:
    members, avoid, recent, excluded, seed = case
    first = match(members, avoid=avoid, recent_pairs=recent, seed=seed, excluded=excluded)
    shuffled = members[:]
    rng.shuffle(shuffled)
    flipped: set[tuple[int, int]] = {(b, a) for a, b in map(sorted, avoid)}
    again = match(shuffled, avoid=flipped, recent_pairs=list(recent), seed=seed, excluded=excluded)
    assert first == again


@PROPERTY_SETTINGS
@given(instances(max_size=9))
def test_priority_member_never_left_out_for_a_non_priority_one(case: Case) -> None:
    members, avoid, recent, excluded, seed = case
    result = match(members, avoid=avoid, recent_pairs=recent, seed=seed, excluded=excluded)
    by_id = {m.user_id: m for m in members}
    forbidden = avoid | recent
    for out in result.unmatched:
        if not by_id[out].priority:
            continue
        # Could this priority member simply take a non-priority member's seat in some group?
        for g in result.groups:
            for seat in g.user_ids:
                if by_id[seat].priority:
                    continue
                others = [u for u in g.user_ids if u != seat]
                assert any(frozenset((out, o)) in forbidden for o in others), (
                    f"priority member {out} could replace {seat}"
                )


@settings(max_examples=40, deadline=None)
@given(st.integers(14, 90), st.integers(0, 2**32), st.floats(0.0, 0.6))
def test_medium_rounds_keep_the_rules_and_match_as_many_as_possible(n: int, seed: int, density: float) -> None:
    # Above the candidate-list size, so the sparse path (top-k lists, Edmonds over the full graph)
    # is what runs. Dense rule sets make stranded members and long augmenting paths likely.
    rng = random.Random(seed)
    members = [
        person(i, interests=frozenset(rng.sample(INTERESTS, 2)), utc_offset_minutes=rng.randint(-8, 12) * 60)
        for i in range(n)
    ]
    forbidden = {frozenset(p) for p in combinations(range(n), 2) if rng.random() < density}
    avoid = {p for p in forbidden if rng.random() < 0.5}
    result = match(members, avoid=avoid, recent_pairs=forbidden - avoid, seed=seed)
    assert not result.pairs() & forbidden
    graph = nx.Graph(p for p in combinations(range(n), 2) if frozenset(p) not in forbidden)
    most_pairs = len(nx.max_weight_matching(graph, maxcardinality=True))
    grouped = sum(len(g.members) for g in result.groups)
    assert 2 * most_pairs <= grouped <= 2 * most_pairs + 1


# --- worked examples -----------------------------------------------------------------------------


def test_odd_count_makes_exactly_one_group_of_three() -> None:
    members = [person(i, interests=frozenset({"yoga"})) for i in range(1, 8)]
    result = match(members, avoid=set(), recent_pairs=set(), seed=1)
    assert sorted(len(g.members) for g in result.groups) == [2, 2, 3]
    assert result.unmatched == ()


def test_group_of_three_respects_every_pair() -> None:
    # 1-2 and 2-3 are fine, but 1 avoids 3: three people with no valid trio.
    members = [person(1), person(2), person(3)]
    result = match(members, avoid={frozenset((1, 3))}, recent_pairs=set(), seed=0)
    assert len(result.groups) == 1
    assert len(result.groups[0].members) == 2
    assert len(result.unmatched) == 1


def test_trio_goes_where_the_third_fits_best() -> None:
    yoga = frozenset({"yoga", "art"})
    members = [
        person(1, interests=yoga, utc_offset_minutes=0),
        person(2, interests=yoga, utc_offset_minutes=0),
        person(3, interests=frozenset({"chess"}), utc_offset_minutes=600),
        person(4, interests=frozenset({"chess"}), utc_offset_minutes=600),
        person(5, interests=yoga, utc_offset_minutes=0),
    ]
    result = match(members, avoid=set(), recent_pairs=set(), seed=3)
    assert {g.user_ids for g in result.groups} == {(1, 2, 5), (3, 4)}


def test_priority_member_is_matched_when_only_one_can_be() -> None:
    # 1 can pair with 2 or 3, and 2 and 3 avoid each other: someone must sit out.
    members = [person(1), person(2), person(3, priority=True)]
    avoid = {frozenset((2, 3))}
    for seed in range(10):
        result = match(members, avoid=avoid, recent_pairs=set(), seed=seed)
        assert result.unmatched == (2,)


def test_excluded_and_unknown_ids_are_ignored() -> None:
    members = [person(1), person(2), person(3), person(4)]
    result = match(members, avoid={(1, 99)}, recent_pairs={frozenset((2, 98))}, seed=0, excluded={4, 77})
    assert 4 not in {u for g in result.groups for u in g.user_ids}
    assert len(result.groups) == 1
    assert len(result.groups[0].members) == 3


def test_recent_pairs_block_a_repeat_even_when_it_is_the_best_pair() -> None:
    twins = frozenset({"music", "art", "yoga"})
    members = [
        person(1, interests=twins, utc_offset_minutes=0),
        person(2, interests=twins, utc_offset_minutes=0),
        person(3, utc_offset_minutes=600),
        person(4, utc_offset_minutes=600),
    ]
    result = match(members, avoid=set(), recent_pairs={frozenset((1, 2))}, seed=0)
    assert frozenset((1, 2)) not in result.pairs()
    assert len(result.groups) == 2


def test_duplicate_user_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="more than once"):
        match([person(1), person(1)], avoid=set(), recent_pairs=set(), seed=0)


def test_unknown_pathway_is_rejected() -> None:
    with pytest.raises(ValueError, match="pathway"):
        person(1, pathway="smrt")


def test_empty_and_single_rounds() -> None:
    assert match([], avoid=set(), recent_pairs=set(), seed=0) == MatchResult(groups=())
    assert match([person(5)], avoid=set(), recent_pairs=set(), seed=0).unmatched == (5,)


def test_larger_round_matches_everyone_and_uses_candidate_lists() -> None:
    # Big enough that the solver keeps only top-k partners per member instead of everyone.
    rng = random.Random(5)
    members = [
        person(
            i,
            interests=frozenset(rng.sample(INTERESTS, 2)),
            utc_offset_minutes=rng.randint(-8, 12) * 60,
            pathway=rng.choice(("any", "smart", "12-step")),
        )
        for i in range(301)
    ]
    avoid = {frozenset(rng.sample(range(301), 2)) for _ in range(300)}
    result = match(members, avoid=avoid, recent_pairs=set(), seed=9)
    assert result.unmatched == ()
    assert sum(len(g.members) == 3 for g in result.groups) == 1
    assert not result.pairs() & avoid
