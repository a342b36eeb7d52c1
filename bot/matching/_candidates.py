"""Each member's best allowed partners, without scoring every pair of a large round.

Scoring everyone against everyone is O(n²): 50 million pairs at 10,000 members, seconds of CPU
even vectorised. Time zone is worth up to 3 points and falls by 0.3 an hour, so a member's best
partners are nearly always a few hours away at most. Large rounds are therefore **blocked by time
zone**: the members of one UTC offset are ranked only against the nearest offsets (widened until
the pool holds at least ``POOL_MIN`` members) plus everyone whose time zone is unknown; members with
an unknown time zone are ranked against everyone. Rounds up to ``POOL_MIN`` members rank everyone,
exactly as before. The benchmark and the tests measure what blocking costs in quality (about nothing
at the sizes it applies to).

Ranking uses the fast fixed-point ``Features.rank_block``; the kept edges are then scored exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import numpy as np

from ._scoring import _MINUTES_PER_DAY, RANK_FORBIDDEN, Features, FloatArray, IntArray

# Top-k partners kept per member (the lists are then made symmetric, so most hold more). Measured
# with the benchmark: 8 loses ~0.3% of optimal, 16 and 24 gain nothing over 12 but cost time.
CANDIDATES_PER_MEMBER: Final = 12
# Fewest members a time-zone pool holds. Measured at 10,000 members: 1,500 stays within 0.1% of the
# total from ranking everyone at under a fifth of the work; 1,000 already loses 0.5%.
POOL_MIN: Final = 1500
# Rank blocks of about this many cells (x 2 bytes per temporary array) keep peak memory modest.
_BLOCK_CELLS: Final = 1 << 20


def top_k_edges(
    f: Features, forbidden: list[set[int]], members: IntArray, k: int, pool_min: int = POOL_MIN
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each of ``members``' k best allowed partners among ``members``: deduplicated edges lo < hi, exact weights.

    ``forbidden[i]`` holds the indices i may never be grouped with; those pairs are never returned.
    """
    n_all = len(forbidden)
    empty = np.zeros(0, dtype=np.int64)
    if min(k, len(members) - 1) <= 0:
        return empty, empty, np.zeros(0)
    src: list[IntArray] = []
    dst: list[IntArray] = []
    colpos = np.full(n_all, -1, dtype=np.int64)
    for rows_all, cols in _pools(f, members, pool_min):
        colpos[cols] = np.arange(len(cols))
        kk = min(k, len(cols) - 1)
        if kk <= 0:
            colpos[cols] = -1
            continue
        step = max(1, _BLOCK_CELLS // len(cols))
        for start in range(0, len(rows_all), step):
            rows = rows_all[start : start + step]
            s = f.rank_block(rows, cols)
            own = colpos[rows]
            mine = own >= 0
            s[np.nonzero(mine)[0], own[mine]] = RANK_FORBIDDEN
            bad = [(r, colpos[j]) for r, i in enumerate(rows.tolist()) for j in forbidden[i] if colpos[j] >= 0]
            if bad:
                bad_r, bad_c = zip(*bad, strict=True)
                s[list(bad_r), list(bad_c)] = RANK_FORBIDDEN
            top = np.argpartition(s, -kk, axis=1)[:, -kk:]
            ok = np.take_along_axis(s, top, axis=1) > RANK_FORBIDDEN
            src.append(np.broadcast_to(rows[:, None], top.shape)[ok])
            dst.append(cols[top[ok]])
        colpos[cols] = -1
    if not src:
        return empty, empty, np.zeros(0)
    a_all, b_all = np.concatenate(src), np.concatenate(dst)
    lo, hi = np.minimum(a_all, b_all), np.maximum(a_all, b_all)
    keys = np.unique(lo * n_all + hi)
    lo, hi = keys // n_all, keys % n_all
    return lo, hi, f.score_pairs(lo, hi)


def _pools(f: Features, members: IntArray, pool_min: int) -> Iterator[tuple[IntArray, IntArray]]:
    """(rows, cols) blocks: every member of ``members`` is a row exactly once."""
    if len(members) <= pool_min:
        yield members, members
        return
    known = f.known_offset[members]
    unknown = members[~known]
    if len(unknown):
        yield unknown, members
    placed = members[known]
    zones, inverse, counts = np.unique(f.zone_arr[placed], return_inverse=True, return_counts=True)
    offsets = f.zone_offsets[zones]
    for z, offset in enumerate(offsets.tolist()):
        d = np.abs(offsets - offset) % _MINUTES_PER_DAY
        d = np.minimum(d, _MINUTES_PER_DAY - d)
        order = np.argsort(d, kind="stable")
        reach = np.cumsum(counts[order]) + len(unknown)
        # The smallest clock distance whose pool is big enough; every zone at that distance is in.
        enough = np.nonzero(reach >= pool_min)[0]
        radius = d[order][enough[0]] if len(enough) else d.max()
        cols = np.concatenate((placed[(d <= radius)[inverse]], unknown))
        yield placed[inverse == z], cols
