"""How well two members suit each other.

Every component is a small lookup table built once at import. The same tables drive both the
public, one-pair ``compatibility`` and the vectorised block scorer used for large rounds, so the
two give bit-identical numbers (the tests check this) and the solver can mix them freely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from ._models import EXPERIENCES, PATHWAYS, WANTS, Candidate, Experience, Wants

# --- weights -------------------------------------------------------------------------------------
# Interests and time zone carry the most weight: a shared hobby gives a first conversation, and a
# buddy who is asleep whenever you need them is not much of a buddy.
INTEREST_WEIGHT: Final = 3.0
# Count shared interests, capped: the third shared interest helps, the tenth adds nothing, and a
# cap stops members who list many interests from crowding everyone else out (Jaccard would instead
# punish them for listing many).
INTEREST_CAP: Final = 3
TZ_WEIGHT: Final = 3.0
# Unknown time zone: score as "somewhat apart" rather than best or worst, so not sharing a time
# zone neither hurts nor helps a member much.
TZ_UNKNOWN: Final = TZ_WEIGHT * 0.5
PATHWAY_SAME: Final = 1.5
# "any" is compatible with everything, but a shared specific pathway is worth more.
PATHWAY_ANY: Final = 0.75
PATHWAY_DIFFERENT: Final = 0.0
# A newer member paired with someone steadier, when either asked for a mentor-style pairing.
MENTOR_ASKED: Final = 2.5
# ...but less when the other side explicitly asked for a peer.
MENTOR_HALF_ASKED: Final = 1.0
# A small extra when the experienced side is an actual mentor rather than just steady.
MENTOR_EXPERIENCED: Final = 0.25
# Each member in a peer-style pairing who asked for a peer.
PEER_ASKED: Final = 0.5
# Mild preference for people who have waited longest for a buddy: at most this much per member,
# reached after FRESH_CAP rounds (or never having been paired).
FRESH_WEIGHT: Final = 0.25
FRESH_CAP: Final = 4

_MINUTES_PER_DAY: Final = 24 * 60


def _tz_closeness(hours: float) -> float:
    """1.0 in the same zone, falling to 0.2 at 8 hours apart and 0.0 at 12 (the furthest possible).

    Beyond 8 hours two people's waking days barely overlap, so the drop steepens there.
    """
    if hours <= 8.0:
        return 1.0 - 0.1 * hours
    return 0.2 * (12.0 - hours) / 4.0


INTEREST_TABLE: Final[tuple[float, ...]] = tuple(INTEREST_WEIGHT * k / INTEREST_CAP for k in range(INTEREST_CAP + 1))
# Indexed by the clock distance in minutes (0..720).
TZ_TABLE: Final[tuple[float, ...]] = tuple(
    TZ_WEIGHT * _tz_closeness(m / 60.0) for m in range(_MINUTES_PER_DAY // 2 + 1)
)


def clock_distance_minutes(a: int, b: int) -> int:
    """Distance between two UTC offsets on a 24-hour clock, in minutes (0..720).

    Circular because UTC-8 and UTC+12 are 20 hours apart by offset but their clocks differ by only
    4 hours, which is what matters for finding a time to talk.
    """
    d = abs(a - b) % _MINUTES_PER_DAY
    return min(d, _MINUTES_PER_DAY - d)


def _pathway_score(a: str, b: str) -> float:
    if a == "any" or b == "any":
        return PATHWAY_ANY
    return PATHWAY_SAME if a == b else PATHWAY_DIFFERENT


def is_mentoring_pair(ea: Experience, eb: Experience) -> bool:
    """True when one member is new and the other steady or a mentor."""
    return (ea == "new") != (eb == "new")


def mentoring_asked(ea: Experience, wa: Wants, eb: Experience, wb: Wants) -> bool:
    """True when the pair is new-with-experienced and at least one of them asked for that."""
    return is_mentoring_pair(ea, eb) and "mentor" in (wa, wb)


def _mentoring_score(ea: Experience, wa: Wants, eb: Experience, wb: Wants) -> float:
    if is_mentoring_pair(ea, eb):
        if "mentor" not in (wa, wb):
            return 0.0
        score = MENTOR_HALF_ASKED if "peer" in (wa, wb) else MENTOR_ASKED
        if "mentor" in (ea, eb):
            score += MENTOR_EXPERIENCED
        return score
    # A peer-style pairing (same stage, or steady with mentor): reward those who asked for a peer.
    return PEER_ASKED * ((wa == "peer") + (wb == "peer"))


PATHWAY_TABLE: Final[tuple[tuple[float, ...], ...]] = tuple(
    tuple(_pathway_score(a, b) for b in PATHWAYS) for a in PATHWAYS
)
# Members are reduced to a "kind" code = experience index * len(WANTS) + wants index.
KINDS: Final[tuple[tuple[Experience, Wants], ...]] = tuple((e, w) for e in EXPERIENCES for w in WANTS)
MENTOR_TABLE: Final[tuple[tuple[float, ...], ...]] = tuple(
    tuple(_mentoring_score(ea, wa, eb, wb) for eb, wb in KINDS) for ea, wa in KINDS
)
# The most any pair can score: lets the local search skip swaps that cannot possibly help.
MAX_COMPATIBILITY: Final = (
    INTEREST_TABLE[-1]
    + max(TZ_TABLE[0], TZ_UNKNOWN)
    + max(map(max, PATHWAY_TABLE))
    + max(map(max, MENTOR_TABLE))
    + 2 * FRESH_WEIGHT
)
_PATHWAY_INDEX: Final = {p: i for i, p in enumerate(PATHWAYS)}
_KIND_INDEX: Final = {k: i for i, k in enumerate(KINDS)}


def freshness(rounds_since_paired: int | None) -> float:
    """Per-member bonus for having waited: ``FRESH_WEIGHT`` for never paired, 0 if paired last round."""
    if rounds_since_paired is None:
        return FRESH_WEIGHT
    return FRESH_WEIGHT * min(rounds_since_paired, FRESH_CAP) / FRESH_CAP


def compatibility(a: Candidate, b: Candidate) -> float:
    """How well two members suit each other as buddies (higher is better, never negative).

    Symmetric. Ignores the hard rules (do-not-pair, recent pairs); ``match`` enforces those
    separately. The addition order mirrors ``Features.score`` exactly so both agree to the bit.
    """
    s = INTEREST_TABLE[min(len(a.interests & b.interests), INTEREST_CAP)]
    if a.utc_offset_minutes is None or b.utc_offset_minutes is None:
        s += TZ_UNKNOWN
    else:
        s += TZ_TABLE[clock_distance_minutes(a.utc_offset_minutes, b.utc_offset_minutes)]
    s += PATHWAY_TABLE[_PATHWAY_INDEX[a.pathway]][_PATHWAY_INDEX[b.pathway]]
    s += MENTOR_TABLE[_KIND_INDEX[a.experience, a.wants]][_KIND_INDEX[b.experience, b.wants]]
    s += freshness(a.rounds_since_paired) + freshness(b.rounds_since_paired)
    return s


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(slots=True)
class Features:
    """Members encoded for fast scoring: Python lists for one-pair lookups, numpy arrays for blocks."""

    masks: list[int]
    offsets: list[int | None]
    pathway: list[int]
    kind: list[int]
    fresh: list[float]
    interest_matrix: npt.NDArray[np.float32]
    offset_arr: IntArray
    known_offset: npt.NDArray[np.bool_]
    pathway_arr: IntArray
    kind_arr: IntArray
    fresh_arr: FloatArray
    # Index into the round's distinct UTC offsets (the last index means "unknown"): what the time-zone
    # blocking groups members by, and what the ranking kernel looks time-zone scores up with.
    zone_arr: IntArray
    zone_offsets: IntArray
    # Interest sets as 64-bit masks when the round has at most 64 interests (always, in practice):
    # a popcount per cell is several times faster than the matrix product.
    mask_arr: npt.NDArray[np.uint64] | None

    @classmethod
    def build(cls, members: Sequence[Candidate]) -> Features:
        """Encode ``members`` (index i of every array is ``members[i]``)."""
        vocab = {name: i for i, name in enumerate(sorted({x for m in members for x in m.interests}))}
        masks = [sum(1 << vocab[x] for x in m.interests) for m in members]
        matrix = np.zeros((len(members), max(len(vocab), 1)), dtype=np.float32)
        for i, m in enumerate(members):
            matrix[i, [vocab[x] for x in m.interests]] = 1.0
        offsets = [m.utc_offset_minutes for m in members]
        pathway = [_PATHWAY_INDEX[m.pathway] for m in members]
        kind = [_KIND_INDEX[m.experience, m.wants] for m in members]
        fresh = [freshness(m.rounds_since_paired) for m in members]
        zones = sorted({o for o in offsets if o is not None})
        zone_of = {o: z for z, o in enumerate(zones)}
        return cls(
            masks=masks,
            offsets=offsets,
            pathway=pathway,
            kind=kind,
            fresh=fresh,
            interest_matrix=matrix,
            offset_arr=np.array([o or 0 for o in offsets], dtype=np.int64),
            known_offset=np.array([o is not None for o in offsets], dtype=np.bool_),
            pathway_arr=np.array(pathway, dtype=np.int64),
            kind_arr=np.array(kind, dtype=np.int64),
            fresh_arr=np.array(fresh, dtype=np.float64),
            zone_arr=np.array([len(zones) if o is None else zone_of[o] for o in offsets], dtype=np.int64),
            zone_offsets=np.array(zones, dtype=np.int64),
            mask_arr=np.array(masks, dtype=np.uint64) if len(vocab) <= 64 else None,
        )

    def score(self, i: int, j: int) -> float:
        """``compatibility`` of members i and j, from the encoded form."""
        s = INTEREST_TABLE[min((self.masks[i] & self.masks[j]).bit_count(), INTEREST_CAP)]
        oi, oj = self.offsets[i], self.offsets[j]
        if oi is None or oj is None:
            s += TZ_UNKNOWN
        else:
            d = abs(oi - oj) % _MINUTES_PER_DAY
            s += TZ_TABLE[min(d, _MINUTES_PER_DAY - d)]
        s += PATHWAY_TABLE[self.pathway[i]][self.pathway[j]]
        s += MENTOR_TABLE[self.kind[i]][self.kind[j]]
        s += self.fresh[i] + self.fresh[j]
        return s

    def score_block(self, rows: IntArray, cols: IntArray) -> FloatArray:
        """``compatibility`` for every (row, col) combination, as a len(rows) x len(cols) array."""
        shared = self.interest_matrix[rows] @ self.interest_matrix[cols].T
        return self._add_rest(shared, rows[:, None], cols[None, :])

    def score_pairs(self, a: IntArray, b: IntArray) -> FloatArray:
        """``compatibility`` of members ``a[t]`` and ``b[t]`` for every t, bit-identical to ``score``."""
        out = np.empty(len(a), dtype=np.float64)
        # Chunked so the len x vocabulary temporaries stay small whatever the number of interests.
        step = max(1, _PAIR_CELLS // self.interest_matrix.shape[1])
        for start in range(0, len(a), step):
            x, y = a[start : start + step], b[start : start + step]
            shared = (self.interest_matrix[x] * self.interest_matrix[y]).sum(axis=1)
            out[start : start + step] = self._add_rest(shared, x, y)
        return out

    def _add_rest(self, shared: npt.NDArray[np.float32], a: IntArray, b: IntArray) -> FloatArray:
        # Float32 sums of 0/1 are exact far beyond any realistic interest count. The additions run in
        # the same order as ``compatibility`` so the results agree to the bit.
        s: FloatArray = _INTEREST_ARR[np.minimum(shared.astype(np.int64), INTEREST_CAP)]
        d = np.abs(self.offset_arr[a] - self.offset_arr[b]) % _MINUTES_PER_DAY
        tz = _TZ_ARR[np.minimum(d, _MINUTES_PER_DAY - d)]
        known = self.known_offset[a] & self.known_offset[b]
        s += np.where(known, tz, TZ_UNKNOWN)
        s += _PATHWAY_ARR[self.pathway_arr[a], self.pathway_arr[b]]
        s += _MENTOR_ARR[self.kind_arr[a], self.kind_arr[b]]
        s += self.fresh_arr[a] + self.fresh_arr[b]
        return s

    def rank_block(self, rows: IntArray, cols: IntArray) -> RankArray:
        """``score_block`` in fixed point (``RANK_SCALE`` points per unit, int16): only for choosing candidates.

        Several times faster than the exact form: every component is one table lookup per cell
        rather than arithmetic on offsets, and int16 quarters the memory traffic (and selecting the
        top-k is quicker on small integers). Rounding moves a score by at most 0.002, so only
        near-ties can swap places; candidates' exact scores are then taken with ``score_pairs``,
        so nothing downstream sees the rounding.
        """
        if self.mask_arr is not None:
            shared = np.bitwise_count(self.mask_arr[rows, None] & self.mask_arr[None, cols])
        else:
            shared = np.minimum(self.interest_matrix[rows] @ self.interest_matrix[cols].T, INTEREST_CAP).astype(np.intp)
        s = np.take(_INTEREST_RANK, shared)
        s += np.take(self._zone_table()[self.zone_arr[rows]], self.zone_arr[cols], axis=1)
        pk_rows = self.pathway_arr[rows] * len(KINDS) + self.kind_arr[rows]
        pk_cols = self.pathway_arr[cols] * len(KINDS) + self.kind_arr[cols]
        s += np.take(_PK_RANK[pk_rows], pk_cols, axis=1)
        fresh = _to_rank(self.fresh_arr)
        s += fresh[rows, None]
        s += fresh[None, cols]
        return s

    def _zone_table(self) -> RankArray:
        z = self.zone_offsets
        d = np.abs(z[:, None] - z[None, :]) % _MINUTES_PER_DAY
        table = np.full((len(z) + 1, len(z) + 1), TZ_UNKNOWN)
        table[: len(z), : len(z)] = _TZ_ARR[np.minimum(d, _MINUTES_PER_DAY - d)]
        return _to_rank(table)


RankArray = npt.NDArray[np.int16]
# Fixed-point ranking: the best possible score (under 11) times this stays well inside int16.
RANK_SCALE: Final = 2048
RANK_FORBIDDEN: Final = np.iinfo(np.int16).min
assert np.iinfo(np.int16).max > MAX_COMPATIBILITY * RANK_SCALE


def _to_rank(x: npt.NDArray[np.float64]) -> RankArray:
    return np.rint(x * RANK_SCALE).astype(np.int16)


# Pair scoring works in chunks of about this many (pair x interest) cells.
_PAIR_CELLS: Final = 1 << 20
_INTEREST_ARR: Final = np.array(INTEREST_TABLE, dtype=np.float64)
_TZ_ARR: Final = np.array(TZ_TABLE, dtype=np.float64)
_PATHWAY_ARR: Final = np.array(PATHWAY_TABLE, dtype=np.float64)
_MENTOR_ARR: Final = np.array(MENTOR_TABLE, dtype=np.float64)
# The interest score by number of shared interests, for any count up to 64 (the cap is in the table).
_INTEREST_RANK: Final = _to_rank(np.array([INTEREST_TABLE[min(k, INTEREST_CAP)] for k in range(65)]))
# Pathway and mentoring scores together, indexed by pathway * len(KINDS) + kind.
_PK_RANK: Final = _to_rank(
    (_PATHWAY_ARR[:, None, :, None] + _MENTOR_ARR[None, :, None, :]).reshape(
        len(PATHWAYS) * len(KINDS), len(PATHWAYS) * len(KINDS)
    )
)
