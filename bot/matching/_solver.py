"""Find a near-best grouping that never breaks a hard rule.

Scoring every pair is O(n²) (50M pairs for 10,000 members), which is too slow one pair at a time in
Python, so the solver works on a sparse graph:

1. **Candidate lists.** Rank members in numpy blocks (against everyone, or in large rounds against
   the nearest time zones: see ``_candidates``) and keep each member's top-k allowed partners.
   Forbidden pairs (do-not-pair, recent) are masked out here.
2. **Greedy.** Take candidate edges best-first. Priority members get a large bonus, so they are
   matched first.
3. **Complete the matching.** Greedy can strand a few members whose candidates were taken. Pair the
   stranded among themselves best-first, then run Edmonds' augmenting-path search (with blossoms)
   over the *full* allowed graph, so the number of people matched is the true maximum: nobody is
   left out unless the rules make it impossible.
4. **Local improvement.** 2-opt: for pairs (a, b) and (c, d) with c on a's list, switch to
   (a, c) + (b, d) when that raises the total, and the 3-way rotation of three pairs. Also swap a
   free member in where it helps. Large rounds run the exchanges vectorised first (``_exchange``).
5. **Priority repair**, then **the group of three** (``_trio``): put the leftover member where they
   add the most, possibly after one swap, falling back to a wider search when the rules block every
   direct placement.

The benchmark (``benchmarks/bench_matching.py``) measures the result against the exact
maximum-weight matching on instances small enough to solve exactly.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Final

import numpy as np

from ._blossom import NO_MATE, augmenting_path
from ._candidates import CANDIDATES_PER_MEMBER, POOL_MIN, top_k_edges
from ._exchange import ExchangeRounds
from ._scoring import MAX_COMPATIBILITY, Features, FloatArray, IntArray

# Larger than any possible difference in total compatibility, so covering one more priority member
# always wins, yet small enough that float sums stay exact to well below EPS.
PRIORITY_BONUS: Final = 1000.0
# How far down d's candidate list the 3-way rotation looks; wider finds a little more, slower.
THREE_OPT_WIDTH: Final = 10
# Rounds above this many members run the exchanges vectorised (``_exchange``), with a narrower
# rotation: at 10,000 members width 3 keeps the total within 0.2% of width 10 at a third of the work.
VECTOR_FROM: Final = 2000
THREE_OPT_WIDTH_LARGE: Final = 3
# Each improving move raises the total, so local search always ends; this only bounds the time.
MAX_MOVES_PER_MEMBER: Final = 50
EPS: Final = 1e-9
_NO_MATE: Final = NO_MATE
# Rounds of re-pairing stranded members before the exact augmenting search takes over.
_STRANDED_ROUNDS: Final = 4


class Solver:
    """Mutable matching state over members 0..n-1 (indices into the seeded member order)."""

    def __init__(
        self, features: Features, forbidden: list[set[int]], priority: list[bool], *, pool_min: int | None = None
    ) -> None:
        self.f = features
        self.pool_min = POOL_MIN if pool_min is None else pool_min
        self.n = len(forbidden)
        self.forbidden = forbidden
        self.priority = priority
        self.mate = [_NO_MATE] * self.n
        # cand[i]: (compatibility, j) for allowed partners j, best first.
        self.cand: list[list[tuple[float, int]]] = [[] for _ in range(self.n)]
        self._edges: tuple[IntArray, IntArray, FloatArray] | None = None
        self._upper: list[float] = []
        # Members temporarily taken out of the graph (the exact group-of-three search).
        self.removed: set[int] = set()

    # --- helpers -----------------------------------------------------------------------------------

    def allowed(self, i: int, j: int) -> bool:
        """Whether i and j may be in the same group."""
        return i != j and j not in self.forbidden[i]

    def bonus(self, i: int) -> float:
        """The objective's extra for having member i in a group at all."""
        return PRIORITY_BONUS if self.priority[i] else 0.0

    def free(self) -> list[int]:
        """Members without a partner, priority members first, then in seeded order."""
        return sorted(
            (i for i in range(self.n) if self.mate[i] == _NO_MATE and i not in self.removed),
            key=lambda i: not self.priority[i],
        )

    def _neighbours(self, v: int) -> Iterator[int]:
        forbidden, removed = self.forbidden[v], self.removed
        return (u for u in range(self.n) if u != v and u not in forbidden and u not in removed)

    # --- 1. candidate lists --------------------------------------------------------------------------

    def build_candidates(self, k: int = CANDIDATES_PER_MEMBER) -> None:
        """Keep the top-k allowed partners of every member, made symmetric."""
        everyone = np.arange(self.n, dtype=np.int64)
        lo, hi, w = self._edges = top_k_edges(self.f, self.forbidden, everyone, k, self.pool_min)
        for x, y, wt in zip(lo.tolist(), hi.tolist(), w.tolist(), strict=True):
            self.cand[x].append((wt, y))
            self.cand[y].append((wt, x))
        for lst in self.cand:
            # Ties break on the seeded index order, which is what makes the seed matter.
            lst.sort(key=lambda t: (-t[0], t[1]))

    # --- 2. greedy -----------------------------------------------------------------------------------

    def greedy(self) -> None:
        """Match candidate edges best-first; priority members' edges come first."""
        if self._edges is not None:
            self._greedy_on(*self._edges)

    def _greedy_on(self, lo: IntArray, hi: IntArray, w: FloatArray) -> None:
        prio = np.array(self.priority, dtype=np.float64)
        boosted = w + PRIORITY_BONUS * (prio[lo] + prio[hi])
        order = np.lexsort((lo * self.n + hi, -boosted))
        self._greedy_edges(lo[order].tolist(), hi[order].tolist())

    def _greedy_edges(self, xs: list[int], ys: list[int]) -> None:
        mate = self.mate
        for x, y in zip(xs, ys, strict=True):
            if mate[x] == _NO_MATE and mate[y] == _NO_MATE:
                mate[x], mate[y] = y, x

    # --- 3. complete to maximum cardinality ----------------------------------------------------------

    def pair_stranded(self) -> None:
        """Pair the members greedy left over among themselves, best-first.

        Greedy strands a fair share of members (a quarter at 10,000) whose short lists were used
        up by more popular members. Re-rank them against each other only, a few times over; each
        round is cheap because it only scores the stranded.
        """
        for _ in range(_STRANDED_ROUNDS):
            free = self.free()
            if len(free) < 2:
                return
            before = len(free)
            stranded = np.array(free, dtype=np.int64)
            self._greedy_on(*top_k_edges(self.f, self.forbidden, stranded, CANDIDATES_PER_MEMBER, self.pool_min))
            if len(self.free()) == before:
                return

    def augment(self) -> None:
        """Edmonds' augmenting paths until no two free members can both be matched."""
        free = self.free()
        remaining = len(free)
        for root in free:
            if remaining < 2:
                break
            if self.mate[root] != _NO_MATE:
                continue
            end, parent = augmenting_path(self.n, self.mate, root, self._neighbours)
            if end == _NO_MATE:
                # Berge: with no augmenting path from root now, none appears later either, so
                # root stays out of the pairs (it may still join the group of three).
                continue
            v = end
            while v != _NO_MATE:
                pv = parent[v]
                nxt = self.mate[pv]
                self.mate[v], self.mate[pv] = pv, v
                v = nxt
            remaining -= 2

    # --- 4. local improvement ------------------------------------------------------------------------

    def local_search(self) -> None:
        """Improve the matching with exchanges until none helps (vectorised first in large rounds)."""
        if self.n <= VECTOR_FROM:
            self._local_search(range(self.n), THREE_OPT_WIDTH)
            return
        rounds = ExchangeRounds(self.f, self.cand, self.forbidden)
        moved = rounds.run(self.mate, THREE_OPT_WIDTH_LARGE)
        # Whatever the vectorised rounds could do is done; what is left involves members without
        # a partner (swaps them in) or the last round's movers.
        self._local_search(sorted(moved.union(self.free())), THREE_OPT_WIDTH_LARGE)

    def _local_search(self, start: Iterable[int], width: int) -> None:
        """Improve the matching with exchanges until none helps.

        Moves, tried from each member a (partner b) along a's candidate list:
        - a free member takes a partner's place (only when it raises the objective);
        - 2-opt: (a,b) + (c,d) -> (a,c) + (b,d);
        - 3-opt: (a,b) + (c,d) + (e,f) -> (a,c) + (d,e) + (f,b), e from d's shorter list.
        Pairwise swaps alone stall around 97-98% of optimal on realistic rounds; the 3-way rotation
        closes most of the rest. Members whose pair changed are re-queued ("don't-look bits"), so
        later sweeps only revisit where something moved.
        """
        f, mate, cand, forbidden = self.f, self.mate, self.cand, self.forbidden
        pw = [f.score(i, mate[i]) if mate[i] != _NO_MATE else 0.0 for i in range(self.n)]
        # The best score each member can get with anyone allowed: their list's head, since each
        # list holds that member's own top-k. A much tighter bound than MAX_COMPATIBILITY, and
        # it is what lets most hopeless exchanges be skipped without scoring them.
        self._upper = upper = [lst[0][0] if lst else 0.0 for lst in cand]
        queue = deque(start)
        queued = [False] * self.n
        for i in queue:
            queued[i] = True
        budget = MAX_MOVES_PER_MEMBER * self.n

        def touch(*members: int) -> None:
            for m in members:
                if m != _NO_MATE and not queued[m]:
                    queued[m] = True
                    queue.append(m)

        while queue and budget > 0:
            a = queue.popleft()
            queued[a] = False
            moved = True
            while moved and budget > 0:
                moved = False
                b = mate[a]
                for wac, c in cand[a]:
                    d = mate[c]
                    if c == b:
                        continue
                    if b == _NO_MATE or d == _NO_MATE:
                        moved = self._swap_in(a, b, c, d, wac, pw)
                    else:
                        if wac - pw[a] + upper[b] + MAX_COMPATIBILITY <= EPS:
                            # Candidates are best-first: nobody further down can help either.
                            break
                        g1 = wac - pw[a] - pw[c]
                        if g1 + min(upper[b], upper[d]) > EPS and d not in forbidden[b]:
                            wbd = f.score(b, d)
                            if g1 + wbd > EPS:
                                mate[a], mate[c], mate[b], mate[d] = c, a, d, b
                                pw[a] = pw[c] = wac
                                pw[b] = pw[d] = wbd
                                moved = True
                        if not moved:
                            moved = self._three_opt(a, b, c, d, wac, g1, pw, width)
                    if moved:
                        budget -= 1
                        touch(a, b, c, d)
                        break

    def _swap_in(self, a: int, b: int, c: int, d: int, wac: float, pw: list[float]) -> bool:
        """Pair a with c when one of them is free, freeing the other's partner if it helps."""
        mate = self.mate
        gain = wac + (self.bonus(a) if b == _NO_MATE else -pw[a] - self.bonus(b))
        gain += self.bonus(c) if d == _NO_MATE else -pw[c] - self.bonus(d)
        if gain <= EPS:
            return False
        for freed in (b, d):
            if freed != _NO_MATE:
                mate[freed] = _NO_MATE
                pw[freed] = 0.0
        mate[a], mate[c] = c, a
        pw[a] = pw[c] = wac
        return True

    def _three_opt(self, a: int, b: int, c: int, d: int, wac: float, g1: float, pw: list[float], width: int) -> bool:
        f, mate, forbidden = self.f, self.mate, self.forbidden
        upper_b = self._upper[b]
        for wde, e in self.cand[d][:width]:
            # Best-first again: once even b's best possible partner could not pay, stop.
            g2 = g1 + wde
            if g2 + upper_b <= EPS:
                break
            fe = mate[e]
            if e in (a, b, c) or fe == _NO_MATE or fe in (a, b, c, d):
                continue
            g2 -= pw[e]
            if g2 + upper_b <= EPS or b in forbidden[fe]:
                continue
            wfb = f.score(fe, b)
            if g2 + wfb <= EPS:
                continue
            mate[a], mate[c], mate[d], mate[e], mate[fe], mate[b] = c, a, e, d, b, fe
            pw[a] = pw[c] = wac
            pw[d] = pw[e] = wde
            pw[fe] = pw[b] = wfb
            return True
        return False

    # --- 5. priority and the group of three ----------------------------------------------------------

    def alternating_paths(self, root: int) -> Iterator[list[int]]:
        """Paths [root, a1, e1, ..., ak, ek] with (ai, ei) current pairs and root-a1, e1-a2... allowed.

        Flipping one pairs root with a1, e1 with a2, and so on, leaving ek free instead of root:
        the same number of pairs, a different person out. Breadth-first, so shortest first. (Simple
        paths only, no blossoms: a heuristic, used where the exact search above is not needed.)
        """
        parent: dict[int, tuple[int, int]] = {}
        seen = {root}
        queue = deque([root])
        while queue:
            v = queue.popleft()
            for a in self._neighbours(v):
                e = self.mate[a]
                if a in seen or e == _NO_MATE or e in seen:
                    continue
                seen.update((a, e))
                parent[e] = (a, v)
                queue.append(e)
                path = [e]
                while path[-1] != root:
                    odd, prev = parent[path[-1]]
                    path += [odd, prev]
                yield path[::-1]

    def flip(self, path: list[int]) -> None:
        for t in range(0, len(path) - 1, 2):
            x, y = path[t], path[t + 1]
            self.mate[x], self.mate[y] = y, x
        self.mate[path[-1]] = _NO_MATE

    def fix_priority(self) -> None:
        """Give a left-out priority member's place to a non-priority member where the rules allow."""
        for p in self.free():
            if not self.priority[p]:
                break
            for path in self.alternating_paths(p):
                if not self.priority[path[-1]]:
                    self.flip(path)
                    break

    def pairs(self) -> list[tuple[int, int]]:
        """Current pairs (i < j)."""
        return [(a, self.mate[a]) for a in range(self.n) if self.mate[a] > a]
