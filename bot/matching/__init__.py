"""Buddy matching: pair opted-in members for a round, never breaking a hard rule.

Pure code: typed dataclasses in and out, no Discord, no database. The cog gathers the opted-in
members, their do-not-pair lists and recent pairs, calls ``match``, and renders the result.

Hard rules, always kept:
- never group two members when either has the other on their do-not-pair list;
- never repeat a pair from ``recent_pairs``;
- never include an ``excluded`` member (paused or unreachable);
- in the group of three, all three pairs obey the rules above.

Within those rules the matcher puts as many members into groups as possible (leaving out a
priority member only when no arrangement could include them), then maximises total
``compatibility``. Groups are pairs, plus at most one group of three when someone would otherwise
be left over.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from itertools import chain, combinations, pairwise

from ._explain import explain
from ._models import Candidate, Experience, Group, MatchResult, Pathway, Wants
from ._scoring import Features, compatibility
from ._solver import Solver
from ._trio import place_third

__all__ = [
    "Candidate",
    "Experience",
    "Group",
    "MatchResult",
    "Pathway",
    "Wants",
    "compatibility",
    "explain",
    "match",
]

PairLike = frozenset[int] | tuple[int, int]


def match(
    candidates: Iterable[Candidate],
    *,
    avoid: Iterable[PairLike],
    recent_pairs: Iterable[PairLike],
    seed: int,
    excluded: Iterable[int] = (),
) -> MatchResult:
    """Group members for one round.

    ``avoid`` and ``recent_pairs`` hold unordered pairs of user ids (a frozenset or a 2-tuple, in
    either direction); pairs naming someone not in ``candidates`` are ignored. ``seed`` breaks ties:
    the same members, rules and seed always give the same result, whatever order the members
    arrive in. Raises ``ValueError`` if a user id appears twice.
    """
    skip = set(excluded)
    members = sorted((c for c in candidates if c.user_id not in skip), key=lambda c: c.user_id)
    for a, b in pairwise(members):
        if a.user_id == b.user_id:
            raise ValueError(f"user {a.user_id} appears more than once")
    # Sorting first makes the result independent of input order; the seeded shuffle then decides
    # ties, so equally good buddies are not always handed to the lowest user ids.
    random.Random(seed).shuffle(members)
    index = {m.user_id: i for i, m in enumerate(members)}

    forbidden: list[set[int]] = [set() for _ in members]
    for pair in chain(avoid, recent_pairs):
        ids = tuple(pair)
        if len(ids) != 2:
            continue
        i, j = index.get(ids[0]), index.get(ids[1])
        if i is not None and j is not None and i != j:
            forbidden[i].add(j)
            forbidden[j].add(i)

    solver = Solver(Features.build(members), forbidden, [m.priority for m in members])
    solver.build_candidates()
    solver.greedy()
    solver.pair_stranded()
    solver.augment()
    solver.local_search()
    solver.fix_priority()
    trio = place_third(solver)

    index_groups: list[tuple[int, ...]] = list(solver.pairs())
    if trio is not None:
        index_groups.append(trio)
    grouped = {i for g in index_groups for i in g}
    groups = [_make_group([members[i] for i in g]) for g in index_groups]
    groups.sort(key=lambda g: g.user_ids)
    unmatched = sorted(members[i].user_id for i in range(len(members)) if i not in grouped)
    return MatchResult(groups=tuple(groups), unmatched=tuple(unmatched))


def _make_group(people: list[Candidate]) -> Group:
    ordered = tuple(sorted(people, key=lambda c: c.user_id))
    score = sum(compatibility(a, b) for a, b in combinations(ordered, 2))
    return Group(members=ordered, reason=explain(ordered), score=score)
