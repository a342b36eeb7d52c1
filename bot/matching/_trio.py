"""The group of three: when a round has an odd number of members, the one left over joins the pair
where they add the most, possibly after one swap, with wider searches when the rules block every
direct placement.
"""

from __future__ import annotations

from typing import Final

from ._blossom import NO_MATE
from ._solver import EPS, Solver

__all__ = ["place_third"]

# Up to this many members, an exhaustive search guarantees the group of three is found whenever
# one exists (cubic in members, so only for small rounds; larger rounds have far more options).
EXACT_TRIO_LIMIT: Final = 80


def _best_insertion(s: Solver, x: int, pairs: list[tuple[int, int]]) -> tuple[float, int] | None:
    best: tuple[float, int] | None = None
    for a, b in pairs:
        if s.allowed(x, a) and s.allowed(x, b):
            gain = s.f.score(x, a) + s.f.score(x, b)
            if best is None or gain > best[0] + EPS:
                best = (gain, a)
    return best


def place_third(s: Solver) -> tuple[int, int, int] | None:
    """Add one left-over member to a pair, where they add the most. Returns the group or None."""
    free = s.free()
    if not free:
        return None
    pairs = [(a, s.mate[a]) for a in range(s.n) if s.mate[a] > a]
    best: tuple[float, list[int] | None, int, int] | None = None  # gain, swap path, third, anchor
    for x in free:
        direct = _best_insertion(s, x, pairs)
        if direct is not None and (best is None or direct[0] + s.bonus(x) > best[0] + EPS):
            best = (direct[0] + s.bonus(x), None, x, direct[1])
        # One swap: x pairs with a candidate a, and a's old partner b becomes the third elsewhere.
        for wxa, a in s.cand[x]:
            b = s.mate[a]
            if b == NO_MATE:
                continue
            near = [(c, s.mate[c]) for _, c in s.cand[b] if s.mate[c] > NO_MATE]
            near = [(c, d) for c, d in near if a not in (c, d)]
            ins = _best_insertion(s, b, near)
            if ins is None:
                continue
            gain = wxa - s.f.score(a, b) + ins[0] + s.bonus(x)
            if best is None or gain > best[0] + EPS:
                best = (gain, [x, a, b], b, ins[1])
    if best is None:
        return _place_third_wide(s, free)
    _, path, third, anchor = best
    if path is not None:
        s.flip(path)
    return _group_of_three(s, third, anchor)


def _place_third_wide(s: Solver, free: list[int]) -> tuple[int, int, int] | None:
    # Nobody fits directly or after one swap: walk longer alternating paths to change who is
    # left over, and take the first arrangement where that person fits into some pair.
    for x in free:
        for path in s.alternating_paths(x):
            saved = s.mate[:]
            s.flip(path)
            now = [(a, s.mate[a]) for a in range(s.n) if s.mate[a] > a]
            ins = _best_insertion(s, path[-1], now)
            if ins is not None:
                return _group_of_three(s, path[-1], ins[1])
            s.mate = saved
    return _place_third_exact(s) if s.n <= EXACT_TRIO_LIMIT else None


def _place_third_exact(s: Solver) -> tuple[int, int, int] | None:
    # Last resort for small, heavily constrained rounds, where the searches above can miss
    # (they follow simple alternating paths only). Try every allowed triangle, best first:
    # take it out and re-run the exact augmenting search on the rest. If the rest still forms
    # all but one of the current pairs, the triangle plus those pairs places one more person.
    pairs_now = len(s.pairs())
    triangles = sorted(
        (-(s.f.score(a, b) + s.f.score(a, c) + s.f.score(b, c)), a, b, c)
        for a in range(s.n)
        for b in range(a + 1, s.n)
        if s.allowed(a, b)
        for c in range(b + 1, s.n)
        if s.allowed(a, c) and s.allowed(b, c)
    )
    for _, a, b, c in triangles:
        saved = s.mate[:]
        for v in (a, b, c):
            if s.mate[v] != NO_MATE:
                s.mate[s.mate[v]] = NO_MATE
                s.mate[v] = NO_MATE
        s.removed = {a, b, c}
        s.augment()
        s.removed = set()
        if len(s.pairs()) >= pairs_now - 1:
            # Stand-in pair for _group_of_three, which takes it back out of the matching.
            s.mate[b], s.mate[c] = c, b
            return _group_of_three(s, a, b)
        s.mate = saved
    return None


def _group_of_three(s: Solver, third: int, anchor: int) -> tuple[int, int, int]:
    other = s.mate[anchor]
    # Take the pair out of the matching: the caller reads the trio separately.
    s.mate[anchor] = s.mate[other] = NO_MATE
    return (third, anchor, other)
