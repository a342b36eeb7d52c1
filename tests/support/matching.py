"""Matcher test helpers: a member with neutral defaults, and the exact optimum a buddy round is measured against
(shared by the matcher's tests and its benchmark)."""

from __future__ import annotations

from itertools import combinations

import networkx as nx

from bot.matching import Candidate, MatchResult, compatibility

# The interests the matcher's tests draw members from.
INTERESTS = ("meditation", "yoga", "music", "art", "walking", "cooking")


def exact_weight(members: list[Candidate], forbidden: set[frozenset[int]]) -> float:
    """Weight of the exact maximum-weight matching over every allowed pair.

    It ignores the "match as many as possible" rule, so for pairs-only rounds it is an upper bound.
    """
    graph = nx.Graph()
    for a, b in combinations(members, 2):
        if frozenset((a.user_id, b.user_id)) not in forbidden:
            graph.add_edge(a.user_id, b.user_id, weight=compatibility(a, b))
    by_id = {m.user_id: m for m in members}
    return sum(compatibility(by_id[a], by_id[b]) for a, b in nx.max_weight_matching(graph))


def pair_weight(result: MatchResult) -> float:
    """Total compatibility of the result's two-person groups (even counts have no trio)."""
    return sum(g.score for g in result.groups if len(g.members) == 2)


def person(uid: int, **kw: object) -> Candidate:
    """A member with neutral defaults, overridden by ``kw``."""
    return Candidate(user_id=uid, **kw)  # type: ignore[arg-type]
