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
        # Float32 sums of 0/1 are exact far beyond any realistic interest count.
        s: FloatArray = _INTEREST_ARR[np.minimum(shared.astype(np.int64), INTEREST_CAP)]
        d = np.abs(self.offset_arr[rows, None] - self.offset_arr[None, cols]) % _MINUTES_PER_DAY
        tz = _TZ_ARR[np.minimum(d, _MINUTES_PER_DAY - d)]
        known = self.known_offset[rows, None] & self.known_offset[None, cols]
        s += np.where(known, tz, TZ_UNKNOWN)
        s += _PATHWAY_ARR[self.pathway_arr[rows, None], self.pathway_arr[None, cols]]
        s += _MENTOR_ARR[self.kind_arr[rows, None], self.kind_arr[None, cols]]
        s += self.fresh_arr[rows, None] + self.fresh_arr[None, cols]
        return s


_INTEREST_ARR: Final = np.array(INTEREST_TABLE, dtype=np.float64)
_TZ_ARR: Final = np.array(TZ_TABLE, dtype=np.float64)
_PATHWAY_ARR: Final = np.array(PATHWAY_TABLE, dtype=np.float64)
_MENTOR_ARR: Final = np.array(MENTOR_TABLE, dtype=np.float64)
