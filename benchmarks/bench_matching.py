"""Benchmark the buddy matcher: speed, peak memory, and quality against the exact optimum.

Run from the project root: ``python benchmarks/bench_matching.py`` (``--quick`` for a short run).

Instances are random but shaped like a real community:
- 13 interest tags; each member picks 0-5 (most pick 1-3);
- pathways weighted towards "any" and 12-step, every pathway present;
- UTC offsets -8..+12 hours (a few half-hour zones, ~5% unknown);
- experience and wants mixed, ~5% priority members, a spread of rounds since last paired;
- do-not-pair pairs: 2% of all pairs, capped at 2 per member on average (so 398 for 200 members,
  4,000 for 2,000: a 2% *density* at 10,000 members would be a million avoid entries, which no
  real community has);
- recent pairs: the last 3 rounds. For the quality instances those rounds come from the matcher
  itself, which blocks exactly the best partners, the hardest realistic case; for the timing
  instances they are random pairings.

At 10,000 members the exact optimum is out of reach, so the run compares the matcher with its
large-round shortcuts (time-zone blocking, vectorised exchanges) against the exhaustive matcher
on the same instance, and both against an upper bound on the exact optimum (half the sum of every
member's best allowed score). The shortcuts are also forced on for the exact-comparison sizes.

Quality is total compatibility of our pairs divided by the weight of
``networkx.max_weight_matching`` over the full allowed graph (every pair not forbidden), computed
in the same run. That reference ignores the "match as many as possible" rule, so it is an upper
bound and the ratio is, if anything, pessimistic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.matching import Candidate, _solver, match
from bot.matching._candidates import top_k_edges
from bot.matching._models import Experience, Pathway, Wants
from bot.matching._scoring import Features
from tests.support.matching import exact_weight, pair_weight

INTERESTS = (
    "meditation",
    "recovery yoga",
    "music",
    "movement",
    "parkour",
    "art",
    "spiritual practice",
    "reading",
    "gaming",
    "cooking",
    "walking",
    "journaling",
    "gardening",
)
PATHWAYS: tuple[tuple[Pathway, int], ...] = (
    ("any", 30),
    ("12-step", 25),
    ("smart", 12),
    ("secular", 10),
    ("faith-based", 10),
    ("medication-assisted", 8),
    ("harm-reduction", 5),
)
EXPERIENCE: tuple[tuple[Experience, int], ...] = (("new", 35), ("steady", 45), ("mentor", 20))
WANTS: tuple[tuple[Wants, int], ...] = (("peer", 35), ("mentor", 30), ("either", 35))


T = TypeVar("T")


def _pick(rng: random.Random, options: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def make_members(n: int, seed: int) -> list[Candidate]:
    """``n`` realistic random members with user ids that look like Discord snowflakes."""
    rng = random.Random(seed)
    members = []
    for uid in rng.sample(range(10**17, 10**17 + 50 * n), n):
        offset: int | None = rng.randint(-8, 12) * 60
        if rng.random() < 0.08:
            offset = (offset or 0) + 30
        if rng.random() < 0.05:
            offset = None
        members.append(
            Candidate(
                user_id=uid,
                interests=frozenset(rng.sample(INTERESTS, min(rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4, 5)), 13))),
                utc_offset_minutes=offset,
                pathway=_pick(rng, PATHWAYS),
                experience=_pick(rng, EXPERIENCE),
                wants=_pick(rng, WANTS),
                rounds_since_paired=rng.choice((None, 0, 0, 1, 1, 2, 3, 6)),
                priority=rng.random() < 0.05,
            )
        )
    return members


def make_avoid(members: list[Candidate], seed: int) -> set[frozenset[int]]:
    """Do-not-pair pairs: 2% of all pairs, at most 2 per member on average."""
    rng = random.Random(seed + 1)
    n = len(members)
    want = min(round(0.02 * n * (n - 1) / 2), 2 * n)
    ids = [m.user_id for m in members]
    avoid: set[frozenset[int]] = set()
    while len(avoid) < want:
        a, b = rng.sample(ids, 2)
        avoid.add(frozenset((a, b)))
    return avoid


def random_rounds(members: list[Candidate], rounds: int, seed: int) -> set[frozenset[int]]:
    """Pairs from ``rounds`` random past pairings."""
    rng = random.Random(seed + 2)
    ids = [m.user_id for m in members]
    pairs: set[frozenset[int]] = set()
    for _ in range(rounds):
        rng.shuffle(ids)
        pairs.update(frozenset(ids[i : i + 2]) for i in range(0, len(ids) - 1, 2))
    return pairs


def matcher_rounds(members: list[Candidate], avoid: set[frozenset[int]], rounds: int, seed: int) -> set[frozenset[int]]:
    """Pairs from ``rounds`` past rounds run by the matcher itself (blocks the best partners)."""
    recent: set[frozenset[int]] = set()
    for r in range(rounds):
        recent |= match(members, avoid=avoid, recent_pairs=recent, seed=seed * 100 + r).pairs()
    return recent


def time_round(n: int, seed: int, repeats: int) -> None:
    """Print best-of-``repeats`` wall time and tracemalloc peak for one round of ``n`` members."""
    members = make_members(n, seed)
    avoid = make_avoid(members, seed)
    recent = random_rounds(members, 3, seed)
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = match(members, avoid=avoid, recent_pairs=recent, seed=seed)
        times.append(time.perf_counter() - start)
    # Measured separately: tracemalloc slows pure-Python code down a lot.
    tracemalloc.start()
    match(members, avoid=avoid, recent_pairs=recent, seed=seed)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result is not None
    trios = sum(len(g.members) == 3 for g in result.groups)
    print(
        f"  n={n:>6,}  time {min(times):6.2f} s (best of {repeats})  peak {peak / 2**20:6.1f} MiB  "
        f"groups {len(result.groups):,} (trios {trios})  unmatched {len(result.unmatched)}  "
        f"forbidden pairs {len(avoid) + len(recent):,}"
    )


def quality(sizes: tuple[int, ...], seeds: tuple[int, ...], *, shortcuts: bool = False) -> None:
    """Print our weight / exact optimum for each size and seed (``shortcuts``: large-round shortcuts forced on)."""
    ratios: list[float] = []
    for n in sizes:
        row = []
        for seed in seeds:
            members = make_members(n, seed)
            avoid = make_avoid(members, seed)
            recent = matcher_rounds(members, avoid, 3, seed)
            with forced_shortcuts() if shortcuts else nullcontext():
                start = time.perf_counter()
                result = match(members, avoid=avoid, recent_pairs=recent, seed=seed)
                ours_s = time.perf_counter() - start
            start = time.perf_counter()
            best = exact_weight(members, avoid | recent)
            exact_s = time.perf_counter() - start
            ratio = pair_weight(result) / best
            row.append(ratio)
            print(
                f"  n={n:>4} seed={seed}  ours {pair_weight(result):8.2f} ({ours_s * 1000:5.0f} ms)  "
                f"exact {best:8.2f} ({exact_s:5.1f} s)  ratio {ratio:.4f}  unmatched {len(result.unmatched)}"
            )
        ratios += row
        print(f"  n={n:>4} mean ratio {statistics.fmean(row):.4f}  min {min(row):.4f}")
    print(f"  overall mean ratio {statistics.fmean(ratios):.4f}  min {min(ratios):.4f}")


@contextmanager
def exhaustive() -> Iterator[None]:
    """The matcher without its large-round shortcuts: everyone ranked against everyone, exchanges in Python."""
    saved = _solver.POOL_MIN, _solver.VECTOR_FROM
    _solver.POOL_MIN, _solver.VECTOR_FROM = 10**9, 10**9
    try:
        yield
    finally:
        _solver.POOL_MIN, _solver.VECTOR_FROM = saved


@contextmanager
def forced_shortcuts() -> Iterator[None]:
    """The large-round shortcuts on any size (pools of 60 members), so exact comparisons can judge them."""
    saved = _solver.POOL_MIN, _solver.VECTOR_FROM
    _solver.POOL_MIN, _solver.VECTOR_FROM = 60, 0
    try:
        yield
    finally:
        _solver.POOL_MIN, _solver.VECTOR_FROM = saved


def upper_bound(members: list[Candidate], forbidden: set[frozenset[int]]) -> float:
    """Half the sum of each member's best allowed score: no matching can weigh more."""
    f = Features.build(members)
    index = {m.user_id: i for i, m in enumerate(members)}
    sets: list[set[int]] = [set() for _ in members]
    for pair in forbidden:
        a, b = (index[x] for x in pair)
        sets[a].add(b)
        sets[b].add(a)
    lo, hi, w = top_k_edges(f, sets, np.arange(len(members)), 1, pool_min=10**9)
    best = np.zeros(len(members))
    np.maximum.at(best, lo, w)
    np.maximum.at(best, hi, w)
    return float(best.sum() / 2)


