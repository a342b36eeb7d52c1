"""Plain data types for the buddy matcher: what goes in and what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, get_args

Pathway = Literal[
    "any",
    "12-step",
    "smart",
    "secular",
    "faith-based",
    "medication-assisted",
    "harm-reduction",
]
Experience = Literal["new", "steady", "mentor"]
Wants = Literal["peer", "mentor", "either"]

# Index order matters: the scoring tables in ``_scoring`` are indexed by these positions.
PATHWAYS: Final[tuple[Pathway, ...]] = get_args(Pathway)
EXPERIENCES: Final[tuple[Experience, ...]] = get_args(Experience)
WANTS: Final[tuple[Wants, ...]] = get_args(Wants)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One opted-in member, as the matcher sees them.

    Only what the matcher needs is here: no names, no recovery dates, no check-ins.

    ``utc_offset_minutes`` is the member's *current* offset (the caller resolves their time zone,
    including daylight saving, at the time of the round). ``rounds_since_paired`` is ``None`` for a
    member who has never had a buddy. ``priority`` marks someone left without a buddy last round, so
    they are first in line this time.
    """

    user_id: int
    interests: frozenset[str] = frozenset()
    utc_offset_minutes: int | None = None
    pathway: Pathway = "any"
    experience: Experience = "steady"
    wants: Wants = "either"
    rounds_since_paired: int | None = None
    priority: bool = False

    def __post_init__(self) -> None:
        # Fail loudly on a typo from the caller rather than silently scoring it as "no match":
        # a misspelt pathway would otherwise quietly lower someone's chances every round.
        if self.pathway not in PATHWAYS:
            raise ValueError(f"unknown pathway {self.pathway!r}; expected one of {PATHWAYS}")
        if self.experience not in EXPERIENCES:
            raise ValueError(f"unknown experience {self.experience!r}; expected one of {EXPERIENCES}")
        if self.wants not in WANTS:
            raise ValueError(f"unknown wants {self.wants!r}; expected one of {WANTS}")
        if self.utc_offset_minutes is not None and not -16 * 60 <= self.utc_offset_minutes <= 16 * 60:
            raise ValueError(f"utc_offset_minutes {self.utc_offset_minutes} is not a real UTC offset")
        if self.rounds_since_paired is not None and self.rounds_since_paired < 0:
            raise ValueError("rounds_since_paired must be >= 0 or None")


@dataclass(frozen=True, slots=True)
class Group:
    """A buddy group of two members (or, at most once per round, three).

    ``members`` are sorted by ``user_id``. ``reason`` is the one warm line shown to the group;
    ``score`` is the sum of ``compatibility`` over every pair in the group.
    """

    members: tuple[Candidate, ...]
    reason: str
    score: float

    @property
    def user_ids(self) -> tuple[int, ...]:
        """The members' Discord user ids, ascending."""
        return tuple(m.user_id for m in self.members)

    def pairs(self) -> tuple[frozenset[int], ...]:
        """Every pair inside the group: what the caller records as ``recent_pairs`` for later rounds."""
        ids = self.user_ids
        return tuple(frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :])


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one pairing round.

    ``groups`` are sorted by their smallest user id. ``unmatched`` (ascending) is non-empty only
    when the do-not-pair and no-repeat rules leave no valid group for someone.
    """

    groups: tuple[Group, ...]
    unmatched: tuple[int, ...] = field(default=())

    @property
    def total_score(self) -> float:
        """Sum of all group scores: the quantity the matcher tries to maximise."""
        return sum(g.score for g in self.groups)

    def pairs(self) -> frozenset[frozenset[int]]:
        """All pairs formed this round, ready to add to the caller's recent-pairs history."""
        return frozenset(p for g in self.groups for p in g.pairs())
