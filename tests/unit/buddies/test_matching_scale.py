"""The large-round shortcuts of the matcher (time-zone blocking, vectorised exchanges) against the exact optimum.

Those shortcuts only switch on in rounds of thousands, where the exact optimum cannot be computed. Here
they are forced on for rounds small enough to solve exactly, so their quality is checked where it can be.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.matching import Candidate, _solver, match
from bot.matching._candidates import top_k_edges
from bot.matching._scoring import RANK_SCALE, Features
from tests.support.matching import exact_weight, pair_weight

INTERESTS = ("meditation", "yoga", "music", "movement", "art", "reading", "gaming", "cooking", "walking", "journaling")


def community(n: int, seed: int) -> list[Candidate]:
    """Members shaped like a real community: spread over time zones, a few unknown, mixed attributes."""
    rng = random.Random(seed)
    members = []
    for uid in rng.sample(range(10**6, 10**6 + 20 * n), n):
        offset: int | None = rng.randint(-8, 12) * 60 + (30 if rng.random() < 0.1 else 0)
        if rng.random() < 0.05:
            offset = None
        members.append(
            Candidate(
                user_id=uid,
                interests=frozenset(rng.sample(INTERESTS, rng.choice((0, 1, 2, 2, 3, 3, 4)))),
                utc_offset_minutes=offset,
                pathway=rng.choice(("any", "any", "12-step", "smart", "secular")),
                experience=rng.choice(("new", "steady", "mentor")),
                wants=rng.choice(("peer", "mentor", "either")),
                rounds_since_paired=rng.choice((None, 0, 1, 2, 5)),
                priority=rng.random() < 0.05,
            )
        )
    return members


def rules(members: list[Candidate], seed: int) -> tuple[set[frozenset[int]], set[frozenset[int]]]:
    """About two do-not-pair entries per member, and one earlier round of recent pairs."""
    rng = random.Random(seed + 1)
    ids = [m.user_id for m in members]
    avoid = {frozenset(rng.sample(ids, 2)) for _ in range(len(ids))}
    rng.shuffle(ids)
    recent = {frozenset(ids[i : i + 2]) for i in range(0, len(ids) - 1, 2)}
    return avoid, recent


@pytest.fixture
def large_round_shortcuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocking with pools of 40 members and vectorised exchanges, whatever the round's size."""
    monkeypatch.setattr(_solver, "POOL_MIN", 40)
    monkeypatch.setattr(_solver, "VECTOR_FROM", 0)


@pytest.mark.parametrize(("n", "seed"), [(80, 1), (120, 2), (160, 3)])
@pytest.mark.usefixtures("large_round_shortcuts")
def test_large_round_shortcuts_stay_within_two_percent_of_the_exact_optimum(n: int, seed: int) -> None:
    members = community(n, seed)
    avoid, recent = rules(members, seed)
    result = match(members, avoid=avoid, recent_pairs=recent, seed=seed)
    assert not result.pairs() & (avoid | recent)
    assert pair_weight(result) >= 0.98 * exact_weight(members, avoid | recent)


@pytest.mark.usefixtures("large_round_shortcuts")
def test_large_round_shortcuts_still_match_everyone_who_can_be_matched() -> None:
    members = community(121, 4)
    avoid, recent = rules(members, 4)
    result = match(members, avoid=avoid, recent_pairs=recent, seed=4)
    assert result.unmatched == ()
    assert sum(len(g.members) == 3 for g in result.groups) == 1
    for group in result.groups:
        assert not set(group.pairs()) & (avoid | recent)


def test_blocked_candidates_are_allowed_and_near_the_member() -> None:
    members = community(400, 5)
    features = Features.build(members)
    forbidden: list[set[int]] = [set() for _ in members]
    for i in range(0, 400, 2):
        forbidden[i].add(i + 1)
        forbidden[i + 1].add(i)
    lo, hi, w = top_k_edges(features, forbidden, np.arange(400), 6, pool_min=50)
    assert (lo < hi).all()
    assert all(int(b) not in forbidden[int(a)] for a, b in zip(lo, hi, strict=True))
    # Weights are exact, not the fixed-point ranking.
    assert w.tolist() == [features.score(int(a), int(b)) for a, b in zip(lo, hi, strict=True)]
    # Every member keeps candidates, and members of a known time zone mostly keep near ones.
    assert set(lo.tolist()) | set(hi.tolist()) == set(range(400))
    offsets = features.offset_arr
    known = features.known_offset[lo] & features.known_offset[hi]
    gap = np.abs(offsets[lo] - offsets[hi])[known] % 1440
    assert np.median(np.minimum(gap, 1440 - gap)) <= 120


def test_fixed_point_ranking_is_within_rounding_of_the_exact_scores() -> None:
    members = community(300, 6)
    features = Features.build(members)
    idx = np.arange(300)
    exact = features.score_block(idx, idx)
    ranked = features.rank_block(idx, idx).astype(np.float64) / RANK_SCALE
    assert np.abs(exact - ranked).max() < 5 / RANK_SCALE
