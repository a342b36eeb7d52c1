"""The buddy matcher's scores and reasons: compatibility, its vectorised twin, and what members are told."""

from __future__ import annotations

import random
from itertools import combinations

import numpy as np

from bot.matching import Group, compatibility, explain, match
from bot.matching._scoring import Features
from tests.support.matching import INTERESTS, person

# --- scoring ---------------------------------------------------------------------------------------


def test_new_member_wanting_a_mentor_scores_higher_with_a_mentor_than_with_another_newcomer() -> None:
    newcomer = person(1, experience="new", wants="mentor")
    assert compatibility(newcomer, person(2, experience="mentor")) > compatibility(
        newcomer, person(3, experience="new")
    )
    assert compatibility(newcomer, person(4, experience="steady")) > compatibility(
        newcomer, person(5, experience="new")
    )


def test_closer_time_zones_and_more_shared_interests_score_higher() -> None:
    a = person(1, interests=frozenset({"yoga", "art", "music"}), utc_offset_minutes=0)
    scores = [compatibility(a, person(2, utc_offset_minutes=h * 60)) for h in range(13)]
    assert scores == sorted(scores, reverse=True)
    shared = [compatibility(a, person(2, interests=frozenset(list(a.interests)[:k]))) for k in range(4)]
    assert shared == sorted(shared)
    # Beyond 8 hours apart is poor: most of the time-zone credit is gone.
    assert scores[0] - scores[9] > 0.8 * (scores[0] - scores[12])


def test_pathway_any_is_compatible_and_same_pathway_is_best() -> None:
    smart = person(1, pathway="smart")
    same = compatibility(smart, person(2, pathway="smart"))
    anyone = compatibility(smart, person(3, pathway="any"))
    other = compatibility(smart, person(4, pathway="12-step"))
    assert same > anyone > other


def test_compatibility_is_symmetric_and_never_negative() -> None:
    rng = random.Random(1)
    people = [
        person(
            i,
            interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 4))),
            utc_offset_minutes=rng.choice((None, -480, 0, 330, 720)),
            experience=rng.choice(("new", "steady", "mentor")),
            wants=rng.choice(("peer", "mentor", "either")),
            rounds_since_paired=rng.choice((None, 0, 3)),
        )
        for i in range(30)
    ]
    for a, b in combinations(people, 2):
        assert compatibility(a, b) == compatibility(b, a) >= 0


def test_vectorised_scores_match_compatibility_exactly() -> None:
    rng = random.Random(2)
    people = [
        person(
            i,
            interests=frozenset(rng.sample(INTERESTS, rng.randint(0, 5))),
            utc_offset_minutes=rng.choice((None, -480, -210, 0, 345, 720, 840)),
            pathway=rng.choice(("any", "smart", "secular", "harm-reduction")),
            experience=rng.choice(("new", "steady", "mentor")),
            wants=rng.choice(("peer", "mentor", "either")),
            rounds_since_paired=rng.choice((None, 0, 1, 9)),
        )
        for i in range(40)
    ]
    features = Features.build(people)
    idx = np.arange(len(people))
    block = features.score_block(idx, idx)
    for i, j in combinations(range(len(people)), 2):
        expected = compatibility(people[i], people[j])
        assert block[i, j] == expected
        assert features.score(i, j) == expected


# --- explanations ----------------------------------------------------------------------------------


def test_explain_examples() -> None:
    assert (
        explain(
            [
                person(1, interests=frozenset({"meditation", "art"}), utc_offset_minutes=0),
                person(2, interests=frozenset({"meditation"}), utc_offset_minutes=60),
            ]
        )
        == "you both like meditation and are 1 hour apart"
    )
    assert (
        explain(
            [
                person(1, pathway="smart", utc_offset_minutes=-300),
                person(2, pathway="smart", utc_offset_minutes=-300),
            ]
        )
        == "you both share the SMART pathway and are in the same time zone"
    )
    assert (
        explain(
            [
                person(1, experience="new", wants="mentor", utc_offset_minutes=0),
                person(2, experience="steady", utc_offset_minutes=180),
            ]
        )
        == "one of you is newer and one is steady; you're 3 hours apart"
    )


def test_explain_for_a_trio_and_for_nothing_in_common() -> None:
    trio = [
        person(1, interests=frozenset({"yoga", "music"}), utc_offset_minutes=0),
        person(2, interests=frozenset({"yoga"}), utc_offset_minutes=120),
        person(3, interests=frozenset({"yoga", "music"}), utc_offset_minutes=60),
    ]
    assert explain(trio) == "you all like yoga and are within 2 hours of each other"
    assert explain([person(1), person(2)]) == "you're both open to meeting someone new this round"
    apart = [person(i, utc_offset_minutes=60 * i) for i in (1, 2, 3)]
    assert explain(apart) == "you're all within 2 hours of each other"
    mentor = [
        person(1, experience="mentor", interests=frozenset({"art"})),
        person(2, experience="new", wants="mentor", interests=frozenset({"art"})),
    ]
    assert explain(mentor) == "one of you is newer and one is a mentor; you both like art"


def test_explain_only_mentions_what_the_group_shares() -> None:
    a = person(1, interests=frozenset({"yoga", "private-thing"}), pathway="12-step", utc_offset_minutes=0)
    b = person(2, interests=frozenset({"yoga"}), pathway="smart", utc_offset_minutes=330)
    text = explain([a, b])
    assert "private-thing" not in text
    assert "12-step" not in text and "SMART" not in text
    assert text == "you both like yoga and are 5½ hours apart"
    nepal = person(3, interests=frozenset({"yoga"}), utc_offset_minutes=345)
    assert explain([a, nepal]) == "you both like yoga and are about 6 hours apart"


def test_reasons_never_depend_on_avoid_lists() -> None:
    members = [person(i, interests=frozenset({"art"}), utc_offset_minutes=0) for i in range(1, 5)]
    with_avoid = match(members, avoid={frozenset((1, 2))}, recent_pairs=set(), seed=0)
    for group in with_avoid.groups:
        assert group.reason == explain(group)
        assert "avoid" not in group.reason


def test_group_reason_and_score_are_filled_in() -> None:
    result = match([person(1, pathway="secular"), person(2, pathway="secular")], avoid=(), recent_pairs=(), seed=0)
    (group,) = result.groups
    assert isinstance(group, Group)
    assert group.reason == "you both share a secular pathway"
    assert group.score == compatibility(*group.members)
    assert result.pairs() == {frozenset((1, 2))}