def large_round(n: int, seed: int) -> None:
    """Time ``n`` members with the shortcuts and without (same run), and compare the totals."""
    members = make_members(n, seed)
    avoid = make_avoid(members, seed)
    recent = random_rounds(members, 3, seed)
    start = time.perf_counter()
    fast = match(members, avoid=avoid, recent_pairs=recent, seed=seed)
    fast_s = time.perf_counter() - start
    with exhaustive():
        start = time.perf_counter()
        slow = match(members, avoid=avoid, recent_pairs=recent, seed=seed)
        slow_s = time.perf_counter() - start
    bound = upper_bound(members, avoid | recent)
    print(
        f"  n={n:,}  shortcuts {fast_s:5.2f} s  exhaustive {slow_s:5.2f} s  (time ratio {fast_s / slow_s:.2f})\n"
        f"  total: shortcuts {pair_weight(fast):,.1f}  exhaustive {pair_weight(slow):,.1f}  "
        f"ratio {pair_weight(fast) / pair_weight(slow):.4f}  (vs an upper bound on exact: "
        f"{pair_weight(fast) / bound:.4f} and {pair_weight(slow) / bound:.4f})"
    )


def main() -> None:
    """Run the timing and quality benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller quality run, no 10,000 round")
    args = parser.parse_args()

    print("Timing (one round; realistic random instance):")
    for n, repeats in ((500, 3), (2_000, 3)) + (() if args.quick else ((10_000, 1),)):
        time_round(n, seed=7, repeats=repeats)

    if not args.quick:
        print("\n10,000 members, the large-round shortcuts against the exhaustive matcher (same run):")
        large_round(10_000, seed=7)

    print("\nQuality vs exact networkx.max_weight_matching (same run):")
    sizes, seeds = ((40, 100), (1, 2)) if args.quick else ((40, 80, 120, 200), (1, 2, 3, 4))
    quality(sizes, seeds)
    print("\nThe same instances with the large-round shortcuts forced on (pools of 60, vectorised exchanges):")
    quality(sizes, seeds, shortcuts=True)


if __name__ == "__main__":
    main()
