"""Vectorised exchange rounds: the bulk of the local search for large rounds, in numpy.

The solver's local search tries, member by member in Python, the 2-opt exchange
(a,b) + (c,d) -> (a,c) + (b,d) and the 3-way rotation (a,b) + (c,d) + (e,f) -> (a,c) + (d,e) + (f,b).
At 10,000 members one sweep of that is a quarter of a million tries, seconds of interpreter time.
Here every try along the candidate lists is evaluated at once with numpy; the improving ones are
applied best-first, skipping any that touch a member already moved this round, and the round
repeats on the members that moved. The Python search then only has the few moves left that
involve members without a partner.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from ._blossom import NO_MATE
from ._scoring import Features, FloatArray, IntArray

EPS: Final = 1e-9
BoolArray = npt.NDArray[np.bool_]
# A move: its gain, the members (a, b, c, d) or (a, b, c, d, e, f), and the new pairs' scores.
Move = tuple[float, tuple[int, ...], tuple[float, ...]]
# Each applied move raises the total, so rounds end by themselves; this only bounds the time.
MAX_ROUNDS: Final = 40


class ExchangeRounds:
    """Candidate lists as padded arrays, and the forbidden pairs as sorted keys, for vectorised moves."""

    def __init__(self, f: Features, cand: list[list[tuple[float, int]]], forbidden: list[set[int]]) -> None:
        self.f = f
        n = self.n = len(cand)
        width = max((len(lst) for lst in cand), default=0)
        self.cand_idx = np.full((n, max(width, 1)), NO_MATE, dtype=np.int64)
        self.cand_w = np.full((n, max(width, 1)), -np.inf)
        for i, lst in enumerate(cand):
            if lst:
                self.cand_w[i, : len(lst)], self.cand_idx[i, : len(lst)] = zip(*lst, strict=True)
        valid = self.cand_idx >= 0
        self.src = np.broadcast_to(np.arange(n)[:, None], self.cand_idx.shape)[valid]
        self.dst = self.cand_idx[valid]
        self.w = self.cand_w[valid]
        self.upper = np.where(self.cand_w[:, 0] > -np.inf, self.cand_w[:, 0], 0.0)
        keys = [i * n + j for i, js in enumerate(forbidden) for j in js if i < j]
        self.forbidden_keys = np.unique(np.array(keys, dtype=np.int64))

    def _allowed(self, x: IntArray, y: IntArray) -> BoolArray:
        keys = np.minimum(x, y) * self.n + np.maximum(x, y)
        pos = np.searchsorted(self.forbidden_keys, keys)
        pos = np.minimum(pos, max(len(self.forbidden_keys) - 1, 0))
        hit = self.forbidden_keys[pos] == keys if len(self.forbidden_keys) else np.zeros(len(keys), dtype=bool)
        return (x != y) & ~hit

    def run(self, mate_list: list[int], width: int) -> set[int]:
        """Improve ``mate_list`` in place; returns the members moved in the last round that moved any."""
        mate = np.array(mate_list, dtype=np.int64)
        everyone = np.arange(self.n)
        pw = np.zeros(self.n)
        paired = mate != NO_MATE
        pw[paired] = self.f.score_pairs(everyone[paired], mate[paired])
        active = np.ones(self.n, dtype=bool)
        last: set[int] = set()
        for _ in range(MAX_ROUNDS):
            moves = self._moves(mate, pw, active, width)
            moved = self._apply(moves, mate, pw)
            if not moved:
                break
            last = moved
            active = np.zeros(self.n, dtype=bool)
            active[list(moved)] = True
        mate_list[:] = mate.tolist()
        return last

    def _moves(self, mate: IntArray, pw: FloatArray, active: BoolArray, width: int) -> list[Move]:
        a, c, wac = self.src, self.dst, self.w
        sel = active[a] | active[c]
        a, c, wac = a[sel], c[sel], wac[sel]
        b, d = mate[a], mate[c]
        ok = (b != NO_MATE) & (d != NO_MATE) & (c != b)
        a, b, c, d, wac = a[ok], b[ok], c[ok], d[ok], wac[ok]
        g1 = wac - pw[a] - pw[c]
        moves: list[Move] = []
        # 2-opt: (a,b) + (c,d) -> (a,c) + (b,d).
        two = (g1 + np.minimum(self.upper[b], self.upper[d]) > EPS) & self._allowed(b, d)
        if two.any():
            wbd = self.f.score_pairs(b[two], d[two])
            gain = g1[two] + wbd
            good = gain > EPS
            people = zip(
                a[two][good].tolist(), b[two][good].tolist(), c[two][good].tolist(), d[two][good].tolist(), strict=True
            )
            weights = zip(wac[two][good].tolist(), wbd[good].tolist(), strict=True)
            moves += zip(gain[good].tolist(), people, weights, strict=True)
        # 3-opt: (a,b) + (c,d) + (e,f) -> (a,c) + (d,e) + (f,b), e among d's first `width` candidates.
        for t in range(min(width, self.cand_idx.shape[1])):
            e, wde = self.cand_idx[d, t], self.cand_w[d, t]
            fe = np.where(e >= 0, mate[np.maximum(e, 0)], NO_MATE)
            g2 = g1 + wde - pw[np.maximum(e, 0)]
            ok3 = (e >= 0) & (fe != NO_MATE) & (g2 + self.upper[b] > EPS)
            for x in (a, b, c):
                ok3 &= e != x
            for x in (a, b, c, d):
                ok3 &= fe != x
            idx = np.nonzero(ok3)[0]
            if not len(idx):
                continue
            idx = idx[self._allowed(fe[idx], b[idx])]
            wfb = self.f.score_pairs(fe[idx], b[idx])
            gain = g2[idx] + wfb
            good = gain > EPS
            idx, wfb, gain = idx[good], wfb[good], gain[good]
            people3 = zip(*(x[idx].tolist() for x in (a, b, c, d, e, fe)), strict=True)
            weights3 = zip(wac[idx].tolist(), wde[idx].tolist(), wfb.tolist(), strict=True)
            moves += zip(gain.tolist(), people3, weights3, strict=True)
        # Best first; ties by members, so the result depends only on the input.
        moves.sort(key=lambda m: (-m[0], m[1]))
        return moves

    @staticmethod
    def _apply(moves: list[Move], mate: IntArray, pw: FloatArray) -> set[int]:
        moved: set[int] = set()
        for _, people, weights in moves:
            if moved.intersection(people):
                continue
            moved.update(people)
            if len(people) == 4:
                a, b, c, d = people
                mate[a], mate[c], mate[b], mate[d] = c, a, d, b
                pw[a] = pw[c] = weights[0]
                pw[b] = pw[d] = weights[1]
            else:
                a, b, c, d, e, fe = people
                mate[a], mate[c], mate[d], mate[e], mate[fe], mate[b] = c, a, e, d, b, fe
                pw[a] = pw[c] = weights[0]
                pw[d] = pw[e] = weights[1]
                pw[fe] = pw[b] = weights[2]
        return moved
